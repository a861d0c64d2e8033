"""Load and validate the prompt files, and choose the prompt of the day (DESIGN.md section 4).

The chooser is pure: a date, the prompt set and the history before that date in, an
ordered list of prompts out. The validated prompt set is cached under <home>/cache/ as
plain JSON so that a warm `prompt` neither parses YAML nor builds pydantic models.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from leadjournal import paths
from leadjournal.errors import PromptFileError, UsageError

Warn = Callable[[str], None]
WINDOW_DAYS = 14
CACHE_VERSION = 1


# Plain tuples and classes, not dataclasses: these are built on every `prompt`, and
# start-up time is a budget (DESIGN.md section 8).


class Prompt(NamedTuple):
    id: str
    theme: str
    text: str
    follow_up: str | None = None
    source: str | None = None


class Theme(NamedTuple):
    id: str
    name: str
    description: str
    prompts: tuple[Prompt, ...]


class PromptSet:
    """The themes in built-in order (the user's after them), with lookups by id."""

    __slots__ = ("by_id", "theme_by_id", "themes", "warnings")

    def __init__(self, themes: tuple[Theme, ...], warnings: tuple[str, ...] = ()) -> None:
        self.themes = themes
        self.warnings = warnings
        self.theme_by_id = {theme.id: theme for theme in themes}
        self.by_id = {prompt.id: prompt for theme in themes for prompt in theme.prompts}

    def theme(self, theme_id: str) -> Theme:
        try:
            return self.theme_by_id[theme_id]
        except KeyError:
            known = ", ".join(t.id for t in self.themes)
            raise UsageError(f"There is no theme '{theme_id}'. The themes are: {known}.") from None

    def prompt(self, prompt_id: str) -> Prompt:
        try:
            return self.by_id[prompt_id]
        except KeyError:
            raise UsageError(
                f"There is no prompt '{prompt_id}'. See 'leadjournal prompts' for the ids."
            ) from None

    def signature(self) -> str:
        """What the history index depends on: which prompts exist, in which theme."""
        text = "|".join(f"{t.id}:{','.join(p.id for p in t.prompts)}" for t in self.themes)
        return f"{zlib.crc32(text.encode()):08x}{len(text):x}"


# ---------------------------------------------------------------------------------------
# Loading


def load_prompt_set(warn: Warn | None = None, *, use_cache: bool = True) -> PromptSet:
    """The built-in prompts plus the user's. A bad user file is reported through `warn` and
    left out; a bad built-in file is an error."""
    builtin = paths.builtin_prompts_file()
    user = paths.user_prompts_file()
    key = [_file_key(builtin), _file_key(user), CACHE_VERSION]
    cache = paths.cache_dir() / "prompts.json"
    data = _read_cache(cache, key) if use_cache else None
    if data is None:
        data = _build_prompt_data(builtin, user)
        data["key"] = key
        _write_cache(cache, data)
    prompt_set = _from_data(data)
    if warn is not None:
        for message in prompt_set.warnings:
            warn(message)
    return prompt_set


def _file_key(path: Path) -> list[Any]:
    try:
        st = path.stat()
    except OSError:
        return [str(path), None]
    return [str(path), st.st_mtime_ns, st.st_size, st.st_ino]


def _read_cache(cache: Path, key: list[Any]) -> dict[str, Any] | None:
    try:
        data = json.loads(cache.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    return data


def _write_cache(cache: Path, data: dict[str, Any]) -> None:
    from leadjournal.store import write_cache

    write_cache(cache, json.dumps(data, ensure_ascii=False).encode())


def _from_data(data: dict[str, Any]) -> PromptSet:
    themes = tuple(
        Theme(
            id=t["id"],
            name=t["name"],
            description=t["description"],
            prompts=tuple(Prompt(**p) for p in t["prompts"]),
        )
        for t in data["themes"]
    )
    return PromptSet(themes=themes, warnings=tuple(data.get("warnings", ())))


def _build_prompt_data(builtin: Path, user: Path) -> dict[str, Any]:
    base = parse_prompt_file(builtin)
    themes: list[dict[str, Any]] = []
    for spec in base.themes:
        if spec.name is None:
            raise PromptFileError(f"In {builtin}, theme '{spec.id}' has no name.")
        themes.append(
            {
                "id": spec.id,
                "name": spec.name,
                "description": spec.description or "",
                "prompts": [_prompt_dict(p, spec.id) for p in spec.prompts],
            }
        )
    _check_unique(builtin, themes)
    warnings: list[str] = []
    if user.exists():
        try:
            themes = merge_user_prompts(themes, parse_prompt_file(user), user)
        except PromptFileError as exc:
            warnings.append(f"{exc.message} Your prompts were left out; the built-in ones work.")
    return {"themes": themes, "warnings": warnings}


def _prompt_dict(spec: Any, theme_id: str) -> dict[str, Any]:
    return {
        "id": spec.id,
        "theme": theme_id,
        "text": spec.text,
        "follow_up": spec.follow_up,
        "source": spec.source,
    }


def _check_unique(path: Path, themes: list[dict[str, Any]]) -> None:
    seen_themes: set[str] = set()
    seen: set[str] = set()
    for theme in themes:
        if theme["id"] in seen_themes:
            raise PromptFileError(f"In {path}, the theme id '{theme['id']}' is used twice.")
        seen_themes.add(theme["id"])
        for prompt in theme["prompts"]:
            if prompt["id"] in seen:
                raise PromptFileError(f"In {path}, the prompt id '{prompt['id']}' is used twice.")
            seen.add(prompt["id"])


def merge_user_prompts(
    themes: list[dict[str, Any]], user_file: Any, path: Path
) -> list[dict[str, Any]]:
    """Add the user's themes and prompts to the built-in ones (copies; inputs unchanged)."""
    merged = [dict(t, prompts=list(t["prompts"])) for t in themes]
    by_id = {t["id"]: t for t in merged}
    for spec in user_file.themes:
        if spec.id in by_id:
            if spec.name is not None or spec.description is not None:
                raise PromptFileError(
                    f"In {path}, theme '{spec.id}' is built in: list it with only 'id' and "
                    "'prompts' to add prompts to it."
                )
            by_id[spec.id]["prompts"].extend(_prompt_dict(p, spec.id) for p in spec.prompts)
        else:
            if spec.name is None:
                raise PromptFileError(
                    f"In {path}, the new theme '{spec.id}' needs a 'name' (and a 'description')."
                )
            theme = {
                "id": spec.id,
                "name": spec.name,
                "description": spec.description or "",
                "prompts": [_prompt_dict(p, spec.id) for p in spec.prompts],
            }
            merged.append(theme)
            by_id[spec.id] = theme
    _check_unique(path, merged)
    for theme in merged:
        if not theme["prompts"]:
            raise PromptFileError(f"In {path}, theme '{theme['id']}' has no prompts.")
    return merged


def parse_prompt_file(path: Path) -> Any:
    """Read one prompts.yaml with yaml.safe_load and validate it; errors name file and entry."""
    import yaml
    from pydantic import ValidationError

    from leadjournal.models import PromptFile

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PromptFileError(f"Cannot read the prompts file {path}: {exc.strerror}.") from None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except UnicodeDecodeError:
        raise PromptFileError(f"The prompts file {path} is not UTF-8 text.") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" (line {where.line + 1})" if where is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise PromptFileError(
            f"The prompts file {path} is not valid YAML{at}: {problem}."
        ) from None
    try:
        return PromptFile.model_validate(data)
    except ValidationError as exc:
        raise PromptFileError(
            f"The prompts file {path} is not valid: {_describe(exc, data)}."
        ) from None


def _describe(exc: Any, data: Any) -> str:
    """'theme lead-yourself, prompt ly-x: text: must not be empty' for the first errors."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False)[:3]:
        loc = list(error["loc"])
        names: list[str] = []
        node = data
        for step in loc:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                names.append(str(step))
                node = None
                continue
            if isinstance(step, int) and isinstance(node, dict) and "id" in node:
                names.append(str(node["id"]))
            elif not isinstance(step, int):
                names.append(str(step))
            else:
                names.append(f"#{step + 1}")
        message = str(error["msg"]).replace("String should match pattern", "must match")
        parts.append(f"{' > '.join(names) or 'file'}: {message}")
    return "; ".join(parts)


# ---------------------------------------------------------------------------------------
# Choosing


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


class HistoryState:
    """The chooser's memory after a run of answers: when each prompt was last answered,
    and which prompts of each theme are answered in the theme's current cycle."""

    __slots__ = ("cycle", "last")

    def __init__(
        self, last: dict[str, float] | None = None, cycle: dict[str, set[str]] | None = None
    ) -> None:
        self.last = last if last is not None else {}
        self.cycle = cycle if cycle is not None else {}

    def copy(self) -> HistoryState:
        return HistoryState(dict(self.last), {k: set(v) for k, v in self.cycle.items()})

    def to_json(self) -> dict[str, Any]:
        return {"last": self.last, "cycle": {k: sorted(v) for k, v in self.cycle.items() if v}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HistoryState:
        return cls(dict(data["last"]), {k: set(v) for k, v in data["cycle"].items()})


def fold(state: HistoryState, answers: Iterable[Answer], prompt_set: PromptSet) -> HistoryState:
    """Apply answers (chronological) to a copy of `state`."""
    state = state.copy()
    for answer in answers:
        prompt = prompt_set.by_id.get(answer.prompt_id or "")
        if prompt is None:
            continue
        state.last[prompt.id] = max(answer.at, state.last.get(prompt.id, answer.at))
        done = state.cycle.setdefault(prompt.theme, set())
        done.add(prompt.id)
        if len(done) >= len(prompt_set.theme_by_id[prompt.theme].prompts) and done >= {
            p.id for p in prompt_set.theme_by_id[prompt.theme].prompts
        }:
            done.clear()  # every prompt of the theme answered: a new cycle begins
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
) -> list[Prompt]:
    """The day's prompts in order of preference; the first is the prompt of the day.

    Themes least reflected on in the window come first (ties rotate with the date, so an
    empty journal meets every theme within a week); within a theme, prompts not yet
    answered in the current cycle, least recently answered first.
    """
    n = len(prompt_set.themes)
    themes = list(prompt_set.themes)
    if theme_id is not None:
        themes = [prompt_set.theme(theme_id)]
    ordinal = day.toordinal()
    ranked = sorted(
        themes,
        key=lambda t: (window_counts.get(t.id, 0), (prompt_set.themes.index(t) - ordinal) % n),
    )
    per_theme = [_theme_order(day, t, state) for t in ranked]
    order: list[Prompt] = []
    depth = max((len(p) for p in per_theme), default=0)
    for i in range(depth):
        order.extend(prompts[i] for prompts in per_theme if i < len(prompts))
    return order


def _theme_order(day: date, theme: Theme, state: HistoryState) -> list[Prompt]:
    done = state.cycle.get(theme.id, set())
    eligible = [p for p in theme.prompts if p.id not in done] or list(theme.prompts)
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
    day: date, prompt_set: PromptSet, answers: Sequence[Answer], theme_id: str | None = None
) -> list[Prompt]:
    """The reference chooser: the whole history in, the day's order of preference out.

    Only answers from days before `day` count, so the result never changes once the day
    has begun, whatever is written on it.
    """
    before = sorted((a for a in answers if a.day < day), key=history_order)
    state = fold(HistoryState(), before, prompt_set)
    return prompt_order(day, prompt_set, state, window_counts(before, day), theme_id)


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
