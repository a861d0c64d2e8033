"""Parsing helpers the commands share, with no Typer: the fast table (cli/fast.py) and the
Typer commands (through cli/options.py) call the same ones."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from leadjournal.cli.console import today
from leadjournal.errors import UsageError

if TYPE_CHECKING:
    from leadjournal.filters import Filters
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
    from leadjournal.filters import Filters
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
