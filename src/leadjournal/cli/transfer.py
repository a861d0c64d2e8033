"""export and import: the journal out as Markdown or JSON, and in from leadjournal, jrnl and
Day One exports (DESIGN.md section 6)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
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
    load_prompts,
    now,
    print_json,
    warn,
)
from leadjournal.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from datetime import date

    from leadjournal.export import Advance, Day
    from leadjournal.models import Entry


class ExportFormat(StrEnum):
    markdown = "markdown"
    json = "json"


class SplitBy(StrEnum):
    day = "day"


class ImportFormat(StrEnum):
    auto = "auto"
    leadjournal = "leadjournal"
    jrnl = "jrnl"
    dayone = "dayone"


def _plural(count: int, word: str = "entry", many: str = "entries") -> str:
    return f"{count} {word if count == 1 else many}"


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
    force: bool = typer.Option(False, "--force", help="Replace files that already exist."),
    since: str | None = SINCE,
    until: str | None = UNTIL,
    themes: list[str] | None = THEME,
    tags: list[str] | None = TAG,
    search: str | None = SEARCH,
) -> None:
    """Export entries as Markdown (one document, or daily notes) or as lossless JSON."""
    from leadjournal import journal, store
    from leadjournal import output as out

    if split is not None and output in (None, "-"):
        raise UsageError("--split day writes one file per day into a folder: add --output DIR.")
    if split is not None and fmt is ExportFormat.json:
        raise UsageError("--split day writes Markdown daily notes; leave out --format json.")
    target = None if output in (None, "-") else Path(str(output)).expanduser()
    if target is not None and split is None:
        out.check_file_target(target, force=force)  # before the work, not after
    prompt_set = load_prompts() if fmt is ExportFormat.markdown or themes else None
    filters = build_filters(since, until, themes, tags, search, prompt_set)
    with store.no_gc_pauses():
        entries = journal.select_entries(filters, warn)
        if fmt is ExportFormat.json:
            _json(entries, target, force=force)
            return
        names = {t.id: t.name for t in prompt_set.themes} if prompt_set else {}
        if target is not None and split is not None:
            _daily_notes(entries, names, target, force=force)
            return
        _document(entries, names, target, filters.since, filters.until, force=force)


def _json(entries: Sequence[Entry], target: Path | None, *, force: bool) -> None:
    from leadjournal.export import json_export

    _emit(entries, target, force, lambda advance: json_export(entries, now(), advance=advance))


def _document(
    entries: Sequence[Entry],
    names: dict[str, str],
    target: Path | None,
    since: date | None,
    until: date | None,
    *,
    force: bool,
) -> None:
    from leadjournal.export import markdown_document

    _emit(
        entries,
        target,
        force,
        lambda advance: markdown_document(
            entries, names, since=since, until=until, advance=advance
        ),
    )


def _emit(
    entries: Sequence[Entry],
    target: Path | None,
    force: bool,
    chunks_for: Callable[[Advance], Iterable[str | bytes]],
) -> None:
    """Write one export to standard output or atomically to `target`, with a progress bar
    on a terminal for long ones."""
    from leadjournal import output as out
    from leadjournal.render import progress

    show = progress.wanted(len(entries), data_on_stdout=target is None)
    with progress.bar(len(entries), "Exporting", show=show) as advance:
        chunks = chunks_for(advance)
        if target is None:
            out.write_stdout(chunks)
            return
        out.write_file(target, chunks, force=force)
    _exported(entries, target)


def _daily_notes(
    entries: Sequence[Entry], names: dict[str, str], folder: Path, *, force: bool
) -> None:
    from leadjournal import output as out
    from leadjournal import render
    from leadjournal.export import daily_note, group_by_day
    from leadjournal.render import progress

    days: list[Day] = group_by_day(entries)
    if not days:
        render.lines(["No entries match, so no daily notes were written."])
        return
    out.prepare_folder(folder, [day.filename for day in days], force=force)
    show = progress.wanted(len(entries))
    with progress.bar(len(entries), "Writing daily notes", show=show) as advance:
        for written, day in enumerate(days):
            out.write_file(
                folder / day.filename, [daily_note(day, names)], force=force, wrote_before=written
            )
            advance(len(day.entries))
    render.lines(
        [
            f"Exported {_plural(len(entries))} as "
            f"{_plural(len(days), 'daily note', 'daily notes')} in {folder}."
        ]
    )


def _exported(entries: Sequence[Entry], target: Path) -> None:
    from leadjournal import render

    render.lines([f"Exported {_plural(len(entries))} to {target}."])


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
    from leadjournal import importers, render, store
    from leadjournal.models import ImportReport
    from leadjournal.render import progress

    data, name = importers.read_source(file)
    with store.no_gc_pauses():
        source = importers.load(data, fmt.value, name)
        del data
        show = progress.wanted(source.count)
        with progress.bar(source.count, "Reading", show=show) as advance:
            parsed = source.convert(advance)
        for note in parsed.notes:
            warn(note)
        if dry_run:
            added, duplicates = importers.new_entries(parsed, store.known_ids(warn))
        else:
            with progress.working("Saving…", show=show):
                added, duplicates = store.add_entries(parsed.entries)
    report = ImportReport(
        added=added, skipped=duplicates + parsed.empty, source_format=parsed.source_format
    )
    if as_json:
        print_json(report.model_dump(mode="json"))
        return
    how = " (recognised automatically)" if source.detected else ""
    reasons = [
        text
        for count, text in (
            (duplicates, f"{duplicates} already in the journal"),
            (parsed.empty, f"{parsed.empty} with no text"),
        )
        if count
    ]
    skipped = f"{report.skipped}" + (f" ({', '.join(reasons)})" if reasons else "")
    lines = [f"Read {name} as a {importers.DESCRIPTIONS[parsed.source_format]}{how}."]
    if dry_run:
        lines.append(
            f"Dry run: would import {_plural(added)} and skip {skipped}. Nothing was changed."
        )
    else:
        lines.append(f"Imported {_plural(added)}; skipped {skipped}.")
    render.lines(lines)
