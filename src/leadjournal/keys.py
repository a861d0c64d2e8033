"""The use cases of encryption at rest (DESIGN.md section 12): `keys`, `keys add`,
`keys remove`, `encrypt` and `decrypt`, each returning a result.

Every file is converted on its own, atomically, under the journal lock, and the old form
is removed only after the new one is durable; recipients.txt changes first, so a run
that stops halfway leaves a journal every command reads, and running it again finishes.
The store keeps reading both forms of a month meanwhile.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from leadjournal import fsio, paths, sealed, store
from leadjournal.errors import CorruptFileError, JournalError, Warn, ignore_warning


@dataclass
class KeysResult:
    public_key: str
    identity: str
    recipients: list[str]
    created: bool = False


@dataclass
class RecipientsResult:
    recipients: list[str]
    reencrypted: int
    added: bool = False  # keys add: the key was new; keys remove: it was there


@dataclass
class EncryptResult:
    encrypted: int
    recipients: list[str]
    identity: str
    git_history: bool = False  # entries/ has git commits from before: they keep plain text


@dataclass
class DecryptResult:
    decrypted: int
    skipped: list[str] = field(default_factory=list)


def show_keys() -> KeysResult:
    """This device's identity (made when there is none) and the journal's recipients."""
    path, public, created = sealed.ensure_identity()
    return KeysResult(public, str(path), sealed.read_recipients(), created)


def add_key(key: str, warn: Warn = ignore_warning) -> RecipientsResult:
    """Add a recipient and re-encrypt every month file to the new set."""
    key = sealed.check_recipient(key)
    with fsio.journal_lock():
        keys = sealed.read_recipients()
        if not keys:
            raise JournalError(
                "This journal is not encrypted, so there is nobody to add a key for.",
                hint="Run 'leadjournal encrypt' first, then 'leadjournal keys add'.",
            )
        _can_read_all()
        added = key not in keys
        if added:
            keys = [*keys, key]
            sealed.write_recipients(keys)
        count = _reseal_all(keys)
    return RecipientsResult(keys, count, added)


def remove_key(key: str, warn: Warn = ignore_warning) -> RecipientsResult:
    """Remove a recipient and re-encrypt every month file to the rest: newly written
    months are closed to it (what it copied before stays readable to it)."""
    key = sealed.check_recipient(key)
    with fsio.journal_lock():
        keys = sealed.read_recipients()
        if key in keys and len(keys) == 1:
            raise JournalError(
                f"{key} is the journal's last key; removing it would leave nobody able to "
                "read the journal.",
                hint="To go back to plain files, run 'leadjournal decrypt'.",
            )
        if key == sealed.public_key():
            raise JournalError(
                f"{key} is this device's own key; without it this device could not read the "
                "journal.",
                hint="Remove it from another device, or run 'leadjournal decrypt' to go back "
                "to plain files.",
            )
        _can_read_all()
        present = key in keys
        if present:
            keys = [k for k in keys if k != key]
            sealed.write_recipients(keys)
        count = _reseal_all(keys) if keys else 0
    return RecipientsResult(keys, count, present)


def encrypt_journal(warn: Warn = ignore_warning) -> EncryptResult:
    """Make this device's identity if needed, add its key to recipients.txt, and rewrite
    every month file (conflict copies and backups/ included) encrypted."""
    path, public, _ = sealed.ensure_identity()
    with fsio.journal_lock():
        keys = sealed.read_recipients()
        if keys and public not in keys:
            for item in _sealed_files():
                try:
                    sealed.unseal(item, item.read_bytes())
                except CorruptFileError:
                    raise JournalError(
                        f"This journal is encrypted to other devices' keys, and this device "
                        f"({public}) cannot read it ({item}). Nothing was changed.",
                        hint=f"On a device that can read it, run 'leadjournal keys add {public}'.",
                    ) from None
                except OSError as exc:
                    raise fsio.storage_error(exc, item, "read") from None
                break
        _check_plain_months()
        if public not in keys:
            keys = [*keys, public]
            sealed.write_recipients(keys)
        count = _reseal_all(keys)
        _seal_strays(keys)
    return EncryptResult(count, keys, str(path), _has_git_history())


def decrypt_journal(warn: Warn = ignore_warning) -> DecryptResult:
    """Every month file back to plain JSON, and recipients.txt removed. recipients.txt
    goes first, so that no plain month is ever written while it lists a key; the store
    reads the encrypted months left by an interrupted run, and running it again ends it."""
    with fsio.journal_lock():
        if sealed.read_recipients():
            _can_read_all()
        sealed.write_recipients([])
        result = DecryptResult(0)
        for item in _sealed_files():
            try:
                data = sealed.unseal(item, item.read_bytes())
            except CorruptFileError as exc:
                warn(f"Left {item} encrypted: {exc.problem}.")
                result.skipped.append(str(item))
                continue
            except OSError as exc:
                raise fsio.storage_error(exc, item, "read") from None
            _replace(item, item.with_name(sealed.plain_name(item.name)), data, merge=True)
            result.decrypted += 1
        _drop_text_caches()
    if result.skipped:
        raise JournalError(
            f"{_files(len(result.skipped))} could not be decrypted and "
            f"{'was' if len(result.skipped) == 1 else 'were'} left as they are: "
            f"{', '.join(result.skipped[:5])}. {_files(result.decrypted)} decrypted.",
            hint="Decrypt them on a device whose key they were encrypted to, with "
            "'leadjournal decrypt' there.",
        )
    return result


# ---------------------------------------------------------------------------------------
# Files


def _month_like(name: str) -> bool:
    return bool(store.MONTH_NAME.fullmatch(name) or store.CONFLICT_NAME.fullmatch(name))


def _journal_files() -> list[Path]:
    """Every month file and sync-conflict copy under entries/, of both forms, and every
    regular file under backups/ (what doctor kept: months, copies, temp files, notes)."""
    found: list[Path] = []
    entries = paths.entries_dir()
    if entries.is_dir():
        for folder, subfolders, names in os.walk(entries):
            subfolders[:] = sorted(n for n in subfolders if n != ".git")
            found += [Path(folder) / n for n in sorted(names) if _month_like(n)]
    backups = paths.backups_dir()
    if backups.is_dir():
        for folder, subfolders, names in os.walk(backups):
            subfolders.sort()
            found += [Path(folder) / n for n in sorted(names)]
    return [p for p in found if p.is_file() and not p.is_symlink()]


def _is_sealed_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return sealed.is_sealed(handle.read(64))
    except OSError:
        return False


def _sealed_files() -> list[Path]:
    return [p for p in _journal_files() if _is_sealed_file(p)]


def _can_read_all() -> None:
    """Every encrypted file opens with this device's identity, or nothing is changed."""
    for item in _sealed_files():
        try:
            sealed.unseal(item, item.read_bytes())
        except CorruptFileError as exc:
            raise JournalError(
                f"{item} cannot be decrypted on this device: {exc.problem}. Nothing was changed.",
                hint="Run this from a device that can read every month file.",
            ) from None
        except OSError as exc:
            raise fsio.storage_error(exc, item, "read") from None


