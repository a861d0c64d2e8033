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


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"( {0,3})(#{1,6})(?=[ \t]|$)")
ENTRY_LEVEL = 3  # `### 08:14 · theme`


def demote_headings(text: str, entry_level: int = ENTRY_LEVEL) -> str:
    """The text with its ATX headings (outside fenced code) all shifted by one amount, so
    that the highest sits one level below the entry's heading (never past ######);
    everything else verbatim (DESIGN.md section 17)."""
    lines = text.split("\n")
    headings: list[tuple[int, int]] = []  # (line, level)
    fence: str | None = None
    for number, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            closes = opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence)
            if closes and opening and not line[opening.end() :].strip():
                fence = None
            continue
        if opening:
            fence = opening[1]
            continue
        heading = _ATX.match(line)
        if heading:
            headings.append((number, len(heading[2])))
    if not headings:
        return text
    shift = entry_level + 1 - min(level for _, level in headings)
    if shift == 0:
        return text
    for number, level in headings:
        line = lines[number]
        heading = _ATX.match(line)
        assert heading is not None  # noqa: S101 - matched above
        new = max(1, min(6, level + shift))
        lines[number] = heading[1] + "#" * new + line[heading.end() :]
    return "\n".join(lines)


def _entry_block(
    entry: Entry,
    theme_names: Mapping[str, str],
    linked: Mapping[str, Sequence[Commitment]],
    *,
    version_1: bool = False,
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
    # The text verbatim, but for its headings, which nest under the entry's (version 1
    # wrote them as they were).
    text = entry.text if version_1 else demote_headings(entry.text)
    end = "" if text.endswith("\n") else "\n"
    tags = f"\nTags: #{' #'.join(entry.tags)}\n" if entry.tags else ""
    mine = linked.get(entry.id, ())
    promises = ("\nCommitments:\n\n" + "".join(map(commitment_line, mine))) if mine else ""
    return f"{heading}\n\n{quote}{text}{end}{tags}{promises}"


def day_section(
    day: Day,
    theme_names: Mapping[str, str],
    linked: Mapping[str, Sequence[Commitment]] | None = None,
    *,
    version_1: bool = False,
) -> str:
    """`## day` and a `###` block per entry: its time and theme, the prompt as a block
    quote, the text (its headings nested below the entry's), the tags, the commitments
    made with it; then the day's standalone commitments."""
    blocks = [
        _entry_block(entry, theme_names, linked or {}, version_1=version_1) for entry in day.entries
    ]
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
    """Version 1's front matter: `date`, `themes` (ids, first seen first) and `tags`."""
    themes = list(dict.fromkeys(e.theme for e in day.entries if e.theme is not None))
    tags = list(dict.fromkeys(tag for e in day.entries for tag in e.tags))
    return (
        "---\n"
        f"date: {day.day.isoformat()}\n"
        f"{_yaml_list('themes', themes)}"
        f"{_yaml_list('tags', tags)}"
        "---\n"
    )


# The built-in theme names of version 1, whose daily notes are recognised (and rewritten
# whole) by comparing them with what version 1 wrote for the same day.
VERSION_1_THEME_NAMES = {
    "lead-yourself": "Lead yourself first",
    "responsibility": "Responsibility over position",
    "inspiring-others": "Inspire, don't compel",
    "direction": "Set the direction",
    "growing-leaders": "Grow leaders around you",
    "leading-change": "Lead through change",
    "lead-and-manage": "Lead and manage",
}


def version_1_daily_note(day: Day, theme_names: Mapping[str, str]) -> str:
    """Exactly what version 1 wrote as this day's note (its theme names for built-in
    themes, `theme_names` for the user's)."""
    names = {**theme_names, **VERSION_1_THEME_NAMES}
    v1_day = Day(day.day, day.entries)
    return front_matter(v1_day) + day_section(v1_day, names, version_1=True)


NOTE_NAMES = ("obsidian", "logseq")


def note_name(day: date, names: str = "obsidian") -> str:
    """The daily note's file name: Obsidian's YYYY-MM-DD.md, Logseq's YYYY_MM_DD.md."""
    if names == "logseq":
        return f"{day:%Y_%m_%d}.md"
    return f"{day.isoformat()}.md"


def obsidian_tag(tag: str) -> bool:
    """Obsidian rejects a tag of digits only; such tags stay in the text, not in `tags`."""
    return not tag.isdigit()


def _scalars(value: object) -> list[str]:
    """A note's own front matter value as a list of strings (one string, or a list)."""
    if isinstance(value, list):
        return [str(item) for item in value if item is not None]
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return [str(value)]
    return []


def note_front_keys(day: Day, existing: Mapping[str, object]) -> dict[str, str]:
    """leadjournal's front matter keys for a day's note, rendered: `date` set; `themes`,
    `tags` and `prompts` (prompt ids) the union of the note's values and the day's."""
    themes = [e.theme for e in day.entries if e.theme is not None]
    tags = [t for e in day.entries for t in e.tags if obsidian_tag(t)]
    prompts = [e.prompt_id for e in day.entries if e.prompt_id is not None]
    keys = {"date": f"date: {day.day.isoformat()}\n"}
    for key, ours in (("themes", themes), ("tags", tags), ("prompts", prompts)):
        union = list(dict.fromkeys([*_scalars(existing.get(key)), *ours]))
        keys[key] = _yaml_list(key, union)
    return keys


def daily_note_body(
    day: Day,
    theme_names: Mapping[str, str],
    linked: Mapping[str, Sequence[Commitment]] | None = None,
) -> str:
    """What goes between the note's markers: the same day section as the one document."""
    return day_section(day, theme_names, linked).lstrip("\n")


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
