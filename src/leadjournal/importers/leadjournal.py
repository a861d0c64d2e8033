"""Our own JSON export (models.ExportFile): validated by the same model that writes it, so
an import round-trips exactly: ids, timestamps with their offsets, themes, prompts, tags and
text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leadjournal.importers._common import (
    Advance,
    ImportFileError,
    Parsed,
    entry_label,
    oversized_number,
)

if TYPE_CHECKING:
    from pydantic import ValidationError

    from leadjournal.models import ExportFile

MAX_SHOWN = 3


def validate(data: bytes, name: str) -> ExportFile:
    """The whole file, validated in one pass over the bytes; an error names the entry."""
    from pydantic import ValidationError

    from leadjournal.models import ExportFile

    try:
        return ExportFile.model_validate_json(data)
    except ValidationError as exc:
        if exc.errors(include_url=False)[0]["type"] != "json_invalid":
            raise _explain(exc, data, name) from None
        first = exc
    # JSON that pydantic's fast reader refuses may still be JSON: a lone surrogate escape
    # ("\ud800", which the models replace with U+FFFD, as every importer does), or an
    # oversized number. Python's reader says which.
    document = _document(data, name, first)
    try:
        return ExportFile.model_validate(document)
    except ValidationError as exc:
        raise _explain(exc, data, name) from None


def _document(data: bytes, name: str, first: ValidationError) -> Any:
    import json

    try:
        return json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise _explain(first, data, name) from None
    except ValueError as exc:
        raise oversized_number(name, exc) from None


def convert(export: ExportFile, advance: Advance) -> Parsed:
    """Entries and commitments with no text are left out (and counted); the rest are kept
    as they are."""
    entries = [entry for entry in export.entries if entry.text.strip()]
    commitments = [c for c in export.commitments if c.text.strip()]
    advance(len(export.entries))
    empty = len(export.entries) - len(entries) + len(export.commitments) - len(commitments)
    return Parsed("leadjournal", entries, empty, commitments=commitments)


def _explain(exc: ValidationError, data: bytes, name: str) -> ImportFileError:
    """Say which entry is wrong and why, without quoting anything written in it."""
    errors = exc.errors(include_url=False, include_input=False, include_context=False)
    first = errors[0]
    if first["type"] == "json_invalid":
        return ImportFileError(
            f"{name} is not valid JSON ({first['msg'].removeprefix('Invalid JSON: ')}); "
            "nothing was imported."
        )
    document = _decoded(data)
    newer = _newer_version(document)
    if newer is not None:
        return ImportFileError(
            f"{name} was exported by a newer leadjournal (format version {newer}); "
            "nothing was imported.",
            hint="Upgrade leadjournal to import it.",
        )
    loc = first["loc"]
    if len(loc) >= 2 and loc[0] == "entries" and isinstance(loc[1], int):
        index = loc[1]
        entry_id = _entry_id(document, index)
        problems = [
            _phrase(e["loc"][2:], e["msg"]) for e in errors if e["loc"][:2] == ("entries", index)
        ][:MAX_SHOWN]
        others = len({e["loc"][1] for e in errors if e["loc"][:1] == ("entries",)}) - 1
        more = (
            f" ({others} other entr{'ies are' if others > 1 else 'y is'} invalid too)"
            if others > 0
            else ""
        )
        return ImportFileError(
            f"Nothing was imported: {entry_label(index, entry_id=entry_id)} in {name} is "
            f"invalid: {'; '.join(problems)}{more}.",
            hint="Fix or remove that entry in the file and import it again.",
        )
    problems = [_phrase(e["loc"], e["msg"]) for e in errors[:MAX_SHOWN]]
    return ImportFileError(
        f"{name} is not a valid leadjournal export ({'; '.join(problems)}); nothing was imported."
    )


def _newer_version(document: Any) -> int | None:
    from leadjournal.models import VERSION

    version = document.get("version") if isinstance(document, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        return version
    return None


def _phrase(loc: tuple[int | str, ...], message: str) -> str:
    where = ".".join(str(part) for part in loc)
    return f"{where}: {message}" if where else message


def _decoded(data: bytes) -> Any:
    """The document as plain JSON, only to name an entry in an error message."""
    import json

    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return None


def _entry_id(document: Any, index: int) -> object:
    try:
        entry = document["entries"][index]
    except (KeyError, IndexError, TypeError):
        return None
    return entry.get("id") if isinstance(entry, dict) else None
