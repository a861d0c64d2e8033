"""Month files and the operations on the records in them: the only code that reads or
writes journal files (through fsio's durability primitives).

Layout: <home>/entries/YYYY/YYYY-MM.json, one file per month, each a MonthFile. An entry
lives in the month of its local day (the date in the offset it was written with).

The store calls no index: every write takes an `on_saved(path, month)` callback, which the
use-case layer (journal.py) points at the derived indexes, the way `warn` is passed in.
"""

from __future__ import annotations

import gc
import operator
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from leadjournal import fsio, paths, sealed
from leadjournal.errors import (
    CorruptFileError,
    GitConflictError,
    JournalError,
    NotFoundError,
    Warn,
    ignore_warning,
)

if TYPE_CHECKING:
    from leadjournal.models import Commitment, Entry, MonthFile, Tombstone

    Record = Entry | Commitment

# Called with each month file just written and its contents, under the journal lock.
OnSaved = Callable[[Path, "MonthFile"], None]

# ASCII digits only: "²" and "٢" are digits to str.isdigit() and \d, not in a folder name.
YEAR_NAME = re.compile(r"[0-9]{4}")
# A month's file: plain "2026-11.json", or encrypted "2026-11.json.age" (DESIGN.md
# section 12). Everything above the store names a month by its plain path; the store
# reads and writes whichever form is on disk (main_file).
MONTH_NAME = re.compile(r"([0-9]{4})-([0-9]{2})\.json(?:\.age)?")
# Copies that file sync tools leave beside a file they could not merge:
# Syncthing "2026-11.sync-conflict-20261106-101010-ABCDEFG.json",
# Dropbox "2026-11 (MacBook's conflicted copy 2026-11-06).json"; of an encrypted month
# the marker comes before the last extension ("2026-11.json.sync-conflict-….age",
# "2026-11.json (…'s conflicted copy …).age") or before ".json.age".
_MARK = r"(?:\.sync-conflict-[^/]+?| \([^/]*conflicted copy[^/]*\))"
CONFLICT_NAME = re.compile(
    rf"([0-9]{{4}})-([0-9]{{2}})(?:{_MARK}\.json(?:\.age)?|\.json{_MARK}\.age)"
)
MIN_PREFIX = 4
# git's conflict markers (a merge that could not use the merge driver), each at the start
# of a line; a month file as we write it never has one (JSON strings hold no newline).
CONFLICT_MARKERS = (
    re.compile(rb"^<{7}(?:[ \r\n]|$)", re.MULTILINE),
    re.compile(rb"^={7}\r?$", re.MULTILINE),
    re.compile(rb"^>{7}(?:[ \r\n]|$)", re.MULTILINE),
)
AGE_HEADERS = sealed.AGE_HEADERS
LAST = "last"  # the ID that names the most recent entry


def _not_noted(path: Path, month: MonthFile) -> None:
    """The default OnSaved: nothing to keep in step."""


# ---------------------------------------------------------------------------------------
# Month files


def month_path_for(day: date) -> Path:
    return paths.month_file(day.year, day.month)


def month_paths(
    since: date | None = None, until: date | None = None, warn: Warn = ignore_warning
) -> list[Path]:
    """The month files that can hold entries of days in [since, until], oldest first.

    A month that has only a sync-conflict copy is listed too (its main file missing).
    Whatever is named like a month file is listed, whatever it is (a FIFO, a folder):
    reading it says what it is. A year folder that cannot be listed is skipped, said
    through `warn` (DESIGN.md sections 3 and 18: readers warn and go on).
    Nothing below entries/ that is a symbolic link is listed: it is named through `warn`
    (DESIGN.md section 18; `entries/` itself may be a link).
    """
    root = paths.entries_dir()
    found: set[tuple[int, int]] = set()
    try:
        years = [d for d in os.scandir(root) if YEAR_NAME.fullmatch(d.name)]
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise fsio.storage_error(exc, root, "read") from None
    low = (since.year, since.month) if since else (0, 0)
    high = (until.year, until.month) if until else (9999, 12)
    for year_dir in years:
        year = int(year_dir.name)
        if not low[0] <= year <= high[0]:
            continue
        if year_dir.is_symlink():
            warn(link_warning(year_dir.path))
            continue
        try:
            listed = year_dir.is_dir(follow_symlinks=False)
            items = list(os.scandir(year_dir.path)) if listed else []
        except OSError as exc:
            warn(skipped_text(year_dir.path, f"the folder cannot be read ({fsio.reason(exc)})"))
            continue
        for item in items:
            match = MONTH_NAME.fullmatch(item.name) or CONFLICT_NAME.fullmatch(item.name)
            if not match or int(match[1]) != year or not 1 <= int(match[2]) <= 12:
                continue
            key = (year, int(match[2]))
            if not low <= key <= high:
                continue
            if item.is_symlink():
                warn(link_warning(item.path))
            else:  # whatever it is (a FIFO, a folder): reading it names what it is
                found.add(key)
    return [paths.month_file(year, month) for year, month in sorted(found)]


def sealed_path(path: Path) -> Path:
    """The encrypted form of the plain month file `path`: "2026-11.json.age"."""
    return path.with_name(path.name + sealed.SUFFIX)


def main_file(path: Path, encrypted: bool | None = None) -> Path:
    """The file that holds the month named by its plain path `path`: in an encrypted
    journal the .json.age file (or the plain one while only that exists), in a plain
    journal the .json file (or the encrypted one while only that exists)."""
    if encrypted is None:
        encrypted = sealed.is_encrypted()
    first, second = (sealed_path(path), path) if encrypted else (path, sealed_path(path))
    if first.exists() or not second.exists():
        return first
    return second


def other_form(path: Path, encrypted: bool | None = None) -> Path | None:
    """The month's file in the form the journal does not use, when it lies beside the
    main one (a plain month from an old device beside encrypted ones, or the reverse)."""
    if encrypted is None:
        encrypted = sealed.is_encrypted()
    main = main_file(path, encrypted)
    other = path if main != path else sealed_path(path)
    return other if other != main and other.exists() else None


