"""How the results of `keys`, `keys add`/`remove`, `encrypt` and `decrypt` read in a
terminal (DESIGN.md section 12). Plain lines: nothing here needs rich."""

from __future__ import annotations

from typing import TYPE_CHECKING

from leadjournal.render import lines

if TYPE_CHECKING:
    from leadjournal.keys import DecryptResult, EncryptResult, KeysResult, RecipientsResult


def _recipients(keys: list[str]) -> list[str]:
    if not keys:
        return ["The journal is not encrypted (no recipients). Run 'leadjournal encrypt'."]
    return ["The journal is encrypted to:", *(f"  {key}" for key in keys)]


def keys_shown(result: KeysResult) -> None:
    out = []
    if result.created:
        out.append(f"Made this device's age identity: {result.identity} (keep it private).")
    out.append(f"This device's public key: {result.public_key}")
    out.append(f"Identity file: {result.identity}")
    out += _recipients(result.recipients)
    if result.recipients and result.public_key not in result.recipients:
        out.append(
            "This device cannot read the journal yet: on a device that can, run "
            f"'leadjournal keys add {result.public_key}'."
        )
    lines(out)


def recipients_changed(result: RecipientsResult, *, adding: bool) -> None:
    if adding:
        said = "Added the key." if result.added else "The key was there already."
    else:
        said = "Removed the key." if result.added else "The key was not a recipient."
    out = [f"{said} Re-encrypted {_files(result.reencrypted)} to the journal's recipients."]
    out += _recipients(result.recipients)
    if not adding:
        out.append(
            "Months written from now on are closed to that key; anything it copied before "
            "stays readable to it."
        )
    lines(out)


def encrypted(result: EncryptResult) -> None:
    out = [
        f"Encrypted {_files(result.encrypted)} with age; identity: {result.identity}.",
        *_recipients(result.recipients),
        "Keep the identity file safe: without it (or another recipient's) the journal "
        "cannot be read.",
    ]
    lines(out)


def decrypted(result: DecryptResult) -> None:
    lines([f"Decrypted {_files(result.decrypted)}; the journal is plain JSON again."])


def _files(count: int) -> str:
    return f"{count:,} file" if count == 1 else f"{count:,} files"
