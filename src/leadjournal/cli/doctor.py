"""doctor: check the journal, and repair what can be repaired without losing anything."""

import typer

from leadjournal.cli._shared import JSON, print_json, warn


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

    report = checks.check(fix=fix, warn=warn)
    if as_json:
        print_json(report.to_json())
    else:
        render.doctor_report(report, fixing=fix)
    if report.remaining:
        raise typer.Exit(1)
