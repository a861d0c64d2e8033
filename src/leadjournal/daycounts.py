"""The derived day counts of month files under <home>/cache/counts/ (a cache only).

The human `summary` compares its period with the period before, and that comparison
needs only counts: entries and words by day and theme. For a month that only the period
before needs (the week before a month's first week, the year before `--weeks 52`), the
counts come from here instead of reading, decrypting and validating the whole month.

One file a month holds its day counts (day ordinals, theme ids, numbers) and its ids:
nothing derived from text but counts, so the same file serves a plain and an encrypted
journal (DESIGN.md section 12: ids, dates, themes, prompt ids, counts and hashes only).
Each is stamped with its month file's signature (name, mtime, size, inode; in an encrypted
journal the identity file's too, so another key reads the month again and says what it
cannot read). A stale, missing or damaged file is rebuilt from the month; deleting it is
always safe. A month with a conflict copy or a file of the other form beside it, or one
that cannot be read, is read in full every time, so that its warnings are said as before.
"""

from __future__ import annotations

import json
import stat
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from leadjournal import fsio, paths, sealed, store
from leadjournal.errors import CorruptFileError, JournalError

if TYPE_CHECKING:
    from datetime import date

    from leadjournal.errors import Warn
    from leadjournal.models import Entry, MonthFile
    from leadjournal.summary import DayCount

VERSION = 1


class Counted(NamedTuple):
    """A month's day counts and every id it holds (entries, commitments, tombstones)."""

    counts: list[DayCount]
    ids: list[str]


def counts_dir() -> Path:
    return paths.cache_dir() / "counts"


def cache_file(path: Path) -> Path:
    """The counts of the month named by its plain path: cache/counts/YYYY-MM.json."""
    return counts_dir() / path.name


def signature(path: Path) -> list[object] | None:
    """What the counts of the month `path` are stamped with, or None when they may not
    stand for it (a copy or the other form beside it, a link, no regular file, no
    identity for an encrypted month): such a month is read in full."""
    files = store.month_files(path)
    if len(files) != 1:
        return None
    main = files[0]
    try:
        st = main.lstat()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    stamp: list[object] = [main.name, st.st_mtime_ns, st.st_size, st.st_ino]
    if main.name.endswith(sealed.SUFFIX):
        identity = sealed.identity_file()
        try:
            key = identity.stat()
        except OSError:
            return None  # reading the month says where the key is expected
        stamp += [str(identity), key.st_mtime_ns, key.st_size, key.st_ino]
    return stamp


def load(path: Path, stamp: list[object]) -> Counted | None:
    """The stored counts of the month, if they were made from it as it is now."""
    try:
        data = json.loads(fsio.read_regular(cache_file(path)))
    except (OSError, ValueError, RecursionError):  # (a damaged file nested too deep)
        return None
    return _checked(data, stamp)


def _checked(data: Any, stamp: list[object]) -> Counted | None:
    """The counts in `data` when it has the right version, stamp and shape, else None (a
    damaged cache is as good as none)."""
    if not isinstance(data, dict) or data.get("version") != VERSION or data.get("sig") != stamp:
        return None
    rows, ids = data.get("counts"), data.get("ids")
    if not isinstance(rows, list) or not isinstance(ids, list):
        return None
    if not all(map(_is_row, rows)) or not all(isinstance(i, str) for i in ids):
        return None
    return Counted([(day, theme, n, words) for day, theme, n, words in rows], ids)


def _is_row(row: object) -> bool:
    """[day ordinal, theme or null, entries, words], the numbers whole and not negative."""
    return (
        type(row) is list
        and len(row) == 4
        and type(row[0]) is int
        and type(row[2]) is int
        and type(row[3]) is int
        and (row[1] is None or type(row[1]) is str)
        and min(row[0], row[2], row[3]) >= 0
    )


def count_month(path: Path, month: MonthFile) -> Counted:
    """The day counts of the month's live entries (tombstones applied, as every reader
    does) and all of its ids."""
    from leadjournal.summary import day_counts

    ids = {e.id for e in month.entries}
    ids.update(c.id for c in month.commitments)
    ids.update(t.id for t in month.tombstones)
    return Counted(day_counts(store.live_entries([(path, month)])), sorted(ids))


