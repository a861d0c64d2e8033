"""The command line: the only package that knows argv.

`main` answers `--version` at once, sets the process up, then answers from the fast table
(cli/fast.py, no Typer) or hands argv to the Typer app (cli/app.py). Both come from
cli/commands.py, the one table of command names. Each command module parses, calls one
use case (journal.py, dayview.py) and renders its result (render/); errors take one path,
console.guarded and console.exit_status.

Imports here are deferred: `--version` and the prompt of the day are budgets
(DESIGN.md section 8), so nothing is imported before it is needed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leadjournal.cli.commands import Command

COMPLETION_VARIABLE = "_LEADJOURNAL_COMPLETE"  # set by the shell's completion script


def fast_answer(args: tuple[str, ...]) -> Callable[[], None] | None:
    """The function that answers `args` without Typer, or None when Typer must parse them.

    A shell asking for completions runs `leadjournal` with its words in the environment:
    that request is Typer's, never the prompt of the day.
    """
    if COMPLETION_VARIABLE in os.environ:
        return None
    from leadjournal.cli import fast

    if args == (fast.VERSION_OPTION,):
        return fast.show_version
    from leadjournal.cli.commands import COMMANDS, DEFAULT_COMMAND

    if args == ():
        return COMMANDS[DEFAULT_COMMAND].fast
    command = COMMANDS.get(args[0])
    if command is None:
        return None
    return _with_arguments(command, args[1:])


def _with_arguments(command: Command, given: tuple[str, ...]) -> Callable[[], None] | None:
    """The command's fast function called with `given`, if the fast path reads them: with
    a spec, the options cli/fastparse.py reads; without, just its positional arguments."""
    answer = command.fast
    if answer is None:
        return None
    if command.fast_options is not None:
        from leadjournal.cli.fastparse import parse

        options = parse(command.fast_options, given)
        if options is None:
            return None  # what cli/fastparse.py does not read is Typer's
        return lambda: answer(**options)
    if len(given) != command.fast_arguments or any(arg.startswith("-") for arg in given):
        return None  # options, or arguments the fast function does not take: Typer's
    return lambda: answer(*given)


PYDANTIC_PLUGIN_LOADER = "pydantic.plugin._loader"


def _without_pydantic_plugins() -> None:
    """leadjournal uses no pydantic plugins, so it does not look for any.

    pydantic looks for plugins (importlib.metadata entry points of every installed
    package) when it builds its first validator; importing importlib.metadata alone cost
    ~13 ms of every command that reads a month file (DESIGN.md section 8b), and setting
    PYDANTIC_DISABLE_PLUGINS skips the search but not that import. So the loader's one
    function, get_plugins, answers "none" (what PYDANTIC_DISABLE_PLUGINS=__all__ makes
    it answer) before pydantic is imported. Any other name asked of the loader comes from
    the real module, so a later pydantic that asks for more still works.
    """
    if PYDANTIC_PLUGIN_LOADER in sys.modules:
        return
    import types

    def no_plugins() -> tuple[()]:
        return ()

    def from_the_real_loader(name: str) -> object:
        if name.startswith("__"):  # what the import system asks of every module
            raise AttributeError(name)
        import importlib

        del sys.modules[PYDANTIC_PLUGIN_LOADER]
        return getattr(importlib.import_module(PYDANTIC_PLUGIN_LOADER), name)

    loader = types.ModuleType(PYDANTIC_PLUGIN_LOADER, "No pydantic plugins (cli/__init__.py).")
    loader.get_plugins = no_plugins  # type: ignore[attr-defined]
    loader.__getattr__ = from_the_real_loader  # type: ignore[method-assign]
    sys.modules[PYDANTIC_PLUGIN_LOADER] = loader


def _set_up_process() -> None:
    _without_pydantic_plugins()
    # The C module under `signal`: the same signal(), without building signal's enums of
    # every signal and handler at import (~0.6 ms of every command, DESIGN.md section 8b).
    import _signal  # type: ignore[import-not-found]  # typeshed has no stub of it

    if hasattr(_signal, "SIGXFSZ"):
        # Past a file-size limit, let write() fail with EFBIG instead of killing us.
        _signal.signal(_signal.SIGXFSZ, _signal.SIG_IGN)


def main() -> None:
    """The console script and `python -m leadjournal`."""
    args = tuple(sys.argv[1:])
    answer = fast_answer(args)
    from leadjournal.cli.fast import show_version

    if answer is show_version:
        answer()  # --version needs nothing: no set-up, no error path
        return
    _set_up_process()
    if answer is not None:
        from leadjournal.cli.console import guarded

        sys.exit(guarded(answer))
    from leadjournal.cli.app import run

    run()
