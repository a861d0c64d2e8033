"""write, list, show, edit, delete: the everyday commands on entries."""

import sys
from typing import TYPE_CHECKING

import typer

from leadjournal.cli._shared import (
    JSON,
    SEARCH,
    SINCE,
    TAG,
    THEME,
    UNTIL,
    build_filters,
    entry_json,
    load_prompts,
    now,
    print_json,
    require_positive,
    today,
    warn,
)
from leadjournal.errors import JournalError, NothingToSaveError, UsageError

if TYPE_CHECKING:
    from leadjournal.editor import Draft


def _read_text(text: str | None, template: str) -> "tuple[str, Draft | None]":
    """TEXT, else standard input when it is not a terminal, else the editor."""
    from leadjournal.config import load_config
    from leadjournal.text import decode_bytes

    if text is not None:
        return text, None
    if not sys.stdin.isatty():
        raw, replaced = decode_bytes(sys.stdin.buffer.read())
        _note_replaced(replaced)
        return raw, None
    from leadjournal import editor

    edited, draft = editor.edit_text(template, load_config().editor)
    return editor.extract(edited), draft


def _note_replaced(count: int) -> None:
    if count:
        plural = count > 1
        warn(
            f"{count} character{'s' if plural else ''} of the text {'were' if plural else 'was'} "
            "not valid UTF-8 and became \ufffd."
        )


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
    from leadjournal import journal, render, store
    from leadjournal.dates import parse_moment
    from leadjournal.editor import template
    from leadjournal.text import normalize_tag

    moment = parse_moment(when, now()) if when is not None else now()
    clean_tags = [normalize_tag(t) for t in tags or []]
    prompt_set = load_prompts()
    choice = journal.choose_for_entry(
        moment.date(), prompt_set, today(), warn, free=free, theme=theme, prompt_id=prompt_id
    )
    if text is None and sys.stdin.isatty():
        store.check_writable_home()  # fail before the editor opens, not after
    theme_info = prompt_set.theme_by_id.get(choice.theme or "")
    raw, draft = _read_text(
        text,
        template(
            choice.prompt.text if choice.prompt else None,
            theme_info.name if theme_info else None,
            theme_info.description if theme_info else None,
        ),
    )
    try:
        body, replaced = journal.prepare_text(raw)
        _note_replaced(replaced)
        entry = journal.new_entry(body, moment, choice, clean_tags)
        store.add_entry(entry)
    except JournalError as exc:
        if draft is not None and not isinstance(exc, NothingToSaveError):
            exc.hint = f"What you typed is kept in {draft.path}."
        elif draft is not None:
            draft.discard()
        raise
    if draft is not None:
        draft.discard()
    if as_json:
        print_json(entry_json(entry))
        return
    render.saved(entry, prompt_set)
    earlier = journal.earlier_answer(entry, choice.history, warn)
    if earlier is not None:
        render.previous_answer(earlier)


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
        print_json([entry_json(e) for e in entries])
        return
    from leadjournal import render

    render.entry_list(entries, prompt_set)


ID_ARG = typer.Argument(
    ..., metavar="ID", help="The entry's id, or a unique prefix of 4+ characters."
)


def show(entry_id: str = ID_ARG, as_json: bool = JSON) -> None:
    """Show one entry."""
    from leadjournal import store

    _, entry = store.find_entry(entry_id, warn)
    if as_json:
        print_json(entry_json(entry))
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
    from leadjournal import journal, render, store
    from leadjournal.models import now_local
    from leadjournal.text import normalize_tag

    prompt_set = load_prompts()
    if theme is not None:
        prompt_set.theme(theme)
    new_tags = [normalize_tag(t) for t in tags] if tags else None
    path, entry = store.find_entry(entry_id, warn)
    draft = None
    body = entry.text
    if text is not None:
        body, replaced = journal.prepare_text(text)
        _note_replaced(replaced)
    elif theme is None and new_tags is None:
        from leadjournal import editor
        from leadjournal.config import load_config

        info = prompt_set.theme_by_id.get(entry.theme or "")
        edited, draft = editor.edit_text(
            editor.template(
                entry.prompt,
                info.name if info else None,
                info.description if info else None,
                entry.text,
            ),
            load_config().editor,
        )
        try:
            body, replaced = journal.prepare_text(editor.extract(edited))
        except JournalError:
            draft.discard()
            raise JournalError(
                "The text is empty, so the entry was left as it was.",
                hint="To remove it, use 'leadjournal delete'.",
            ) from None
        _note_replaced(replaced)
    changed = entry.model_copy(
        update={
            "text": body,
            "theme": theme if theme is not None else entry.theme,
            "tags": list(dict.fromkeys(new_tags)) if new_tags is not None else entry.tags,
        }
    )
    if changed == entry:
        if draft is not None:
            draft.discard()
        render.lines(["Nothing changed."])
        return
    changed.updated_at = now_local()
    try:
        changed = store.replace_entry(path, changed)
    except JournalError as exc:
        if draft is not None:
            exc.hint = f"What you typed is kept in {draft.path}."
        raise
    if draft is not None:
        draft.discard()
    render.saved(changed, prompt_set, verb="Updated")


def delete(
    entry_id: str = ID_ARG,
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete an entry (asks first; without a terminal, --yes is required)."""
    from leadjournal import render, store
    from leadjournal.models import now_local

    path, entry = store.find_entry(entry_id, warn)
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError(
                f"Deleting needs confirmation: run 'leadjournal delete {entry.id} --yes'."
            )
        first = entry.text.strip().split("\n", 1)[0][:60]
        if not typer.confirm(f"Delete the entry of {entry.created_at:%Y-%m-%d %H:%M} ({first})?"):
            render.lines(["Nothing was deleted."])
            return
    store.delete_entry(path, entry.id, now_local())
    render.lines([f"Deleted entry {entry.id}."])
