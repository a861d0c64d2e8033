"""The derived commitments index under <home>/cache/: what `today`, `commitments`, `review`
and `summary` need to know of the journal's commitments without reading ten years of
month files (DESIGN.md section 8b). Like every cache it can be deleted at any time and is
rebuilt from the month files.

A save writes only what it changed: its month's shard and the small head. The four
aggregate files (the base) are rewritten only when the head's list of changed months
grows past DIRTY_LIMIT, or when the index is rebuilt:

- `commitments.json`, the head (plain JSON, no text): the base's generation, whether the
  journal was encrypted when it was written (if that changed, the index is rebuilt, so
  no text-bearing file of the other form is ever trusted or left unreplaced); each month
  file's signature (name, mtime, size, inode of the file and its sync-conflict copies, as
  one string), a hash and a count of its commitments, the due days of its open ones (one
  string) and the (due, created_at, id) of its earliest open one (for `today`); and the
  months changed since the base was written ("dirty"), each with its tally rows now and
  at the base ("was") and its ids. Rewritten on every save.
- `commitments-days.json` (plain, dates only): the sorted day lists the summary counts
  with (creation days, each outcome's resolution days, the open ones' due days): a
  period's count is two bisects, no sort of 5,000 rows per command.
- `commitments-tally.json` (plain, no text): by month, [created day, status, resolved day,
  due] of each commitment of the base (read to fold, and when a month first changes).
- `commitments-ids.json` (plain, no text): by month, the ids of the base's commitments as
  one string (so that `resolve ID` reads one shard, not every month's).
- `commitments-open.json`: the base's open commitments, as stored, each with its month
  ({"gen", "rels", "open"}, the array last, so pydantic validates it from the bytes).
- `commitments-month-YYYY-MM.json`: one month's commitments, as stored (for export, show,
  the text of `today`'s line, and the open ones of a dirty month); a save rewrites only
  its own month's.

A reader takes each base file and puts the head's dirty months over it (the open
commitments of a dirty month come from its shard). Every base file carries the
generation the head names: a base file from another generation (two processes writing at
once, a crash between files) is damaged, and the index is rebuilt in memory from the
month files, then written.

Records are kept as the plain JSON the month file holds, so a warm `today` builds no
pydantic model. In an encrypted journal (DESIGN.md section 12) the files that hold
commitment text (the open file and the shards) are encrypted to the journal's recipients,
like the month files; a plain one found there is deleted (rebuilt), and one this device
cannot decrypt is as good as missing. The head, the days, the tally and the ids hold only
ids, dates, statuses, counts and hashes (what section 12 lets a cache hold in plain form;
a status is what the summary's counts by outcome already tell), so they stay plain and
cost no decryption. A derived file that cannot be written removes the head, so that no
file is ever trusted after a failed update: the next command rebuilds from the month
files.
"""

from __future__ import annotations

import json
import os
import zlib
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from leadjournal import fsio, paths, sealed, store
from leadjournal.errors import CorruptFileError, JournalError

if TYPE_CHECKING:
    from collections.abc import Callable

    from pydantic import TypeAdapter

    from leadjournal.errors import Warn
    from leadjournal.models import Commitment, MonthFile

INDEX_VERSION = 6

# A commitment as the index holds it: the JSON object of DESIGN.md section 9.
Raw = dict[str, Any]
T = TypeVar("T")

HEAD, TALLY, DAYS, IDS, OPEN = (
    "commitments.json",
    "commitments-tally.json",
    "commitments-days.json",
    "commitments-ids.json",
    "commitments-open.json",
)
SHARD_PREFIX = "commitments-month-"
# In the open file, what comes before the commitments' array (the last key).
OPEN_KEY = b',"open":'
# The files that hold commitment text, encrypted in an encrypted journal; the others hold
# ids, dates, statuses, counts and hashes only (DESIGN.md section 12).
PLAIN = frozenset({HEAD, TALLY, DAYS, IDS})
# How many changed months the head carries before a save folds them into the base: each
# dirty month costs a reader of the open commitments one shard; folding costs one save
# the rewrite of the base (about what every save cost before the head kept them).
DIRTY_LIMIT = 6


def _file(name: str) -> Path:
    return paths.cache_dir() / name


def _shard(rel: str) -> str:
    """The shard of month `rel` ("2026/2026-11.json"): commitments-month-2026-11.json."""
    return SHARD_PREFIX + rel.rsplit("/", 1)[-1]


