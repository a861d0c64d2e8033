"""The summary (DESIGN.md sections 5 and 11): pure functions, entries and a period in, a
Summary out, with the ratings of the guides' rating steps.

Nothing here reads a file or the clock. The command passes in the entries of the period
(and of the period before, for the change, or the day counts of the months only the period
before needs: the counts cache), the days with entries of the whole journal (from the
history index, for the streaks) and today's date.
"""

from __future__ import annotations

import itertools
import operator
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from leadjournal.errors import UsageError
from leadjournal.text import word_count

if TYPE_CHECKING:
    from leadjournal.models import Entry, RatingTally, Summary
    from leadjournal.prompts.promptset import Guide, Prompt, Theme


@dataclass(frozen=True)
class Period:
    """Inclusive local days. `weeks` is N for whole weeks (--week: 1, --weeks N: N) and 0
    for a period given with --since/--until."""

    start: date
    end: date
    weeks: int = 0

    @property
    def length(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.length - 1), end, self.weeks)

    def split_weeks(self) -> list[Period]:
        """The whole weeks of a --weeks period, oldest first."""
        return [
            Period(self.start + timedelta(days=7 * i), self.start + timedelta(days=7 * i + 6), 1)
            for i in range(self.weeks)
        ]


def resolve_period(
    *,
    week: str | None,
    since: str | None,
    until: str | None,
    weeks: int | None,
    today: date,
    week_start: str,
) -> Period:
    """The period the options of `summary` ask for (DESIGN.md section 2).

    Default: the current week. --since alone ends today; --until alone starts on the first
    day of its week; --weeks N is the N weeks ending with the chosen week.
    """
    from leadjournal.dates import parse_day, parse_week, week_bounds

    custom = since is not None or until is not None
    if week is not None and custom:
        raise UsageError(
            "--week cannot be combined with --since or --until: give a week, or the first "
            "and last day."
        )
    if weeks is not None and custom:
        raise UsageError(
            "--weeks cannot be combined with --since or --until: it counts whole weeks back "
            "from --week (default: this week)."
        )
    if weeks is not None and weeks < 1:
        raise UsageError(f"--weeks must be 1 or more, not {weeks}.")
    try:
        if custom:
            last = parse_day(until, today) if until is not None else today
            first = (
                parse_day(since, today) if since is not None else week_bounds(last, week_start)[0]
            )
            if first > last:
                raise UsageError(f"--since {first} is after --until {last}: no day can match.")
            period = Period(first, last)
        else:
            start, end = (
                parse_week(week, today, week_start) if week else week_bounds(today, week_start)
            )
            count = weeks or 1
            period = Period(start - timedelta(days=7 * (count - 1)), end, count)
        period.previous()  # the human view compares with it
    except OverflowError:
        raise UsageError("That period reaches beyond the calendar (years 1 to 9999).") from None
    return period


def week_label(start: date, week_start: str) -> str:
    """'2026-W47' for the week that starts on `start`. A Sunday-start week carries the ISO
    number of the Monday that follows its Sunday (DESIGN.md section 2)."""
    monday = start if week_start == "monday" else start + timedelta(days=1)
    year, number, _ = monday.isocalendar()
    return f"{year}-W{number:02d}"


# summary --weeks N counts each entry's words twice, in its week and in the whole period:
# the second count is a look-up (a text's hash is kept by the string itself).
words_of = lru_cache(maxsize=None)(word_count)


def summarize(
    entries: Iterable[Entry],
    period: Period,
    themes: Sequence[Theme],
    all_days: Days,
    today: date,
    *,
    guides: Sequence[Guide] = (),
) -> Summary:
    """The tally of the entries whose local day lies in the period.

    `themes` is the prompt set's themes in built-in order; every one appears, zeros
    included. `all_days` is every day with an entry in the whole journal (the streaks).
    `guides` (the prompt set's) gives the ratings their order, question and theme.
    """
    from leadjournal.models import Streak, Summary, Tally, ThemeTally

    start, end = period.start, period.end
    # Plain [entries, words] counters in the loop (a pydantic model's attribute writes
    # are slow); the models are built once at the end.
    counters: dict[str, list[int]] = {theme.id: [0, 0] for theme in themes}
    unthemed = [0, 0]
    tags: dict[str, int] = {}
    days: set[date] = set()
    ratings: dict[tuple[str, str], list[int]] = {}  # (guide, step): [sum, count]
    asked: dict[tuple[str, str], str] = {}  # the question as the latest answer stored it
    count = words = 0
    for entry in entries:
        day = entry.day
        if not start <= day <= end:
            continue
        n = words_of(entry.text)
        count += 1
        words += n
        days.add(day)
        # A theme id that is not in the prompt set (a user theme since removed from
        # prompts.yaml, or an imported entry) is counted as unthemed: the `themes` list
        # then always mirrors the prompt set, in the same order in every period.
        bucket = counters.get(entry.theme or "", unthemed)
        bucket[0] += 1
        bucket[1] += n
        for tag in dict.fromkeys(entry.tags):
            tags[tag] = tags.get(tag, 0) + 1
        if entry.guide is not None:
            for step in entry.steps:
                if step.kind == "rating" and isinstance(step.answer, int):
                    key = (entry.guide, step.id)
                    tally = ratings.setdefault(key, [0, 0])
                    tally[0] += step.answer
                    tally[1] += 1
                    asked[key] = step.text
    return Summary(
        start=start,
        end=end,
        entries=count,
        days_with_entries=len(days),
        words=words,
        themes=[
            ThemeTally(id=t.id, name=t.name, entries=counters[t.id][0], words=counters[t.id][1])
            for t in themes
        ],
        unthemed=Tally(entries=unthemed[0], words=unthemed[1]),
        tags=dict(sorted(tags.items(), key=lambda item: (-item[1], item[0]))),
        streak=Streak(
            current=current_streak(all_days, end, today), longest=longest_streak(all_days)
        ),
        ratings=_ratings(ratings, asked, guides),
    )


