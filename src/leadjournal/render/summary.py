"""The summary's human view: the tally with bars, the change, the days, the streaks, a prompt.

Laid out line by line as styled parts (no trailing blanks, exact widths), printed with
rich Text. On a terminal: block bars, markers and a coloured heat map; in a pipe the same
information in plain ASCII (`#` bars, `#`/`.` days, numbers), with no escape codes and no
box characters, written without rich's console (what rich would print there, at the
width it would choose: its import was a fifth of `summary`'s time, DESIGN.md section 8b).
"""

from __future__ import annotations

import math
import os
import sys
from datetime import date, timedelta
from typing import TYPE_CHECKING

from leadjournal.render import _on_terminal, _shown, console

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from leadjournal.summary import Review

Part = str | tuple[str, str]  # text, or (text, rich style)
Line = tuple[tuple[str, str], ...]  # one printed line: its parts, each (text, style)

DAY_NAMES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")  # date.weekday() order
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CALENDAR_WEEKS = 6  # a longer period gets a sentence instead of a calendar
NAME_WIDTH = 28
# Heat-map cell styles by level (0 is an empty cell): dark to bright green.
HEAT = ("", "white on #0e4429", "white on #006d32", "black on #26a641", "black on #39d353")


class Glyphs:
    """The characters of one style of the view. A plain slotted class, not a dataclass
    (~0.7 ms of every `summary` to define, DESIGN.md section 8b)."""

    __slots__ = ("bar", "eighths", "ellipsis", "empty", "entry", "minus", "zero")

    def __init__(  # noqa: PLR0917 - one character per part of the view
        self,
        bar: str,
        eighths: str,  # partial bar cells, 1/8 to 7/8; empty for whole cells only
        entry: str,  # a day with entries
        empty: str,  # a day without
        minus: str,
        zero: str,  # an empty heat-map cell
        ellipsis: str,
    ) -> None:
        self.bar = bar
        self.eighths = eighths
        self.entry = entry
        self.empty = empty
        self.minus = minus
        self.zero = zero
        self.ellipsis = ellipsis


FANCY = Glyphs("█", "▏▎▍▌▋▊▉", "■", "·", "\u2212", "·", "…")
SPARKS = "▁▂▃▄▅▆▇█"  # a weekly mean of 1 to 10, low to high  # U+2212 is the typographic minus
PLAIN = Glyphs("#", "", "#", ".", "-", ".", "...")


def summary_view(review: Review, out: Console | None = None) -> None:
    """Print the human view of a summary (to standard output unless `out` is given)."""
    if out is None and not _on_terminal():
        text = "".join(f"{_plain(line)}\n" for line in _lines(review, PLAIN, pipe_width()))
        sys.stdout.write(text)
        return
    out = out or console()
    glyphs = FANCY if out.is_terminal else PLAIN
    for line in _lines(review, glyphs, out.width):
        styled = _rich_text(line)
        styled.rstrip()
        # In a pipe a long line stays one line (no wrapping, no cropping).
        out.print(styled, soft_wrap=not out.is_terminal, crop=out.is_terminal)


def _lines(review: Review, glyphs: Glyphs, width: int) -> list[Line]:
    lines = [
        *_heading(review),
        _blank(),
        *_tally(review, glyphs, width),
        _blank(),
        *_days(review, glyphs),
        _blank(),
        _streak(review),
        *_top_tags(review),
        *_commitments(review),
        *_suggestion(review),
    ]
    if review.weeks:
        lines += [_blank(), *_heat_map(review, glyphs, width)]
        lines += _rating_rows(review, glyphs, width)
    return lines


def _rich_text(line: Line) -> Text:
    from rich.text import Text

    return Text.assemble(*line, no_wrap=False)


# What rich's Text leaves out of any text (rich.control.strip_control_codes).
_RICH_STRIPS = dict.fromkeys((7, 8, 11, 12, 13))


