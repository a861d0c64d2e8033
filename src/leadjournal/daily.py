"""The prompt of the day on screen: what `today` (and plain `leadjournal`) and `prompt` show.

No Typer here: `leadjournal`, `leadjournal today` and `leadjournal prompt` with no options
are the commands people type most, and __main__ answers them before Typer is imported
(DESIGN.md section 8). With options, the same functions run through the Typer CLI.
"""

from __future__ import annotations

from leadjournal.terminal import load_prompts, print_json, today, warn


def show_today() -> None:
    """Today's prompt, a line of status, and how to answer."""
    from leadjournal import history, journal, render
    from leadjournal.config import load_config

    day = today()
    prompt_set = load_prompts()
    chosen = history.todays_order(day, prompt_set, day, warn)
    render.prompt_of_day(chosen.order[0], prompt_set, day.isoformat())
    state = journal.status(chosen.history, day, load_config().week_start)
    render.status_line(state.entries_this_week, state.days_since_last)


def show_prompt(
    date: str | None = None,
    theme: str | None = None,
    *,
    another: bool = False,
    why: bool = False,
    as_json: bool = False,
) -> None:
    """The prompt of a day (default today), optionally within a theme, or the next choice."""
    from leadjournal import history, prompts, render
    from leadjournal.dates import parse_day

    day = parse_day(date, today()) if date is not None else today()
    prompt_set = load_prompts()
    chosen = history.todays_order(day, prompt_set, today(), warn, theme)
    order = chosen.order
    picked = order[1] if another and len(order) > 1 else order[0]
    if as_json:
        print_json(
            {
                "date": day.isoformat(),
                "id": picked.id,
                "theme": picked.theme,
                "theme_name": prompt_set.theme_by_id[picked.theme].name,
                "text": picked.text,
            }
        )
        return
    reason = None
    if why:
        reason = prompts.explain(picked, prompt_set, chosen.counts, theme is not None)
        if another:
            reason = "the day's next choice after " + order[0].id
    render.prompt_of_day(picked, prompt_set, day.isoformat(), reason)


FAST = {(): show_today, ("today",): show_today, ("prompt",): show_prompt}


def run_without_typer(args: tuple[str, ...]) -> int:
    """Run one of the FAST commands as the CLI would; the exit status."""
    from leadjournal.terminal import exit_status, reset_warnings

    reset_warnings()
    try:
        FAST[args]()
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - the CLI's one error path
        return exit_status(exc)
    return 0
