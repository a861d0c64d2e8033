"""What the Typer commands share: their common options, and (from cli/parsing.py, where the
fast table finds them too) the parsing helpers behind them."""

from __future__ import annotations

import typer

from leadjournal.cli import completing
from leadjournal.cli.parsing import build_filters, day_option, require_positive

__all__ = [
    "JSON",
    "SEARCH",
    "SINCE",
    "TAG",
    "THEME",
    "UNTIL",
    "build_filters",
    "day_option",
    "require_positive",
]

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
