"""write, list, show, edit, delete: the everyday commands on entries."""

import sys
from typing import TYPE_CHECKING

import typer

from leadjournal.cli.console import load_prompts, now, print_model, today, warn
from leadjournal.cli.options import (
    JSON,
    SEARCH,
    SINCE,
    TAG,
    THEME,
    UNTIL,
    build_filters,
    require_positive,
)
from leadjournal.errors import UsageError

if TYPE_CHECKING:
    from leadjournal.models import Entry


def write(
    text: str | None = typer.Argument(
        None, metavar="[TEXT]", help="The entry. Without it: standard input, else your editor."
    ),
    theme: str | None = typer.Option(
        None,
        "--theme",
        metavar="T",
        help="Answer the prompt of the day within theme T (with --free: file the entry under T).",
    ),
    prompt_id: str | None = typer.Option(
        None, "--prompt", metavar="ID", help="Answer this prompt."
    ),
    free: bool = typer.Option(False, "--free", help="Free writing: answer no prompt."),
    tags: list[str] | None = typer.Option(
        None, "--tag", metavar="T", help="Add a tag (repeatable)."
    ),
    when: str | None = typer.Option(
        None, "--date", metavar="D", help="Date it: YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time)."
    ),
    as_json: bool = JSON,
) -> None:
    """Save an entry. By default it answers the prompt of the day."""
    from leadjournal import journal, render
    from leadjournal.config import load_config
    from leadjournal.dates import parse_moment

    moment = parse_moment(when, now()) if when is not None else now()
    role = load_config().role
    prompt_set = load_prompts()
    # TEXT, else standard input when it is not a terminal, else the editor (None).
    source: str | bytes | None = text
    if text is None and not sys.stdin.isatty():
        source = sys.stdin.buffer.read()
    request = journal.WriteRequest(
        source, moment, list(tags or []), free, theme, prompt_id, earlier=not as_json
    )
    result = journal.write_entry(request, prompt_set, today(), warn, role=role)
    if as_json:
        print_model(result.entry)
        return
    render.saved(result.entry, prompt_set)
    if result.earlier is not None:
        render.previous_answer(result.earlier)


def list_entries(
    since: str | None = SINCE,
    until: str | None = UNTIL,
    themes: list[str] | None = THEME,
    tags: list[str] | None = TAG,
    search: str | None = SEARCH,
    limit: int | None = typer.Option(None, "--limit", metavar="N", help="Only the most recent N."),
    as_json: bool = JSON,
) -> None:
    """List entries in chronological order."""
    from leadjournal import journal

    require_positive(limit, "--limit")
    prompt_set = load_prompts() if themes or not as_json else None
    filters = build_filters(since, until, themes, tags, search, prompt_set)
    entries = journal.select_entries(filters, warn, limit)
    if as_json:
        print_model(entries)
        return
    from leadjournal import render

    render.entry_list(entries, prompt_set)


ID_ARG = typer.Argument(
    ..., metavar="ID", help="The entry's id, or a unique prefix of 4+ characters."
)


def show(entry_id: str = ID_ARG, as_json: bool = JSON) -> None:
    """Show one entry."""
    from leadjournal import journal

    entry = journal.find_entry(entry_id, warn)
    if as_json:
        print_model(entry)
        return
    from leadjournal import render

    render.entry_full(entry, load_prompts())


def edit(
    entry_id: str = ID_ARG,
    text: str | None = typer.Option(None, "--text", help="The new text (else your editor opens)."),
    theme: str | None = typer.Option(None, "--theme", metavar="T", help="Set the theme."),
    tags: list[str] | None = typer.Option(
        None, "--tag", metavar="T", help="Set the tags (repeatable; replaces them)."
    ),
) -> None:
    """Change an entry: in your editor, or with --text, --theme, --tag."""
    from leadjournal import journal, render

    prompt_set = load_prompts()
    request = journal.EditRequest(entry_id, text, theme, list(tags) if tags else None)
    result = journal.edit_entry(request, prompt_set, warn)
    render.edited(result.entry, prompt_set, changed=result.changed)


def delete(
    entry_id: str = ID_ARG,
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete an entry (asks first; without a terminal, --yes is required)."""
    from leadjournal import journal, render

    result = journal.delete_entry(entry_id, None if yes else _confirm, warn)
    render.deleted(result.entry, deleted=result.deleted)


def _confirm(entry: "Entry") -> bool:
    """Ask on the terminal; without one, --yes is required."""
    if not sys.stdin.isatty():
        raise UsageError(f"Deleting needs confirmation: run 'leadjournal delete {entry.id} --yes'.")
    first = entry.text.strip().split("\n", 1)[0][:60]
    return typer.confirm(f"Delete the entry of {entry.created_at:%Y-%m-%d %H:%M} ({first})?")
