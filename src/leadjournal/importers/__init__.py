"""Importers: bytes of another tool's export in, entries out (DESIGN.md section 6).

`load` checks that the bytes are a JSON export at all and tells which format it is (or
takes the one given); the returned Source converts its entries, all of them or an error
naming the first bad one, so that a failed import changes nothing. One module per format:
leadjournal (our own JSON export), jrnl (`jrnl --format json`), dayone (Day One's JSON).
Only `read_source` touches a file; the rest is pure.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from leadjournal.errors import UsageError
from leadjournal.importers._common import (
    DESCRIPTIONS,
    FORMATS,
    ImportFileError,
    Parsed,
    Source,
    SourceFormat,
    oversized_number,
)

__all__ = ["DESCRIPTIONS", "ImportFileError", "Parsed", "Source", "load", "new_entries"]

# Our own exports say what they are in their first lines; a match here saves decoding the
# whole file twice. Anything else is decoded and recognised by its keys.
_OURS = re.compile(rb'"format"\s*:\s*"leadjournal"')
_SNIFF = 4096
_ZIP = b"PK\x03\x04"


def read_source(file: str) -> tuple[bytes, str]:
    """The bytes of FILE ('-': standard input) and the name to use in messages."""
    if file == "-":
        if sys.stdin.isatty():
            raise UsageError(
                "'-' reads the export from standard input: pipe a file in, e.g. "
                "'leadjournal import - < journal.json'."
            )
        return sys.stdin.buffer.read(), "standard input"
    path = Path(file).expanduser()
    try:
        return path.read_bytes(), str(path)
    except FileNotFoundError:
        raise ImportFileError(f"There is no file {path}; nothing was imported.") from None
    except IsADirectoryError:
        raise ImportFileError(
            f"{path} is a folder; give the export file itself (e.g. Journal.json)."
        ) from None
    except OSError as exc:
        raise ImportFileError(
            f"Could not read {path}: {exc.strerror or exc}; nothing was imported."
        ) from None


def load(data: bytes, fmt: str, name: str) -> Source:
    """Recognise the export (fmt 'auto') or take the format given; fail with a clear
    message for an empty, binary, non-JSON or unknown file."""
    data = _as_utf8(data, name)
    _check_text(data, name)
    if fmt not in ("auto", *FORMATS):
        raise UsageError(f"Unknown format '{fmt}'. Use auto, {', '.join(FORMATS)}.")
    from leadjournal.importers import leadjournal
    from leadjournal.importers.dayone import convert as dayone_convert
    from leadjournal.importers.jrnl import convert as jrnl_convert

    if fmt == "leadjournal" or (fmt == "auto" and _OURS.search(data[:_SNIFF])):
        export = leadjournal.validate(data, name)
        return Source(
            "leadjournal",
            name,
            len(export.entries),
            fmt == "auto",
            lambda advance: leadjournal.convert(export, advance),
        )
    document = _decode(data, name)
    chosen = _detect(document, name) if fmt == "auto" else fmt
    if chosen == "leadjournal":  # a hand-made export with "format" late in the file
        export = leadjournal.validate(data, name)
        count = len(export.entries)
        return Source("leadjournal", name, count, True, lambda a: leadjournal.convert(export, a))
    entries = _entries_of(document, name, DESCRIPTIONS[chosen])
    if chosen == "jrnl":
        return Source(
            "jrnl", name, len(entries), fmt == "auto", lambda a: jrnl_convert(entries, name, a)
        )
    return Source(
        "dayone", name, len(entries), fmt == "auto", lambda a: dayone_convert(entries, name, a)
    )


_BOMS = {
    # Longest first (a UTF-32-LE mark starts like a UTF-16-LE one); these codecs drop it.
    b"\xff\xfe\x00\x00": "utf-32",
    b"\x00\x00\xfe\xff": "utf-32",
    b"\xef\xbb\xbf": "utf-8-sig",
    b"\xff\xfe": "utf-16",
    b"\xfe\xff": "utf-16",
}


def _as_utf8(data: bytes, name: str) -> bytes:
    """Plain UTF-8 for the parsers: a byte-order mark (some Windows tools write one, and
    UTF-16) is decoded away."""
    for bom, encoding in _BOMS.items():
        if data.startswith(bom):
            try:
                return data.decode(encoding).encode("utf-8", "surrogatepass")
            except UnicodeDecodeError:
                raise ImportFileError(
                    f"{name} starts with a byte-order mark but is not text in that encoding "
                    f"({encoding}); nothing was imported."
                ) from None
    return data


def _check_text(data: bytes, name: str) -> None:
    if not data.strip():
        raise ImportFileError(f"{name} is empty; nothing was imported.")
    if data.startswith(_ZIP):
        raise ImportFileError(
            f"{name} is a ZIP archive, not a JSON export; nothing was imported.",
            hint="Day One exports are ZIP files: unzip it and import the Journal.json inside.",
        )
    if b"\x00" in data[:_SNIFF]:
        raise ImportFileError(
            f"{name} is not a text file (it looks binary); nothing was imported.",
            hint=_FORMATS_HINT,
        )


_FORMATS_HINT = (
    "import reads a leadjournal JSON export, jrnl's 'jrnl --format json' output or Day "
    "One's JSON export."
)


def _decode(data: bytes, name: str) -> Any:
    import json

    try:
        return json.loads(data)
    except UnicodeDecodeError:
        raise ImportFileError(
            f"{name} is not UTF-8 text (it looks binary); nothing was imported.",
            hint=_FORMATS_HINT,
        ) from None
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"{name} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); "
            "nothing was imported.",
            hint=_FORMATS_HINT,
        ) from None
    except RecursionError:
        raise ImportFileError(
            f"{name} is nested too deeply to be an export; nothing was imported."
        ) from None
    except ValueError as exc:  # after JSONDecodeError, its subclass
        raise oversized_number(name, exc) from None


def _detect(document: Any, name: str) -> SourceFormat:
    """Which export this decoded JSON is, by the keys each tool writes."""
    if isinstance(document, dict):
        if document.get("format") == "leadjournal":
            return "leadjournal"
        entries = document.get("entries")
        if isinstance(entries, list):
            sample = [e for e in entries[:20] if isinstance(e, dict)]
            if isinstance(document.get("metadata"), dict) or any(
                "uuid" in e or "creationDate" in e for e in sample
            ):
                return "dayone"
            if isinstance(document.get("tags"), dict) or any(
                "title" in e and "date" in e for e in sample
            ):
                return "jrnl"
    raise ImportFileError(
        f"{name} is JSON, but not an export leadjournal can read; nothing was imported.",
        hint=_FORMATS_HINT + " If it is one of them, say which with --format.",
    )


def _entries_of(document: Any, name: str, what: str) -> list[Any]:
    entries = document.get("entries") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise ImportFileError(
            f"{name} is not a {what}: it has no list of entries; nothing was imported."
        )
    return entries


def new_entries(parsed: Parsed, known: set[str]) -> tuple[int, int, int, int]:
    """What store.add_records would do, without doing it: (entries to add, duplicates,
    commitments to add, duplicates repeated within the file). For --dry-run."""
    seen = set(known)
    added = [0, 0]
    duplicates = repeated = 0
    ids = ([e.id for e in parsed.entries], [c.id for c in parsed.commitments])
    for kind, record_ids in enumerate(ids):
        for record_id in record_ids:
            if record_id in seen:
                duplicates += 1
                repeated += record_id not in known
            else:
                seen.add(record_id)
                added[kind] += 1
    return added[0], duplicates, added[1], repeated
