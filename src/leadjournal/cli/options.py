"""What the Typer commands share: their common options and the parsing helpers behind them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import typer

from leadjournal.cli import completing
from leadjournal.cli.console import today
from leadjournal.errors import UsageError

if TYPE_CHECKING:
    from leadjournal.journal import Filters
    from leadjournal.prompts.promptset import PromptSet


def day_option(value: str | None) -> date | None:
    from leadjournal.dates import parse_day

    return None if value is None else parse_day(value, today())


def build_filters(
    since: str | None,
    until: str | None,
    themes: list[str] | None,
    tags: list[str] | None,
    search: str | None,
    prompt_set: PromptSet | None = None,
) -> Filters:
    from leadjournal.journal import Filters
    from leadjournal.text import normalize_tag

    if themes and prompt_set is not None:
        for theme in themes:
            prompt_set.theme(theme)
    return Filters(
        since=day_option(since),
        until=day_option(until),
        themes=list(themes or []),
        tags=[normalize_tag(t) for t in tags or []],
        search=search or None,
    )


def require_positive(value: int | None, name: str) -> None:
    if value is not None and value < 0:
        raise UsageError(f"{name} must be 0 or more.")


# Options shared by list and export (FILTERS in DESIGN.md section 2).
SINCE = typer.Option(
    None, "--since", metavar="D", help="From this day (YYYY-MM-DD, today, yesterday)."
)
UNTIL = typer.Option(None, "--until", metavar="D", help="Up to and including this day.")
THEME = typer.Option(
    None,
    "--theme",
    autocompletion=completing.themes,
    metavar="T",
    help="Only this theme (repeatable).",
)
TAG = typer.Option(
    None,
    "--tag",
    autocompletion=completing.tags,
    metavar="T",
    help="Only entries with this tag (repeatable).",
)
SEARCH = typer.Option(
    None,
    "--search",
    metavar="TEXT",
    help="Search the text and the prompt, ignoring case and accents.",
)
JSON = typer.Option(False, "--json", help="Print JSON instead of text.")
