"""The derived commitments index under <home>/cache/: what `today`, `commitments`, `review`
and `summary` need to know of the journal's commitments without reading ten years of
month files (DESIGN.md section 8b). Like every cache it can be deleted at any time and is
rebuilt from the month files.

Files, each read only by the commands that need it, so that a command's cost follows what
it shows, and each written only when what it holds changed:

- `commitments.json`, the head: each month file's signature (name, mtime, size, inode of
  the file and its sync-conflict copies), a hash and a count of its commitments; the due
  days of the open commitments and the text of the one due earliest (for `today`).
  Rewritten on every save, and small.
- `commitments-tally.json`: by month, [created day, status, resolved day, due] of each
  commitment (for the summary's counts).
- `commitments-open.json`: the open commitments, as stored, each with its month.
- `commitments-month-YYYY-MM.json`: one month's commitments, as stored (for export and
  show); a save rewrites only its own month's.

Records are kept as the plain JSON the month file holds, so a warm `today` builds no
pydantic model. In an encrypted journal (DESIGN.md section 12) every file of the index is
encrypted to the journal's recipients, like the month files, since the head, the open
list and the shards hold commitment text; one that this device cannot decrypt is as
good as missing, and rebuilt. A derived file that cannot be written removes the head, so
that no file is ever trusted after a failed update: the next command rebuilds from the
month files.
"""

from __future__ import annotations

import json
import zlib
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leadjournal import fsio, paths, sealed, store
from leadjournal.errors import CorruptFileError, JournalError

if TYPE_CHECKING:
    from leadjournal.errors import Warn
    from leadjournal.models import MonthFile

INDEX_VERSION = 3

# A commitment as the index holds it: the JSON object of DESIGN.md section 9.
Raw = dict[str, Any]

HEAD, TALLY, OPEN = "commitments.json", "commitments-tally.json", "commitments-open.json"
SHARD_PREFIX = "commitments-month-"


def _file(name: str) -> Path:
    return paths.cache_dir() / name


def _shard(rel: str) -> str:
    """The shard of month `rel` ("2026/2026-11.json"): commitments-month-2026-11.json."""
    return SHARD_PREFIX + rel.rsplit("/", 1)[-1]


def _load(name: str) -> Any:
    try:
        data = fsio.read_regular(_file(name))
        if sealed.is_sealed(data):
            data = sealed.unseal(_file(name), data)
        elif sealed.is_encrypted():
            # Written before the journal was encrypted (here, or on another device whose
            # recipients.txt came by sync): commitment text in plain form. Gone, rebuilt.
            _file(name).unlink()
            return None
        return json.loads(data)
    except (OSError, ValueError, JournalError):
        return None


def _save(name: str, data: Any) -> None:
    """Write one derived file (encrypted in an encrypted journal); OSError when it could
    not be written."""
    raw = json.dumps(data, separators=(",", ":")).encode()
    keys = sealed.read_recipients()
    if keys:
        raw = sealed.seal(raw, keys)
    if not fsio.write_cache(_file(name), raw):
        raise OSError(f"could not write {name}")


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


def _row(c: Raw) -> list[Any]:
    resolved = c.get("resolved_at")
    return [c["created_at"][:10], c["status"], resolved[:10] if resolved else None, c["due"]]


def _open_order(item: list[Any] | tuple[str, Raw]) -> tuple[str, str, str]:
    c = item[1]
    return c["due"], c["created_at"], c["id"]


class _Damaged(Exception):
    """A derived file of the index is missing or cannot be read: rebuild it all."""


class _Index:
    """The head, and the tally and open files loaded only when a command needs them (so
    that `today` reads the small head alone)."""

    def __init__(
        self,
        head: dict[str, Any],
        tally: dict[str, list[list[Any]]] | None = None,
        open_ones: list[tuple[str, Raw]] | None = None,
    ) -> None:
        self.head = head
        self._tally = tally
        self._open = open_ones

    @property
    def tally(self) -> dict[str, list[list[Any]]]:
        if self._tally is None:
            tally = _load(TALLY)
            if not isinstance(tally, dict):
                raise _Damaged(TALLY)
            self._tally = tally
        return self._tally

    @property
    def open(self) -> list[tuple[str, Raw]]:
        if self._open is None:
            open_ones = _load(OPEN)
            if not isinstance(open_ones, list):
                raise _Damaged(OPEN)
            self._open = [(rel, c) for rel, c in open_ones]
        return self._open