def month_files(path: Path) -> list[Path]:
    """Every file that holds part of the month: its main file first (maybe missing), then
    the other form and the sync-conflict copies, by name."""
    encrypted = sealed.is_encrypted()
    other = other_form(path, encrypted)
    rest = [*([other] if other else []), *conflict_copies(path)]
    return [main_file(path, encrypted), *sorted(rest, key=lambda p: p.name)]


def link_warning(path: object) -> str:
    """The one wording of 'this link below entries/ was left alone'."""
    return (
        f"Skipped {path}: it is a symbolic link, and leadjournal does not follow links "
        "inside entries/. Run 'leadjournal doctor'."
    )


def refuse_links(path: Path) -> None:
    """A journal file is never read or written through a symbolic link below entries/:
    CorruptFileError (exit 1, the file named, nothing changed) if `path` would be."""
    link = fsio.linked_part(path)
    if link is not None:
        raise CorruptFileError(
            link, "it is a symbolic link, and leadjournal does not follow links inside entries/"
        )


def conflict_copies(path: Path) -> list[Path]:
    """Sync-conflict copies lying beside the month file `path`, by name (of both forms)."""
    prefix = path.name[: -len(".json")]
    try:
        names = [item.name for item in os.scandir(path.parent)]
    except OSError:
        return []
    return sorted(
        path.parent / name
        for name in names
        if name.startswith(prefix)
        and name not in {path.name, path.name + sealed.SUFFIX}
        and CONFLICT_NAME.fullmatch(name)
        and not (path.parent / name).is_symlink()  # never followed (DESIGN.md section 18)
    )


# month_signatures from one scan while held (store.one_scan): a read-only command whose
# indexes each check the months (history, commitments) scans the year folders once.
_held: list[dict[str, list[object]]] = []
_PLAIN_TAILS = (".json", ".json" + sealed.SUFFIX)


@contextmanager
def one_scan() -> Iterator[None]:
    """Within the block, month_signatures answers from its first scan. For read-only use
    cases (the summary): a month changed meanwhile is seen by the next command, the way it
    would be had it changed just after this one looked."""
    _held.clear()
    _held.append({})
    try:
        yield
    finally:
        _held.clear()


def month_signatures() -> dict[str, list[object]]:
    """month_signature for every month, keyed "YYYY/YYYY-MM.json", from one scan of each
    year folder (this runs on every `prompt`: plain strings, no Path objects)."""
    if _held and _held[0]:
        return dict(_held[0])
    signatures = _scan_signatures()
    if _held:
        _held[0] = signatures
        return dict(signatures)
    return signatures


def _scan_signatures() -> dict[str, list[object]]:
    groups: dict[str, list[os.DirEntry[str]]] = {}
    try:
        years = [
            d
            for d in os.scandir(paths.entries_dir())
            if YEAR_NAME.fullmatch(d.name) and d.is_dir(follow_symlinks=False)  # no links
        ]
    except OSError:
        return {}
    encrypted = sealed.is_encrypted()
    for year_dir in years:
        year = year_dir.name
        try:
            items = list(os.scandir(year_dir.path))
        except OSError:
            continue  # the readers name it; a signature only has to change with it
        for item in items:
            name = item.name
            if (
                not name.startswith(year)
                or not name.endswith((".json", sealed.SUFFIX))
                or item.is_symlink()
            ):
                continue
            # The usual name, YYYY-MM.json(.age), without the regular expressions.
            if name[4:5] == "-" and name[7:] in _PLAIN_TAILS and name[5:7].isdigit():
                number = name[5:7]
            else:
                match = MONTH_NAME.fullmatch(name) or CONFLICT_NAME.fullmatch(name)
                if not match or match[1] != year:
                    continue
                number = match[2]
            if "01" <= number <= "12" and number.isascii():
                groups.setdefault(f"{year}/{year}-{number}.json", []).append(item)
    signatures: dict[str, list[object]] = {}
    for rel, items in sorted(groups.items()):
        plain = rel[5:]
        if len(items) == 1:  # the usual month: one file, its main one unless in the other form
            only = items[0]
            main = only.name == (plain + sealed.SUFFIX if encrypted else plain)
            signatures[rel] = [_stamp(only)] if main else _signatures_of(items, plain, encrypted)
        else:
            signatures[rel] = _signatures_of(items, plain, encrypted)
    return signatures


def _signatures_of(items: list[os.DirEntry[str]], plain: str, encrypted: bool) -> list[object]:
    age = plain + sealed.SUFFIX
    names = {item.name for item in items}
    first, second = (age, plain) if encrypted else (plain, age)
    main = first if first in names or second not in names else second
    items.sort(key=lambda item: (item.name != main, item.name))
    missing: list[object] = [] if items[0].name == main else [None]
    return missing + [_stamp(item) for item in items]


def month_signature(path: Path) -> list[object]:
    """What changes whenever the month's main file or any of its copies changes."""
    return [_stamp(item) for item in month_files(path)]


def _stamp(item: Path | os.DirEntry[str]) -> list[object] | None:
    """A file's name, mtime, size and inode (a rename gives a new inode), or None."""
    try:
        st = item.stat()
    except OSError:
        return None
    return [item.name, st.st_mtime_ns, st.st_size, st.st_ino]


