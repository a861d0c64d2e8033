"""Parse the dates and weeks users type (D and W in DESIGN.md section 2). Pure functions."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

from leadjournal.errors import UsageError

# Patterns as text, compiled by `re` on first use (and cached there): most commands parse
# no date at all, and compiling the five at import cost ~0.3 ms of each (section 8b).
_DATE = r"\d{4}-\d{2}-\d{2}"
_DATETIME = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"
_WEEK = r"(\d{4})-W(\d{2})"
_AFTER = r"\+(\d{1,5})([dw])"
_AGO = r"(\d{1,6})\s+days?\s+ago|-(\d{1,6})d"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_DUE_DAYS = 7


def parse_day(text: str, today: date) -> date:
    """D: YYYY-MM-DD, 'today', 'yesterday', a weekday ('monday', 'mon': the most recent
    such day before today), 'N days ago' / 'N day ago' / '-Nd'. Case-insensitive."""
    value = " ".join(text.strip().lower().split())
    if value == "today":
        return today
    if value == "yesterday":
        return today - timedelta(days=1)
    if re.fullmatch(_DATE, value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    weekday = _weekday(value)
    if weekday is not None:
        back = (today.weekday() - weekday) % 7 or 7
        return _days_before(today, back, text)
    ago = re.fullmatch(_AGO, value)
    if ago:
        return _days_before(today, int(ago[1] or ago[2]), text)
    raise UsageError(
        f"'{text}' is not a date. Use YYYY-MM-DD (e.g. {today.isoformat()}), 'today', "
        "'yesterday', a weekday ('monday', 'mon') or 'N days ago' ('-Nd')."
    )


def _weekday(value: str) -> int | None:
    for number, name in enumerate(WEEKDAYS):
        if value in (name, name[:3]):
            return number
    return None


def _days_before(today: date, days: int, text: str) -> date:
    try:
        return today - timedelta(days=days)
    except OverflowError:
        raise UsageError(f"'{text}' is outside the calendar.") from None


def parse_due(text: str | None, created: date, today: date) -> date:
    """--due: a D, or +Nd / +Nw (days, weeks after the creation day); by default 7 days
    after it. A due day before the creation day is a usage error."""
    if text is None:
        return created + timedelta(days=DEFAULT_DUE_DAYS)
    value = text.strip().lower()
    after = re.fullmatch(_AFTER, value)
    if after:
        count = int(after[1]) * (7 if after[2] == "w" else 1)
        try:
            due = created + timedelta(days=count)
        except OverflowError:
            raise UsageError(f"'{text}' is outside the calendar.") from None
    else:
        try:
            due = parse_day(value, today)
        except UsageError:
            raise UsageError(
                f"'{text}' is not a due day. Use YYYY-MM-DD, 'today', or +Nd / +Nw: days "
                "or weeks after the day it is made (e.g. +3d, +2w)."
            ) from None
    if due < created:
        raise UsageError(
            f"The due day {due.isoformat()} is before the day the commitment is made "
            f"({created.isoformat()}); nothing was saved."
        )
    return due


def parse_moment(text: str, now: datetime) -> datetime:
    """write --date: a D (at the current local time of day) or YYYY-MM-DDTHH:MM, local time.

    `now` is aware, in the local offset; the result carries the local offset of that moment.
    """
    value = text.strip()
    if re.fullmatch(_DATETIME, value):
        try:
            naive = datetime.fromisoformat(value)
        except ValueError:
            raise UsageError(f"'{text}' is not a date and time. Use YYYY-MM-DDTHH:MM.") from None
    else:
        try:
            day = parse_day(value, now.date())
        except UsageError:
            raise UsageError(
                f"'{text}' is not a date. Use YYYY-MM-DD, YYYY-MM-DDTHH:MM, 'today', "
                "'yesterday', a weekday ('mon') or 'N days ago' ('-Nd')."
            ) from None
        naive = datetime.combine(day, time(now.hour, now.minute, now.second))
    try:
        return whole_minute_offset(naive.astimezone())
    except (ValueError, OverflowError):
        raise UsageError(f"'{text}' is outside the calendar this program can store.") from None


def parse_moved(text: str, created: datetime, today: date) -> datetime:
    """edit --date: a D keeps the entry's time of day; YYYY-MM-DDTHH:MM sets both (local)."""
    if re.fullmatch(_DATETIME, text.strip()):
        return parse_moment(text, created)
    day = parse_day(text, today)
    naive = datetime.combine(day, created.time().replace(tzinfo=None))
    try:
        return whole_minute_offset(naive.astimezone())
    except (ValueError, OverflowError):
        raise UsageError(f"'{text}' is outside the calendar this program can store.") from None


def whole_minute_offset(moment: datetime) -> datetime:
    """The same instant, in an offset of whole minutes.

    Before standard time a zone's offset can have seconds (Amsterdam in 1900 was
    +00:19:32), which ISO 8601 timestamps cannot carry; the offset is rounded to the
    minute and the instant kept.
    """
    offset = moment.utcoffset()
    if offset is None or (offset.seconds % 60 == 0 and not offset.microseconds):
        return moment
    minutes = round(offset.total_seconds() / 60)
    return moment.astimezone(timezone(timedelta(minutes=minutes)))


def week_bounds(day: date, week_start: str = "monday") -> tuple[date, date]:
    """The first and last day of the week that contains `day`."""
    offset = day.weekday() if week_start == "monday" else (day.weekday() + 1) % 7
    try:
        start = day - timedelta(days=offset)
        return start, start + timedelta(days=6)
    except OverflowError:
        raise UsageError(f"The week of {day} reaches outside the calendar.") from None


def parse_week(text: str, today: date, week_start: str = "monday") -> tuple[date, date]:
    """W: YYYY-Www (ISO week) or any D, meaning the week that contains it."""
    match = re.fullmatch(_WEEK, text.strip().upper())
    if match:
        try:
            monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            raise UsageError(f"'{text}' is not an ISO week (YYYY-Www, weeks 01-53).") from None
        start = monday if week_start == "monday" else monday - timedelta(days=1)
        return start, start + timedelta(days=6)
    try:
        return week_bounds(parse_day(text, today), week_start)
    except UsageError:
        raise UsageError(
            f"'{text}' is not a week. Use YYYY-Www (e.g. 2026-W47) or a date in the week."
        ) from None


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def on_this_day(day: date, other: date) -> bool:
    """Whether `other`, in an earlier year, is "on this day" for `day`: the same month and
    day; on 28 February of a common year 29 February too; on 29 February, 28 February of
    common years too."""
    if other.year >= day.year:
        return False
    if (other.month, other.day) == (day.month, day.day):
        return True
    if (day.month, day.day) == (2, 28) and not _is_leap(day.year):
        return (other.month, other.day) == (2, 29)
    if (day.month, day.day) == (2, 29):
        return (other.month, other.day) == (2, 28) and not _is_leap(other.year)
    return False


def week_a_year_earlier(day: date) -> tuple[date, date]:
    """Monday and Sunday of the same ISO week one year earlier (week 52 when that year has
    no week 53)."""
    year, week, _ = day.isocalendar()
    try:
        monday = date.fromisocalendar(year - 1, week, 1)
    except ValueError:
        if year - 1 < 1:
            raise UsageError(f"The week a year before {day} is outside the calendar.") from None
        monday = date.fromisocalendar(year - 1, 52, 1)
    return monday, monday + timedelta(days=6)
