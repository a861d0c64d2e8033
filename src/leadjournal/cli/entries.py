"""write, list, show, edit, delete: the everyday commands on entries."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from leadjournal.cli import completing, fast
from leadjournal.cli.console import load_prompts, print_model, today, warn
from leadjournal.cli.options import JSON, SEARCH, SINCE, TAG, THEME, UNTIL
from leadjournal.errors import UsageError

if TYPE_CHECKING:
    from leadjournal.models import Commitment, Entry


def write(
    text: str | None = typer.Argument(
        None, metavar="[TEXT]", help="The entry. Without it: standard input, else your editor."
    ),
    theme: str | None = typer.Option(
        None,
        "--theme",
        autocompletion=completing.themes,
        metavar="T",
        help="Answer the prompt of the day within theme T (with --free: file the entry under T).",
    ),
    prompt_id: str | None = typer.Option(
        None,
        "--prompt",
        autocompletion=completing.prompts,
        metavar="ID",
        help="Answer this prompt.",
    ),
    free: bool = typer.Option(False, "--free", help="Free writing: answer no prompt."),
    another: bool = typer.Option(
        False, "--another", help="Answer the day's next choice (what 'prompt --another' shows)."
    ),
    tags: list[str] | None = typer.Option(
        None, "--tag", autocompletion=completing.tags, metavar="T", help="Add a tag (repeatable)."
    ),
    when: str | None = typer.Option(
        None, "--date", metavar="D", help="Date it: YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time)."
    ),
    commit: str | None = typer.Option(
        None, "--commit", metavar="TEXT", help="Also commit to a next step, linked to the entry."
    ),
    due: str | None = typer.Option(
        None, "--due", metavar="D", help="The commitment's due day: D, +Nd or +Nw (default +7d)."
    ),
    draft: Path | None = typer.Option(
        None,
        "--draft",
        metavar="PATH",
        help="Restore a draft kept after a failed save (deleted once saved).",
    ),
    as_json: bool = JSON,
) -> None:
    """Save an entry. By default it answers the prompt of the day."""
    fast.write(
        text,
        theme,
        prompt_id,
        free=free,
        another=another,
        tags=tags,
        when=when,
        commit=commit,
        due=due,
        draft=draft,
        as_json=as_json,
    )


def list_entries(
    since: str | None = SINCE,
    until: str | None = UNTIL,
    themes: list[str] | None = THEME,
    tags: list[str] | None = TAG,
    search: str | None = SEARCH,
    limit: int | None = typer.Option(None, "--limit", metavar="N", help="Only the most recent N."),
    no_pager: bool = typer.Option(
        False, "--no-pager", help="Do not page the output (a pipe never is paged)."
    ),
    as_json: bool = JSON,
) -> None:
    """List entries in chronological order (through $PAGER on a terminal)."""
    fast.list_entries(since, until, themes, tags, search, limit, no_pager=no_pager, as_json=as_json)


ID_ARG = typer.Argument(
    ...,
    metavar="ID",
    help="The entry's id, a unique prefix of 4+ characters, or 'last'.",
    autocompletion=completing.entries,
)
RECORD_ARG = typer.Argument(
    ...,
    metavar="ID",
    help="The id of an entry or a commitment, a unique prefix of 4+ characters, or 'last' "
    "(the most recent entry).",
    autocompletion=completing.entries,
)


def show(entry_id: str = RECORD_ARG, as_json: bool = JSON) -> None:
    """Show one entry (with its commitments), or one commitment."""
    from leadjournal import journal, render
    from leadjournal.models import Entry

    record = journal.find_record(entry_id, warn)
    if not isinstance(record, Entry):
        if as_json:
            print_model(record)
        else:
            render.commitment_full(record, load_prompts(), today())
        return
    full = journal.with_commitments(record, warn)
    if as_json:
        print_model(full)
        return
    render.entry_full(record, load_prompts())
    render.entry_commitments(full.commitments, today())


def edit(
    entry_id: str = ID_ARG,
    text: str | None = typer.Option(None, "--text", help="The new text (else your editor opens)."),
    theme: str | None = typer.Option(
        None, "--theme", autocompletion=completing.themes, metavar="T", help="Set the theme."
    ),
    tags: list[str] | None = typer.Option(
        None,
        "--tag",
        autocompletion=completing.tags,
        metavar="T",
        help="Set the tags (repeatable; replaces them).",
    ),
    no_theme: bool = typer.Option(False, "--no-theme", help="Clear the theme."),
    no_tags: bool = typer.Option(False, "--no-tags", help="Clear the tags (then set any --tag)."),
    when: str | None = typer.Option(
        None,
        "--date",
        metavar="D",
        help="Move it: D keeps its time of day; YYYY-MM-DDTHH:MM sets both (local time).",
    ),
) -> None:
    """Change an entry: in your editor, or with --text, --theme, --tag, --date."""
    from leadjournal import journal, render
    from leadjournal.journal_types import EditRequest

    prompt_set = load_prompts()
    request = EditRequest(
        entry_id,
        text,
        theme,
        list(tags) if tags else None,
        no_theme=no_theme,
        no_tags=no_tags,
        when=when,
    )
    result = journal.edit_entry(request, prompt_set, warn, today())
    render.edited(result.entry, prompt_set, changed=result.changed)


def delete(
    entry_id: str = RECORD_ARG,
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete an entry (with its commitments) or a commitment. Asks first; without a
    terminal, --yes is required."""
    from leadjournal import journal, render

    result = journal.delete_record(entry_id, None if yes else _confirm, warn)
    render.deleted(result.record, deleted=result.deleted, linked=result.linked)


def _confirm(record: "Entry | Commitment") -> bool:
    """Ask on the terminal; without one, --yes is required."""
    import shlex

    from leadjournal.models import Entry
    from leadjournal.text import visible

    if not sys.stdin.isatty():
        raise UsageError(
            f"Deleting needs confirmation: run 'leadjournal delete {shlex.quote(record.id)} --yes'."
        )
    first = visible(record.text.strip().split("\n", 1)[0][:60])
    what = "entry" if isinstance(record, Entry) else "commitment"
    return typer.confirm(f"Delete the {what} of {record.created_at:%Y-%m-%d %H:%M} ({first})?")
