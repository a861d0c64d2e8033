"""The age layer (DESIGN.md section 12): this device's identity, the journal's recipients,
and month bytes sealed and opened in the standard age format (age-encryption.org).

The store calls this module at its byte seam; nothing above the store decrypts anything.
pyrage (the Rust age binding) is imported only when something is actually encrypted or
decrypted, so a plain journal's start-up never pays for it. Any file written here can be
read with the `age` command-line tool and the same identity file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from leadjournal import fsio, paths
from leadjournal.errors import CorruptFileError, JournalError, UsageError

if TYPE_CHECKING:
    from pyrage.x25519 import Identity

# How an age-encrypted file starts (binary, and armored).
AGE_HEADERS = (b"age-encryption.org/", b"-----BEGIN AGE ENCRYPTED FILE-----")
SUFFIX = ".age"
RECIPIENTS = "recipients.txt"
SECRET_PREFIX = "AGE-SECRET-KEY-1"  # noqa: S105 - how the line starts, not a secret
PUBLIC_PREFIX = "age1"

_identities: dict[tuple[str, int, int], list[Identity]] = {}


class NoIdentityError(JournalError):
    """The journal is encrypted and this device has no identity file."""


def identity_file() -> Path:
    """Where this device's age identity lives: LEADJOURNAL_IDENTITY, else
    <home>/identity.txt with LEADJOURNAL_HOME, else <config dir>/identity.txt."""
    value = os.environ.get("LEADJOURNAL_IDENTITY", "").strip()
    if value:
        return Path(value).expanduser()
    return paths.config_dir() / "identity.txt"


def recipients_file() -> Path:
    return paths.entries_dir() / RECIPIENTS


def is_sealed(data: bytes) -> bool:
    """Whether `data` is an age file (binary or armored)."""
    return data[:128].lstrip().startswith(AGE_HEADERS)


def parse_recipients(text: str) -> list[str]:
    """The keys of a recipients.txt: one a line, `#` comments and blank lines skipped."""
    keys = []
    for line in text.splitlines():
        key = line.split("#", 1)[0].strip()
        if key and key not in keys:
            keys.append(key)
    return keys


def read_recipients(folder: Path | None = None) -> list[str]:
    """The journal's recipients (none: the journal is plain). Read at every call: another
    device may have changed the file through sync."""
    path = (folder / RECIPIENTS) if folder is not None else recipients_file()
    try:
        return parse_recipients(path.read_bytes().decode("utf-8", "replace"))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise fsio.storage_error(exc, path, "read") from None


def is_encrypted() -> bool:
    """A journal is encrypted when recipients.txt lists at least one key."""
    return bool(read_recipients())


def write_recipients(keys: list[str]) -> None:
    """recipients.txt with `keys`, atomically; removed (and its removal made durable)
    when there are none."""
    path = recipients_file()
    if not keys:
        try:
            path.unlink()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise fsio.storage_error(exc, path, "remove") from None
        fsio.fsync_dir(path.parent)
        return
    header = (
        "# The age keys this journal is encrypted to (public; meant to sync).\n"
        "# Change it with 'leadjournal keys add' and 'leadjournal keys remove'.\n"
    )
    fsio.atomic_write(path, (header + "".join(f"{k}\n" for k in keys)).encode())


def check_recipient(key: str) -> str:
    """`key` as an age X25519 recipient; UsageError (exit 2) when it is not one."""
    key = key.strip()
    if key.upper().startswith(SECRET_PREFIX[:14]):
        raise UsageError(
            "That is a secret key (AGE-SECRET-KEY-1...), not a public one: give the device's "
            "public key (age1...), and keep the secret one private.",
            hint="Run 'leadjournal keys' on the other device to see its public key.",
        )
    from pyrage import RecipientError, x25519

    try:
        x25519.Recipient.from_str(key)
    except (RecipientError, ValueError):
        raise UsageError(
            f"'{key}' is not an age X25519 public key (it starts with 'age1').",
            hint="Run 'leadjournal keys' on the other device to see its key.",
        ) from None
    return key


# ---------------------------------------------------------------------------------------
# The identity


def _secret_lines(path: Path) -> list[str]:
    try:
        text = path.read_bytes().decode("utf-8", "replace")
    except FileNotFoundError:
        raise NoIdentityError(
            f"This journal is encrypted, and this device has no age identity at {path}.",
            hint="Copy this device's identity file there, set LEADJOURNAL_IDENTITY to it, or "
            "run 'leadjournal keys' to make one and 'leadjournal keys add <its key>' on a "
            "device that can read the journal.",
        ) from None
    except OSError as exc:
        raise fsio.storage_error(exc, path, "read") from None
    return [line.strip() for line in text.splitlines() if line.strip().startswith(SECRET_PREFIX)]


def identities() -> list[Identity]:
    """Every identity in this device's identity file (the first is this device's)."""
    path = identity_file()
    try:
        st = path.stat()
        key = (str(path), st.st_mtime_ns, st.st_ino)
    except OSError:
        key = (str(path), 0, 0)
    if key in _identities:
        return _identities[key]
    from pyrage import IdentityError, x25519

    found = []
    for line in _secret_lines(path):
        try:
            found.append(x25519.Identity.from_str(line))
        except (IdentityError, ValueError):
            continue
    if not found:
        raise NoIdentityError(
            f"The identity file {path} holds no age X25519 identity (AGE-SECRET-KEY-1...).",
            hint="Restore it, or point LEADJOURNAL_IDENTITY at this device's identity file.",
        )
    _identities[key] = found
    return found


def public_key() -> str | None:
    """This device's public key, or None when it has no identity file."""
    if not identity_file().exists():
        return None
    return str(identities()[0].to_public())


