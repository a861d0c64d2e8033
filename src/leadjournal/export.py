"""Pure converters from entries to what `export` writes: one Markdown document, daily notes
with YAML front matter, and the lossless JSON export (DESIGN.md section 6).

Entries come in chronological order (as journal.select_entries returns them); theme names
come in as a plain mapping so that this module needs neither the prompt files nor rich.
Documents are produced as chunks of text, one per day, so that a large export is written
as it is built instead of being held twice in memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leadjournal.models import Commitment, Entry

Advance = Callable[[int], None]

# English names, whatever the locale: the document must not depend on the machine.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TITLE = "Journal"


@dataclass(frozen=True)
class Day:
    """The entries of one local day, chronological."""

    day: date
    entries: Sequence[Entry]
    # Commitments made that day on their own (not linked to an exported entry).
    commitments: Sequence[Commitment] = ()

    @property
    def filename(self) -> str:
        return f"{self.day.isoformat()}.md"


def group_by_day(entries: Iterable[Entry], standalone: Iterable[Commitment] = ()) -> list[Day]:
    """Days in order, each with its entries in chronological order (and the standalone
    commitments made that day).

    Entries written in different UTC offsets can be chronological yet not in day order
    (23:30 at +00:00 comes after 00:10 the next day at +02:00), so group, then sort days.
    """
    by_day: dict[date, list[Entry]] = {}
    for entry in entries:
        by_day.setdefault(entry.day, []).append(entry)
    alone: dict[date, list[Commitment]] = {}
    for commitment in standalone:
        alone.setdefault(commitment.day, []).append(commitment)
        by_day.setdefault(commitment.day, [])
    return [Day(day, by_day[day], alone.get(day, ())) for day in sorted(by_day)]


def commitment_line(commitment: Commitment) -> str:
    """A Markdown task: '- [ ] Ask Sam (due 2026-12-04)', '- [x] … (due …; kept 2026-12-03)'."""
    text = " ".join(commitment.text.split())
    box = "x" if commitment.status == "kept" else ("-" if commitment.status != "open" else " ")
    outcome = ""
    if commitment.status != "open":
        when = f" {commitment.resolved_at.date().isoformat()}" if commitment.resolved_at else ""
        outcome = f"; {commitment.status}{when}"
    return f"- [{box}] {text} (due {commitment.due.isoformat()}{outcome})\n"


def split_commitments(
    commitments: Iterable[Commitment], entry_ids: set[str]
) -> tuple[dict[str, list[Commitment]], list[Commitment]]:
    """The commitments linked to one of the entries (by entry id), and the rest."""
    linked: dict[str, list[Commitment]] = {}
    alone: list[Commitment] = []
    for commitment in commitments:
        if commitment.entry_id is not None and commitment.entry_id in entry_ids:
            linked.setdefault(commitment.entry_id, []).append(commitment)
        else:
            alone.append(commitment)
    return linked, alone


def period_title(days: Sequence[Day], since: date | None, until: date | None) -> str:
    """The document's title: the period asked for, else the span of the entries."""
    start = since or (days[0].day if days else None)
    end = until or (days[-1].day if days else None)
    if start is None or end is None:
        # No entries and at most one bound: name what is known.
        if start is not None:
            return f"# {TITLE} · from {start.isoformat()}\n"
        if end is not None:
            return f"# {TITLE} · until {end.isoformat()}\n"
        return f"# {TITLE}\n"
    if start == end:
        return f"# {TITLE} · {start.isoformat()}\n"
    return f"# {TITLE} · {start.isoformat()} to {end.isoformat()}\n"


def day_heading(day: date) -> str:
    return f"## {day.isoformat()} · {WEEKDAYS[day.weekday()]}\n"


def _entry_block(
    entry: Entry,
    theme_names: Mapping[str, str],
    linked: Mapping[str, Sequence[Commitment]],
) -> str:
    moment = entry.created_at
    theme = entry.theme
    heading = f"\n### {moment.hour:02d}:{moment.minute:02d}"
    if theme is not None:
        name = theme_names.get(theme, theme)
        if "\n" in name:  # an imported theme id can be any string; a heading is one line
            name = " ".join(name.splitlines())
        heading = f"{heading} · {name}"
    prompt = entry.prompt
    if prompt:
        if "\n" in prompt:
            prompt = "\n".join(f"> {line}".rstrip() for line in prompt.split("\n"))
        else:
            prompt = f"> {prompt}"
        quote = f"{prompt}\n\n"
    else:
        quote = ""
    # The text verbatim, Markdown headings and all.
    text = entry.text
    end = "" if text.endswith("\n") else "\n"
    tags = f"\nTags: #{' #'.join(entry.tags)}\n" if entry.tags else ""
    mine = linked.get(entry.id, ())
    promises = ("\nCommitments:\n\n" + "".join(map(commitment_line, mine))) if mine else ""
    return f"{heading}\n\n{quote}{text}{end}{tags}{promises}"


