"""The use cases of the day, on the path of the commands typed most (`today`, `prompt`):
the day's order of prompts, today's status line, the prompt of a day and why. Kept apart
from journal.py, and free of dataclasses, so that a warm `prompt` stays a few
milliseconds over a bare interpreter (DESIGN.md section 8). Results are named tuples the
CLI renders.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from leadjournal import commitment_index, history, store
from leadjournal.config import offers_managers_prompts
from leadjournal.prompts.choose import (
    Answer,
    choose,
    explain,
    fold,
    prompt_order,
    window_counts,
    window_start,
)

if TYPE_CHECKING:
    from collections.abc import Collection

    from leadjournal.errors import Warn
    from leadjournal.history import History
    from leadjournal.prompts.promptset import Prompt, PromptSet


class DayChoice(NamedTuple):
    """The day's prompts in order of preference, and what they were chosen from."""

    order: list[Prompt]
    counts: dict[str, int]  # entries per theme in the window before the day
    history: History


def todays_order(
    day: date,
    prompt_set: PromptSet,
    today: date,
    warn: Warn,
    theme_id: str | None = None,
    *,
    role: str | None = None,
    loaded: History | None = None,
    themes: Collection[str] | None = None,
) -> DayChoice:
    """The preference order for `day`, from the index when it covers the day's window,
    else from the full history (an old --date). Both give what `choose` gives. `role` is
    config.toml's: with "individual", the prompts for managers are left out. `themes`:
    only the prompts of these themes, in the order they have in the whole order (the
    answers of other themes are not folded: each theme's state is its own)."""
    include_managers = offers_managers_prompts(role)
    if loaded is None:  # (a caller that has just loaded the index passes it in)
        loaded = history.load_history(prompt_set, today, warn)
    if window_start(day) >= loaded.cutoff:
        before = [a for a in loaded.recent if a.day < day]
        counts = window_counts(before, day)
        if themes is not None:
            by_id = prompt_set.by_id
            before = [
                a
                for a in before
                if (p := by_id.get(a.prompt_id or "")) is not None and p.theme in themes
            ]
        state = fold(loaded.base, before, prompt_set)
        order = prompt_order(
            day,
            prompt_set,
            state,
            counts,
            theme_id,
            include_managers=include_managers,
            only=themes,
        )
        return DayChoice(order, counts, loaded)
    answers: list[Answer] = history.all_answers(warn)
    counts = window_counts(answers, day)
    order = choose(day, prompt_set, answers, theme_id, include_managers=include_managers)
    return DayChoice(order, counts, loaded)


class Status(NamedTuple):
    entries_this_week: int
    days_since_last: int | None


class DueNow(NamedTuple):
    """The open commitments due today or earlier: how many, and the earliest one's text."""

    total: int
    first: str


class TodayView(NamedTuple):
    """What `today` shows: the prompt of the day, a line of status, and the commitments
    due (None when none is). Once the prompt is answered, `next_prompt` is what
    `prompt --another` gives; `earlier_years` counts the earlier years with entries on
    this day."""

    day: date
    prompt: Prompt
    status: Status
    due: DueNow | None
    answered: bool = False
    next_prompt: Prompt | None = None
    earlier_years: int = 0


def today_view(
    prompt_set: PromptSet, today: date, week_start: str, warn: Warn, *, role: str | None = None
) -> TodayView:
    with store.one_scan():  # the history and commitments indexes check the months once
        chosen = todays_order(today, prompt_set, today, warn, role=role)
        # From the index's head (and one month's shard): no pydantic model built.
        count, first = commitment_index.due_by(today.isoformat(), warn)
    state = status(chosen.history, today, week_start)
    now_due = DueNow(count, first) if count and first is not None else None
    picked = chosen.order[0]
    answered = any(a.day == today and a.prompt_id == picked.id for a in chosen.history.recent)
    following = chosen.order[1] if len(chosen.order) > 1 else None
    return TodayView(
        today,
        picked,
        state,
        now_due,
        answered=answered,
        next_prompt=following,
        earlier_years=earlier_years_on(today, chosen.history),
    )


def earlier_years_on(today: date, loaded: History) -> int:
    """How many earlier years have entries on this day (from the index: every entry's day).

    Each earlier year's few candidate days (the same month and day, and 28 and 29
    February) are looked up among the days with entries, rather than every such day
    (ten years of them on a big journal) tested: ~1.7 ms of `today` on a ten-year
    journal (DESIGN.md section 8b). `dates.on_this_day` stays the one rule."""
    from leadjournal.dates import on_this_day

    days = set(loaded.base_days)
    days.update(answer.day.toordinal() for answer in loaded.recent)
    if not days:
        return 0
    days_of_year = {(today.month, today.day), (2, 28), (2, 29)}
    years = 0
    for year in range(date.fromordinal(min(days)).year, today.year):
        for month, day in days_of_year:
            try:
                candidate = date(year, month, day)
            except ValueError:  # 29 February of a common year
                continue
            if candidate.toordinal() in days and on_this_day(today, candidate):
                years += 1
                break
    return years


def status(loaded: History, today: date, week_start: str) -> Status:
    from leadjournal.dates import week_bounds

    start, end = week_bounds(today, week_start)
    count = sum(1 for a in loaded.recent if start <= a.day <= end)
    since = (today - loaded.last_day).days if loaded.last_day else None
    return Status(count, since)


class PromptOfDay(NamedTuple):
    """`prompt`: the prompt offered for a day, and (with --why) why."""

    day: date
    prompt: Prompt
    reason: str | None


def prompt_of_day(
    day: date,
    prompt_set: PromptSet,
    today: date,
    warn: Warn,
    *,
    theme: str | None = None,
    another: bool = False,
    why: bool = False,
    role: str | None = None,
    loaded: History | None = None,
) -> PromptOfDay:
    """The prompt of `day` (within a theme), or the day's next choice with `another`."""
    # Within a theme only that theme's answers are folded: each theme's state is its own
    # (todays_order's `themes`), so the order is the same; the big journal's review
    # folded its 2,700 recent answers for one theme's suggestion (DESIGN.md 8b).
    chosen = todays_order(
        day,
        prompt_set,
        today,
        warn,
        theme,
        role=role,
        loaded=loaded,
        themes=None if theme is None else (theme,),
    )
    order = chosen.order
    picked = order[1] if another and len(order) > 1 else order[0]
    reason = None
    if why:
        reason = explain(picked, prompt_set, chosen.counts, theme is not None)
        if another:
            reason = "the day's next choice after " + order[0].id
        if not offers_managers_prompts(role):
            reason += '; prompts for managers are left out (role = "individual")'
    return PromptOfDay(day, picked, reason)
