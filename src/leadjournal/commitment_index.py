"""The derived commitments index under <home>/cache/: what `today`, `commitments`, `review`
and `summary` need to know of the journal's commitments without reading ten years of
month files (DESIGN.md section 8b). Like every cache it can be deleted at any time and is
rebuilt from the month files.

Four files, each read only by the commands that need it, so that the cost of a command
follows what it shows:

- `commitments.json`, the head: each month file's signature (name, mtime, size, inode of
  the file and its sync-conflict copies) and a hash of its commitments; the due days of
  the open commitments and the text of the one due earliest (for `today`). Rewritten on
  every save, and small.
- `commitments-tally.json`: [created day, status, resolved day, due] of every commitment
  (for the summary's counts).
- `commitments-open.json`: the open commitments, as stored, with their month file.
- `commitments-all.json`: every commitment, as stored, by month file.

The last three change only when some month's commitments change (its hash). Records are
kept as the plain JSON the month file holds, so a warm `today` builds no pydantic model.
"""

from __future__ import annotations

import json
import zlib
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from leadjournal import fsio, paths, store
from leadjournal.errors import CorruptFileError

if TYPE_CHECKING:
    from leadjournal.errors import Warn
    from leadjournal.models import MonthFile

INDEX_VERSION = 2

# A commitment as the index holds it: the JSON object of DESIGN.md section 9.
Raw = dict[str, Any]


def _file(name: str) -> Path:
    return paths.cache_dir() / name


HEAD, TALLY, OPEN, ALL = (
    "commitments.json",
    "commitments-tally.json",
    "commitments-open.json",
    "commitments-all.json",
)


def _load(name: str) -> Any:
    try:
        return json.loads(_file(name).read_bytes())
    except (OSError, ValueError):
        return None


def _save(name: str, data: Any) -> bool:
    return fsio.write_cache(_file(name), json.dumps(data, separators=(",", ":")).encode())


def _rel(path: Path) -> str:
    return path.relative_to(paths.entries_dir()).as_posix()


def _raw(month: MonthFile) -> list[Raw]:
    return [c.model_dump(mode="json") for c in month.commitments]


def _hash(raws: list[Raw]) -> str:
    return f"{zlib.crc32(json.dumps(raws, sort_keys=True).encode()):08x}{len(raws):x}"


def _read(rel: str, warn: Warn) -> tuple[list[Raw], str | None]:
    """A month's commitments, and what is wrong with the file when it cannot be read."""
    try:
        return _raw(store.read_month(paths.entries_dir() / rel, warn)), None
    except CorruptFileError as exc:
        warn(store.skipped_message(exc))
        return [], exc.problem


def _usable_head() -> dict[str, Any] | None:
    head = _load(HEAD)
    if not isinstance(head, dict) or head.get("version") != INDEX_VERSION:
        return None
    if not isinstance(head.get("months"), dict) or not isinstance(head.get("open_due"), list):
        return None
    return head


def _usable_all() -> dict[str, list[Raw]] | None:
    everything = _load(ALL)
    if not isinstance(everything, dict) or not all(
        isinstance(v, list) for v in everything.values()
    ):
        return None
    return everything


def _compute(everything: dict[str, list[Raw]]) -> dict[str, Any]:
    """The tally rows and the open commitments (earliest due first, with their month)."""
    rows: list[list[Any]] = []
    open_ones: list[tuple[str, Raw]] = []
    for rel in sorted(everything):
        for c in everything[rel]:
            resolved = c.get("resolved_at")
            rows.append(
                [c["created_at"][:10], c["status"], resolved[:10] if resolved else None, c["due"]]
            )
            if c["status"] == "open":
                open_ones.append((rel, c))
    open_ones.sort(key=lambda item: (item[1]["due"], item[1]["created_at"], item[1]["id"]))
    return {ALL: everything, TALLY: rows, OPEN: open_ones}


def _derive(head: dict[str, Any], everything: dict[str, list[Raw]]) -> dict[str, Any]:
    """The tally, open and all files from `everything`, written, and the head's summary of
    the open ones set; returns them. OSError when one could not be written: the head is
    then removed, never saved vouching for a stale file."""
    derived = _compute(everything)
    open_ones = derived[OPEN]
    head["open_due"] = [c["due"] for _, c in open_ones]
    head["earliest"] = open_ones[0][1]["text"] if open_ones else None
    written = [_save(name, derived[name]) for name in (ALL, TALLY, OPEN)]
    if not all(written):
        with suppress(OSError):
            _file(HEAD).unlink()
        raise OSError("a commitments index file could not be written")
    return derived


class _Plan(NamedTuple):
    """What a refresh must do: the head to start from, the months to re-read and those
    gone, and all the records (None when no record needs to change)."""

    head: dict[str, Any]
    full: bool
    stale: set[str]
    gone: set[str]
    everything: dict[str, list[Raw]] | None


