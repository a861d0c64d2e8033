"""commit, commitments, resolve: next steps the writer holds themself to (DESIGN.md 9)."""

from enum import StrEnum

import typer

from leadjournal.cli import completing
from leadjournal.cli.console import load_prompts, now, print_model, today, warn
from leadjournal.cli.options import JSON, day_option


class StatusFilter(StrEnum):
    open = "open"
    kept = "kept"
    missed = "missed"
    dropped = "dropped"
    all = "all"


class Outcome(StrEnum):
    kept = "kept"
    missed = "missed"
    dropped = "dropped"
    open = "open"


DUE = typer.Option(
    None,
    "--due",
    metavar="D",
    help="When it is due: YYYY-MM-DD, today, or +Nd / +Nw after the day it is made (default +7d).",
)


def commit(
    text: str = typer.Argument(..., metavar="TEXT", help="The next step you commit to."),
    due: str | None = DUE,
    theme: str | None = typer.Option(
        None,
        "--theme",
        autocompletion=completing.themes,
        metavar="T",
        help="File it under theme T.",
    ),
    entry: str | None = typer.Option(
        None,
        "--entry",
        autocompletion=completing.entries,
        metavar="ID",
        help="Link it to this entry (and take its theme).",
    ),
    when: str | None = typer.Option(
        None, "--date", metavar="D", help="When it was made: YYYY-MM-DD or YYYY-MM-DDTHH:MM."
    ),
    as_json: bool = JSON,
) -> None:
    """Commit to a next step, on its own or linked to an entry."""
    from leadjournal import journal, render
    from leadjournal.dates import parse_moment
    from leadjournal.journal_types import CommitRequest

    moment = parse_moment(when, now()) if when is not None else now()
    request = CommitRequest(text, moment, due, theme, entry)
    made = journal.commit(request, load_prompts(), today(), warn)
    if as_json:
        print_model(made)
        return
    render.committed(made, today())


def commitments(
    status: StatusFilter = typer.Option(
        StatusFilter.open, "--status", case_sensitive=False, help="Which ones (default: open)."
    ),
    theme: str | None = typer.Option(
        None, "--theme", autocompletion=completing.themes, metavar="T", help="Only this theme."
    ),
    since: str | None = typer.Option(None, "--since", metavar="D", help="Due on or after D."),
    until: str | None = typer.Option(None, "--until", metavar="D", help="Due on or before D."),
    as_json: bool = JSON,
) -> None:
    """Your commitments, earliest due first; overdue ones are marked."""
    from leadjournal import journal, render

    prompt_set = load_prompts()
    found = journal.list_commitments(
        warn,
        status=status.value,
        theme=theme,
        since=day_option(since),
        until=day_option(until),
        prompt_set=prompt_set,
    )
    if as_json:
        print_model(found)
        return
    render.commitments_list(found, prompt_set, today(), status.value)


def resolve(
    commitment_id: str = typer.Argument(
        ...,
        metavar="ID",
        help="The commitment's id, or a unique prefix of 4+ characters.",
        autocompletion=completing.open_commitments,
    ),
    outcome: Outcome = typer.Argument(
        ..., metavar="OUTCOME", case_sensitive=False, help="kept, missed, dropped, or open."
    ),
    note: str | None = typer.Option(
        None, "--note", metavar="TEXT", help='A note on how it went (--note "" clears it).'
    ),
    due: str | None = typer.Option(
        None, "--due", metavar="D", help="With 'open': the new due day (D, +Nd, +Nw)."
    ),
    as_json: bool = JSON,
) -> None:
    """Close a commitment as kept, missed or dropped, or reopen it."""
    from leadjournal import journal, render
    from leadjournal.journal_types import ResolveRequest

    request = ResolveRequest(commitment_id, outcome.value, note, due)
    saved = journal.resolve(request, today(), warn)
    if as_json:
        print_model(saved)
        return
    render.resolved(saved, today())
