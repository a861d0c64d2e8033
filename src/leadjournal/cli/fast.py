"""The commands typed most, without Typer: `--version`, plain `leadjournal` and `today`,
and `prompt`; and `merge-month`, which git runs once for every month both sides changed.
cli/__init__.py answers them from here before Typer is imported (it is most of the
start-up time, DESIGN.md section 8); with options, the Typer commands of cli/prompting.py
and cli/sync.py parse them and call the same functions, so the output is the same.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leadjournal.dayview import PromptOfDay
    from leadjournal.models import PromptOfDayJson
    from leadjournal.prompts.promptset import PromptSet

VERSION_OPTION = "--version"


def show_version() -> None:
    from leadjournal import __version__

    sys.stdout.write(f"leadjournal {__version__}\n")


def show_today() -> None:
    """Today's prompt, a line of status, and how to answer."""
    from leadjournal import dayview, render
    from leadjournal.cli.console import load_prompts, today, warn
    from leadjournal.config import load_config

    day = today()
    config = load_config()
    prompt_set = load_prompts()
    view = dayview.today_view(prompt_set, day, config.week_start, warn, role=config.role)
    if view.answered:
        render.answered_today(view.prompt, prompt_set, view.day.isoformat(), view.next_prompt)
    else:
        render.prompt_of_day(view.prompt, prompt_set, view.day.isoformat())
    if view.due is not None:
        render.due_line(view.due.total, view.due.first)
    if view.earlier_years:
        render.on_this_day_line(view.earlier_years)
    render.status_line(
        view.status.entries_this_week, view.status.days_since_last, answered=view.answered
    )


def show_prompt(
    date: str | None = None,
    theme: str | None = None,
    *,
    another: bool = False,
    why: bool = False,
    as_json: bool = False,
) -> None:
    """The prompt of a day (default today), optionally within a theme, or the next choice."""
    from leadjournal import dayview, render
    from leadjournal.cli.console import load_prompts, print_model, today, warn
    from leadjournal.config import load_config
    from leadjournal.dates import parse_day

    now = today()
    day = parse_day(date, now) if date is not None else now
    role = load_config().role
    prompt_set = load_prompts()
    chosen = dayview.prompt_of_day(
        day,
        prompt_set,
        now,
        warn,
        theme=theme,
        another=another,
        why=why and not as_json,
        role=role,
    )
    if as_json:
        print_model(prompt_json(chosen, prompt_set))
        return
    render.prompt_of_day(chosen.prompt, prompt_set, day.isoformat(), chosen.reason)


def merge_month(base: str, ours: str, theirs: str) -> None:
    """git's merge driver: the union of OURS and THEIRS written into OURS (BASE unused)."""
    from pathlib import Path

    from leadjournal import syncing

    syncing.merge_month(Path(ours), Path(theirs))


def prompt_json(chosen: PromptOfDay, prompt_set: PromptSet) -> PromptOfDayJson:
    """`prompt --json` of a day's prompt (also `review --json`'s suggestion)."""
    from leadjournal.models import PromptOfDayJson

    picked = chosen.prompt
    return PromptOfDayJson(
        date=chosen.day,
        id=picked.id,
        theme=picked.theme,
        theme_name=prompt_set.theme_by_id[picked.theme].name,
        text=picked.text,
    )