# The index this process last read or wrote, with the head's stamp then: a command that
# looks a commitment up and then saves it reads the tally and open files once, not twice.
# Every writer writes the head last (a new file each time), so an unchanged stamp means
# unchanged files.
_memo: tuple[tuple[object, ...], _Index] | None = None


def _head_stamp() -> tuple[object, ...] | None:
    path = _file(HEAD)
    try:
        st = path.stat()
    except OSError:
        return None
    return (str(path), st.st_ino, st.st_mtime_ns, st.st_size)


def _remember(index: _Index) -> None:
    global _memo  # noqa: PLW0603 - one process's memo of a cache file
    stamp = _head_stamp()
    _memo = (stamp, index) if stamp is not None else None


def _usable() -> _Index | None:
    """The index on disk, if its head is of this version and names every shard it needs
    (the tally and open files are checked when first read)."""
    stamp = _head_stamp()
    if stamp is not None and _memo is not None and _memo[0] == stamp:
        return _memo[1]
    head = _load(HEAD)
    if not isinstance(head, dict) or head.get("version") != INDEX_VERSION:
        return None
    if not isinstance(head.get("months"), dict) or not isinstance(head.get("open_due"), list):
        return None
    index = _Index(head)
    _remember(index)
    return index


def _empty() -> _Index:
    return _Index(
        {"version": INDEX_VERSION, "months": {}, "open_due": [], "earliest": None}, {}, []
    )


def _set_month(index: _Index, rel: str, raws: list[Raw], *, write: bool = True) -> None:
    """Put one month's commitments in the index (in memory, then its shard on disk)."""
    if raws:
        index.tally[rel] = [_row(c) for c in raws]
    else:
        index.tally.pop(rel, None)
    from bisect import insort

    kept = [(r, c) for r, c in index.open if r != rel]
    for c in raws:
        if c["status"] == "open":
            insort(kept, (rel, c), key=_open_order)
    index.open[:] = kept
    if not write:
        return
    if raws:
        _save(_shard(rel), {"rel": rel, "commitments": raws})
    else:
        with suppress(FileNotFoundError):
            _file(_shard(rel)).unlink()


def _finish(index: _Index) -> None:
    """Write the tally and open files, then the head (last: it vouches for the others)."""
    head = index.head
    head["open_due"] = [c["due"] for _, c in index.open]
    head["earliest"] = index.open[0][1]["text"] if index.open else None
    _save(TALLY, index.tally)
    _save(OPEN, index.open)
    _save(HEAD, head)
    _remember(index)


def forget() -> None:
    """Forget what this process read of the index (its files were just removed)."""
    global _memo  # noqa: PLW0603 - one process's memo of a cache file
    _memo = None


def _drop_head() -> None:
    global _memo  # noqa: PLW0603 - one process's memo of a cache file
    _memo = None
    with suppress(OSError):
        _file(HEAD).unlink()


def _refresh(warn: Warn) -> _Index:
    """The index brought up to date with the month files. When a file cannot be written
    the head is removed and the command answers from what was computed in memory."""
    current = store.month_signatures()
    index = _usable() or _empty()
    try:
        return _bring_up_to_date(index, current, warn)
    except _Damaged:
        _drop_head()
        return _bring_up_to_date(_empty(), current, warn)


def _bring_up_to_date(index: _Index, current: dict[str, list[object]], warn: Warn) -> _Index:
    months: dict[str, Any] = index.head["months"]
    stale = [rel for rel, sig in current.items() if months.get(rel, {}).get("sig") != sig]
    gone = [rel for rel in months if rel not in current]
    writable = True

    def put(rel: str, raws: list[Raw]) -> None:
        nonlocal writable
        try:
            _set_month(index, rel, raws, write=writable)
        except OSError:  # answer from memory; the next command rebuilds
            writable = False
            _drop_head()

    for rel in gone:
        del months[rel]
        put(rel, [])
    for rel in stale:
        raws, problem = _read(rel, warn)
        digest = _hash(raws)
        if months.get(rel, {}).get("hash") != digest:
            put(rel, raws)
        months[rel] = {"sig": current[rel], "hash": digest, "count": len(raws)}
        if problem:
            months[rel]["problem"] = problem
    if writable and (stale or gone):
        try:
            _finish(index)
        except OSError:
            _drop_head()
    for rel in set(current) - set(stale):
        if months.get(rel, {}).get("problem"):
            warn(store.skipped_text(paths.entries_dir() / rel, months[rel]["problem"]))
    return index


