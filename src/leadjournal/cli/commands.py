"""The one table of commands: name -> the Typer function that parses it, and for the
commands typed most the function that answers the bare command without Typer. The Typer
app registers every name from here; cli/__init__.py answers the fast ones from here. Cheap
to import: the Typer functions are named, not imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leadjournal.cli import fast, fastparse

if TYPE_CHECKING:
    from collections.abc import Callable


class Command:
    """One command: its Typer function ("module:function" under leadjournal.cli, imported
    only when the Typer app is built) and, for the commands typed most, the function
    that answers the bare command (no options) without Typer. `fast_arguments` is how
    many arguments (no options) the fast function takes: none, but three for git's
    merge driver, which git runs once for every month both sides changed. With
    `fast_options`, the fast function also answers the command lines that
    cli/fastparse.py reads with that spec (the rest go to Typer).

    A plain slotted class, not a NamedTuple: defining one costs ~1 ms on the path of
    every command (DESIGN.md section 8b), like fastparse.Spec."""

    __slots__ = ("fast", "fast_arguments", "fast_options", "typer")

    def __init__(
        self,
        typer: str,
        fast: Callable[..., None] | None = None,
        fast_arguments: int = 0,
        fast_options: fastparse.Spec | None = None,
    ) -> None:
        self.typer = typer
        self.fast = fast
        self.fast_arguments = fast_arguments
        self.fast_options = fast_options


COMMANDS: dict[str, Command] = {
    "today": Command("prompting:today", fast.show_today),
    "prompt": Command("prompting:prompt", fast.show_prompt),
    "write": Command("entries:write", fast.write, fast_options=fastparse.WRITE),
    "list": Command("entries:list_entries", fast.list_entries, fast_options=fastparse.LIST),
    "show": Command("entries:show"),
    "edit": Command("entries:edit"),
    "delete": Command("entries:delete"),
    "commit": Command("commitments:commit"),
    "commitments": Command("commitments:commitments"),
    "resolve": Command("commitments:resolve"),
    "review": Command("review:review"),
    "guides": Command("guides:guides"),
    "reflect": Command("guides:reflect"),
    "tags": Command("looking:tags"),
    "lookback": Command("looking:lookback"),
    "revisit": Command("looking:revisit"),
    "summary": Command("summary:summary", fast.summary, fast_options=fastparse.SUMMARY),
    "themes": Command("prompting:themes"),
    "prompts": Command("prompting:prompts"),
    "export": Command("transfer:export"),
    "import": Command("transfer:import_"),
    "doctor": Command("doctor:doctor"),
    "sync": Command("sync:sync"),
    "keys": Command("keys:keys_app"),
    "encrypt": Command("keys:encrypt"),
    "decrypt": Command("keys:decrypt"),
    "merge-month": Command("sync:merge_month", fast.merge_month, fast_arguments=3),
}
DEFAULT_COMMAND = "today"  # what plain `leadjournal` does
