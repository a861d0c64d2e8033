"""The Typer application: one module per group of commands, joined here.

Errors from the core (JournalError) become one plain message on stderr and exit 1 (usage
problems: 2) in exactly one place, JournalGroup.invoke.
"""

from __future__ import annotations

import signal
import sys
from typing import Any

import click
import typer
from typer.core import TyperGroup

from leadjournal import __version__
from leadjournal.terminal import exit_status


class JournalGroup(TyperGroup):
    """Turns JournalError (and any unexpected failure) into a message and an exit status,
    through terminal.exit_status: the one error path."""

    def invoke(self, ctx: click.Context) -> Any:
        from leadjournal.terminal import exit_status, reset_warnings

        reset_warnings()
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - the one error path
            raise typer.Exit(exit_status(exc)) from None


app = typer.Typer(
    cls=JournalGroup,
    name="leadjournal",
    help="A reflection journal for people who want to grow as leaders.\n\n"
    "Each day offers one question; answer it with 'leadjournal write'. "
    "Run with no command to see today's prompt.",
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"leadjournal {__version__}\n")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """A reflection journal for people who want to grow as leaders.

    Each day offers one question from a set of leadership themes; answer it with
    'leadjournal write'. Run with no command to see today's prompt.
    """
    if ctx.invoked_subcommand is None:
        from leadjournal.cli.prompting import today_cmd

        ctx.invoke(today_cmd)


def _register() -> None:
    from leadjournal.cli import doctor, entries, prompting, summary, transfer

    app.command("today")(prompting.today_cmd)
    app.command("prompt")(prompting.prompt)
    app.command("write")(entries.write)
    app.command("list")(entries.list_entries)
    app.command("show")(entries.show)
    app.command("edit")(entries.edit)
    app.command("delete")(entries.delete)
    app.command("summary")(summary.summary)
    app.command("themes")(prompting.themes)
    app.command("prompts")(prompting.prompts)
    app.command("export")(transfer.export)
    app.command("import")(transfer.import_)
    app.command("doctor")(doctor.doctor)


_register()


def main() -> None:
    """Console-script entry point."""
    if hasattr(signal, "SIGXFSZ"):
        # Past a file-size limit, let write() fail with EFBIG instead of killing us.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        app(prog_name="leadjournal")
    except BrokenPipeError as exc:
        sys.exit(exit_status(exc))