def day_section(
    day: Day,
    theme_names: Mapping[str, str],
    linked: Mapping[str, Sequence[Commitment]] | None = None,
) -> str:
    """`## day` and a `###` block per entry: its time and theme, the prompt as a block
    quote, the text verbatim, the tags, the commitments made with it; then the day's
    standalone commitments."""
    blocks = [_entry_block(entry, theme_names, linked or {}) for entry in day.entries]
    if day.commitments:
        blocks.append("\n### Commitments\n\n" + "".join(map(commitment_line, day.commitments)))
    return f"\n{day_heading(day.day)}{''.join(blocks)}"


def markdown_document(
    entries: Sequence[Entry],
    theme_names: Mapping[str, str],
    *,
    since: date | None = None,
    until: date | None = None,
    advance: Advance | None = None,
    commitments: Sequence[Commitment] = (),
) -> Iterator[str]:
    """The one-document Markdown export, as chunks (the title, then one chunk per day)."""
    linked, alone = split_commitments(commitments, {e.id for e in entries})
    days = group_by_day(entries, alone)
    yield period_title(days, since, until)
    if not days:
        yield "\nNo entries.\n"
    for day in days:
        yield day_section(day, theme_names, linked)
        if advance is not None:
            advance(len(day.entries))


# ---------------------------------------------------------------------------------------
# Daily notes: YYYY-MM-DD.md with YAML front matter (Obsidian, Logseq and others)

# A YAML plain scalar that every YAML 1.1 and 1.2 reader takes as this very string.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
# ... except these words, which YAML 1.1 readers (PyYAML among them) turn into booleans
# or null.
_YAML_WORDS = frozenset(
    {"y", "yes", "n", "no", "true", "false", "on", "off", "null", "nan", "inf", "infinity"}
)


def _yaml_char(char: str) -> str:
    code = ord(char)
    if char in '\\"':
        return "\\" + char
    if 0x20 <= code <= 0x7E or (
        (0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000)
        and code not in (0x2028, 0x2029, 0xFEFF)
    ):
        return char
    # Everything else (controls, line breaks that YAML would fold, a BOM) is escaped.
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def yaml_string(value: str) -> str:
    """`value` as a YAML scalar that every reader takes as this very string: plain when
    that is unambiguous, else double-quoted with what YAML cannot hold as it is escaped."""
    if _PLAIN.fullmatch(value) and value.lower() not in _YAML_WORDS:
        return value
    return '"' + "".join(_yaml_char(char) for char in value) + '"'


def _yaml_list(key: str, values: Sequence[str]) -> str:
    if not values:
        return f"{key}: []\n"
    return f"{key}:\n" + "".join(f"  - {yaml_string(value)}\n" for value in values)


def front_matter(day: Day) -> str:
    """`date`, `themes` (ids, first seen first) and `tags` of the day's entries."""
    themes = list(dict.fromkeys(e.theme for e in day.entries if e.theme is not None))
    tags = list(dict.fromkeys(tag for e in day.entries for tag in e.tags))
    return (
        "---\n"
        f"date: {day.day.isoformat()}\n"
        f"{_yaml_list('themes', themes)}"
        f"{_yaml_list('tags', tags)}"
        "---\n"
    )


def daily_note(
    day: Day,
    theme_names: Mapping[str, str],
    linked: Mapping[str, Sequence[Commitment]] | None = None,
) -> str:
    """One day's note: front matter, then the same day section as the one document."""
    return front_matter(day) + day_section(day, theme_names, linked)


# ---------------------------------------------------------------------------------------
# JSON


JSON_BATCH = 2000


def json_export(
    entries: Sequence[Entry],
    exported_at: datetime,
    *,
    commitments: Sequence[Commitment] = (),
    advance: Advance | None = None,
) -> Iterator[bytes]:
    """`{"format": "leadjournal", "version": 2, "exported_at", "commitments", "entries"}`:
    lossless.

    Byte for byte what ExportFile's model_dump_json(indent=2) gives, but serialised a batch
    of entries at a time, so a large export is never held whole in memory.
    """
    from pydantic import TypeAdapter

    from leadjournal.models import Entry, ExportFile

    head = ExportFile(exported_at=exported_at, commitments=list(commitments), entries=[])
    opening = head.model_dump_json(indent=2).encode("utf-8")
    if not entries:
        yield opening + b"\n"
        return
    # '..."entries": []\n}' becomes '..."entries": [\n' + the entries + '\n  ]\n}'.
    yield opening.removesuffix(b"[]\n}") + b"[\n"
    adapter = TypeAdapter(list[Entry])
    for start in range(0, len(entries), JSON_BATCH):
        batch = entries[start : start + JSON_BATCH]
        # '[\n  {\n    ...\n  }\n]': drop the brackets, indent two more spaces. A raw line
        # break only ever occurs between tokens (in strings it is written as \\n).
        inner = adapter.dump_json(list(batch), indent=2)[2:-2]
        yield (b",\n" if start else b"") + b"  " + inner.replace(b"\n", b"\n  ")
        if advance is not None:
            advance(len(batch))
    yield b"\n  ]\n}\n"
