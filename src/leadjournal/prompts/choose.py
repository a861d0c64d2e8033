"""The prompt of the day, chosen (DESIGN.md section 4). Pure: a date, the prompt set, the
history before that date and whether prompts for managers may be offered in, the day's
prompts in order of preference out. No clock, no files, no config: the caller passes the
day, the answers and the audience filter.

The filter (DESIGN.md section 15: `role = "individual"` leaves out the prompts for
managers) changes which prompts a theme offers, so section 4's cycle is kept for both
views: `HistoryState.cycle` over all of a theme's prompts, `HistoryState.everyone` over
its prompts for everyone, to which answers to a managers prompt (given with `--prompt`)
do not count. Both are folded from the same answers, so the history index does not
depend on the role and a change of role needs no rebuild.
"""

from __future__ import annotations

import zlib
from collections.abc import Collection, Iterable, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

from leadjournal.prompts.promptset import MANAGERS, Prompt, PromptSet, Theme

WINDOW_DAYS = 14


class Answer(NamedTuple):
    """What the chooser needs to know of one entry. History is taken in order of local day,
    then instant: so everything before a day sorts before everything on it, whatever the
    UTC offsets (a tuple: cheap to build by the thousand from the index)."""

    day: date
    at: float  # the instant, seconds since the epoch
    theme: str | None
    prompt_id: str | None


def history_order(answer: Answer) -> tuple[date, float, str, str]:
    """Local day, then instant; answers at the very same instant in a fixed order too."""
    return answer.day, answer.at, answer.prompt_id or "", answer.theme or ""


def offered(theme: Theme, *, include_managers: bool) -> tuple[Prompt, ...]:
    """The prompts `theme` may offer: all of them, or only those for everyone when prompts
    for managers are left out (a theme with no other prompt falls back to all of its)."""
    if include_managers:
        return theme.prompts
    return _for_everyone(theme) or theme.prompts


def _for_everyone(theme: Theme) -> tuple[Prompt, ...]:
    return tuple(p for p in theme.prompts if p.audience != MANAGERS)


def _cycle(theme: Theme, state: HistoryState, *, include_managers: bool) -> set[str]:
    """The prompts of `theme` answered in the current cycle of the view that is offered."""
    if include_managers or not _for_everyone(theme):
        return state.cycle.get(theme.id, set())
    return state.everyone.get(theme.id, set())


