"""jrnl's JSON export (`jrnl --format json`, jrnl 4.x): entries with a title and a body, a
local date and time to the minute, tags and a star; no ids, no time zone.

- The text is the title and the body as jrnl's own journal file holds them: the title, a
  line break, the body (jrnl splits an entry after its first line, or after its first
  sentence when the first line is long; either way it writes them back like this).
- The date and time are local time of the importing machine, with the UTC offset in force
  at that moment there.
- Tags lose their '@' or '#' and are lower-cased; a tag of symbols only ('##', which jrnl
  reports for a Markdown heading in a body) is dropped; a star becomes the tag 'starred'.
  jrnl builds tag lists from sets, so their order changes from export to export: ours is
  the order in which they first appear in the text.
- The id is derived from date, time, title and body, so importing the file again adds
  nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from leadjournal.importers._common import (
    Advance,
    ImportFileError,
    Parsed,
    entry_label,
    import_tags,
    import_text,
    out_of_range,
)

if TYPE_CHECKING:
    from leadjournal.models import Entry

ToLocal = Callable[[datetime], datetime]
BATCH = 1000
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}(?::\d{2})?")


def _system_local(naive: datetime) -> datetime:
    """A wall-clock time of this machine, with the offset in force then (DST included)."""
    from leadjournal.dates import whole_minute_offset

    return whole_minute_offset(naive.astimezone())


def derive_id(day: str, clock: str, title: str, body: str) -> str:
    """'jrnl-' and 64 bits of a hash of what identifies a jrnl entry."""
    key = json.dumps([day, clock, title, body], ensure_ascii=False)
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8)
    return f"jrnl-{digest.hexdigest()}"


def join_text(title: str, body: str) -> str:
    """The entry as jrnl's journal file holds it: title, line break, body."""
    return f"{title}\n{body}" if body.strip() else title


def ordered_tags(tags: Sequence[str], text: str) -> list[str]:
    """jrnl's tags, first seen in the text first (a stable order: jrnl's own is not)."""
    folded = text.lower()

    def first_seen(tag: str) -> tuple[int, str]:
        position = folded.find(tag.lower())
        return (position if position >= 0 else len(folded), tag.lower())

    return sorted(tags, key=first_seen)


def convert(
    raw_entries: Sequence[Any], name: str, advance: Advance, to_local: ToLocal = _system_local
) -> Parsed:
    from pydantic import ValidationError

    from leadjournal.models import Entry

    entries: list[Entry] = []
    empty = 0
    for start in range(0, len(raw_entries), BATCH):
        for index in range(start, min(start + BATCH, len(raw_entries))):
            title, body, day, clock, tags, starred = _fields(raw_entries[index], index, name)
            text = import_text(join_text(title, body))
            if not text.strip():
                empty += 1
                continue
            try:
                moment = to_local(datetime.combine(date.fromisoformat(day), _clock(clock)))
            except (OverflowError, ValueError):
                raise _bad(index, day, name, out_of_range("date")) from None
            try:
                entries.append(
                    Entry(
                        id=derive_id(day, clock, title, body),
                        created_at=moment,
                        updated_at=moment,
                        text=text,
                        tags=import_tags(ordered_tags(tags, f"{title}\n{body}"), starred=starred),
                    )
                )
            except ValidationError:
                raise _bad(index, day, name, "it cannot be stored") from None
        advance(min(BATCH, len(raw_entries) - start))
    return Parsed("jrnl", entries, empty)


def _clock(value: str) -> time:
    return time.fromisoformat(value).replace(second=0, microsecond=0)


def _fields(raw: Any, index: int, name: str) -> tuple[str, str, str, str, list[str], bool]:
    """The parts of one jrnl entry, checked; an error names the entry (never its text)."""
    if not isinstance(raw, dict):
        raise _bad(index, None, name, "it is not a JSON object")
    title = raw.get("title")
    if not isinstance(title, str):
        raise _bad(index, None, name, "it has no title (is this a jrnl JSON export?)")
    day = raw.get("date")
    if not isinstance(day, str) or not _DATE.fullmatch(day) or not _is_date(day):
        raise _bad(index, None, name, "its date is missing or not YYYY-MM-DD")
    clock = raw.get("time")
    if not isinstance(clock, str) or not _TIME.fullmatch(clock) or not _is_time(clock):
        raise _bad(index, day, name, "its time is missing or not HH:MM")
    body = raw.get("body", "")
    if body is None:
        body = ""
    if not isinstance(body, str):
        raise _bad(index, day, name, "its body is not text")
    tags = raw.get("tags", [])
    if tags is None:
        tags = []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise _bad(index, day, name, "its tags are not a list of words")
    starred = raw.get("starred", False)
    if not isinstance(starred, bool):
        raise _bad(index, day, name, "its 'starred' is not true or false")
    return title, body, day, clock, tags, starred


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_time(value: str) -> bool:
    try:
        time.fromisoformat(value)
    except ValueError:
        return False
    return True


def _bad(index: int, day: str | None, name: str, problem: str) -> ImportFileError:
    return ImportFileError(
        f"Nothing was imported: {entry_label(index, when=day)} in {name} is invalid: {problem}.",
        hint="Fix or remove that entry in the file and import it again.",
    )