def _check_plain_months() -> None:
    """A plain month file under entries/ that cannot be read is never rewritten: stop."""
    for item in _journal_files():
        if item.is_relative_to(paths.entries_dir()) and not _is_sealed_file(item):
            store.read_month_file(item)  # CorruptFileError names it


def _reseal_all(keys: list[str]) -> int:
    """Encrypt every file to `keys`: sealed ones re-encrypted, plain ones encrypted
    beside and then removed. How many files were written."""
    written: set[Path] = set()
    for item in _journal_files():
        if item in written or not item.exists():
            continue  # a plain file merged into its sealed form a moment ago
        try:
            data = item.read_bytes()
        except OSError as exc:
            raise fsio.storage_error(exc, item, "read") from None
        if sealed.is_sealed(data):
            plain = sealed.unseal(item, data)
            fsio.atomic_write(item, sealed.seal(plain, keys), folder_as_is=True)
            written.add(item)
        else:
            target = item.with_name(item.name + sealed.SUFFIX)
            _replace(item, target, data, merge=True, keys=keys)
            written.add(target)
    _drop_text_caches()
    return len(written)


def _seal_strays(keys: list[str]) -> None:
    """Temp files an interrupted plain save left in entries/ hold plain text: each goes
    to backups/ encrypted (as `doctor --fix` would move it), never deleted unread."""
    from datetime import datetime

    entries = paths.entries_dir()
    if not entries.is_dir():
        return
    stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
    for folder, subfolders, names in os.walk(entries):
        subfolders[:] = [n for n in subfolders if n != ".git"]
        for name in names:
            item = Path(folder) / name
            if not (name.startswith(".") and name.endswith(".tmp")) or _is_sealed_file(item):
                continue
            target = paths.backups_dir() / stamp / item.relative_to(paths.data_dir())
            target = target.with_name(name.lstrip(".") + sealed.SUFFIX)
            try:
                data = item.read_bytes()
            except OSError as exc:
                raise fsio.storage_error(exc, item, "read") from None
            fsio.atomic_write(target, sealed.seal(data, keys))
            item.unlink()
            fsio.fsync_dir(item.parent)


def _drop_text_caches() -> None:
    """The commitments index holds commitment text: dropped when the journal's form
    changes, so no plain copy stays in cache/ (it is rebuilt, encrypted when the journal
    is)."""
    from contextlib import suppress

    from leadjournal import commitment_index

    for item in paths.cache_dir().glob("commitments*"):
        with suppress(OSError):
            item.unlink()
    commitment_index.forget()


def _replace(
    source: Path, target: Path, plain: bytes, *, merge: bool, keys: list[str] | None = None
) -> None:
    """Write `plain` (encrypted to `keys` when given) as `target`, durably, then remove
    `source`. A month file whose target already exists (an earlier run stopped between
    the two steps, or another device wrote it meanwhile) gets the union of both."""
    if merge and target.exists() and _month_like(sealed.plain_name(target.name)):
        try:
            ours = store.parse_month(source, plain)
            theirs = store.read_month_file(target)
        except CorruptFileError:
            pass  # not a month (a temp file in backups/): the source's bytes as they are
        else:
            plain = store.dump_month(store.merge_months(theirs, [ours]))
    data = sealed.seal(plain, keys) if keys else plain
    fsio.atomic_write(target, data, folder_as_is=True)
    source.unlink()
    fsio.fsync_dir(source.parent)


def _has_git_history() -> bool:
    """Whether entries/ is in a git work tree that has commits (which keep plain text)."""
    import shutil

    entries = paths.entries_dir()
    if shutil.which("git") is None or not entries.is_dir():
        return False
    from leadjournal import gitsync

    try:
        if gitsync.find_repo(entries) is None:
            return False
        return gitsync.head(gitsync.Git(entries)) is not None
    except JournalError:
        return False


def _files(count: int) -> str:
    return f"{count:,} file" if count == 1 else f"{count:,} files"