class HistoryState:
    """The chooser's memory after a run of answers: when each prompt was last answered,
    and which prompts of each theme are answered in the theme's current cycle, counted
    over all of its prompts (`cycle`) and over its prompts for everyone (`everyone`)."""

    __slots__ = ("cycle", "everyone", "last")

    def __init__(
        self,
        last: dict[str, float] | None = None,
        cycle: dict[str, set[str]] | None = None,
        everyone: dict[str, set[str]] | None = None,
    ) -> None:
        self.last = last if last is not None else {}
        self.cycle = cycle if cycle is not None else {}
        self.everyone = everyone if everyone is not None else {}

    def copy(self) -> HistoryState:
        return HistoryState(
            dict(self.last),
            {k: set(v) for k, v in self.cycle.items()},
            {k: set(v) for k, v in self.everyone.items()},
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "last": self.last,
            "cycle": {k: sorted(v) for k, v in self.cycle.items() if v},
            "everyone": {k: sorted(v) for k, v in self.everyone.items() if v},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HistoryState:
        return cls(
            dict(data["last"]),
            {k: set(v) for k, v in data["cycle"].items()},
            {k: set(v) for k, v in data["everyone"].items()},
        )


def _answered(
    cycles: dict[str, set[str]], theme_id: str, prompt_id: str, pool: frozenset[str]
) -> None:
    done = cycles.setdefault(theme_id, set())
    done.add(prompt_id)
    if len(done) >= len(pool) and done >= pool:
        done.clear()  # every prompt of the pool answered: a new cycle begins


def fold(state: HistoryState, answers: Iterable[Answer], prompt_set: PromptSet) -> HistoryState:
    """Apply answers (chronological) to a copy of `state`."""
    state = state.copy()
    last = state.last
    # Per theme, the ids of all its prompts and of its prompts for everyone (the two
    # cycles), worked out once per fold rather than once per answer.
    pools: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for answer in answers:
        prompt = prompt_set.by_id.get(answer.prompt_id or "")
        if prompt is None:
            continue
        pid, at = prompt.id, answer.at
        last[pid] = max(at, last.get(pid, at))
        pool = pools.get(prompt.theme)
        if pool is None:
            theme = prompt_set.theme_by_id[prompt.theme]
            pool = pools[prompt.theme] = (
                frozenset(p.id for p in theme.prompts),
                frozenset(p.id for p in _for_everyone(theme)),
            )
        _answered(state.cycle, prompt.theme, pid, pool[0])
        if prompt.audience != MANAGERS:
            _answered(state.everyone, prompt.theme, pid, pool[1])
    return state


def _stable_rank(*parts: str) -> int:
    """A fixed pseudo-random rank: the same in every process (unlike hash())."""
    return zlib.crc32("\0".join(parts).encode())


def prompt_order(
    day: date,
    prompt_set: PromptSet,
    state: HistoryState,
    window_counts: dict[str, int],
    theme_id: str | None = None,
    *,
    include_managers: bool,
    only: Collection[str] | None = None,
) -> list[Prompt]:
    """The day's prompts in order of preference; the first is the prompt of the day.
    With `only`, the prompts of those themes alone, in the same relative order.

    Themes least reflected on in the window come first (ties rotate with the date, so an
    empty journal meets every theme within a week); within a theme, prompts not yet
    answered in the current cycle, least recently answered first. Without
    `include_managers`, only the prompts each theme offers to everyone are in the order.
    """
    n = len(prompt_set.themes)
    themes = list(prompt_set.themes)
    if theme_id is not None:
        themes = [prompt_set.theme(theme_id)]
    if only is not None:
        themes = [t for t in themes if t.id in only]
    ordinal = day.toordinal()
    ranked = sorted(
        themes,
        key=lambda t: (window_counts.get(t.id, 0), (prompt_set.themes.index(t) - ordinal) % n),
    )
    per_theme = [_theme_order(day, t, state, include_managers=include_managers) for t in ranked]
    order: list[Prompt] = []
    depth = max((len(p) for p in per_theme), default=0)
    for i in range(depth):
        order.extend(prompts[i] for prompts in per_theme if i < len(prompts))
    return order


def _theme_order(
    day: date, theme: Theme, state: HistoryState, *, include_managers: bool
) -> list[Prompt]:
    pool = offered(theme, include_managers=include_managers)
    done = _cycle(theme, state, include_managers=include_managers)
    eligible = [p for p in pool if p.id not in done] or list(pool)
    iso = day.isoformat()
    return sorted(
        eligible,
        key=lambda p: (state.last.get(p.id, float("-inf")), _stable_rank(iso, p.id)),
    )


def window_start(day: date) -> date:
    """The first day of the window before `day` (the calendar's first day at the most)."""
    return day - timedelta(days=min(WINDOW_DAYS, day.toordinal() - 1))


def window_counts(answers: Iterable[Answer], day: date) -> dict[str, int]:
    """Entries per theme in the WINDOW_DAYS days before `day`."""
    start = window_start(day)
    counts: dict[str, int] = {}
    for answer in answers:
        if answer.theme and start <= answer.day < day:
            counts[answer.theme] = counts.get(answer.theme, 0) + 1
    return counts


def choose(
    day: date,
    prompt_set: PromptSet,
    answers: Sequence[Answer],
    theme_id: str | None = None,
    *,
    include_managers: bool,
) -> list[Prompt]:
    """The reference chooser: the whole history in, the day's order of preference out.

    Only answers from days before `day` count, so the result never changes once the day
    has begun, whatever is written on it.
    """
    before = sorted((a for a in answers if a.day < day), key=history_order)
    state = fold(HistoryState(), before, prompt_set)
    counts = window_counts(before, day)
    return prompt_order(day, prompt_set, state, counts, theme_id, include_managers=include_managers)


def explain(
    prompt: Prompt, prompt_set: PromptSet, counts: dict[str, int], chosen_theme: bool
) -> str:
    """One line on why this prompt was offered."""
    name = prompt_set.theme_by_id[prompt.theme].name
    if chosen_theme:
        return f"you asked for {name}; this prompt is the one you answered least recently"
    mine = counts.get(prompt.theme, 0)
    others = [counts.get(t.id, 0) for t in prompt_set.themes if t.id != prompt.theme]
    if mine == 0 and others and min(others) > 0:
        return f"no entries on {name} in the last {WINDOW_DAYS} days; every other theme has some"
    if mine == 0 and not any(others):
        return (
            f"no entries in the last {WINDOW_DAYS} days, so the themes take turns; today is {name}"
        )
    if mine == 0:
        return f"no entries on {name} in the last {WINDOW_DAYS} days"
    return f"{name} is among the least reflected on in the last {WINDOW_DAYS} days ({mine})"