def mean_half_up(total: int, count: int) -> float:
    """total / count rounded half up to one decimal (exactly: 7.25 -> 7.3, 7.24 -> 7.2)."""
    from fractions import Fraction

    tenths = Fraction(total * 10, count) + Fraction(1, 2)
    return (tenths.numerator // tenths.denominator) / 10


def _ratings(
    sums: dict[tuple[str, str], list[int]],
    asked: dict[tuple[str, str], str],
    guides: Sequence[Guide],
) -> list[RatingTally]:
    """Every rating step answered in the period: the guides' steps in their order, then
    those of guides or steps no longer in the prompt files (by id, with the question as
    stored)."""
    from leadjournal.models import RatingTally

    if not sums:
        return []
    order: dict[tuple[str, str], tuple[int, str, str | None]] = {}
    for guide in guides:
        for step in guide.steps:
            order[(guide.id, step.id)] = (len(order), step.text, guide.step_theme(step))
    known = [key for key in order if key in sums]
    rest = sorted(key for key in sums if key not in order)
    result = []
    for key in [*known, *rest]:
        total, count = sums[key]
        _, text, theme = order.get(key, (0, asked[key], None))
        result.append(
            RatingTally(
                id=f"{key[0]}.{key[1]}",
                guide=key[0],
                step=key[1],
                text=text,
                theme=theme,
                count=count,
                mean=mean_half_up(total, count),
            )
        )
    return result


def summarize_weeks(
    entries: Sequence[Entry],
    period: Period,
    themes: Sequence[Theme],
    all_days: Days,
    today: date,
    *,
    guides: Sequence[Guide] = (),
) -> list[Summary]:
    """One Summary per week of a --weeks period, oldest first. The entries are put in
    their week in one pass, so the cost grows with the period's entries, not with weeks
    times entries (DESIGN.md section 8b)."""
    weeks = period.split_weeks()
    buckets: list[list[Entry]] = [[] for _ in weeks]
    first = period.start.toordinal()
    for entry in entries:
        index = (entry.day.toordinal() - first) // 7
        if 0 <= index < len(buckets):
            buckets[index].append(entry)
    return [
        summarize(bucket, week, themes, all_days, today, guides=guides)
        for bucket, week in zip(buckets, weeks, strict=True)
    ]


# A day count: (day's ordinal, theme as stored or None, entries, words) of one day and
# theme. What the human view compares with needs no more; the counts cache keeps these.
DayCount = tuple[int, "str | None", int, int]


def day_counts(entries: Iterable[Entry]) -> list[DayCount]:
    """The entries counted by day and theme (as stored: the prompt set maps them later)."""
    counts: dict[tuple[int, str | None], list[int]] = {}
    for entry in entries:
        key = (entry.day.toordinal(), entry.theme)
        tally = counts.get(key)
        if tally is None:
            tally = counts[key] = [0, 0]
        tally[0] += 1
        tally[1] += words_of(entry.text)
    return [
        (day, theme, n, words) for (day, theme), (n, words) in sorted(counts.items(), key=_by_day)
    ]


def _by_day(item: tuple[tuple[int, str | None], list[int]]) -> tuple[int, str]:
    return item[0][0], item[0][1] or ""


class ThemeCount(NamedTuple):
    """A theme's entries and words in a period (`id` "" for the unthemed)."""

    id: str
    name: str
    entries: int
    words: int


@dataclass(frozen=True)
class Counts:
    """A period counted without its texts: what the human view compares the summary with
    (the period before). Summary's counts, without tags, ratings or streaks."""

    start: date
    end: date
    entries: int
    days_with_entries: int
    words: int
    themes: tuple[ThemeCount, ...]  # every theme of the prompt set, built-in order
    unthemed: ThemeCount


def count_period(counts: Iterable[DayCount], period: Period, themes: Sequence[Theme]) -> Counts:
    """The day counts whose day lies in the period, by theme the way summarize counts them
    (a theme the prompt set does not know counts as unthemed)."""
    low, high = period.start.toordinal(), period.end.toordinal()
    counters: dict[str, list[int]] = {theme.id: [0, 0] for theme in themes}
    unthemed = [0, 0]
    days: set[int] = set()
    for day, theme, n, words in counts:
        if not low <= day <= high:
            continue
        days.add(day)
        bucket = counters.get(theme or "", unthemed)
        bucket[0] += n
        bucket[1] += words
    return Counts(
        start=period.start,
        end=period.end,
        entries=sum(c[0] for c in counters.values()) + unthemed[0],
        days_with_entries=len(days),
        words=sum(c[1] for c in counters.values()) + unthemed[1],
        themes=tuple(ThemeCount(t.id, t.name, *counters[t.id]) for t in themes),
        unthemed=ThemeCount("", "Unthemed", *unthemed),
    )


class JournalDays:
    """Every day with entries in the whole journal, as sorted day ordinals (the history
    index keeps them so: no date object a day), with what the streaks need: for each
    day its ordinal minus its index (the same along a run of consecutive days, larger
    after each gap, so a run is one bisect away), and the longest run."""

    __slots__ = ("keys", "longest", "ordinals")

    def __init__(self, ordinals: Sequence[int]) -> None:
        self.ordinals = list(ordinals)
        self.keys = list(map(operator.sub, self.ordinals, itertools.count()))
        # keys never decrease, so the days of a run are the days that share its key
        self.longest = max(Counter(self.keys).values(), default=0)


Days = AbstractSet[date] | JournalDays


def current_streak(days: Days, end: date, today: date) -> int:
    """The run of consecutive days with entries that ends on the earlier of `end` and
    `today`, or on the day before that when that day has none yet."""
    known = _journal_days(days)
    ordinals, keys = known.ordinals, known.keys
    anchor = min(end, today).toordinal()
    last = bisect_right(ordinals, anchor) - 1  # the last day with entries up to the anchor
    if last < 0 or ordinals[last] < anchor - 1:
        return 0
    return last - bisect_left(keys, keys[last]) + 1


def longest_streak(days: Days) -> int:
    """The longest run of consecutive days with entries."""
    return _journal_days(days).longest


def _journal_days(days: Days) -> JournalDays:
    return days if isinstance(days, JournalDays) else _runs(frozenset(days))


@lru_cache(maxsize=4)
def _runs(days: frozenset[date]) -> JournalDays:
    """A set of days as JournalDays. Cached: `--weeks N` asks about the same journal N
    times."""
    return JournalDays(sorted(map(date.toordinal, days)))


def active_days(entries: Iterable[Entry], start: date, end: date) -> list[date]:
    """The days of [start, end] with at least one entry, in order."""
    return sorted({day for e in entries if start <= (day := e.day) <= end})


def least_reflected(summary: Summary) -> list[str]:
    """The themes with the fewest entries in the period (several when tied), built-in order."""
    if not summary.themes:
        return []
    fewest = min(t.entries for t in summary.themes)
    return [t.id for t in summary.themes if t.entries == fewest]


@dataclass(frozen=True)
class Review:
    """Everything the human view shows."""

    period: Period
    summary: Summary  # the whole period
    previous: Counts  # the period of the same length just before (counts only)
    days: tuple[date, ...]  # the days of the period with entries
    weeks: tuple[Summary, ...]  # --weeks N: one per week, oldest first; else empty
    least: tuple[str, ...]  # the least-reflected themes (several when tied)
    suggestion: Prompt | None  # a prompt from the least-reflected theme to try next
    today: date
    week_start: str


def review(
    entries: Sequence[Entry],
    period: Period,
    themes: Sequence[Theme],
    all_days: Days,
    today: date,
    *,
    week_start: str,
    by_week: bool,
    preference: Sequence[Prompt] | Callable[[list[str]], Sequence[Prompt]] = (),
    guides: Sequence[Guide] = (),
    before: Sequence[DayCount] = (),
) -> Review:
    """The summary of `period` and what the human view adds to it.

    `entries` covers the period and the one before it, except the months that only the
    period before needs when their day counts come in `before` (the counts cache).
    `preference` is today's order of preference of the prompts (journal.todays_order), or
    a function that gives it for the least-reflected themes (their prompts alone will do);
    the suggestion is its first prompt from a least-reflected theme, so ties go the way the
    prompt of the day would.
    """
    previous = period.previous()
    summary = summarize(entries, period, themes, all_days, today, guides=guides)
    least = least_reflected(summary)
    if callable(preference):  # asked for the least-reflected themes' prompts alone
        preference = preference(least) if least else ()
    suggestion = next((p for p in preference if p.theme in least), None)
    if suggestion is not None:
        least = [suggestion.theme, *(t for t in least if t != suggestion.theme)]
    weeks = (
        tuple(summarize_weeks(entries, period, themes, all_days, today, guides=guides))
        if by_week
        else ()
    )
    return Review(
        period=period,
        summary=summary,
        previous=count_period(
            [*day_counts(e for e in entries if previous.start <= e.day <= previous.end), *before],
            previous,
            themes,
        ),
        days=tuple(active_days(entries, period.start, period.end)),
        weeks=weeks,
        least=tuple(least),
        suggestion=suggestion,
        today=today,
        week_start=week_start,
    )
