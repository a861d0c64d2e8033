"""What the importers share: tags and text made like ours, and naming an entry in a message
without ever quoting what was written in it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from leadjournal.text import clean_str

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