def describe_validation_error(exc: Exception) -> str:
    """Flatten a pydantic error into 'field: message' phrases."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return str(exc)
    parts = []
    for error in exc.errors(include_url=False, include_input=False)[:3]:
        where = ".".join(str(p) for p in error["loc"])
        message = error["msg"]
        if error["type"] == "value_error":  # our own words, from a validator
            message = message.removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    more = exc.error_count() - len(parts)
    if more > 0:
        parts.append(f"and {more} more problem{'s' if more > 1 else ''}")
    return "; ".join(parts)


def parse_month(path: Path, data: bytes) -> MonthFile:
    """Validate a month file's bytes; CorruptFileError names the file and the problem."""
    from pydantic import ValidationError

    from leadjournal.models import MonthFile

    if not data or data.isspace():  # (not data.strip(): that copies the whole file)
        raise CorruptFileError(path, "it is empty")
    try:
        month = MonthFile.from_json(data)
    except ValidationError as exc:
        if has_conflict_markers(data):
            raise GitConflictError(path) from None
        raise CorruptFileError(path, describe_validation_error(exc)) from None
    ids = [entry.id for entry in month.entries]
    if len(ids) != len(set(ids)):
        raise CorruptFileError(path, "it holds the same entry id twice")
    if month.commitments:
        ids += [c.id for c in month.commitments]
        if len(ids) != len(set(ids)):
            raise CorruptFileError(path, "it holds the same id twice (entries and commitments)")
    return month


def has_conflict_markers(data: bytes) -> bool:
    """Whether `data` holds git's conflict markers (<<<<<<<, =======, >>>>>>> lines)."""
    return all(marker.search(data) for marker in CONFLICT_MARKERS)


def read_month_file(path: Path) -> MonthFile:
    """One file alone (no conflict copies merged), decrypted when it is an age file; a
    missing file is an empty month."""
    from leadjournal.models import MonthFile

    try:
        data = fsio.read_regular(path)  # never a FIFO or a device: those would hang
    except FileNotFoundError:
        return MonthFile()
    except OSError as exc:
        raise CorruptFileError(path, exc.strerror or str(exc)) from None
    return parse_month(path, plain_bytes(path, data))


def plain_bytes(path: Path, data: bytes) -> bytes:
    """A month file's JSON: `data` itself, or decrypted when it is an age file (binary or
    armored; section 12). CorruptFileError when it cannot be decrypted."""
    if sealed.is_sealed(data):
        return sealed.unseal(path, data)
    if path.name.endswith(sealed.SUFFIX) and data.strip():
        raise CorruptFileError(path, "it is named as an age file but is not one")
    return data


def read_month(path: Path, warn: Warn = ignore_warning) -> MonthFile:
    """A month as every command sees it: the main file merged with the other form beside
    it (plain beside encrypted) and any sync-conflict copies (DESIGN.md sections 7, 12).
    A bad main file raises CorruptFileError; a bad copy is skipped with a warning. A month
    reached through a symbolic link below entries/ is never read (CorruptFileError names
    the link)."""
    refuse_links(path)
    main, *rest = month_files(path)
    refuse_links(main)
    month = read_month_file(main)
    if not rest:
        return month
    others = []
    for copy in rest:
        kind = "sync-conflict copy" if CONFLICT_NAME.fullmatch(copy.name) else "month file"
        try:
            others.append(read_month_file(copy))
        except CorruptFileError as exc:
            warn(f"Skipped the {kind} {exc.path}: {exc.problem}.")
            continue
        if kind == "month file":
            form = "plain" if sealed.is_encrypted() else "encrypted"
            warn(
                f"Reading the {form} month file {copy} too; the next save of that month, or "
                "'leadjournal doctor --fix', merges it into the journal's form and removes it."
            )
            continue
        warn(
            f"Reading the sync-conflict copy {copy} too; run 'leadjournal doctor --fix' "
            "to merge it into the journal."
        )
    return merge_months(month, others)


def encode_month(path: Path, month: MonthFile) -> tuple[Path, bytes]:
    """Where the month named `path` is written and its bytes: encrypted to every
    recipient (path.json.age) while recipients.txt lists a key, else plain JSON."""
    data = dump_month(month)
    keys = sealed.read_recipients()
    if keys:
        # A device without its identity could write a new month it could never read
        # back: like any command on an encrypted journal, it stops and says where the
        # key is expected (NoIdentityError), before anything is written.
        sealed.identities()
        return sealed_path(path), sealed.seal(data, keys)
    return path, data


def save_month(path: Path, month: MonthFile) -> None:
    """Write one month atomically in the journal's form, then retire the other form.
    The caller holds the lock."""
    fsio.atomic_write(*encode_month(path, month))
    retire_other_form(path)


def save_months(months: Sequence[tuple[Path, MonthFile]]) -> None:
    """Several months in one staged commit (fsio.commit_files), in the journal's form."""
    fsio.commit_files([encode_month(path, month) for path, month in months])
    for path, _ in months:
        retire_other_form(path)


def retire_other_form(path: Path) -> None:
    """After the month was saved durably in the journal's form, remove the file in the
    other form beside it (its records are in what was saved). A file in the other form
    that cannot be read was not merged, so it is left as it is."""
    encrypted = sealed.is_encrypted()
    other = path if encrypted else sealed_path(path)
    if not other.exists() or main_file(path, encrypted) == other:
        return
    try:
        read_month_file(other)
    except CorruptFileError:
        return
    try:
        other.unlink()
    except OSError as exc:
        raise fsio.storage_error(exc, other, "remove") from None
    fsio.fsync_dir(other.parent)


def merge_months(main: MonthFile, copies: Sequence[MonthFile]) -> MonthFile:
    """Union by id of entries, commitments and tombstones (one id space); the newer
    updated_at (or deleted_at) wins; on a tie the main file (the first) wins. The one merge
    rule of the journal (DESIGN.md section 7)."""
    from leadjournal.models import Commitment, Entry, MonthFile

    best: dict[str, tuple[datetime, Entry | Commitment | Tombstone]] = {}
    for month in (main, *copies):
        records: list[tuple[datetime, Entry | Commitment | Tombstone]] = [
            (e.updated_at, e) for e in month.entries
        ]
        records += [(c.updated_at, c) for c in month.commitments]
        records += [(t.deleted_at, t) for t in month.tombstones]
        for stamp, record in records:
            current = best.get(record.id)
            if current is None or stamp > current[0]:
                best[record.id] = (stamp, record)
    merged = MonthFile()
    for _, record in best.values():
        if isinstance(record, Entry):
            merged.entries.append(record)
        elif isinstance(record, Commitment):
            merged.commitments.append(record)
        else:
            merged.tombstones.append(record)
    _sort(merged)
    return merged


