"""Day One's JSON export (Journal.json inside the export ZIP).

- `uuid` is kept as the id, so importing the file again adds nothing.
- `creationDate` is UTC ('Z'); it is shown in the entry's `timeZone` (an IANA name), with
  that zone's offset at that moment. `modifiedDate` becomes `updated_at` (else the
  creation date).
- Day One escapes Markdown punctuation in `text` ('\\.', '\\-', '\\(' ...): undone. An entry
  without `text` gets the plain text of the runs of its `richText`; one with neither, or
  with only blank text, is skipped and counted.
- Tags are kept, made like ours; a star becomes the tag 'starred'.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
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

BATCH = 1000
# A backslash before any ASCII punctuation character is a Markdown escape.
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescape(text: str) -> str:
    """Day One's text with its Markdown escapes undone ('\\.' is '.', '\\\\' is '\\')."""
    return _ESCAPE.sub(r"\1", text)


def rich_text_plain(rich: str) -> str | None:
    """The plain text of a `richText` document: its runs' text, joined. None if it is not
    one (not JSON, or no `contents` list)."""
    import json

    try:
        document = json.loads(rich)
    except (ValueError, RecursionError):
        return None
    contents = document.get("contents") if isinstance(document, dict) else None
    if not isinstance(contents, list):
        return None
    return "".join(
        run["text"]
        for run in contents
        if isinstance(run, dict) and isinstance(run.get("text"), str)
    )


@cache
def zone(name: str | None) -> tzinfo | None:
    """The IANA time zone, or None when this machine does not know it (the caller then
    shows the time in UTC: the instant is right, only its local reading is lost)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _local(moment: datetime, where: tzinfo) -> datetime:
    """`moment` in `where`, with a fixed offset (what the journal stores and reads back)."""
    from leadjournal.dates import whole_minute_offset

    local = moment.astimezone(where)
    offset = local.utcoffset() or timedelta(0)
    return whole_minute_offset(local.replace(tzinfo=timezone(offset)))


def convert(raw_entries: Sequence[Any], name: str, advance: Advance) -> Parsed:
    from pydantic import ValidationError

    from leadjournal.models import Entry

    entries: list[Entry] = []
    empty = 0
    unknown_zones: dict[str, int] = {}
    photos = linked = 0
    for start in range(0, len(raw_entries), BATCH):
        for index in range(start, min(start + BATCH, len(raw_entries))):
            raw = raw_entries[index]
            uuid = _uuid(raw, index, name)
            text = _text(raw, index, uuid, name)
            attached = raw.get("photos")
            photos += len(attached) if isinstance(attached, list) else 0
            linked += PHOTO_LINK in text
            if not text.strip():
                empty += 1
                continue
            zone_name = raw.get("timeZone")
            where = zone(zone_name if isinstance(zone_name, str) else None)
            if where is None:
                # Unknown or missing zone: UTC keeps the instant exact; say so once.
                if isinstance(zone_name, str) and zone_name:
                    unknown_zones[zone_name] = unknown_zones.get(zone_name, 0) + 1
                where = UTC
            created = _moment(raw, "creationDate", index, uuid, name)
            if created is None:
                raise _bad(index, uuid, name, "it has no creationDate")
            modified = _moment(raw, "modifiedDate", index, uuid, name)
            starred = raw.get("starred", False) is True
            try:
                created_at = _local(created, where)
                updated_at = _local(modified or created, where)
            except (OverflowError, ValueError):
                what = "creationDate" if modified is None else "creationDate or modifiedDate"
                raise _bad(index, uuid, name, out_of_range(what)) from None
            try:
                entries.append(
                    Entry(
                        id=uuid,
                        created_at=created_at,
                        updated_at=updated_at,
                        text=text,
                        tags=import_tags(_tags(raw, index, uuid, name), starred=starred),
                    )
                )
            except ValidationError:
                raise _bad(index, uuid, name, "it cannot be stored") from None
        advance(min(BATCH, len(raw_entries) - start))
    notes = [
        f"{count} entr{'ies' if count > 1 else 'y'} in the time zone '{zone_name}', which this "
        "machine does not know: their times are shown in UTC."
        for zone_name, count in sorted(unknown_zones.items())
    ]
    if photos:
        notes.append(
            f"{photos:,} photo{'s were' if photos > 1 else ' was'} not imported: leadjournal "
            "keeps the text of entries only."
        )
    if linked:
        notes.append(
            f"{linked:,} entr{'ies link' if linked > 1 else 'y links'} to Day One photos "
            f"({PHOTO_LINK}…): the links are kept as text, the photos are not imported."
        )
    return Parsed("dayone", entries, empty, notes)


PHOTO_LINK = "dayone-moment://"


def _uuid(raw: Any, index: int, name: str) -> str:
    if not isinstance(raw, dict):
        raise _bad(index, None, name, "it is not a JSON object")
    uuid = raw.get("uuid")
    if not isinstance(uuid, str) or not uuid.strip() or len(uuid) > 200:
        raise _bad(index, None, name, "it has no uuid (is this a Day One JSON export?)")
    return uuid


def _text(raw: dict[str, Any], index: int, uuid: str, name: str) -> str:
    text = raw.get("text")
    if text is not None and not isinstance(text, str):
        raise _bad(index, uuid, name, "its text is not a string")
    if text and text.strip():
        return import_text(unescape(text))
    rich = raw.get("richText")
    if rich is None:
        return ""
    plain = rich_text_plain(rich) if isinstance(rich, str) else None
    if plain is None:
        raise _bad(index, uuid, name, "its richText is not a Day One rich text document")
    return import_text(plain)


def _moment(raw: dict[str, Any], key: str, index: int, uuid: str, name: str) -> datetime | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _bad(index, uuid, name, f"its {key} is not a date and time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _bad(index, uuid, name, f"its {key} is not a date and time") from None
    # Day One writes UTC with 'Z'; a time without an offset is taken as UTC too.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _tags(raw: dict[str, Any], index: int, uuid: str, name: str) -> list[str]:
    tags = raw.get("tags", [])
    if tags is None:
        return []
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise _bad(index, uuid, name, "its tags are not a list of words")
    return tags


def _bad(index: int, uuid: str | None, name: str, problem: str) -> ImportFileError:
    return ImportFileError(
        f"Nothing was imported: {entry_label(index, entry_id=uuid)} in {name} is invalid: "
        f"{problem}.",
        hint="Fix or remove that entry in the file and import it again.",
    )
