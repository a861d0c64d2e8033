"""sync and merge-month: one journal on several devices with git (DESIGN.md section 13)."""

import sys
from pathlib import Path

import typer

from leadjournal.cli.console import now, print_model
from leadjournal.cli.fast import merge_month as fast_merge_month
from leadjournal.cli.options import JSON
from leadjournal.errors import UsageError


def sync(
    setup: bool = typer.Option(
        False,
        "--setup",
        help="Set git up to merge the journal losslessly (once in every clone).",
    ),
    init: bool = typer.Option(
        False, "--init", help="With --setup: make entries/ a git repository first."
    ),
    as_json: bool = JSON,
) -> None:
    """Commit the journal's changes, merge the upstream, and push (entries/ is in git)."""
    from leadjournal import render, syncing

    if init and not setup:
        raise UsageError("--init goes with --setup: run 'leadjournal sync --setup --init'.")
    if setup:
        done = syncing.setup_sync(running_program(), init=init)
        if as_json:
            print_model(done.report())
        else:
            render.sync_set_up(done)
        return
    result = syncing.sync_journal(now())
    if as_json:
        print_model(result.report())
    else:
        render.synced(result)


def merge_month(
    base: str = typer.Argument(..., metavar="BASE", help="The common ancestor (not needed)."),
    ours: str = typer.Argument(..., metavar="OURS", help="This side's version; the result."),
    theirs: str = typer.Argument(..., metavar="THEIRS", help="The other side's version."),
) -> None:
    """git's merge driver for month files: writes into OURS the union of OURS and THEIRS.

    Exits 1, leaving OURS as it was, when a side is empty or cannot be read.
    """
    fast_merge_month(base, ours, theirs)


def running_program() -> list[str]:
    """How to run this leadjournal again from anywhere: the interpreter with -m when we
    run that way, else the absolute path of the `leadjournal` script that started us
    (never resolved through links: a pipx link stays valid across upgrades)."""
    import os

    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name in ("leadjournal", "leadjournal.__main__"):
        return [sys.executable, "-m", "leadjournal"]
    script = sys.argv[0] if sys.argv else ""
    if Path(script).name.startswith("leadjournal") and os.path.isfile(script):  # noqa: PTH113
        return [os.path.abspath(script)]  # noqa: PTH100 - keep links as the user made them
    return [sys.executable, "-m", "leadjournal"]
