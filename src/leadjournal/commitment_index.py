"""The derived commitments index under <home>/cache/: every commitment of the journal, by
month, so that `today`, `commitments`, `review` and `summary` need not read ten years of
month files to find the open ones (DESIGN.md section 8b).

Each month is recorded with its signature (name, mtime, size, inode of the file and its
sync-conflict copies); a month that changed is re-read alone. The records are kept as the
plain JSON the month file holds, so that a warm `today` builds no pydantic model. Like
every cache it can be deleted at any time and is rebuilt from the month files.
"""

from __future__ import annotations

import json
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leadjournal import fsio, paths, store
from leadjournal.errors import CorruptFileError

if TYPE_CHECKING:
    from leadjournal.errors import Warn
    from leadjournal.models import MonthFile

INDEX_VERSION = 1

# A commitment as the index holds it: the JSON object of DESIGN.md section 9.
Raw = dict[str, Any]


def index_path() -> Path:
    return paths.cache_dir() / "commitments.json"


def _rel(path: Path) -> str:
    return path.relative_to(paths.entries_dir()).as_posix()


def _raw(month: MonthFile) -> list[Raw]:
    return [c.model_dump(mode="json") for c in month.commitments]


def _read(rel: str, warn: Warn) -> dict[str, Any]:
    path = paths.entries_dir() / rel
    signature = store.month_signature(path)
    try:
        month = store.read_month(path, warn)
    except CorruptFileError as exc:
        warn(store.skipped_message(exc))
        return {"sig": signature, "commitments": [], "problem": exc.problem}
    return {"sig": signature, "commitments": _raw(month), "problem": None}


def _load_raw() -> dict[str, Any] | None:
    try:
        data = json.loads(index_path().read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
        return None
    months = data.get("months")
    if not isinstance(months, dict) or not all(
        isinstance(m, dict) and "sig" in m and isinstance(m.get("commitments"), list)
        for m in months.values()
    ):
        return None
    return data


def _save_raw(data: dict[str, Any]) -> None:
    fsio.write_cache(index_path(), json.dumps(data, separators=(",", ":")).encode())


def all_commitments(warn: Warn) -> list[Raw]:
    """Every live commitment of the journal, by creation (the index brought up to date)."""
    months = _fresh_months(warn)
    found = [c for rel in sorted(months) for c in months[rel]["commitments"]]
    found.sort(key=lambda c: (c["created_at"], c["id"]))
    return found


def month_of(ids: list[str], warn: Warn) -> dict[str, Path]:
    """The month file each commitment id (or id prefix) lives in, from the index: so that
    `resolve` reads one month, not the whole journal. A prefix matching several ids
    maps each of them."""
    found: dict[str, Path] = {}
    for rel, month in _fresh_months(warn).items():
        for commitment in month["commitments"]:
            if any(commitment["id"].startswith(ref) for ref in ids):
                found[commitment["id"]] = paths.entries_dir() / rel
    return found


def _fresh_months(warn: Warn) -> dict[str, Any]:
    """The index's months, brought up to date with the month files."""
    current = store.month_signatures()
    data = _load_raw() or {"version": INDEX_VERSION, "months": {}}
    months: dict[str, Any] = data["months"]
    changed = False
    for rel in [r for r in months if r not in current]:
        del months[rel]
        changed = True
    for rel, signature in current.items():
        known = months.get(rel)
        if known is None or known["sig"] != signature:
            months[rel] = _read(rel, warn)
            changed = True
        elif known.get("problem"):
            warn(store.skipped_text(paths.entries_dir() / rel, known["problem"]))
    if changed:
        _save_raw(data)
    return months


def note_month(path: Path, month: MonthFile) -> None:
    """Record a month file just written (the store's OnSaved callback, set by journal.py).

    Best effort: the month file is already saved, so nothing here may fail the command.
    If the index cannot be updated, it is removed and rebuilt on the next read.
    """
    try:
        data = _load_raw()
        if data is None:
            return
        data["months"][_rel(path)] = {
            "sig": store.month_signature(path),
            "commitments": _raw(month),
            "problem": None,
        }
        _save_raw(data)
    except (OSError, ValueError, KeyError, TypeError):
        with suppress(OSError):
            index_path().unlink()