def save(path: Path, stamp: list[object], counted: Counted) -> None:
    """Store the counts (best effort, like every cache)."""
    data = {"version": VERSION, "sig": stamp, "counts": counted.counts, "ids": counted.ids}
    fsio.write_cache(cache_file(path), json.dumps(data, separators=(",", ":")).encode())


def note_month(path: Path, month: MonthFile) -> None:
    """Keep the counts of a month just written (the caller holds the lock) in step: part
    of the store's OnSaved (journal.note_saved). Only a month whose counts are kept is
    counted again, so a write pays one stat for a month no summary has counted.

    Best effort: the month file is already saved, so nothing here may fail the command;
    counts that cannot be updated are removed (and rebuilt when next needed).
    """
    target = cache_file(path)
    try:
        if not target.exists():
            return
        stamp = signature(path)
        if stamp is None:
            target.unlink()
            return
        save(path, stamp, count_month(path, month))
    except (OSError, ValueError, JournalError):  # (recipients.txt unreadable: StorageError)
        with suppress(OSError):
            target.unlink()


def entries_and_counts(
    since: date, start: date, end: date, warn: Warn
) -> tuple[list[Entry], list[DayCount]]:
    """What the human summary of [start, end] needs, with the period before it from
    `since`: the live entries of [since, end], chronological, as store.load_entries gives
    them, except those of the months before `start`'s that only the period before needs
    and whose counts are kept: those come as day counts.

    The counts stand for a month only when nothing in it can change what the others show:
    no id in two months (one id, one place: store.resolve_ids would have to choose) and no
    entry of its own dated inside [start, end]. Otherwise the month is read, as before.
    """
    first = (start.year, start.month)
    read: list[tuple[Path, MonthFile]] = []
    counted: list[tuple[Path, Counted]] = []
    with store.no_gc_pauses():
        for path in store.month_paths(since, end, warn):
            if _month_key(path) < first and (known := _known(path)) is not None:
                counted.append((path, known))
                continue
            try:
                read.append((path, store.read_month(path, warn)))
            except CorruptFileError as exc:
                warn(store.skipped_message(exc))
        if counted and not _independent(read, counted, start, end):
            for path, _ in counted:  # rare: read them all, the way load_entries does
                try:
                    read.append((path, store.read_month(path, warn)))
                except CorruptFileError as exc:
                    warn(store.skipped_message(exc))
            read.sort(key=lambda item: _month_key(item[0]))
            counted = []
        entries = store.live_entries(read, since, end)
    entries.sort(key=store.entry_order)
    return entries, [row for _, known in counted for row in known.counts]


def _month_key(path: Path) -> tuple[int, int]:
    return int(path.name[:4]), int(path.name[5:7])


def _known(path: Path) -> Counted | None:
    """The month's counts: the stored ones, or counted now from the month and stored
    (None when the month must be read in full: see signature)."""
    stamp = signature(path)
    if stamp is None:
        return None
    known = load(path, stamp)
    if known is not None:
        return known
    try:
        month = store.read_month(path)
    except CorruptFileError:
        return None  # read again by the caller, which says what is wrong with it
    known = count_month(path, month)
    save(path, stamp, known)
    return known


def _independent(
    read: list[tuple[Path, MonthFile]], counted: list[tuple[Path, Counted]], start: date, end: date
) -> bool:
    """Whether the counted months may stand apart: none holds an entry dated in
    [start, end], and no id lies in two months."""
    low, high = start.toordinal(), end.toordinal()
    if any(low <= row[0] <= high for _, known in counted for row in known.counts):
        return False
    seen: set[str] = set()
    size = 0
    for _, known in counted:
        seen.update(known.ids)
        size += len(known.ids)
    for _, month in read:
        for records in (month.entries, month.commitments, month.tombstones):
            seen.update(r.id for r in records)
            size += len(records)
    return len(seen) == size
