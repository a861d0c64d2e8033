"""today, prompt, themes, prompts: the questions and the prompt of the day."""

import typer

from leadjournal.cli import completing
from leadjournal.cli.console import load_prompts, print_model
from leadjournal.cli.fast import show_prompt, show_today
from leadjournal.cli.options import JSON


def today() -> None:
    """Today's prompt, a line of status, and how to answer."""
    show_today()


def prompt(
    date: str | None = typer.Option(None, "--date", metavar="D", help="The prompt of another day."),
    theme: str | None = typer.Option(
        None,
        "--theme",
        autocompletion=completing.themes,
        metavar="T",
        help="The day's prompt within theme T.",
    ),
    another: bool = typer.Option(
        False, "--another", help="A different prompt (the day's next choice)."
    ),
    why: bool = typer.Option(
        False, "--why", help="Say why this prompt was chosen, and the idea it applies."
    ),
    as_json: bool = JSON,
) -> None:
    """The prompt of the day: the same all day, favouring the themes you have neglected."""
    show_prompt(date, theme, another=another, why=why, as_json=as_json)


def themes(as_json: bool = JSON) -> None:
    """The themes, what each is about, and how many prompts each has."""
    prompt_set = load_prompts()
    if as_json:
        from leadjournal.models import ThemeJson

        print_model(
            [
                ThemeJson(id=t.id, name=t.name, description=t.description, prompts=len(t.prompts))
                for t in prompt_set.themes
            ]
        )
        return
    from leadjournal import render

    render.themes_table(prompt_set)


def prompts(
    theme: str | None = typer.Option(
        None,
        "--theme",
        autocompletion=completing.themes,
        metavar="T",
        help="Only this theme's prompts.",
    ),
    as_json: bool = JSON,
) -> None:
    """Every prompt, by theme (those for managers marked), whatever the role."""
    prompt_set = load_prompts()
    chosen = [prompt_set.theme(theme)] if theme else list(prompt_set.themes)
    items = [p for t in chosen for p in t.prompts]
    if as_json:
        from leadjournal.models import PromptJson

        print_model(
            [
                PromptJson(
                    id=p.id,
                    theme=p.theme,
                    text=p.text,
                    audience=p.audience,
                    follow_up=p.follow_up,
                    idea=p.idea,
                )
                for p in items
            ]
        )
        return
    from leadjournal import render

    render.prompts_list(items, prompt_set)