def _secret(name: str) -> bool:
    return name not in PLAIN


def _load_bytes(name: str) -> bytes | None:
    """A derived file's plain bytes (decrypted), or None when it is missing or unreadable."""
    try:
        data = fsio.read_regular(_file(name))
        if sealed.is_sealed(data):
            return sealed.unseal(_file(name), data)
        if _secret(name) and sealed.is_encrypted():
            # Written before the journal was encrypted (here, or on another device whose
            # recipients.txt came by sync): commitment text in plain form. Gone, rebuilt.
            _file(name).unlink()
            return None
    except (OSError, JournalError):
        return None
    return data


def _load(name: str) -> Any:
    data = _load_bytes(name)
    if data is None:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return None


def _save(name: str, data: Any) -> None:
    _save_bytes(name, json.dumps(data, separators=(",", ":")).encode())


def _save_bytes(name: str, raw: bytes) -> None:
    """Write one derived file (a text-bearing one encrypted in an encrypted journal);
    OSError when it could not be written."""
    if _secret(name):
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


# The sorted day lists the summary counts with (DESIGN.md section 9): creation days, the
# resolution days of each outcome, the open ones' due days.
DAY_LISTS = ("made", "kept", "missed", "dropped", "open_due")
_CLOSED = {"kept": 1, "missed": 2, "dropped": 3}


def _row_days(row: list[Any]) -> list[tuple[int, str]]:
    """Where one tally row counts: (which of DAY_LISTS, the day)."""
    created, status, resolved, due = row
    found = [(0, created)]
    if status == "open":
        found.append((4, due))
    elif resolved is not None and status in _CLOSED:
        found.append((_CLOSED[status], resolved))
    return found


def _days_of(tally: dict[str, list[list[Any]]]) -> list[list[str]]:
    days: list[list[str]] = [[] for _ in DAY_LISTS]
    for rows in tally.values():
        for row in rows:
            for which, day in _row_days(row):
                days[which].append(day)
    for column in days:
        column.sort()
    return days


def _ids_text(raws: list[Raw]) -> str:
    """A month's ids as the ids file keeps them: one string, space-separated, so that a
    look-up by prefix is a substring search (" " + prefix) in C, not 5,000 startswith."""
    return " ".join(c["id"] for c in raws)


def _open_key(c: Raw) -> tuple[str, str, str]:
    return c["due"], c["created_at"], c["id"]


def _open_order(item: list[Any] | tuple[str, Raw]) -> tuple[str, str, str]:
    return _open_key(item[1])


def _sig_text(sig: list[object]) -> str:
    """A month's signature (name, mtime, size, inode of each of its files) as one string:
    the head holds 120 of them, parsed by every command, and a string parses several
    times faster than lists of numbers."""
    return "|".join(
        f"{item[0]}:{item[1]}:{item[2]}:{item[3]}" if isinstance(item, list) else "-"
        for item in sig
    )


def _due_count(dues: str, day: str) -> int:
    """How many of a month's open due days (sorted, "YYYY-MM-DD,YYYY-MM-DD,...") are on or
    before `day`."""
    from bisect import bisect_right

    if dues[-10:] <= day:  # all of them (most months, long past)
        return (len(dues) + 1) // 11
    if dues[:10] > day:
        return 0
    return bisect_right(dues.split(","), day)


def _month_entry(sig: list[object], digest: str, raws: list[Raw]) -> dict[str, Any]:
    """What the head keeps of one month: no text (it is plain in an encrypted journal)."""
    open_ones = sorted((c for c in raws if c["status"] == "open"), key=_open_key)
    entry: dict[str, Any] = {"sig": _sig_text(sig), "hash": digest, "count": len(raws)}
    if open_ones:
        entry["due"] = ",".join(c["due"] for c in open_ones)
        entry["first"] = list(_open_key(open_ones[0]))
    return entry


def _new_gen() -> str:
    return os.urandom(6).hex()


class _Damaged(Exception):
    """A derived file of the index is missing or cannot be read: rebuild it all."""


# What reading a derived file that parses but is not of the shape this version writes
# raises (a key missing, a row too short, a string where a list was): rebuilt, like a
# file that does not parse.
_DAMAGE = (_Damaged, KeyError, TypeError, ValueError, IndexError, AttributeError)


