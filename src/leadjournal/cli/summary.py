"""summary: the tally by theme for a week, several weeks or any period (DESIGN.md section 5)."""

import typer

from leadjournal.cli._shared import JSON, load_prompts, print_json, today, warn


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
        help="The N weeks ending with the chosen week, with a week-by-theme heat map.",
    ),
    as_json: bool = JSON,
) -> None:
    """The tally by theme for a period: this week unless told otherwise."""
    from leadjournal import history, store
    from leadjournal import summary as core
    from leadjournal.config import load_config

    day = today()
    week_start = load_config().week_start
    period = core.resolve_period(
        week=week, since=since, until=until, weeks=weeks, today=day, week_start=week_start
    )
    prompt_set = load_prompts()
    if as_json:
        entries = store.load_entries(period.start, period.end, warn)
        all_days = frozenset(history.load_history(prompt_set, day, warn).days)
        if weeks is None:
            result = core.summarize(entries, period, prompt_set.themes, all_days, day)
            print_json(result.model_dump(mode="json"))
            return
        from leadjournal.models import SummaryWeeks

        per_week = core.summarize_weeks(entries, period, prompt_set.themes, all_days, day)
        print_json(SummaryWeeks(weeks=per_week).model_dump(mode="json"))
        return
    # The human view also compares with the period before, and suggests a prompt.
    entries = store.load_entries(period.previous().start, period.end, warn)
    choice = history.todays_order(day, prompt_set, day, warn)
    report = core.review(
        entries,
        period,
        prompt_set.themes,
        frozenset(choice.history.days),
        day,
        week_start=week_start,
        by_week=weeks is not None,
        preference=choice.order,
    )
    from leadjournal.render.summary import summary_view

    summary_view(report)