def _plain(line: Line) -> str:
    """The line as rich prints it in a pipe: its text, without trailing blanks, and with
    what is left of control characters (an escape in a theme's name) as render shows it."""
    return _shown("".join(text for text, _ in line).translate(_RICH_STRIPS)).rstrip()


def pipe_width() -> int:
    """The width rich's Console takes when standard output is not a terminal: COLUMNS,
    else the size of the first of stdin, stdout, stderr that is a terminal, else 80."""
    columns, rows = os.environ.get("COLUMNS", ""), os.environ.get("LINES", "")
    if columns.isdigit() and rows.isdigit():
        return int(columns)
    width = None
    for descriptor in (0, 1, 2):
        try:
            width = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    if columns.isdigit():
        width = int(columns)
    return width or 80


# ---------------------------------------------------------------------------------------
# Words


def _text(*parts: Part) -> Line:
    return tuple((part, "") if isinstance(part, str) else part for part in parts)


def _blank() -> Line:
    return ()


def _plural(count: int, word: str) -> str:
    if word == "entry":
        return f"{count} {'entry' if count == 1 else 'entries'}"
    return f"{count} {word}{'' if count == 1 else 's'}"


def _day(day: date, year: bool = True) -> str:
    text = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def _span(start: date, end: date) -> str:
    if start == end:
        return _day(start)
    return f"{_day(start, year=start.year != end.year)} to {_day(end)}"


def _is_current(review: Review) -> bool:
    return review.period.start <= review.today <= review.period.end


def _scope(review: Review) -> str:
    """'this week', 'that week', 'in these 4 weeks', 'in this period'."""
    weeks = review.period.weeks
    if weeks == 1:
        return "this week" if _is_current(review) else "that week"
    if weeks > 1:
        return f"in these {weeks} weeks"
    return "in this period"


def _before(review: Review) -> str:
    """The period before: 'last week', 'the week before', 'the 20 days before'."""
    period = review.period
    if period.weeks == 1:
        return "last week" if _is_current(review) else "the week before"
    if period.weeks > 1:
        return f"the {period.weeks} weeks before"
    return f"the {_plural(period.length, 'day')} before"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _heading(review: Review) -> list[Line]:
    from leadjournal.summary import week_label

    period = review.period
    first = week_label(period.start, review.week_start)
    if period.weeks == 1:
        title = f"Week {first}, {_span(period.start, period.end)}"
    elif period.weeks > 1:
        last = week_label(period.end - timedelta(days=6), review.week_start)
        title = f"{period.weeks} weeks, {first} to {last}: {_span(period.start, period.end)}"
    else:
        title = f"{_span(period.start, period.end)} ({_plural(period.length, 'day')})"
    summary, previous = review.summary, review.previous
    if summary.entries:
        facts = (
            f"{_plural(summary.entries, 'entry')} on {summary.days_with_entries} of "
            f"{_plural(period.length, 'day')}, {_plural(summary.words, 'word')}."
        )
    else:
        facts = f"No entries {_scope(review)}{' yet' if _is_current(review) else ''}."
    facts += f" {_capital(_before(review))}: {_plural(previous.entries, 'entry')}."
    return [_text((title, "bold")), _text(facts)]


# ---------------------------------------------------------------------------------------
# The tally by theme


def _fit(text: str, width: int, align: str = "left", ellipsis: str = "...") -> str:
    """`text` in exactly `width` cells, cut with an ellipsis when it is too long."""
    if _cells(text) > width:
        text = _sized(text, max(0, width - _cells(ellipsis))) + ellipsis
        return _sized(text, width)
    pad = " " * (width - _cells(text))
    return pad + text if align == "right" else text + pad


def _single_cells(text: str) -> bool:
    """Printable ASCII only: one cell a character (rich.cells' own fast case)."""
    return text.isascii() and text.isprintable()