Placed = tuple[Path, "Entry | Commitment | Tombstone"]


def resolve_ids(months: Sequence[tuple[Path, MonthFile]]) -> dict[str, Placed]:
    """One id, one place (DESIGN.md section 18): for every id in these month files, the
    copy that wins and the file it is in. Section 7's rule across months: the newer
    updated_at (or deleted_at) wins, so a tombstone in one month beats an older copy in
    another. On a tie a live record beats a tombstone (a move leaves a tombstone dated like
    the moved record), then the copy in the month of its day, then the earlier file."""
    best: dict[str, Placed] = {}
    for path, month in months:
        records: list[Entry | Commitment | Tombstone] = [*month.entries, *month.commitments]
        records += month.tombstones
        for record in records:
            current = best.get(record.id)
            if current is None or _wins(path, record, *current):
                best[record.id] = (path, record)
    return best


def _when(record: Entry | Commitment | Tombstone) -> datetime:
    return getattr(record, "updated_at", None) or record.deleted_at  # type: ignore[union-attr]


def _wins(
    path: Path,
    record: Entry | Commitment | Tombstone,
    held_in: Path,
    held: Entry | Commitment | Tombstone,
) -> bool:
    new, old = _when(record), _when(held)
    if new != old:
        return new > old
    live, held_live = hasattr(record, "updated_at"), hasattr(held, "updated_at")
    if live != held_live:
        return live
    if not live:
        return False
    at_home = month_path_for(record.day) == path  # type: ignore[union-attr]
    return at_home and month_path_for(held.day) != held_in  # type: ignore[union-attr]


def live_entries(
    months: Sequence[tuple[Path, MonthFile]],
    since: date | None = None,
    until: date | None = None,
) -> list[Entry]:
    """The live entries of these months whose day is in [since, until], each id once
    (resolve_ids; skipped when no id is in two places, the common case)."""
    entries = [e for _, month in months for e in month.entries]
    if len(months) > 1 or any(month.tombstones for _, month in months):
        ids = [e.id for e in entries]
        for _, month in months:
            ids += [c.id for c in month.commitments]
            ids += [t.id for t in month.tombstones]
        if len(ids) != len(set(ids)):
            from leadjournal.models import Entry

            winners = resolve_ids(months).values()
            entries = [r for _, r in winners if isinstance(r, Entry)]
    if since is not None and until is not None:  # one day computed an entry, not two
        return [e for e in entries if since <= e.day <= until]
    return [
        e
        for e in entries
        if (since is None or e.day >= since) and (until is None or e.day <= until)
    ]


def _sort(month: MonthFile) -> None:
    month.entries.sort(key=lambda e: (e.created_at, e.id))
    month.commitments.sort(key=lambda c: (c.created_at, c.id))
    month.tombstones.sort(key=lambda t: (t.deleted_at, t.id))


def read_version(path: Path) -> MonthFile:
    """One version of a month file that git hands its merge driver (a temporary file at
    the top of the work tree). Only a regular file is read; an empty or invalid one
    raises CorruptFileError.

    An age file is decrypted with this device's identity (section 12); one that cannot
    be decrypted raises CorruptFileError, so git reports a conflict and keeps both.
    """
    try:
        data = fsio.read_regular(path)
    except FileNotFoundError:
        raise CorruptFileError(path, "it does not exist") from None
    except OSError as exc:
        raise CorruptFileError(path, exc.strerror or str(exc)) from None
    return parse_month(path, plain_bytes(path, data))


def write_version(path: Path, month: MonthFile, encrypted: bool = False) -> None:
    """Replace git's temporary version `path` with `month`, atomically: encrypted to the
    work tree's recipients.txt when it lists a key (or when a side was encrypted: then
    with no recipients found, CorruptFileError). Its folder (the top of a work tree, maybe
    not a journal folder) keeps its mode. No journal lock: git runs the driver inside
    `sync`'s merge, which holds it, and no journal file is written."""
    data = dump_month(month)
    keys = _work_tree_recipients()
    if keys:
        data = sealed.seal(data, keys)
    elif encrypted:
        raise CorruptFileError(
            path, "it is encrypted, and no recipients.txt was found to encrypt the merge to"
        )
    fsio.atomic_write(path, data, folder_as_is=True)


def _work_tree_recipients() -> list[str]:
    """recipients.txt of the work tree git runs the driver in (its top, or the journal's
    entries/ folder), else of the journal."""
    top = Path.cwd()
    for folder in (top, paths.entries_dir()):
        keys = sealed.read_recipients(folder)
        if keys:
            return keys
    return []


def dump_month(month: MonthFile) -> bytes:
    """The month as the UTF-8 JSON we store, entries in order. A string that cannot be
    written as UTF-8 (a lone surrogate from some parser) is stored with U+FFFD instead."""
    from pydantic_core import PydanticSerializationError

    _sort(month)
    try:
        text = month.model_dump_json(indent=2)
    except PydanticSerializationError:
        month.entries = [scrubbed(e) for e in month.entries]
        month.commitments = [scrubbed_commitment(c) for c in month.commitments]
        text = month.model_dump_json(indent=2)
    return text.encode("utf-8") + b"\n"


def scrubbed(entry: Entry) -> Entry:
    """The entry with every lone surrogate in its strings replaced by U+FFFD."""
    from leadjournal.text import scrub

    return entry.model_copy(
        update={
            "text": scrub(entry.text),
            "prompt": scrub(entry.prompt) if entry.prompt is not None else None,
            "tags": [scrub(t) for t in entry.tags],
            "steps": [
                step.model_copy(
                    update={
                        "text": scrub(step.text),
                        "answer": scrub(step.answer)
                        if isinstance(step.answer, str)
                        else step.answer,
                    }
                )
                for step in entry.steps
            ],
        }
    )


