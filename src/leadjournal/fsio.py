"""Durability primitives: atomic writes, staged multi-file commits, fsync of files and
folders, private folders, the journal lock and cache writes. Nothing above this module
writes bytes to disk by itself (DESIGN.md section 3).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from leadjournal import paths
from leadjournal.errors import LockTimeoutError, StorageError

FILE_MODE = 0o600
DIR_MODE = 0o700
DEFAULT_LOCK_TIMEOUT = 10.0
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

# What the disk said, in the two groups whose advice differs.
DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
NOT_ALLOWED = (errno.EACCES, errno.EPERM, errno.EROFS)


def token(nbytes: int) -> str:
    """Random hex (imported here: `secrets` is slow to import and rarely needed)."""
    import secrets

    return secrets.token_hex(nbytes)


TEMP_BYTES = 6
# Our temp files, and only ours: ".<name>.<12 hex digits>.tmp" (temp_name).
TEMP_NAME = re.compile(rf"\.(.+)\.[0-9a-f]{{{2 * TEMP_BYTES}}}\.tmp")


def temp_name(path: Path) -> Path:
    """A hidden temp file beside `path` that never ends in .json (DESIGN.md section 3)."""
    return path.with_name(f".{path.name}.{token(TEMP_BYTES)}.tmp")


def is_our_temp(name: str) -> bool:
    """Whether a file name is one temp_name makes (another program's *.tmp is not ours)."""
    return TEMP_NAME.fullmatch(name) is not None


def reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def storage_error(exc: OSError, path: Path, doing: str) -> StorageError:
    """The journal's message for a refused disk operation: what, where, and what to do."""
    if exc.errno in DISK_FULL:
        hint = "Free some disk space and try again. Nothing was changed."
    elif exc.errno in NOT_ALLOWED:
        hint = "Check the permissions of the journal folder. Nothing was changed."
    else:
        hint = "Nothing was changed."
    return StorageError(f"Could not {doing} {path}: {reason(exc)}.", hint=hint)


# ---------------------------------------------------------------------------------------
# Reading


class NotRegularFileError(OSError):
    """A FIFO, device, socket or folder where a file we read should be: never read from
    (a FIFO blocks forever, /dev/zero never ends). An OSError, so that every reader's
    handling of an unreadable file applies; its strerror names the kind of thing it is."""


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words ('a named pipe (FIFO)')."""
    return next((name for test, name in _KINDS if test(mode)), "an unknown kind of file")


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file. Opened without blocking (O_NONBLOCK: a FIFO with no
    writer would block the open forever) and checked with fstat on the open descriptor
    before a byte is read, so that nothing named like a journal, prompts or config file
    can hang a command. Anything else raises NotRegularFileError (an OSError)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OSError(exc.errno, "it is a symbolic link loop", str(path)) from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = file_kind(mode)
            raise NotRegularFileError(errno.EINVAL, f"it is {kind}, not a regular file", str(path))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------
# fsync


def fsync_folder(directory: Path) -> None:
    """fsync a folder; file systems that cannot do that for folders are let be. Other
    errors are raised as OSError."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def fsync_dir(directory: Path) -> None:
    """Make a rename in `directory` durable. Called after the rename: if the disk reports an
    error now, the new file is in place but not confirmed, and the message says exactly that."""
    try:
        fsync_folder(directory)
    except OSError as exc:
        raise StorageError(
            f"The change in {directory} was written, but the disk reported an error "
            f"while confirming it ({reason(exc)}).",
            hint="Check the disk, then run 'leadjournal doctor'.",
        ) from None


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------
# Folders


def make_private_dir(path: Path) -> bool:
    """Create one folder 0700 whatever the umask, durably; True if it was created. An
    existing folder is left as it is. Raises OSError."""
    try:
        path.mkdir(mode=DIR_MODE)
    except FileExistsError:
        return False
    # A new folder survives a power cut only once its parent is flushed.
    fsync_folder(path.parent)
    if stat.S_IMODE(path.stat().st_mode) != DIR_MODE:
        path.chmod(DIR_MODE)
    return True


def ensure_private_dir(path: Path, stop: Path | None = None) -> None:
    """Create `path` as 0700, and tighten any looser folder from the journal home down to it.

    Folders above the journal home (`stop`) are created as usual (the umask decides) and
    left alone.
    """
    stop = stop or paths.data_dir()
    if path == stop or stop in path.parents:
        parts = path.relative_to(stop).parts
        chain = [stop, *(stop.joinpath(*parts[: i + 1]) for i in range(len(parts)))]
    else:
        chain = [path]
    try:
        chain[0].parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise storage_error(exc, chain[0].parent, "create the folder") from None
    for directory in chain:
        try:
            if not make_private_dir(directory):
                # Tightened, never loosened: a folder the user made 0500 stays 0500.
                mode = stat.S_IMODE(directory.stat().st_mode)
                if mode & ~DIR_MODE:
                    directory.chmod(mode & DIR_MODE)
        except OSError as exc:
            raise storage_error(exc, directory, "create the folder") from None


def make_private_tree(root: Path, skip: frozenset[str] = frozenset({".git"})) -> int:
    """Tighten every regular file below `root` to 0600 and every folder to 0700 (files
    another program wrote with the umask: git's checkouts). Symbolic links are neither
    followed nor changed; folders named in `skip` are left alone. Best effort: what
    cannot be changed stays as it is (doctor reports it). The number of items changed."""
    changed = 0
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            items = list(os.scandir(folder))
        except OSError:
            continue
        for item in items:
            try:
                if item.is_symlink() or item.name in skip:
                    continue
                mode = item.stat(follow_symlinks=False).st_mode
                if stat.S_ISDIR(mode):
                    pending.append(Path(item.path))
                    want = DIR_MODE
                elif stat.S_ISREG(mode):
                    want = FILE_MODE
                else:
                    continue
                if stat.S_IMODE(mode) != want:
                    Path(item.path).chmod(want)  # not a link: checked just above
                    changed += 1
            except OSError:
                continue
    return changed


def linked_part(path: Path) -> Path | None:
    """The first part of `path` below entries/ that is a symbolic link (a year folder, a
    month file), or None. entries/ itself and the home may be links the user made."""
    root = paths.entries_dir()
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return None
    for depth in range(1, len(parts) + 1):
        part = root.joinpath(*parts[:depth])
        if part.is_symlink():
            return part
    return None


def check_writable_home() -> None:
    """Fail early, before the editor opens, if the journal folder cannot be written."""
    home = paths.data_dir()
    ensure_private_dir(home, home)
    if not os.access(home, os.W_OK):
        raise StorageError(
            f"The journal folder {home} is not writable.",
            hint="Check its permissions, or set LEADJOURNAL_HOME to another folder.",
        )


# ---------------------------------------------------------------------------------------
# Writing


# The files this process has replaced (atomic_write, commit_files), so that a failure after
# a save says the change was saved (DESIGN.md section 18), never "nothing was changed". The
# CLI forgets them at the start of each command.
_saved: list[Path] = []


def saved_files() -> list[Path]:
    """The files replaced since forget_saves: the changes that are on disk."""
    return list(_saved)


def forget_saves() -> None:
    _saved.clear()


def write_all_fd(fd: int, chunks: Iterable[bytes]) -> int:
    """Write every chunk to `fd` (short writes retried); the number of bytes written."""
    size = 0
    for data in chunks:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        size += len(data)
    return size


def stage(
    path: Path, data: bytes, dir_stop: Path | None = None, *, folder_as_is: bool = False
) -> Path:
    """Write `data` to a fsynced, private, hidden temp file beside `path`; the temp path.

    The folder is created and tightened to 0700 unless `folder_as_is` (a folder that is
    not the journal's, such as the top of a git work tree where git's merge files are).
    """
    link = linked_part(path)
    if link is not None:  # never written through, never chmodded (DESIGN.md section 18)
        raise StorageError(
            f"Could not save {path}: {link} is a symbolic link, and leadjournal does not "
            "write through links inside entries/.",
            hint="Nothing was changed. Run 'leadjournal doctor'.",
        )
    if not folder_as_is:
        ensure_private_dir(path.parent, dir_stop)
    tmp = temp_name(path)
    fd = -1
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        os.fchmod(fd, FILE_MODE)
        write_all_fd(fd, [data])
        os.fsync(fd)
    except OSError as exc:
        with suppress(OSError):
            tmp.unlink()
        raise storage_error(exc, path, "save") from None
    finally:
        if fd >= 0:
            with suppress(OSError):
                os.close(fd)
    return tmp


def atomic_write(
    path: Path, data: bytes, *, dir_stop: Path | None = None, folder_as_is: bool = False
) -> None:
    """Replace `path` with `data` so that a crash leaves the old file or the new, never a mix.

    A hidden temp file in the same folder (never *.json), flushed and fsynced, renamed over
    the target, then the folder fsynced so the rename survives a power cut.
    """
    tmp = stage(path, data, dir_stop, folder_as_is=folder_as_is)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        with suppress(OSError):
            tmp.unlink()
        raise storage_error(exc, path, "save") from None
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise
    _saved.append(path)
    fsync_dir(path.parent)


def commit_files(files: Sequence[tuple[Path, bytes]]) -> None:
    """Several files in one commit: stage every file as a fsynced temp file, then rename
    them all into place. A failure before the renames changes nothing; a crash during them
    leaves some files new and some old (the message says how many, so the caller's command
    can be run again to finish)."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            staged.append((stage(path, data), path))
    except BaseException:
        for tmp, _ in staged:
            with suppress(OSError):
                tmp.unlink()
        raise
    for index, (tmp, path) in enumerate(staged):
        try:
            os.replace(tmp, path)
            _saved.append(path)
        except OSError as exc:
            for later, _ in staged[index:]:
                with suppress(OSError):
                    later.unlink()
            if index == 0:
                raise storage_error(exc, path, "save") from None
            raise StorageError(
                f"Could not save {path}: {reason(exc)}. {index} of {len(staged)} "
                "month files had already been saved.",
                hint="Run the same command again to finish it: what is already saved is "
                "recognised and not added twice.",
            ) from None
    for directory in sorted({path.parent for _, path in staged}):
        fsync_dir(directory)


def write_cache(path: Path, data: bytes) -> bool:
    """Write derived data atomically, without fsync (a lost cache is rebuilt). Best effort:
    a cache that cannot be written never fails a command; False says it was not written
    (a cache made of several files must then not trust the others)."""
    written = False
    with suppress(OSError, StorageError):
        ensure_private_dir(path.parent)
        tmp = temp_name(path)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
            written = True
        finally:
            with suppress(OSError):
                tmp.unlink()
    return written


# ---------------------------------------------------------------------------------------
# The journal lock


def lock_timeout() -> float:
    raw = os.environ.get("LEADJOURNAL_LOCK_TIMEOUT", "")
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_LOCK_TIMEOUT
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT


@contextmanager
def journal_lock() -> Iterator[None]:
    """Serialise writers across processes. Times out with a clear error, never hangs.

    An exclusive flock(2) on `<home>/.leadjournal.lock`, tried without blocking until the
    timeout (a few lines of the standard library: filelock does the same on POSIX, but
    its import alone cost ~10 ms of every write, DESIGN.md section 8b). The kernel drops
    the lock when the process ends, however it ends, so a crash never leaves it stuck.
    """
    home = paths.data_dir()
    ensure_private_dir(home, home)
    timeout = lock_timeout()
    where = paths.lock_file()
    try:
        release = _acquire_lock(where, timeout)
    except OSError as exc:
        raise storage_error(exc, where, "lock") from None
    if release is None:
        raise LockTimeoutError(
            f"Another leadjournal command has been changing the journal for more than "
            f"{timeout:g} seconds, so nothing was saved.",
            hint=f"Try again in a moment. If it keeps happening, look for a stuck leadjournal "
            f"process (the lock is {where}).",
        )
    try:
        yield
    finally:
        release()


def _acquire_lock(where: Path, timeout: float) -> Callable[[], None] | None:
    """Take the lock within `timeout` seconds: the function that releases it, or None."""
    if sys.platform == "win32":  # no flock: filelock's msvcrt lock (a Windows dependency)
        import filelock

        lock = filelock.FileLock(str(where), timeout=timeout, mode=FILE_MODE)
        try:
            lock.acquire()
        except filelock.Timeout:
            return None
        return lock.release
    import fcntl
    import time

    fd = os.open(where, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
    try:
        with suppress(PermissionError):
            os.fchmod(fd, FILE_MODE)  # 0600 whatever the umask (as filelock's mode=)
        deadline = time.monotonic() + timeout
        pause = 0.002
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                left = deadline - time.monotonic()
                if left <= 0:
                    os.close(fd)
                    return None
                time.sleep(min(pause, left))
                pause = min(pause * 2, 0.05)
                continue
            return lambda: os.close(fd)  # closing the descriptor releases the lock
    except BaseException:
        os.close(fd)
        raise