# ---------------------------------------------------------------------------------------
# What the use cases ask


def due_by(day: str, warn: Warn) -> tuple[int, str | None]:
    """How many open commitments are due on or before `day` (YYYY-MM-DD), and the text of
    the one due earliest (None when none is due)."""
    from bisect import bisect_right

    head = _refresh(warn).head
    count = bisect_right(head["open_due"], day)
    return count, head["earliest"] if count else None


def _loaded(warn: Warn, *, open_ones: bool = True) -> _Index:
    """The fresh index with its tally file read, and its open file unless `open_ones` is
    False (rebuilt if one is damaged). The summary needs the tally only: the open file
    is the larger (every open commitment as stored), and reading it too cost the
    summary of a big journal ~6 ms (DESIGN.md section 8, `summary --week`)."""
    index = _refresh(warn)
    try:
        index.tally  # noqa: B018 - read them now, while a rebuild can still help
        if open_ones:
            index.open  # noqa: B018
    except _Damaged:
        _drop_head()
        index = _refresh(warn)
    return index


def tally_rows(warn: Warn) -> list[list[Any]]:
    """[created day, status, resolved day or None, due] of every commitment."""
    tally = _loaded(warn, open_ones=False).tally
    return [row for rel in sorted(tally) for row in tally[rel]]


def open_commitments(warn: Warn) -> list[tuple[str, Raw]]:
    """The open commitments, earliest due first, each with its month file (relative)."""
    return list(_loaded(warn).open)


def _month_records(index: _Index, rel: str, warn: Warn) -> list[Raw]:
    """One month's commitments from its shard (read from the month file if the shard is
    missing or damaged: the answer is right even when the cache is not)."""
    if not index.head["months"].get(rel, {}).get("count"):
        return []
    shard = _load(_shard(rel))
    if isinstance(shard, dict) and shard.get("rel") == rel:
        raws = shard.get("commitments")
        if isinstance(raws, list):
            return raws
    _drop_head()
    return _read(rel, warn)[0]


def all_commitments(warn: Warn) -> list[Raw]:
    """Every live commitment of the journal, by creation."""
    index = _refresh(warn)
    found = [c for rel in sorted(index.head["months"]) for c in _month_records(index, rel, warn)]
    found.sort(key=lambda c: (c["created_at"], c["id"]))
    return found


def locate(refs: list[str], warn: Warn) -> dict[str, tuple[Path, Raw]]:
    """Each commitment whose id starts with one of `refs`, with its month file: the open
    ones first (what `resolve` names most), then every month. The index is fresh (every
    month's signature checked), so a caller need not read the month to know the record."""
    index = _loaded(warn)
    found = {
        c["id"]: (paths.entries_dir() / rel, c)
        for rel, c in index.open
        if any(c["id"].startswith(ref) for ref in refs)
    }
    if found and all(any(i == ref for i in found) for ref in refs):
        return found
    for rel in sorted(index.head["months"]):
        for c in _month_records(index, rel, warn):
            if any(c["id"].startswith(ref) for ref in refs):
                found[c["id"]] = (paths.entries_dir() / rel, c)
    return found


def note_month(path: Path, month: MonthFile) -> None:
    """Record a month file just written (the store's OnSaved callback, set by journal.py):
    its shard, the tally and open files, then the head.

    Best effort: the month file is already saved, so nothing here may fail the command.
    If the index cannot be updated, the head is removed and the next read rebuilds it.
    """
    try:
        index = _usable()
        if index is None:
            return
        rel = _rel(path)
        raws = _raw(month)
        digest = _hash(raws)
        months = index.head["months"]
        changed = months.get(rel, {}).get("hash") != digest
        months[rel] = {"sig": store.month_signature(path), "hash": digest, "count": len(raws)}
        if changed:
            _set_month(index, rel, raws)
            _finish(index)
        else:
            _save(HEAD, index.head)
            _remember(index)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, _Damaged):
        _drop_head()