class _Index:
    """The head, and the base files loaded only when a command needs them (so that
    `today` reads the small head alone, `resolve` the ids, `summary` the tally)."""

    def __init__(self, head: dict[str, Any], *, fresh: bool = False) -> None:
        self.head = head
        # A fresh index (rebuilt in memory) has an empty base not yet on disk.
        self.fresh = fresh
        self._base: dict[str, Any] = {}
        if fresh:
            self._base = {TALLY: {}, DAYS: [[] for _ in DAY_LISTS], IDS: {}, OPEN: []}
        self._open: tuple[list[str], bytes] | None = ([], b"[]") if fresh else None
        # The commitments of months read in this process (a rebuild's), by month.
        self.raws: dict[str, list[Raw]] = {}

    @property
    def dirty(self) -> dict[str, dict[str, Any]]:
        dirty: dict[str, dict[str, Any]] = self.head["dirty"]
        return dirty

    def base(self, name: str) -> Any:
        if name not in self._base:
            if name == OPEN:
                rels, records = self.open_parts()
                try:
                    self._base[OPEN] = list(zip(rels, json.loads(records), strict=True))
                except ValueError:
                    raise _Damaged(OPEN) from None
                return self._base[OPEN]
            data = _load(name)
            if not isinstance(data, dict) or data.get("gen") != self.head["gen"]:
                raise _Damaged(name)
            body = data.get("days" if name == DAYS else "months")
            if not isinstance(body, list if name == DAYS else dict):
                raise _Damaged(name)
            self._base[name] = body
        return self._base[name]

    def open_parts(self) -> tuple[list[str], bytes]:
        """The base's open file, {"gen", "rels", "open"} with "open" last, as the month of
        each open commitment and the commitments' JSON array (which pydantic validates
        straight from the bytes)."""
        if self._open is None:
            blob = _load_bytes(OPEN)
            if blob is None:
                raise _Damaged(OPEN)
            header, _, records = blob.partition(OPEN_KEY)
            try:
                data = json.loads(header + b"}")
            except ValueError:
                raise _Damaged(OPEN) from None
            if not isinstance(data, dict) or data.get("gen") != self.head["gen"]:
                raise _Damaged(OPEN)
            rels = data.get("rels")
            records = records[:-1]
            if not isinstance(rels, list) or not (records[:1], records[-1:]) == (b"[", b"]"):
                raise _Damaged(OPEN)
            self._open = (rels, records)
        return self._open

    def by_month(self, name: str, part: str) -> dict[str, Any]:
        """The tally rows (TALLY, "rows") or ids (IDS, "ids") by month, the dirty months
        over the base's."""
        merged: dict[str, Any] = dict(self.base(name))
        for rel, change in self.dirty.items():
            if change[part]:
                merged[rel] = change[part]
            else:
                merged.pop(rel, None)
        return merged

    def days(self) -> list[list[str]]:
        """The DAY_LISTS of every commitment, each sorted: the base's, with each dirty
        month's rows at the base ("was") taken out and its rows now put in."""
        from bisect import bisect_left, insort

        base: list[list[str]] = self.base(DAYS)
        if not self.dirty:
            return base
        days = [list(column) for column in base]
        for change in self.dirty.values():
            for row in change["was"]:
                for which, day in _row_days(row):
                    column = days[which]
                    at = bisect_left(column, day)
                    if at == len(column) or column[at] != day:
                        raise _Damaged(DAYS)
                    del column[at]
            for row in change["rows"]:
                for which, day in _row_days(row):
                    insort(days[which], day)
        return days

    def open(self, warn: Warn) -> list[tuple[str, Raw]]:
        """The open commitments, earliest due first: the base's, the dirty months' from
        their shards."""
        from bisect import insort

        dirty = self.dirty
        found = [(rel, c) for rel, c in self.base(OPEN) if rel not in dirty]
        for rel in sorted(dirty):
            for c in self.records(rel, warn):
                if c["status"] == "open":
                    insort(found, (rel, c), key=_open_order)
        return found

    def open_models(self, warn: Warn) -> list[Commitment]:
        """The open commitments as models (not in order): the base's validated straight
        from the file's bytes (one call into pydantic-core, no json.loads first), the
        dirty months' from their shards."""
        rels, records = self.open_parts()
        dirty = self.dirty
        try:  # a damaged cache (pydantic's ValidationError is a ValueError): rebuilt
            models = validator().validate_json(records)
            found = [m for rel, m in zip(rels, models, strict=True) if rel not in dirty]
        except ValueError:
            raise _Damaged(OPEN) from None
        extra = [
            c for rel in sorted(dirty) for c in self.records(rel, warn) if c["status"] == "open"
        ]
        if extra:
            found.extend(validator().validate_python(extra))
        return found

    def records(self, rel: str, warn: Warn) -> list[Raw]:
        """One month's commitments from its shard (read from the month file if the shard
        is missing or damaged: the answer is right even when the cache is not)."""
        if rel in self.raws:
            return self.raws[rel]
        if not self.head["months"].get(rel, {}).get("count"):
            return []
        shard = _load(_shard(rel))
        if isinstance(shard, dict) and shard.get("rel") == rel:
            raws = shard.get("commitments")
            if isinstance(raws, list):
                return raws
        _drop_head()
        return _read(rel, warn)[0]