def _plan(current: dict[str, list[object]]) -> _Plan:
    head = _usable_head()
    if head is not None and all(_file(name).exists() for name in (TALLY, OPEN, ALL)):
        stale = {r for r, sig in current.items() if head["months"].get(r, {}).get("sig") != sig}
        gone = set(head["months"]) - set(current)
        if not (stale or gone):
            return _Plan(head, False, stale, gone, None)
        everything = _usable_all()
        if everything is not None:
            return _Plan(head, False, stale, gone, everything)
    # No index, or a damaged one: rebuild it all from the month files.
    empty = {"version": INDEX_VERSION, "months": {}, "open_due": [], "earliest": None}
    return _Plan(empty, True, set(current), set(), {})


def _refresh(warn: Warn) -> tuple[dict[str, Any], dict[str, Any]]:
    """The head, brought up to date with the month files (and the other files with it),
    and whatever derived data this call computed (so the command uses it even when the
    cache could not be written)."""
    current = store.month_signatures()
    head, full, stale, gone, everything = _plan(current)
    months: dict[str, Any] = head["months"]
    changed_records = full or bool(gone)
    for rel in gone:
        del months[rel]
        if everything is not None:
            everything.pop(rel, None)
    for rel in sorted(stale):
        raws, problem = _read(rel, warn)
        digest = _hash(raws)
        if everything is not None and (full or months.get(rel, {}).get("hash") != digest):
            everything[rel] = raws
            changed_records = True
        months[rel] = {"sig": current[rel], "hash": digest, "problem": problem}
    for rel in set(current) - stale:
        if months.get(rel, {}).get("problem"):
            warn(store.skipped_text(paths.entries_dir() / rel, months[rel]["problem"]))
    derived: dict[str, Any] = {}
    if changed_records and everything is not None:
        for rel in [r for r, raws in everything.items() if not raws]:
            del everything[rel]
        try:
            derived = _derive(head, everything)
        except OSError:
            return head, _compute(everything)  # this command answers from memory
    if stale or gone:
        _save(HEAD, head)
    return head, derived


# ---------------------------------------------------------------------------------------
# What the use cases ask


def due_by(day: str, warn: Warn) -> tuple[int, str | None]:
    """How many open commitments are due on or before `day` (YYYY-MM-DD), and the text of
    the one due earliest (None when none is due). Reads only the head."""
    from bisect import bisect_right

    head, _ = _refresh(warn)
    count = bisect_right(head["open_due"], day)
    return count, head["earliest"] if count else None


def _read_derived(name: str, kind: type, warn: Warn) -> Any:
    """One of the derived files, fresh (from memory when this call just computed it); a
    damaged one makes the whole index be rebuilt."""
    _, derived = _refresh(warn)
    if name in derived:
        return derived[name]
    data = _load(name)
    if not isinstance(data, kind):
        with suppress(OSError):
            _file(HEAD).unlink()
        _, derived = _refresh(warn)
        data = derived[name] if name in derived else _load(name)
    return data if isinstance(data, kind) else kind()


def tally_rows(warn: Warn) -> list[list[Any]]:
    """[created day, status, resolved day or None, due] of every commitment."""
    rows: list[list[Any]] = _read_derived(TALLY, list, warn)
    return rows


def open_commitments(warn: Warn) -> list[tuple[str, Raw]]:
    """The open commitments, earliest due first, each with its month file (relative)."""
    return [(rel, c) for rel, c in _read_derived(OPEN, list, warn)]


def all_commitments(warn: Warn) -> list[Raw]:
    """Every live commitment of the journal, by creation."""
    everything: dict[str, list[Raw]] = _read_derived(ALL, dict, warn)
    found = [c for rel in sorted(everything) for c in everything[rel]]
    found.sort(key=lambda c: (c["created_at"], c["id"]))
    return found


def locate(refs: list[str], warn: Warn) -> dict[str, tuple[Path, Raw]]:
    """Each commitment whose id starts with one of `refs`, with its month file: the open
    ones first (what `resolve` names most), then all. The index is fresh (every month's
    signature checked), so a caller need not read the month to know the record."""
    found = {
        c["id"]: (paths.entries_dir() / rel, c)
        for rel, c in open_commitments(warn)
        if any(c["id"].startswith(ref) for ref in refs)
    }
    if found and all(any(i == ref for i in found) for ref in refs):
        return found
    everything: dict[str, list[Raw]] = _read_derived(ALL, dict, warn)
    for rel, raws in everything.items():
        for c in raws:
            if any(c["id"].startswith(ref) for ref in refs):
                found[c["id"]] = (paths.entries_dir() / rel, c)
    return found


def note_month(path: Path, month: MonthFile) -> None:
    """Record a month file just written (the store's OnSaved callback, set by journal.py).

    Best effort: the month file is already saved, so nothing here may fail the command.
    If the index cannot be updated, it is removed and rebuilt on the next read.
    """
    try:
        head = _usable_head()
        if head is None:
            return
        rel = _rel(path)
        raws = _raw(month)
        digest = _hash(raws)
        known = head["months"].get(rel)
        head["months"][rel] = {"sig": store.month_signature(path), "hash": digest, "problem": None}
        if known is None or known["hash"] != digest:
            everything = _usable_all()
            if everything is None:
                raise ValueError("no commitments file")
            if raws:
                everything[rel] = raws
            else:
                everything.pop(rel, None)
            _derive(head, everything)
        _save(HEAD, head)
    except (OSError, ValueError, KeyError, TypeError):
        with suppress(OSError):
            _file(HEAD).unlink()
