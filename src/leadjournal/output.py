"""Writing the user's output files (export): atomically, privately, never overwriting a file
without --force, and never writing through a symlink planted at the target.

Every file is written to a hidden temp file in the target's own folder (created 0600: it
holds the journal), flushed to disk, then put in place in one step. With --force,
os.replace swaps the name: a symlink at the target is replaced, the file it pointed to is
left alone. Without --force, os.link puts it in place only if the name is still free, so a
file that appears meanwhile is not clobbered either. Journal files are written by store.py;
this module only writes what the user asked for, where they asked for it.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from pathlib import Path

from leadjournal import fsio
from leadjournal.errors import JournalError, StorageError

SHOWN = 5


class OutputExistsError(JournalError):
    """The target exists and --force was not given."""


def _write_error(exc: OSError, path: Path, wrote: int = 0) -> StorageError:
    if exc.errno in fsio.DISK_FULL:
        hint = "Free some disk space and try again."
    elif exc.errno in fsio.NOT_ALLOWED:
        hint = "Check the folder's permissions, or choose another --output."
    else:
        hint = None
    done = f" ({wrote} other file{'s were' if wrote != 1 else ' was'} written before it)"
    left = f"It was left as it was{done if wrote else ''}."
    return StorageError(
        f"Could not write {path}: {fsio.reason(exc)}. {left}",
        hint=hint,
    )


def _exists(path: Path) -> bool:
    """True for anything at `path`, a dangling symlink included."""
    return os.path.lexists(path)


def check_file_target(path: Path, *, force: bool) -> None:
    """Refuse, before any work, an output path that cannot or must not be written."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _write_error(exc, path) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise JournalError(
            f"{path} is a folder. Give a file name, or use --split day to write daily notes "
            "into the folder."
        )
    if info is not None and not force:
        raise OutputExistsError(
            f"{path} already exists, so nothing was written.",
            hint="Use --force to replace it.",
        )
    parent = path.parent
    if not parent.is_dir():
        raise JournalError(f"The folder {parent} does not exist; nothing was written.")


def make_folders(folder: Path) -> None:
    """Create `folder` and any missing folders above it, 0700 each (only the ones created
    here: an existing folder's mode is the user's)."""
    if folder.is_dir():
        return
    missing = []
    probe = folder
    while not _exists(probe):
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        raise JournalError(f"{probe} is not a folder; nothing was written.")
    for path in reversed(missing):
        try:
            fsio.make_private_dir(path)
        except OSError as exc:
            raise _write_error(exc, path) from None


def prepare_folder(folder: Path, names: Sequence[str], *, force: bool) -> None:
    """For --split: make the folder if it is new (0700), and refuse if any of the files to
    write exists (without --force), before a single file is written."""
    if _exists(folder) and not folder.is_dir():
        raise JournalError(f"{folder} is not a folder; nothing was written.")
    if not folder.exists():
        if not folder.parent.is_dir():
            raise JournalError(f"The folder {folder.parent} does not exist; nothing was written.")
        try:
            fsio.make_private_dir(folder)
        except OSError as exc:
            raise _write_error(exc, folder) from None
    present = [name for name in names if _exists(folder / name)]
    folders = [name for name in present if (folder / name).is_dir()]
    if folders:
        raise JournalError(
            f"{folder / folders[0]} is a folder, so the daily note of that name cannot be "
            "written; nothing was written."
        )
    if present and not force:
        shown = ", ".join(present[:SHOWN]) + (", …" if len(present) > SHOWN else "")
        total = len(names)
        raise OutputExistsError(
            f"{len(present)} of the {total} daily note{'s' if total != 1 else ''} already "
            f"exist{'s' if len(present) == 1 else ''} in {folder} ({shown}), so nothing was "
            "written.",
            hint="Use --force to replace them.",
        )


def write_file(
    path: Path, chunks: Iterable[str | bytes], *, force: bool, wrote_before: int = 0
) -> int:
    """Write the chunks to `path` atomically; return the number of bytes written."""
    tmp = fsio.temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | fsio.NOFOLLOW, fsio.FILE_MODE)
    except OSError as exc:
        raise _write_error(exc, path, wrote_before) from None
    try:
        try:
            os.fchmod(fd, fsio.FILE_MODE)
            size = fsio.write_all_fd(fd, _encoded(chunks))
            os.fsync(fd)
        except OSError as exc:
            raise _write_error(exc, path, wrote_before) from None
        finally:
            os.close(fd)
        _put_in_place(tmp, path, force=force, wrote_before=wrote_before)
    finally:
        with suppress(OSError):
            tmp.unlink()
    with suppress(OSError):  # the file is in place; a folder that cannot be flushed is fine
        fsio.fsync_folder(path.parent)
    return size


def _encoded(chunks: Iterable[str | bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8", "replace") if isinstance(chunk, str) else chunk


def _put_in_place(tmp: Path, path: Path, *, force: bool, wrote_before: int) -> None:
    try:
        if force:
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)  # fails if the name is taken: no clobbering, even in a race
        except FileExistsError:
            raise OutputExistsError(
                f"{path} already exists, so it was not written.", hint="Use --force to replace it."
            ) from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
                raise
            # A file system without hard links (FAT, some network shares): check, then rename.
            if _exists(path):
                raise OutputExistsError(
                    f"{path} already exists, so it was not written.",
                    hint="Use --force to replace it.",
                ) from None
            os.replace(tmp, path)
    except OSError as exc:
        raise _write_error(exc, path, wrote_before) from None


def write_stdout(chunks: Iterable[str | bytes]) -> None:
    """Write the chunks to standard output as UTF-8, whatever the locale's encoding. In a
    pipe or a file the export is exact; on a terminal it is read by a person, so control
    characters in the text are made visible (text.visible: DESIGN.md section 18)."""
    from leadjournal.text import visible

    shown = visible if sys.stdout.isatty() else str
    try:
        sys.stdout.flush()
        out = sys.stdout.buffer
        for chunk in chunks:
            text = shown(chunk) if isinstance(chunk, str) else chunk
            out.write(text.encode("utf-8", "replace") if isinstance(text, str) else text)
        out.flush()
    except BrokenPipeError:
        raise  # the reader went away (| head): the CLI ends quietly
    except OSError as exc:
        raise StorageError(f"Could not write to standard output: {fsio.reason(exc)}.") from None
