"""summary: the tally by theme for a week, several weeks or any period (DESIGN.md section 5)."""

import typer

from leadjournal.cli import fast
from leadjournal.cli.options import JSON


def summary(
    week: str | None = typer.Option(
        None,
        "--week",
        metavar="W",
        help="The week: YYYY-Www (ISO week) or any date in it. Default: this week.",
    ),
    since: str | None = typer.Option(
        None, "--since", metavar="D", help="From this day (alone: up to today)."
    ),
    until: str | None = typer.Option(
        None, "--until", metavar="D", help="Up to this day (alone: from the start of its week)."
    ),
    weeks: int | None = typer.Option(
        None,
        "--weeks",
        metavar="N",
        help="The N weeks ending with the chosen week, with a week-by-theme heat map "
        "and a sparkline per rating step of the guides.",
    ),
    as_json: bool = JSON,
) -> None:
    """The tally by theme for a period: this week unless told otherwise."""
    fast.summary(week, since, until, weeks, as_json=as_json)
