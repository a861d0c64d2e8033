"""doctor: check the journal, and repair what can be repaired without losing anything."""

import typer

from leadjournal.cli.console import print_model, today, warn
from leadjournal.cli.options import JSON


def doctor(
    fix: bool = typer.Option(
        False, "--fix", help="Merge sync-conflict copies, tighten modes, move strays aside."
    ),
    as_json: bool = JSON,
) -> None:
    """Check every journal file; exits 1 while problems remain. Nothing is ever deleted:
    what --fix replaces goes to <home>/backups/ first."""
    from leadjournal import doctor as checks
    from leadjournal import render

    report = checks.check(today(), fix=fix, warn=warn)
    if as_json:
        print_model(report)
    else:
        render.doctor_report(report, fixing=fix)
    if report.remaining():
        raise typer.Exit(1)
