"""export and import: the journal out as Markdown or JSON, and in from leadjournal, jrnl and
Day One exports (DESIGN.md section 6)."""

from enum import StrEnum
from pathlib import Path

import typer

from leadjournal.cli.console import load_prompts, now, print_model, today, warn
from leadjournal.cli.options import JSON, SEARCH, SINCE, TAG, THEME, UNTIL, build_filters
from leadjournal.errors import UsageError


class ExportFormat(StrEnum):
    markdown = "markdown"
    json = "json"


class SplitBy(StrEnum):
    day = "day"


class NoteNames(StrEnum):
    obsidian = "obsidian"
    logseq = "logseq"


class ImportFormat(StrEnum):
    auto = "auto"
    leadjournal = "leadjournal"
    jrnl = "jrnl"
    dayone = "dayone"


def export(
    fmt: ExportFormat = typer.Option(
        ExportFormat.markdown, "--format", case_sensitive=False, help="Markdown or JSON."
    ),
    output: str | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="PATH",
        help="Write to this file (with --split day: this folder). Default: standard output.",
    ),
    split: SplitBy | None = typer.Option(
        None, "--split", help="One Markdown daily note per day (needs --output DIR)."
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace a file that already exists (daily notes never need it)."
    ),
    weekly: bool = typer.Option(
        False, "--weekly", help="With --split day: the weekly notes (YYYY-Www.md) too."
    ),
    note_names: NoteNames | None = typer.Option(
        None,
        "--names",
        case_sensitive=False,
        help="With --split day: obsidian (YYYY-MM-DD.md, the default) or logseq (YYYY_MM_DD.md).",
    ),
    since: str | None = SINCE,
    until: str | None = UNTIL,
    themes: list[str] | None = THEME,
    tags: list[str] | None = TAG,
    search: str | None = SEARCH,
) -> None:
    """Export entries as Markdown (one document, or daily notes) or as lossless JSON.

    Daily notes go into a folder that may hold your own notes: only leadjournal's part of
    a note (between its markers) and its front matter keys change, and the previous
    version is kept in backups/notes/ first.
    """
    from leadjournal import journal, render
    from leadjournal.journal_types import ExportRequest
    from leadjournal.render.progress import Shown

    if split is not None and output in (None, "-"):
        raise UsageError("--split day writes one file per day into a folder: add --output DIR.")
    if split is not None and fmt is ExportFormat.json:
        raise UsageError("--split day writes Markdown daily notes; leave out --format json.")
    if split is None and (weekly or note_names is not None):
        raise UsageError("--weekly and --names go with --split day (daily notes in a folder).")
    markdown = fmt is ExportFormat.markdown
    prompt_set = load_prompts() if markdown or themes else None
    from leadjournal.config import load_config

    config = load_config()
    request = ExportRequest(
        markdown=markdown,
        target=None if output in (None, "-") else Path(str(output)).expanduser(),
        daily_notes=split is not None,
        force=force,
        filters=build_filters(since, until, themes, tags, search, prompt_set),
        weekly=weekly,
        names=(note_names or NoteNames.obsidian).value,
        week_start=config.week_start,
        today=today(),
        role=config.role,
    )
    names = {t.id: t.name for t in prompt_set.themes} if prompt_set else {}
    result = journal.export_entries(request, names, now(), warn, progress=Shown())
    render.exported(result)


def import_(
    file: str = typer.Argument(
        ..., metavar="FILE", help="The export to read ('-' for standard input)."
    ),
    fmt: ImportFormat = typer.Option(
        ImportFormat.auto,
        "--format",
        case_sensitive=False,
        help="What FILE is; auto recognises it and says so.",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Say what would be imported, and change nothing."
    ),
    as_json: bool = JSON,
) -> None:
    """Import entries from a leadjournal, jrnl or Day One JSON export.

    All or nothing: one invalid entry and nothing is imported. Entries already in the
    journal (same id) are skipped, so importing a file twice adds nothing the second time.
    """
    from leadjournal import journal, render
    from leadjournal.render.progress import Shown

    result = journal.import_file(file, fmt.value, warn, dry_run=dry_run, progress=Shown())
    if as_json:
        print_model(result.report)
        return
    render.imported(result)