def _cells(text: str) -> int:
    """rich.cells.cell_len, without importing rich for the usual ASCII names."""
    if _single_cells(text):
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _sized(text: str, total: int) -> str:
    """rich.cells.set_cell_size, without importing rich for the usual ASCII names."""
    if _single_cells(text):
        return text + " " * (total - len(text)) if len(text) < total else text[:total]
    from rich.cells import set_cell_size

    return set_cell_size(text, total)


def _cell(text: str, width: int, align: str = "left", style: str = "") -> tuple[str, str]:
    return _fit(text, width, align), style


def _bar(count: int, most: int, width: int, glyphs: Glyphs) -> str:
    if count <= 0 or most <= 0:
        return ""
    cells = count / most * width
    if not glyphs.eighths:
        return glyphs.bar * max(1, round(cells))
    whole, part = int(cells), int((cells - int(cells)) * 8)
    bar = glyphs.bar * whole + (glyphs.eighths[part - 1] if part else "")
    return bar or glyphs.eighths[0]


def _change(now: int, before: int, glyphs: Glyphs) -> tuple[str, str]:
    diff = now - before
    if diff > 0:
        return f"+{diff}", "green"
    if diff < 0:
        return f"{glyphs.minus}{-diff}", ""
    return "=", "dim"


def _rows(review: Review) -> list[tuple[str, int, int, int]]:
    """(name, entries, words, entries before) per theme, and unthemed when it has any."""
    previous = {t.id: t.entries for t in review.previous.themes}
    rows = [(t.name, t.entries, t.words, previous.get(t.id, 0)) for t in review.summary.themes]
    unthemed, before = review.summary.unthemed, review.previous.unthemed
    if unthemed.entries or before.entries:
        rows.append(("Unthemed", unthemed.entries, unthemed.words, before.entries))
    return rows


def _name_width(names: list[str], room: int) -> int:
    """The width of the name column: the longest name, cut to fit `room` (at least 12)."""
    longest = max([len("Theme"), *(_cells(n) for n in names)])
    return min(longest, NAME_WIDTH, max(12, room))


def _tally(review: Review, glyphs: Glyphs, width: int) -> list[Line]:
    rows = _rows(review)
    words_w = max(len("Words"), *(len(str(r[2])) for r in rows))
    count_w = len("Entries")
    change_head = "vs " + _before(review).removeprefix("the ")
    if width < 2 + count_w + 1 + 2 + words_w + 2 + len(change_head) + 12 + 8:
        change_head = "change"  # a narrow terminal
    change_w = max(len(change_head), 4)
    columns = 2 + count_w + 1 + 2 + words_w + 2 + change_w
    name_w = _name_width([r[0] for r in rows], width - columns - 8)
    bar_w = max(8, min(30, width - columns - name_w))
    most = max(r[1] for r in rows)
    lines = [
        _text(
            _cell("Theme", name_w, style="bold"),
            "  ",
            _cell("Entries", count_w, "right", "bold"),
            " " * (1 + bar_w + 2),
            _cell("Words", words_w, "right", "bold"),
            "  ",
            _cell(change_head, change_w, "right", "bold"),
        )
    ]
    for name, entries, words, before in rows:
        change, change_style = _change(entries, before, glyphs)
        quiet = "" if entries else "dim"
        lines.append(
            _text(
                (_fit(name, name_w, ellipsis=glyphs.ellipsis), quiet),
                "  ",
                _cell(str(entries), count_w, "right", "bold" if entries else "dim"),
                " ",
                _cell(_bar(entries, most, bar_w, glyphs), bar_w, style="green"),
                "  ",
                _cell(str(words), words_w, "right", quiet),
                "  ",
                _cell(change, change_w, "right", change_style),
            )
        )
    return lines


# ---------------------------------------------------------------------------------------
# Days with entries, streaks, what to try next


def _week_days(week_start: str) -> list[int]:
    first = 0 if week_start == "monday" else 6
    return [(first + i) % 7 for i in range(7)]