# The index this process last read or wrote, with the head's stamp then: a command that
# looks a commitment up and then saves it reads the base once, not twice. Every writer
# writes the head last (a new file each time), so an unchanged stamp means unchanged files.
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
    """The index on disk, if its head is of this version (the base files are checked
    when first read)."""
    stamp = _head_stamp()
    if stamp is not None and _memo is not None and _memo[0] == stamp:
        return _memo[1]
    head = _load(HEAD)
    if not isinstance(head, dict) or head.get("version") != INDEX_VERSION:
        return None
    if not isinstance(head.get("months"), dict) or not isinstance(head.get("dirty"), dict):
        return None
    if not isinstance(head.get("gen"), str):
        return None
    if head.get("sealed") != sealed.is_encrypted():
        # The journal was encrypted or decrypted (here, or on another device, its
        # recipients.txt come by sync): the text-bearing files are of the other form.
        return None
    index = _Index(head)
    _remember(index)
    return index


def _empty() -> _Index:
    head = {
        "version": INDEX_VERSION,
        "gen": _new_gen(),
        "sealed": sealed.is_encrypted(),
        "months": {},
        "dirty": {},
    }
    return _Index(head, fresh=True)


def _set_month(index: _Index, rel: str, raws: list[Raw], *, write: bool = True) -> None:
    """Mark one month changed: its rows and ids in the head, its shard on disk."""
    was = index.dirty[rel]["was"] if rel in index.dirty else index.base(TALLY).get(rel, [])
    rows = [_row(c) for c in raws]
    index.dirty[rel] = {"rows": rows, "ids": _ids_text(raws), "was": was}
    index.raws[rel] = raws
    if not write:
        return
    if raws:
        _save(_shard(rel), {"rel": rel, "commitments": raws})
    else:
        with suppress(FileNotFoundError):
            _file(_shard(rel)).unlink()


def _fold(index: _Index, warn: Warn) -> None:
    """Write a new base with the dirty months in it (a new generation), empty the head's
    dirty list. The head is written after, by the caller."""
    tally = index.by_month(TALLY, "rows")
    ids = index.by_month(IDS, "ids")
    open_ones = index.open(warn)
    gen = _new_gen()
    days = _days_of(tally)
    _save(TALLY, {"gen": gen, "months": tally})
    _save(DAYS, {"gen": gen, "days": days})
    _save(IDS, {"gen": gen, "months": ids})
    rels = [rel for rel, _ in open_ones]
    records = json.dumps([c for _, c in open_ones], separators=(",", ":")).encode()
    header = json.dumps({"gen": gen, "rels": rels}, separators=(",", ":")).encode()
    _save_bytes(OPEN, header[:-1] + OPEN_KEY + records + b"}")
    index.head["gen"] = gen
    index.head["dirty"] = {}
    index._base = {TALLY: tally, DAYS: days, IDS: ids, OPEN: open_ones}
    index._open = (rels, records)
    index.fresh = False


def _finish(index: _Index, warn: Warn) -> None:
    """Fold the dirty months into the base when there are many (or the base is new),
    then write the head (last: it vouches for the others)."""
    if index.fresh or len(index.dirty) > DIRTY_LIMIT:
        _fold(index, warn)
    _save(HEAD, index.head)
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
    except _DAMAGE:
        return _rebuilt(warn, current)


def _rebuilt(warn: Warn, current: dict[str, list[object]] | None = None) -> _Index:
    """The index rebuilt from the month files, in memory first (so nothing another
    process writes meanwhile is combined with it), then written."""
    _drop_head()
    if current is None:
        current = store.month_signatures()
    return _bring_up_to_date(_empty(), current, warn)