def scrubbed_commitment(commitment: Commitment) -> Commitment:
    """The commitment with every lone surrogate in its strings replaced by U+FFFD."""
    from leadjournal.text import scrub

    return commitment.model_copy(
        update={
            "text": scrub(commitment.text),
            "note": scrub(commitment.note) if commitment.note is not None else None,
        }
    )


@contextmanager
def no_gc_pauses() -> Iterator[None]:
    """No cyclic garbage collection while many models are built.

    Building 100,000 entries triggers collection after collection, each scanning every
    object made so far: measured, it doubles the time to read a 100,000-entry journal.
    Entries hold no reference cycles, so nothing is left uncollected.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # What was built lives until the command ends: move it out of the collector's way,
        # so the first collection afterwards does not walk 100,000 entries again.
        gc.freeze()
        if was_enabled:
            gc.enable()


def load_entries(
    since: date | None = None, until: date | None = None, warn: Warn = ignore_warning
) -> list[Entry]:
    """Every live entry whose day is in [since, until], chronological.

    An unreadable month file is skipped with a warning that names it; the rest still load.
    """
    with no_gc_pauses():
        return _load_entries(since, until, warn)


def known_ids(warn: Warn = ignore_warning) -> set[str]:
    """Every id in the journal, deleted ones (tombstones) included. Read-only."""
    known: set[str] = set()
    with no_gc_pauses():
        for path in month_paths(warn=warn):
            try:
                month = read_month(path, warn)
            except CorruptFileError as exc:
                warn(skipped_message(exc))
                continue
            known.update(e.id for e in month.entries)
            known.update(c.id for c in month.commitments)
            known.update(t.id for t in month.tombstones)
    return known


def month_commitments(path: Path, warn: Warn = ignore_warning) -> list[Commitment]:
    """The live commitments of one month; none if it is unreadable (said through warn)."""
    try:
        return read_month(path, warn).commitments
    except CorruptFileError as exc:
        warn(skipped_message(exc))
        return []


def skipped_message(exc: CorruptFileError) -> str:
    """The one wording of 'this month file was left out'."""
    return skipped_text(exc.path, exc.problem)


def skipped_text(path: object, problem: str) -> str:
    return f"Skipped {path}: {problem}. Run 'leadjournal doctor'."


def _load_entries(since: date | None, until: date | None, warn: Warn) -> list[Entry]:
    with no_gc_pauses():  # a week's two months are 1,700 entries on the big journal
        entries = live_entries(_read_months(month_paths(since, until, warn), warn), since, until)
    entries.sort(key=entry_order)
    return entries


def _read_months(month_list: Sequence[Path], warn: Warn) -> list[tuple[Path, MonthFile]]:
    """The readable months of `month_list`; each unreadable one skipped with a warning."""
    read = []
    for path in month_list:
        try:
            read.append((path, read_month(path, warn)))
        except CorruptFileError as exc:
            warn(skipped_message(exc))
    return read


# Chronological: by the instant written, then id (attrgetter: no Python call per entry).
entry_order = operator.attrgetter("created_at", "id")


def month_entries(
    path: Path, since: date | None = None, until: date | None = None, warn: Warn = ignore_warning
) -> list[Entry]:
    """The live entries of one month whose day is in [since, until]; none if unreadable."""
    try:
        month = read_month(path, warn)
    except CorruptFileError as exc:
        warn(skipped_message(exc))
        return []
    return [
        e
        for e in month.entries
        if (since is None or e.day >= since) and (until is None or e.day <= until)
    ]


def latest_entries(
    limit: int,
    keep: Callable[[Entry], bool],
    since: date | None = None,
    until: date | None = None,
    warn: Warn = ignore_warning,
) -> list[Entry]:
    """The `limit` most recent entries that `keep` accepts, chronological, reading months
    from the newest back only as far as needed (plus one month, because entries written in
    other UTC offsets can cross a month boundary in instant order)."""
    read: list[tuple[Path, MonthFile]] = []
    count = 0
    enough = False
    with no_gc_pauses():
        for path in reversed(month_paths(since, until, warn)):
            month = _read_months([path], warn)
            read += month
            count += sum(1 for _, m in month for e in m.entries if keep(e))
            if enough:
                break
            enough = count >= limit
        found = [e for e in live_entries(read, since, until) if keep(e)]
    found.sort(key=entry_order)
    return found[-limit:] if limit > 0 else []


def _update_month(path: Path, change: Callable[[MonthFile], None], on_saved: OnSaved) -> None:
    """Read, change and atomically rewrite one month file. The caller holds the lock."""
    month = read_month(path)  # raises CorruptFileError: a bad file is never rewritten
    change(month)
    save_month(path, month)
    on_saved(path, month)


# ---------------------------------------------------------------------------------------
# Operations on entries


def new_id() -> str:
    """A random 64-bit id in hex."""
    return fsio.token(8)


def add_entry(
    entry: Entry, commitments: Sequence[Commitment] = (), on_saved: OnSaved = _not_noted
) -> None:
    """Save a new entry, and the commitments made with it, in one write of its month file
    (they are created at the entry's moment, so they share its month)."""
    path = month_path_for(entry.day)
    if any(month_path_for(c.day) != path for c in commitments):
        raise ValueError("commitments saved with an entry are created in its month")

    def add(month: MonthFile) -> None:
        month.entries.append(entry)
        month.commitments.extend(commitments)

    with fsio.journal_lock():
        _update_month(path, add, on_saved)


def add_commitment(commitment: Commitment, on_saved: OnSaved = _not_noted) -> None:
    """Save a new commitment in the month file of its creation day."""
    path = month_path_for(commitment.day)
    with fsio.journal_lock():
        _update_month(path, lambda month: month.commitments.append(commitment), on_saved)


class Added(NamedTuple):
    entries: int
    skipped: int  # already in the journal (or deleted there): entries and commitments
    commitments: int
    repeated: int = 0  # records whose id came earlier in the same import (not added twice)


def add_records(
    entries: Sequence[Entry],
    commitments: Sequence[Commitment] = (),
    on_saved: OnSaved = _not_noted,
    saving: Callable[[], AbstractContextManager[None]] = nullcontext,
) -> Added:
    """Save many records at once (import): all or nothing. `saving` (a progress display)
    is entered only when there is something to save.

    A record whose id is already in the journal, or was deleted there (a tombstone), is
    skipped, so importing the same records twice adds nothing. Every changed month is
    first written to a temp file and fsynced; only then are the temp files renamed into
    place. A failure before the renames changes nothing; a crash during them leaves some
    months done, and running the import again completes the rest.
    """
    by_key: dict[tuple[int, int], tuple[list[Entry], list[Commitment]]] = {}
    for entry in entries:
        day = entry.created_at  # its local day's year and month, without building a date
        by_key.setdefault((day.year, day.month), ([], []))[0].append(entry)
    for commitment in commitments:
        day = commitment.created_at
        by_key.setdefault((day.year, day.month), ([], []))[1].append(commitment)
    by_month = {paths.month_file(*key): group for key, group in by_key.items()}
    added = skipped = made = 0
    with fsio.journal_lock(), no_gc_pauses():
        for path in by_month:
            read_month(path)  # a month the import must change is readable, or we stop here
        known = known_ids()
        in_journal = frozenset(known)
        repeated = 0
        staged: list[tuple[Path, MonthFile]] = []
        for path, (new_entries, new_commitments) in sorted(by_month.items()):
            month = read_month(path)
            fresh = [e for e in new_entries if _is_new(e.id, known)]
            fresh_commitments = [c for c in new_commitments if _is_new(c.id, known)]
            skipped += len(new_entries) - len(fresh)
            skipped += len(new_commitments) - len(fresh_commitments)
            # Not in the journal yet not fresh: an id that came earlier in the same import.
            outside = sum(1 for e in new_entries if e.id not in in_journal)
            outside += sum(1 for c in new_commitments if c.id not in in_journal)
            repeated += outside - len(fresh) - len(fresh_commitments)
            if fresh or fresh_commitments:
                month.entries.extend(fresh)
                month.commitments.extend(fresh_commitments)
                added += len(fresh)
                made += len(fresh_commitments)
                staged.append((path, month))
        if staged:
            with saving():
                save_months(staged)
        for path, month in staged:
            on_saved(path, month)
    return Added(added, skipped, made, repeated)


def _is_new(record_id: str, known: set[str]) -> bool:
    if record_id in known:
        return False
    known.add(record_id)
    return True


def add_entries(entries: Sequence[Entry], on_saved: OnSaved = _not_noted) -> tuple[int, int]:
    """add_records for entries alone: (added, skipped)."""
    result = add_records(entries, (), on_saved)
    return result.entries, result.skipped


def find_entry(ref: str, warn: Warn = ignore_warning) -> tuple[Path, Entry]:
    """The entry whose id is `ref` or starts with it (at least 4 characters)."""
    from leadjournal.models import Entry

    path, record = find_record(ref, warn, kinds=(Entry,))
    assert isinstance(record, Entry)  # noqa: S101 - only entries were looked for
    return path, record


def find_commitment(ref: str, warn: Warn = ignore_warning) -> tuple[Path, Commitment]:
    """The commitment whose id is `ref` or starts with it (at least 4 characters)."""
    from leadjournal.models import Commitment

    path, record = find_record(ref, warn, kinds=(Commitment,))
    assert isinstance(record, Commitment)  # noqa: S101 - only commitments were looked for
    return path, record


_KIND_NAMES = {"Entry": ("entry", "entries"), "Commitment": ("commitment", "commitments")}


def find_record(
    ref: str, warn: Warn = ignore_warning, kinds: tuple[type, ...] | None = None
) -> tuple[Path, Record]:
    """The entry or commitment (they share one id space) whose id is `ref` or starts with
    it (at least 4 characters); `kinds` narrows which are looked for."""
    from leadjournal.models import Commitment, Entry

    kinds = kinds or (Entry, Commitment)
    one, many = (
        _KIND_NAMES[kinds[0].__name__] if len(kinds) == 1 else ("entry or commitment", "records")
    )
    where = "leadjournal commitments" if kinds == (Commitment,) else "leadjournal list"
    ref = ref.strip()
    if ref.lower() == LAST and Entry in kinds:
        return last_entry(warn)
    if len(ref) < MIN_PREFIX:
        article = "an" if one[0] in "aeiou" else "a"
        raise NotFoundError(
            f"'{ref}' is too short to name {article} {one}: give at least {MIN_PREFIX} characters "
            f"of its id (see '{where}')."
        )
    read: list[tuple[Path, MonthFile]] = []
    try:
        candidates = [p for p in month_paths(warn=warn) if _may_hold(ref, month_files(p))]
    finally:
        _sealed_ids.save()
    for path in candidates:  # a cheap test before validating the month
        try:
            read.append((path, read_month(path, warn)))
        except CorruptFileError as exc:
            warn(skipped_message(exc))
            continue
    # Each id once, as resolve_ids places it (a copy in another month never shows twice,
    # and a tombstone anywhere hides an older copy).
    matches: list[tuple[Path, Record]] = [
        (path, record)  # type: ignore[misc]  # isinstance of `kinds`: entries, commitments
        for record_id, (path, record) in resolve_ids(read).items()
        if record_id.startswith(ref) and isinstance(record, kinds)
    ]
    exact = [m for m in matches if m[1].id == ref]
    if exact:
        return exact[0]
    if not matches:
        raise NotFoundError(
            f"No {one} has an id starting with '{ref}'.", hint=f"See '{where}' for the ids."
        )
    if len(matches) > 1:
        shown = ", ".join(sorted(r.id for _, r in matches)[:10])
        raise NotFoundError(
            f"'{ref}' matches {len(matches)} {many}: {shown}.",
            hint="Give more characters of the id.",
        )
    return matches[0]


def raw_entries_newest_month_first() -> Iterator[dict[str, Any]]:
    """Every entry as plain JSON, month files newest first, without validation: for shell
    completion, which must be fast and must never fail (an unreadable month is skipped)."""
    import json

    for path in reversed(month_paths()):
        try:
            main = main_file(path)
            data = json.loads(plain_bytes(main, fsio.read_regular(main)))
            entries = data.get("entries", [])
        except (OSError, ValueError, AttributeError, JournalError):
            continue
        yield from (e for e in entries if isinstance(e, dict))


def last_entry(warn: Warn = ignore_warning) -> tuple[Path, Entry]:
    """`last`: the most recent entry, by created_at, and its month file."""
    latest = latest_entries(1, lambda _: True, warn=warn)
    if not latest:
        raise NotFoundError("There is no entry yet, so 'last' names nothing.")
    return month_path_for(latest[0].day), latest[0]


def _may_hold(text: str, files: Sequence[Path]) -> bool:
    """A cheap test before validating a month: whether any of its files can hold `text`
    (the start of an id, or an entry id a commitment links to; may_hold on the bytes). An
    encrypted file is tested against the ids it holds (_SealedIds), so it is decrypted
    once, not on every look-up. A file that cannot be decrypted may hold it: read_month
    then names it."""
    for path in files:
        if path.name.endswith(sealed.SUFFIX):
            ids = _sealed_ids.of(path)
            if ids is None or f" {text}" in ids:
                return True
            continue
        data = _bytes_or_empty(path)
        try:
            if may_hold(plain_bytes(path, data), text):
                return True
        except CorruptFileError:
            return True
    return False


class _SealedIds:
    """The ids in each encrypted month file (entries', commitments', the entries that
    commitments link to, tombstones'), keyed by the file's name, mtime, size and inode, in
    cache/sealed-ids.json: ids only, never text (DESIGN.md section 12). Lets `show ID`,
    `resolve ID` and `delete` test an encrypted month without decrypting it every time.
    A cache: missing, stale or damaged, it is rebuilt."""

    NAME = "sealed-ids.json"

    def __init__(self) -> None:
        self.known: dict[str, list[Any]] | None = None
        self.dirty = False

    def _load(self) -> dict[str, list[Any]]:
        if self.known is None:
            import json

            try:
                data = json.loads((paths.cache_dir() / self.NAME).read_bytes())
                self.known = data if isinstance(data, dict) else {}
            except (OSError, ValueError):
                self.known = {}
        return self.known

    def of(self, path: Path) -> str | None:
        """The ids in `path`, each after a space (one string: quick to load, to save and
        to search for the start of an id; an id holding a space only adds a false hit,
        which reading the month rules out), or None when it cannot be decrypted."""
        import json

        known = self._load()
        stamp = _stamp(path)
        key = str(path)
        held = known.get(key)
        if stamp is not None and isinstance(held, list) and len(held) == 2 and held[0] == stamp:
            return str(held[1])
        try:
            data = json.loads(plain_bytes(path, fsio.read_regular(path)))
            ids = [r["id"] for r in data.get("entries", [])]
            ids += [r["id"] for r in data.get("tombstones", [])]
            for c in data.get("commitments", []):
                ids.append(c["id"])
                if c.get("entry_id"):
                    ids.append(c["entry_id"])
            joined = "".join(f" {i}" for i in ids)
        except (OSError, ValueError, KeyError, TypeError, AttributeError, CorruptFileError):
            return None
        if stamp is not None:
            known[key] = [stamp, joined]
            self.dirty = True
        return joined

    def save(self) -> None:
        """Write what was learnt (best effort), dropping files that are gone."""
        if not self.dirty or self.known is None:
            return
        import json

        self.known = {k: v for k, v in self.known.items() if Path(k).exists()}
        data = json.dumps(self.known, separators=(",", ":")).encode()
        fsio.write_cache(paths.cache_dir() / self.NAME, data)
        self.dirty = False


_sealed_ids = _SealedIds()


def may_hold(data: bytes, text: str) -> bool:
    """Whether the bytes of a month file can hold the string `text` (an id, or the start of
    one): a test on the bytes, so that a lookup does not parse every month. In the file the
    string is JSON-escaped (an imported id may hold '"' or '\\'), so the escaped form is
    looked for; a file with any \\u escape (a hand-edited one may spell any character so)
    may hold anything, and is parsed."""
    import json

    escaped = json.dumps(text, ensure_ascii=False)[1:-1].encode("utf-8", "replace")
    return escaped in data or b"\\u" in data


def _bytes_or_empty(path: Path) -> bytes:
    try:
        return fsio.read_regular(path)
    except OSError:
        return b""


def update_entry(
    entry_id: str, change: Callable[[Entry], Entry], on_saved: OnSaved = _not_noted
) -> Entry:
    """Apply `change` to the entry as it is on disk now, under the lock, and save what it
    returns (DESIGN.md section 18: an edit is applied to the record on disk, never to a
    copy read before the lock). `change` may raise to refuse (a conflicting edit).

    The entry is found wherever it is (another terminal may have moved it); if its day now
    lies in another month it is moved. Every month file that held a live copy of it gets a
    tombstone instead, so the id is in one place; the month it goes to and those files are
    one staged commit (fsio.commit_files: a failure before the renames changes nothing; a
    crash between them leaves an older copy that readers resolve away by updated_at).

    Returns the entry as saved: its updated_at is made later than that of any copy of it
    (a copy from a device whose clock runs ahead), so the change wins.
    """
    from leadjournal.models import Entry, Tombstone

    with fsio.journal_lock():
        holders, winner = _holding(entry_id)
        if winner is None or not isinstance(winner[1], Entry):
            raise NotFoundError(f"Entry {entry_id} was deleted meanwhile; nothing was changed.")
        saved = change(winner[1])
        newest = max(_when(r) for _, m in holders for r in _records_of(m, entry_id))
        if saved.updated_at <= newest:
            saved = saved.model_copy(update={"updated_at": newest + _A_SECOND})
        new_path = month_path_for(saved.day)
        changed = {p: m for p, m in holders if any(e.id == entry_id for e in m.entries)}
        if new_path not in changed:
            changed[new_path] = dict(holders).get(new_path) or read_month(new_path)
        for path, month in changed.items():
            _drop(month, entry_id)
            month.tombstones = [t for t in month.tombstones if t.id != entry_id]
            if path == new_path:
                month.entries.append(saved)
            else:  # so that a copy of the old month cannot bring the entry back there
                month.tombstones.append(Tombstone(id=entry_id, deleted_at=saved.updated_at))
        # The new place first: a crash between the renames leaves the entry in two files,
        # never in none, and readers show the newer copy only.
        order = sorted(changed, key=lambda p: (p != new_path, p))
        save_months([(p, changed[p]) for p in order])
        for p in order:
            on_saved(p, changed[p])
    return saved


def _records_of(month: MonthFile, record_id: str) -> list[Entry | Commitment | Tombstone]:
    records: list[Entry | Commitment | Tombstone] = []
    records += [e for e in month.entries if e.id == record_id]
    records += [c for c in month.commitments if c.id == record_id]
    records += [t for t in month.tombstones if t.id == record_id]
    return records


def _holding(record_id: str) -> tuple[list[tuple[Path, MonthFile]], Placed | None]:
    """Every month file holding the id (as an entry, a commitment or a tombstone), and the
    copy that wins (resolve_ids). A month that may hold it must be readable, or we stop
    here (CorruptFileError). The caller holds the lock."""
    holders: list[tuple[Path, MonthFile]] = []
    try:
        candidates = [p for p in month_paths() if _may_hold(record_id, month_files(p))]
    finally:
        _sealed_ids.save()
    for path in candidates:
        month = read_month(path)
        if _records_of(month, record_id):
            holders.append((path, month))
    return holders, resolve_ids(holders).get(record_id)


def update_commitment(
    path: Path,
    commitment_id: str,
    change: Callable[[Commitment], Commitment],
    on_saved: OnSaved = _not_noted,
) -> Commitment:
    """Apply `change` to the commitment as it is on disk now, under the lock (so a change
    made meanwhile by another terminal is kept), and save it; the commitment as saved. Its
    updated_at is made later than any copy's, so the change wins a merge."""
    saved: list[Commitment] = []

    def apply(month: MonthFile) -> None:
        current = next((c for c in month.commitments if c.id == commitment_id), None)
        if current is None:
            raise NotFoundError(
                f"Commitment {commitment_id} was deleted meanwhile; nothing was changed."
            )
        new = change(current)
        if new.updated_at <= current.updated_at:
            new = new.model_copy(update={"updated_at": current.updated_at + _A_SECOND})
        month.commitments = [new if c.id == commitment_id else c for c in month.commitments]
        saved.append(new)

    with fsio.journal_lock():
        _update_month(path, apply, on_saved)
    return saved[0]


def delete_entry(
    path: Path, entry_id: str, when: datetime, on_saved: OnSaved = _not_noted
) -> list[str]:
    """delete_record for an entry; the ids of the linked commitments deleted with it."""
    return delete_record(path, entry_id, when, on_saved)


def delete_record(
    path: Path, record_id: str, when: datetime, on_saved: OnSaved = _not_noted
) -> list[str]:
    """Remove an entry or a commitment, leaving a tombstone in its month file; an entry
    takes its linked commitments with it, in one staged commit of every month touched.
    Each tombstone is dated after the record's last change even if a copy of it is dated
    ahead of this clock. Returns the ids of the linked commitments deleted."""
    from leadjournal.models import Entry, Tombstone

    with fsio.journal_lock():
        holders, winner = _holding(record_id)
        if winner is None or isinstance(winner[1], Tombstone):
            raise NotFoundError(f"{record_id} is already gone; nothing was changed.")
        path, current = winner
        assert not isinstance(current, Tombstone)  # noqa: S101 - checked just above
        # Every live copy goes, wherever it is: the id is then deleted in every month.
        changed: dict[Path, MonthFile] = {}
        doomed: dict[Path, list[Entry | Commitment]] = {}
        for holder, month in holders:
            live = [r for r in _records_of(month, record_id) if not isinstance(r, Tombstone)]
            if live:
                changed[holder] = month
                doomed[holder] = live
        if isinstance(current, Entry):
            for other, linked in _linked_commitments(record_id):
                changed.setdefault(other, linked[0])
                doomed.setdefault(other, []).extend(linked[1])
        for target, gone in doomed.items():
            target_month = changed[target]
            for record in gone:
                _drop(target_month, record.id)
                target_month.tombstones = [t for t in target_month.tombstones if t.id != record.id]
                stamp = max(when, record.updated_at + _A_SECOND)
                target_month.tombstones.append(Tombstone(id=record.id, deleted_at=stamp))
        # The record's own month last: if the commit stops halfway, the record is still
        # there, so the same delete can be run again to finish it.
        order = sorted(changed, key=lambda p: (p == path, p))
        save_months([(p, changed[p]) for p in order])
        for p, m in changed.items():
            on_saved(p, m)
    return list(dict.fromkeys(r.id for gone in doomed.values() for r in gone if r.id != record_id))


def _linked_commitments(entry_id: str) -> list[tuple[Path, tuple[MonthFile, list[Commitment]]]]:
    """Every month holding commitments linked to the entry, with them (a byte test first,
    so months that cannot hold one are not parsed). The caller holds the lock."""
    found = []
    try:
        candidates = [p for p in month_paths() if _may_hold(entry_id, month_files(p))]
    finally:
        _sealed_ids.save()
    for path in candidates:
        month = read_month(path)  # a month that must change is readable, or we stop here
        linked = [c for c in month.commitments if c.entry_id == entry_id]
        if linked:
            found.append((path, (month, linked)))
    return found


_A_SECOND = timedelta(seconds=1)


def _drop(month: MonthFile, record_id: str) -> None:
    month.entries = [e for e in month.entries if e.id != record_id]
    month.commitments = [c for c in month.commitments if c.id != record_id]
