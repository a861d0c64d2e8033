"""One journal on several devices (DESIGN.md sections 12 and 13): keys, encrypt,
decrypt and sync in --json."""

# No `from __future__ import annotations`: see disk.py (pydantic evaluates plain
# annotations once, strings each time).

from pydantic import BaseModel

from leadjournal.models.disk import OWNED


class KeysReport(BaseModel):
    """keys --json: this device's public key, its identity file, the journal's recipients."""

    model_config = OWNED

    public_key: str
    identity: str
    recipients: list[str]


class RecipientsReport(BaseModel):
    """keys add/remove --json: the recipients now, and how many files were re-encrypted."""

    model_config = OWNED

    recipients: list[str]
    reencrypted: int


class EncryptReport(BaseModel):
    """encrypt --json."""

    model_config = OWNED

    encrypted: int
    recipients: list[str]
    identity: str


class DecryptReport(BaseModel):
    """decrypt --json."""

    model_config = OWNED

    decrypted: int


class SyncSetupReport(BaseModel):
    """sync --setup --json: the attributes file written, and the merge driver's command."""

    model_config = OWNED

    gitattributes: str
    driver: str


class SyncReport(BaseModel):
    """sync --json: whether a commit was made; the commits that came in and went out."""

    model_config = OWNED

    committed: bool
    pulled: int
    pushed: int
