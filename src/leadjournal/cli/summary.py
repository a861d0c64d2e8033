"""summary: the tally by theme for a week, several weeks or any period (DESIGN.md section 5)."""

import typer

from leadjournal.cli.console import load_prompts, print_model, today, warn
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
    from leadjournal import journal
    from leadjournal.config import load_config
    from leadjournal.summary import resolve_period

    day = today()
    config = load_config()
    week_start = config.week_start
    period = resolve_period(
        week=week, since=since, until=until, weeks=weeks, today=day, week_start=week_start
    )
    prompt_set = load_prompts()
    by_week = weeks is not None
    if as_json:
        print_model(journal.summary_json(period, prompt_set, day, warn, by_week=by_week))
        return
    report = journal.summary_review(
        period, prompt_set, day, warn, week_start=week_start, by_week=by_week, role=config.role
    )
    from leadjournal.render.summary import summary_view

    summary_view(report)
