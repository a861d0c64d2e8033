"""The commands typed most, without Typer: `--version`, plain `leadjournal` and `today`,
and `prompt`; `write`, `list` and `summary` with the options cli/fastparse.py reads; and
`merge-month`, which git runs once for every month both sides changed. cli/__init__.py
answers them from here before Typer is imported (Typer and Click are a large part of
the start-up time, DESIGN.md sections 8 and 8b); otherwise the Typer commands of
cli/prompting.py, cli/entries.py, cli/summary.py and cli/sync.py parse the command line
and call these same functions, so the output is the same.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

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


def write(
    text: str | None = None,
    theme: str | None = None,
    prompt_id: str | None = None,
    *,
    free: bool = False,
    another: bool = False,
    tags: list[str] | None = None,
    when: str | None = None,
    commit: str | None = None,
    due: str | None = None,
    draft: Path | str | None = None,
    as_json: bool = False,
) -> None:
    """`write`: save an entry (cli/entries.write is its Typer command)."""
    from pathlib import Path

    from leadjournal import journal, render
    from leadjournal.cli.console import load_prompts, now, print_model, today, warn
    from leadjournal.config import load_config
    from leadjournal.dates import parse_moment
    from leadjournal.write_types import WriteRequest

    moment = parse_moment(when, now()) if when is not None else now()
    role = load_config().role
    prompt_set = load_prompts()
    # TEXT, else standard input when it is not a terminal, else the editor (None).
    source: str | bytes | None = text
    if text is None and draft is None and not sys.stdin.isatty():
        source = sys.stdin.buffer.read()
    request = WriteRequest(
        source,
        moment,
        list(tags or []),
        free,
        theme,
        prompt_id,
        earlier=not as_json,
        commit=commit,
        due=due,
        another=another,
        draft=None if draft is None else Path(draft),
    )
    result = journal.write_entry(request, prompt_set, today(), warn, role=role)
    if as_json:
        print_model(result.with_commitments())
        return
    render.saved(result.entry, prompt_set)
    for made in result.commitments:
        render.committed(made, today())
    if result.earlier is not None:
        render.previous_answer(result.earlier)


def list_entries(
    since: str | None = None,
    until: str | None = None,
    themes: list[str] | None = None,
    tags: list[str] | None = None,
    search: str | None = None,
    limit: int | None = None,
    *,
    no_pager: bool = False,
    as_json: bool = False,
) -> None:
    """`list`: entries in chronological order (cli/entries.list_entries is its Typer
    command)."""
    from leadjournal import journal
    from leadjournal.cli.console import load_prompts, print_model, warn
    from leadjournal.cli.parsing import build_filters, require_positive

    require_positive(limit, "--limit")
    prompt_set = load_prompts() if themes or not as_json else None
    filters = build_filters(since, until, themes, tags, search, prompt_set)
    entries = journal.select_entries(filters, warn, limit)
    if as_json:
        print_model(entries)
        return
    from leadjournal import render

    with render.paged(allowed=not no_pager):
        render.entry_list(entries, prompt_set, search)


def summary(
    week: str | None = None,
    since: str | None = None,
    until: str | None = None,
    weeks: int | None = None,
    *,
    as_json: bool = False,
) -> None:
    """`summary`: the tally by theme for a period (cli/summary.summary is its Typer
    command)."""
    from leadjournal import journal
    from leadjournal.cli.console import load_prompts, print_model, today, warn
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
