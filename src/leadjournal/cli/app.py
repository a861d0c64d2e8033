"""The Typer application: every command of cli/commands.py registered on one group.

Errors from the core (JournalError) become one plain message on stderr and exit 1 (usage
problems: 2) through console.guarded, the path the fast table takes too.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click
import typer
from typer.core import TyperGroup

from leadjournal.cli.commands import COMMANDS, DEFAULT_COMMAND
from leadjournal.cli.console import exit_status, guarded
from leadjournal.cli.fast import VERSION_OPTION, show_version

# Click's own ways of ending a command (exits, usage errors, Ctrl-C at a prompt) pass.
_CLICK_EXITS = (click.exceptions.Exit, click.ClickException, click.Abort)


class JournalGroup(TyperGroup):
    """Runs each command through console.guarded: the one error path."""

    def invoke(self, ctx: click.Context) -> Any:
        result: list[Any] = []
        status = guarded(lambda: result.append(super(JournalGroup, self).invoke(ctx)), _CLICK_EXITS)
        if status:
            raise typer.Exit(status)
        return result[0] if result else None


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
        show_version()
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, VERSION_OPTION, callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """A reflection journal for people who want to grow as leaders.

    Each day offers one question from a set of leadership themes; answer it with
    'leadjournal write'. Run with no command to see today's prompt.
    """
    if ctx.invoked_subcommand is None:
        command = ctx.command
        assert isinstance(command, click.Group)  # noqa: S101 - the app is a group
        default = command.get_command(ctx, DEFAULT_COMMAND)
        assert default is not None  # noqa: S101 - registered below
        ctx.invoke(default)


def _register() -> None:
    for name, command in COMMANDS.items():
        module, function = command.typer.split(":")
        target = getattr(importlib.import_module(f"leadjournal.cli.{module}"), function)
        if isinstance(target, typer.Typer):  # a command with subcommands (keys add, ...)
            app.add_typer(target, name=name)
        else:
            app.command(name)(target)


_register()


def run() -> None:
    """Hand argv to Typer (the fast table could not answer it)."""
    try:
        app(prog_name="leadjournal")
    except BrokenPipeError as exc:
        sys.exit(exit_status(exc))
