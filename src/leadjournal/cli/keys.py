"""keys, keys add, keys remove, encrypt, decrypt: encryption at rest in the age format
(DESIGN.md section 12). Each parses, calls one use case in keys.py, and renders."""

import typer

from leadjournal.cli.console import print_model, warn
from leadjournal.cli.options import JSON

keys_app = typer.Typer(
    name="keys",
    help="This device's age key and the journal's recipients.",
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
)

KEY = typer.Argument(..., metavar="AGE1KEY", help="An age X25519 public key (age1...).")


@keys_app.callback(invoke_without_command=True)
def keys(ctx: typer.Context, as_json: bool = JSON) -> None:
    """Show this device's public key and the journal's recipients (making this device's
    identity when it has none). A new device joins by running 'keys', then
    'keys add <its key>' on a device that can read the journal."""
    if ctx.invoked_subcommand is not None:
        return
    from leadjournal import keys as use
    from leadjournal.models import KeysReport
    from leadjournal.render.keys import keys_shown

    result = use.show_keys()
    if as_json:
        print_model(
            KeysReport(
                public_key=result.public_key,
                identity=result.identity,
                recipients=result.recipients,
            )
        )
    else:
        keys_shown(result)


@keys_app.command("add")
def add(key: str = KEY, as_json: bool = JSON) -> None:
    """Add a recipient and re-encrypt every month file to the recipients."""
    from leadjournal import keys as use

    _recipients_done(use.add_key(key, warn), as_json, adding=True)


@keys_app.command("remove")
def remove(key: str = KEY, as_json: bool = JSON) -> None:
    """Remove a recipient and re-encrypt every month file to the others (what it copied
    before stays readable to it)."""
    from leadjournal import keys as use

    _recipients_done(use.remove_key(key, warn), as_json, adding=False)


def _recipients_done(result: object, as_json: bool, *, adding: bool) -> None:
    from leadjournal.keys import RecipientsResult
    from leadjournal.models import RecipientsReport
    from leadjournal.render.keys import recipients_changed

    assert isinstance(result, RecipientsResult)  # noqa: S101 - both use cases return one
    if as_json:
        print_model(RecipientsReport(recipients=result.recipients, reencrypted=result.reencrypted))
    else:
        recipients_changed(result, adding=adding)


def encrypt(as_json: bool = JSON) -> None:
    """Encrypt every month file with age to this device's key (made if needed) and the
    journal's recipients; run it again to finish an interrupted run."""
    from leadjournal import keys as use
    from leadjournal.models import EncryptReport
    from leadjournal.render.keys import encrypted

    result = use.encrypt_journal(warn)
    if result.git_history:
        warn(
            "entries/ is a git repository with history: the commits made before 'encrypt' "
            "keep the plain text (rewrite or delete that history to remove it)."
        )
    if as_json:
        print_model(
            EncryptReport(
                encrypted=result.encrypted, recipients=result.recipients, identity=result.identity
            )
        )
    else:
        encrypted(result)


def decrypt(as_json: bool = JSON) -> None:
    """Turn every encrypted month file back into plain JSON and remove recipients.txt."""
    from leadjournal import keys as use
    from leadjournal.models import DecryptReport
    from leadjournal.render.keys import decrypted

    result = use.decrypt_journal(warn)
    if as_json:
        print_model(DecryptReport(decrypted=result.decrypted))
    else:
        decrypted(result)
