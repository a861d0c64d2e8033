"""The command line: the only package that knows argv.

`main` sets the process up once, then answers from the fast table (cli/fast.py, no Typer)
or hands argv to the Typer app (cli/app.py). Both come from cli/commands.py, the one
table of command names. Each command module parses, calls one use case of journal.py, and renders
its result (render/); errors take one path, console.exit_status.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable

from leadjournal.cli import fast
from leadjournal.cli.commands import COMMANDS, DEFAULT_COMMAND, VERSION_OPTION

COMPLETION_VARIABLE = "_LEADJOURNAL_COMPLETE"  # set by the shell's completion script


def fast_answer(args: tuple[str, ...]) -> Callable[[], None] | None:
    """The function that answers `args` without Typer, or None when Typer must parse them.

    A shell asking for completions runs `leadjournal` with its words in the environment:
    that request is Typer's, never the prompt of the day.
    """
    if COMPLETION_VARIABLE in os.environ:
        return None
    if args == (VERSION_OPTION,):
        return fast.show_version
    if args == ():
        return COMMANDS[DEFAULT_COMMAND].fast
    command = COMMANDS.get(args[0])
    if command is None or command.fast is None:
        return None
    given = args[1:]
    if len(given) != command.fast_arguments or any(arg.startswith("-") for arg in given):
        return None  # options, or arguments the fast function does not take: Typer's
    answer = command.fast
    return lambda: answer(*given)


def main() -> None:
    """The console script and `python -m leadjournal`."""
    if hasattr(signal, "SIGXFSZ"):
        # Past a file-size limit, let write() fail with EFBIG instead of killing us.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    answer = fast_answer(tuple(sys.argv[1:]))
    if answer is not None:
        from leadjournal.cli.console import guarded

        sys.exit(guarded(answer))
    from leadjournal.cli.app import run

    run()