def ensure_identity() -> tuple[Path, str, bool]:
    """This device's identity file, its public key, and whether it was just made. An
    existing file is used as it is; a new one is age-keygen's format, 0600."""
    path = identity_file()
    if path.exists():
        return path, str(identities()[0].to_public()), False
    entries = paths.entries_dir()
    if path.absolute().is_relative_to(entries.absolute()):
        raise JournalError(
            f"The identity file {path} would be inside the journal's entries/ folder, "
            "which is meant to sync: a secret key must not travel with it.",
            hint="Set LEADJOURNAL_IDENTITY to a path outside entries/.",
        )
    from datetime import UTC, datetime

    from pyrage import x25519

    new = x25519.Identity.generate()
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = f"# created: {created}\n# public key: {new.to_public()}\n{new}\n"
    _make_parents(path.parent)
    fsio.atomic_write(path, text.encode(), folder_as_is=True)
    return path, str(new.to_public()), True


def _make_parents(folder: Path) -> None:
    """Create the missing folders down to `folder`, each 0700; existing ones kept."""
    missing = [p for p in [folder, *folder.parents] if not p.exists()]
    for item in reversed(missing):
        try:
            item.mkdir(mode=fsio.DIR_MODE)
            item.chmod(fsio.DIR_MODE)
        except FileExistsError:
            continue
        except OSError as exc:
            raise fsio.storage_error(exc, item, "create the folder") from None


# ---------------------------------------------------------------------------------------
# Bytes


def seal(data: bytes, keys: list[str]) -> bytes:
    """`data` encrypted (binary age) to every key of `keys`."""
    import pyrage
    from pyrage import RecipientError, x25519

    recipients = []
    for key in keys:
        try:
            recipients.append(x25519.Recipient.from_str(key))
        except (RecipientError, ValueError):
            raise JournalError(
                f"{recipients_file()} lists '{key}', which is not an age X25519 public key, "
                "so nothing was saved.",
                hint="Correct or remove that line (one age1... key a line, # for comments), "
                "then run the command again.",
            ) from None
    return pyrage.encrypt(data, recipients)


def unseal(path: object, data: bytes) -> bytes:
    """The plain bytes of the age file `path`. CorruptFileError (named, never rewritten)
    when it cannot be decrypted; NoIdentityError when this device has no identity."""
    found = identities()
    import pyrage

    try:
        return pyrage.decrypt(data, found)
    except pyrage.DecryptError as exc:
        if "no matching keys" in str(exc).lower():
            problem = (
                f"it cannot be decrypted with this device's key ({identity_file()}): it is "
                "encrypted to other devices' keys only, or damaged; on a device that can read "
                "it, run 'leadjournal keys add' with this device's key"
            )
        else:
            problem = f"it is encrypted but damaged (age says: {exc})"
        raise CorruptFileError(path, problem) from None


def plain_name(name: str) -> str:
    """The name a sealed file has in plain form: "2026-11.json.age" -> "2026-11.json",
    "2026-11.json.sync-conflict-X.age" -> "2026-11.sync-conflict-X.json"."""
    if name.endswith(".json" + SUFFIX):
        return name[: -len(SUFFIX)]
    if name.endswith(SUFFIX) and ".json" in name:
        stem, rest = name[: -len(SUFFIX)].split(".json", 1)
        return f"{stem}{rest}.json"
    return name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name