def _days(review: Review, glyphs: Glyphs) -> list[Line]:
    from leadjournal.dates import week_bounds
    from leadjournal.summary import week_label

    period = review.period
    head = _text(
        ("Days with entries: ", "bold"),
        f"{review.summary.days_with_entries} of {_plural(period.length, 'day')}",
    )
    first_week = week_bounds(period.start, review.week_start)[0]
    rows = (period.end - first_week).days // 7 + 1
    if rows > CALENDAR_WEEKS:
        return [head]
    with_entries = set(review.days)
    label_w = 0 if rows == 1 else len("2026-W47") + 2
    names = " ".join(DAY_NAMES[d] for d in _week_days(review.week_start))
    lines = [head, _text(" " * label_w, (names, "dim"))]
    for row in range(rows):
        start = first_week + timedelta(days=7 * row)
        parts: list[Part] = [(_fit(week_label(start, review.week_start), label_w), "dim")]
        for i in range(7):
            day = start + timedelta(days=i)
            if not period.start <= day <= period.end:
                mark = ("  ", "")
            elif day in with_entries:
                mark = (f"{glyphs.entry} ", "bold green")
            elif day > review.today:
                mark = ("  ", "")  # not yet come: nothing to mark
            else:
                mark = (f"{glyphs.empty} ", "dim")
            parts += [mark, " "]
        lines.append(_text(*parts))
    return lines


def _streak(review: Review) -> Line:
    streak = review.summary.streak
    if review.period.end >= review.today:
        now = f"Current streak: {_plural(streak.current, 'day')}."
    else:
        end = "that week" if review.period.weeks == 1 else "the period"
        now = f"Streak at the end of {end}: {_plural(streak.current, 'day')}."
    return _text(now, f" Longest streak: {_plural(streak.longest, 'day')}.")


def _top_tags(review: Review, most: int = 5) -> list[Line]:
    """The period's most used tags in one line (nothing when no entry has a tag)."""
    ranked = sorted(review.summary.tags.items(), key=lambda item: (-item[1], item[0]))[:most]
    if not ranked:
        return []
    return [_text(("Top tags: ", "bold"), ", ".join(f"#{tag} ({n:,})" for tag, n in ranked) + ".")]


def kept_rate(kept: int, missed: int) -> str:
    """kept / (kept + missed) in words; dropped ones were chosen, not failed."""
    if kept + missed == 0:
        return "no kept rate yet"
    return f"kept rate {round(100 * kept / (kept + missed))}%"


def _commitments(review: Review) -> list[Line]:
    """One line: made, kept, missed, dropped in the period, the kept rate, and the open
    ones due by its end (nothing when there are none of any)."""
    c = review.summary.commitments
    if not (c.made or c.kept or c.missed or c.dropped or c.open_due):
        return []
    return [
        _text(
            ("Commitments: ", "bold"),
            f"{c.made} made, {c.kept} kept, {c.missed} missed, {c.dropped} dropped "
            f"({kept_rate(c.kept, c.missed)}); {c.open_due} open due by "
            f"{_day(review.period.end)}.",
        )
    ]


def _suggestion(review: Review) -> list[Line]:
    """One sentence: the least-reflected theme, and a prompt from it to try next."""
    if not review.least:
        return []
    theme = next(t for t in review.summary.themes if t.id == review.least[0])
    count = _plural(theme.entries, "entry") if theme.entries else "no entries"
    others = len(review.least) - 1
    if others:
        count += f", like {others} other theme{'s' if others > 1 else ''}"
    parts: list[Part] = [
        f"Least reflected on {_scope(review)}: ",
        (theme.name, "bold"),
        f" ({count})",
    ]
    prompt = review.suggestion
    if prompt is None:
        parts.append(".")
    else:
        parts += [
            "; to try next: ",
            (f'"{prompt.text}"', "italic"),
            " ",
            (f"(leadjournal write --prompt {prompt.id})", "dim"),
        ]
    return [_text(*parts)]


# ---------------------------------------------------------------------------------------
# The heat map of --weeks N


