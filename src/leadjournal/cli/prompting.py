"""today, prompt, themes, prompts: the questions and the prompt of the day."""

import typer

from leadjournal.cli._shared import JSON, day_option, load_prompts, print_json, today, warn


def today_cmd() -> None:
    """Today's prompt, a line of status, and how to answer."""
    from leadjournal import history, journal, render
    from leadjournal.config import load_config

    day = today()
    prompt_set = load_prompts()
    chosen = history.todays_order(day, prompt_set, day, warn)
    prompt = chosen.order[0]
    render.prompt_of_day(prompt, prompt_set, day.isoformat())
    state = journal.status(chosen.history, day, load_config().week_start)
    render.status_line(state.entries_this_week, state.days_since_last)


def prompt(
    date: str | None = typer.Option(None, "--date", metavar="D", help="The prompt of another day."),
    theme: str | None = typer.Option(
        None, "--theme", metavar="T", help="The day's prompt within theme T."
    ),
    another: bool = typer.Option(
        False, "--another", help="A different prompt (the day's next choice)."
    ),
    why: bool = typer.Option(False, "--why", help="Say in one line why this prompt was chosen."),
    as_json: bool = JSON,
) -> None:
    """The prompt of the day: the same all day, favouring the themes you have neglected."""
    from leadjournal import history, prompts

    day = day_option(date) or today()
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
    from leadjournal import render

    reason = None
    if why:
        reason = prompts.explain(picked, prompt_set, chosen.counts, theme is not None)
        if another:
            reason = "the day's next choice after " + order[0].id
    render.prompt_of_day(picked, prompt_set, day.isoformat(), reason)


def themes(as_json: bool = JSON) -> None:
    """The themes, what each is about, and how many prompts each has."""
    prompt_set = load_prompts()
    if as_json:
        print_json(
            [
                {
                    "id": t.id,
                    "name": t.name,
                    "description": t.description,
                    "prompts": len(t.prompts),
                }
                for t in prompt_set.themes
            ]
        )
        return
    from leadjournal import render

    render.themes_table(prompt_set)


def prompts(
    theme: str | None = typer.Option(
        None, "--theme", metavar="T", help="Only this theme's prompts."
    ),
    as_json: bool = JSON,
) -> None:
    """The prompts, by theme."""
    prompt_set = load_prompts()
    chosen = [prompt_set.theme(theme)] if theme else list(prompt_set.themes)
    items = [p for t in chosen for p in t.prompts]
    if as_json:
        print_json([{"id": p.id, "theme": p.theme, "text": p.text} for p in items])
        return
    from leadjournal import render

    render.prompts_list(items, prompt_set)
