"""What the importers share: the types of a recognised file and its converted entries,
tags and text made like ours, and naming an entry in a message without ever quoting what
was written in it. The format modules import from here, never from the package face."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from leadjournal.errors import JournalError
from leadjournal.text import clean_str

if TYPE_CHECKING:
    from leadjournal.models import Commitment, Entry

SourceFormat = Literal["leadjournal", "jrnl", "dayone"]
FORMATS: tuple[SourceFormat, ...] = ("leadjournal", "jrnl", "dayone")
DESCRIPTIONS: dict[str, str] = {
    "leadjournal": "leadjournal JSON export",
    "jrnl": "jrnl JSON export",
    "dayone": "Day One JSON export",
}
Advance = Callable[[int], None]


class ImportFileError(JournalError):
    """The file cannot be imported: nothing was changed."""


def oversized_number(name: str, exc: ValueError) -> ImportFileError:
    """Python's JSON reader refuses an integer of more than 4,300 digits (a ValueError that
    is not a JSONDecodeError): no export holds one, so the file is not imported."""
    digits = re.search(r"value has (\d+) digits", str(exc))
    size = f" ({int(digits[1]):,} digits)" if digits else ""
    return ImportFileError(f"{name} holds a number too large to read{size}; nothing was imported.")


def out_of_range(what: str) -> str:
    """The problem of a moment that a time zone moves outside the calendar."""
    return f"its {what} lies outside the calendar's years 1 to 9999 in its time zone"


def _nothing(_: int) -> None:
    return None


@dataclass
class Parsed:
    """What a file holds: the entries to add, and how many had no text (skipped)."""

    source_format: SourceFormat
    entries: list[Entry]
    empty: int = 0
    notes: list[str] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)


@dataclass
class Source:
    """A file recognised as one format; `convert` builds and checks its entries."""

    source_format: SourceFormat
    name: str
    count: int
    detected: bool
    _convert: Callable[[Advance], Parsed]

    def convert(self, advance: Advance = _nothing) -> Parsed:
        return self._convert(advance)


_SPACES = re.compile(r"[\s,]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def import_tag(raw: str) -> str | None:
    """A foreign tag as ours: '#Team' and '@team' are 'team', spaces and commas become '-'
    (Day One allows 'work trip'; our tags are single words). A tag of symbols only (jrnl
    reports a Markdown heading '## Wins' as the tag '##') is no tag: None."""
    tag, _ = clean_str(raw.strip())
    tag = _SPACES.sub("-", tag.lstrip("#@").strip().lower()).strip("-")
    if not any(char.isalnum() for char in tag):
        return None
    return tag


def import_tags(raws: Iterable[str], *, starred: bool) -> list[str]:
    """Normalised, without repeats, in the given order; a star becomes the tag 'starred'."""
    tags = [tag for tag in (import_tag(raw) for raw in raws) if tag is not None]
    if starred:
        tags.append("starred")
    return list(dict.fromkeys(tags))


def import_text(raw: str) -> str:
    """Clean text (UTF-8 safe, '\\n' line ends) without blank lines around it; '' if blank."""
    text, _ = clean_str(raw)
    text = text.rstrip()
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    return "\n".join(lines[start:])


def ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def safe_label(value: object, limit: int = 60) -> str | None:
    """An id or a date worth showing in a message: a short single-line string, else None."""
    if not isinstance(value, str) or not value or len(value) > limit:
        return None
    if any(not char.isprintable() for char in value):
        return None
    return value


def entry_label(index: int, *, entry_id: object = None, when: object = None) -> str:
    """'the 3rd entry (id 3fa2…)': its place counting from 1, and its id or date. Never its
    text: error messages must not show what someone wrote."""
    label = f"the {ordinal(index + 1)} entry"
    shown_id = safe_label(entry_id)
    if shown_id is not None:
        return f"{label} (id {shown_id})"
    if isinstance(when, str) and _DATE.match(when) and safe_label(when) is not None:
        return f"{label} ({when})"
    return label