def _level(value: int, most: int) -> int:
    if value <= 0 or most <= 0:
        return 0
    return max(1, min(4, math.ceil(value / most * 4)))


def _heat_map(review: Review, glyphs: Glyphs, width: int) -> list[Line]:
    from leadjournal.summary import week_label

    weeks = review.weeks
    rows: list[tuple[str, list[int], int]] = []
    entry_values = [[t.entries for t in w.themes] for w in weeks]
    most = max((v for values in entry_values for v in values), default=0)
    unthemed = [w.unthemed.entries for w in weeks]
    most = max([most, *unthemed])
    for index, theme in enumerate(weeks[0].themes):
        rows.append((theme.name, [values[index] for values in entry_values], most))
    if any(unthemed):
        rows.append(("Unthemed", unthemed, most))
    rows.append(("Days with entries", [w.days_with_entries for w in weeks], 7))
    name_w = _name_width([r[0] for r in rows], width - 4 * min(len(weeks), 4))
    labels = [week_label(w.start, review.week_start) for w in weeks]
    per_chunk = max(1, (width - name_w) // 4)
    lines = [_text(("Entries by week", "bold"), f" ({labels[0]} to {labels[-1]})")]
    for chunk in range(0, len(weeks), per_chunk):
        columns = range(chunk, min(len(weeks), chunk + per_chunk))
        if chunk:
            lines.append(_blank())
        head: list[Part] = [" " * name_w]
        for i in columns:
            head += [" ", (_fit(labels[i][-3:], 3, "right"), "dim")]
        lines.append(_text(*head))
        for name, values, scale in rows:
            row: list[Part] = [_fit(name, name_w, ellipsis=glyphs.ellipsis)]
            for i in columns:
                value = values[i]
                text = str(value) if value else glyphs.zero
                style = HEAT[_level(value, scale)] if value else "dim"
                row += [" ", (_fit(text, 3, "right"), style)]
            lines.append(_text(*row))
    return lines


# ---------------------------------------------------------------------------------------
# The ratings of --weeks N: one sparkline row per rating step (DESIGN.md section 11)


def _spark(mean: float) -> str:
    """One cell for a mean of 1 to 10."""
    index = round((min(max(mean, 1.0), 10.0) - 1) / 9 * (len(SPARKS) - 1))
    return SPARKS[index]


def _rating_rows(review: Review, glyphs: Glyphs, width: int) -> list[Line]:
    """Each rating step answered in the weeks: its question, its weekly means (a sparkline
    on a terminal; the numbers in a pipe, '.' for a week without one) and its mean over
    the period. Nothing when no rating was given."""
    ratings = review.summary.ratings
    if not ratings:
        return []
    fancy = bool(glyphs.eighths)
    by_week = [{r.id: r.mean for r in week.ratings} for week in review.weeks]
    cell = 1 if fancy else 5
    counts = {r.id: f" ({_plural(r.count, 'rating')})" for r in ratings}
    room = width - cell * len(by_week) - 1 - len("  10.0")
    if fancy and room - max(len(c) for c in counts.values()) < 12:  # _name_width's least
        counts = dict.fromkeys(counts, "")  # a narrow terminal: the means alone
    name_w = _name_width([r.text for r in ratings], room - max(len(c) for c in counts.values()))
    lines = [_blank(), _text(("Ratings by week", "bold"), " (weekly mean of 1-10; mean of all)")]
    for rating in ratings:
        parts: list[Part] = [
            _fit(rating.text, name_w, ellipsis=glyphs.ellipsis),
            " ",
        ]
        for means in by_week:
            mean = means.get(rating.id)
            if fancy:
                parts.append((_spark(mean), "green") if mean is not None else (glyphs.zero, "dim"))
            else:
                parts.append(_fit(f"{mean:.1f}" if mean is not None else ".", cell, "right"))
        parts += ["  ", (f"{rating.mean:.1f}", "bold"), counts[rating.id]]
        lines.append(_text(*parts))
    return lines