def _bring_up_to_date(index: _Index, current: dict[str, list[object]], warn: Warn) -> _Index:
    months: dict[str, Any] = index.head["months"]
    stale = [
        rel for rel, sig in current.items() if months.get(rel, {}).get("sig") != _sig_text(sig)
    ]
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
        months[rel] = _month_entry(current[rel], digest, raws)
        if problem:
            months[rel]["problem"] = problem
    if (index.fresh or stale or gone) and writable:  # a fresh base is written even if empty
        try:
            _finish(index, warn)
        except OSError:
            _drop_head()
    for rel in set(current) - set(stale):
        if months.get(rel, {}).get("problem"):
            warn(store.skipped_text(paths.entries_dir() / rel, months[rel]["problem"]))
    return index


def _answer(warn: Warn, use: Callable[[_Index], T]) -> T:
    """`use` of the fresh index; rebuilt from the month files when a base file is
    damaged (missing, of another generation, unreadable)."""
    index = _refresh(warn)
    try:
        return use(index)
    except _DAMAGE:
        return use(_rebuilt(warn))


# ---------------------------------------------------------------------------------------
# What the use cases ask


def due_by(day: str, warn: Warn) -> tuple[int, str | None]:
    """How many open commitments are due on or before `day` (YYYY-MM-DD), and the text of
    the one due earliest (None when none is due)."""

    def due(index: _Index) -> tuple[int, str | None]:
        months: dict[str, Any] = index.head["months"]
        count = sum(_due_count(m["due"], day) for m in months.values() if "due" in m)
        if not count:
            return 0, None
        first, rel = min((m["first"], rel) for rel, m in months.items() if "first" in m)
        for c in index.records(rel, warn):
            if c["id"] == first[2]:
                return count, str(c["text"])
        return count, None

    return _answer(warn, due)


def tally_days(warn: Warn) -> list[list[str]]:
    """The DAY_LISTS of every commitment (creation days, each outcome's resolution days,
    the open ones' due days), each sorted: a period's counts are two bisects each."""
    return _answer(warn, lambda index: index.days())


@cache
def validator() -> TypeAdapter[list[Commitment]]:
    """pydantic's validator of a list of commitments (built once, on first use)."""
    from pydantic import TypeAdapter

    from leadjournal.models import Commitment

    return TypeAdapter(list[Commitment])


def open_models(warn: Warn) -> list[Commitment]:
    """The open commitments as validated models, in no particular order."""
    return _answer(warn, lambda index: index.open_models(warn))


def open_commitments(warn: Warn) -> list[tuple[str, Raw]]:
    """The open commitments, earliest due first, each with its month file (relative)."""
    return _answer(warn, lambda index: index.open(warn))


def all_commitments(warn: Warn) -> list[Raw]:
    """Every live commitment of the journal, by creation."""
    index = _refresh(warn)
    found = [c for rel in sorted(index.head["months"]) for c in index.records(rel, warn)]
    found.sort(key=lambda c: (c["created_at"], c["id"]))
    return found


def locate(refs: list[str], warn: Warn) -> dict[str, tuple[Path, Raw]]:
    """Each commitment whose id starts with one of `refs`, with its month file: the ids
    file names the months, and only their shards are read. The index is fresh (every
    month's signature checked), so a caller need not read the month to know the record."""

    def months_of(index: _Index) -> list[str]:
        starts = [f" {ref}" for ref in refs]
        ids: dict[str, str] = index.by_month(IDS, "ids")
        if not all(isinstance(text, str) for text in ids.values()):
            raise _Damaged(IDS)
        return sorted(rel for rel, text in ids.items() if any(s in f" {text}" for s in starts))

    index = _refresh(warn)
    try:
        rels = months_of(index)
    except _DAMAGE:
        index = _rebuilt(warn)
        rels = months_of(index)
    found: dict[str, tuple[Path, Raw]] = {}
    for rel in rels:
        for c in index.records(rel, warn):
            if any(c["id"].startswith(ref) for ref in refs):
                found[c["id"]] = (paths.entries_dir() / rel, c)
    return found


def note_month(path: Path, month: MonthFile) -> None:
    """Record a month file just written (the store's OnSaved callback, set by journal.py):
    its shard and the head (and, now and then, a new base).

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
        months[rel] = _month_entry(store.month_signature(path), digest, raws)
        if changed:
            _set_month(index, rel, raws)
        _finish(index, _ignore)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, _Damaged):
        _drop_head()


def _ignore(_: str) -> None:
    """Warnings while folding after a save: the save's own command already warned."""
