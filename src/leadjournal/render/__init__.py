"""How results look in a terminal and in a pipe; this package is the only one that imports rich.

Styling appears only when standard output is a terminal, and never with NO_COLOR.
Entry text is printed verbatim (no markup, no re-wrapping). rich is imported inside the
functions that need it: the prompt of the day is painted with plain ANSI codes so that
`prompt` and `today` start fast (DESIGN.md section 8).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from leadjournal.journal import ExportResult, ImportResult
    from leadjournal.models import DoctorReport, Entry
    from leadjournal.prompts.promptset import Prompt, PromptSet


def escape(text: str) -> str:
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def styled() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


_ANSI = {"bold": "1", "dim": "2", "italic": "3", "magenta": "35", "cyan": "36"}


def paint(text: str, *styles: str) -> str:
    """`text` in ANSI styles when stdout is a styled terminal, else as it is."""
    if not styles or not styled():
        return text
    codes = ";".join(_ANSI[s] for s in styles)
    return f"\x1b[{codes}m{text}\x1b[0m"


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    tty = stream.isatty()
    return Console(
        file=stream,
        highlight=False,
        soft_wrap=not tty,
        no_color=bool(os.environ.get("NO_COLOR")) or not tty,
        force_terminal=tty,
        emoji=False,
    )


def _when(entry: Entry) -> str:
    return entry.created_at.strftime("%Y-%m-%d %a %H:%M")


def _theme_name(prompt_set: PromptSet | None, theme_id: str | None) -> str:
    if theme_id is None:
        return ""
    if prompt_set is not None and theme_id in prompt_set.theme_by_id:
        return prompt_set.theme_by_id[theme_id].name
    return theme_id


def short_id(entry_id: str) -> str:
    """Our random hex ids shortened to 8 characters (what `show` accepts); an imported id,
    whose beginning may be shared with others (Day One's), in full."""
    hexdigits = "0123456789abcdef"
    if len(entry_id) == 16 and all(c in hexdigits for c in entry_id):
        return entry_id[:8]
    return entry_id


def entry_list(entries: Sequence[Entry], prompt_set: PromptSet | None) -> None:
    out = console()
    if not entries:
        out.print("No entries match.", style="dim")
        return
    for entry in entries:
        header = f"[bold]{_when(entry)}[/]  [cyan]{escape(short_id(entry.id))}[/]"
        theme = _theme_name(prompt_set, entry.theme)
        if theme:
            header += f"  [magenta]{escape(theme)}[/]"
        if entry.tags:
            header += "  " + escape(" ".join(f"#{t}" for t in entry.tags))
        out.print(header)
        if entry.prompt:
            out.print(f"  > {escape(entry.prompt)}", style="italic dim")
        first = next((line for line in entry.text.split("\n") if line.strip()), "")
        more = "  …" if entry.text.strip() != first.strip() else ""
        out.print(f"  {escape(first)}{more}")
    out.print(f"{len(entries)} {'entry' if len(entries) == 1 else 'entries'}", style="dim")


def entry_full(entry: Entry, prompt_set: PromptSet | None) -> None:
    out = console()
    theme = _theme_name(prompt_set, entry.theme)
    out.print(
        f"[bold]{_when(entry)}[/]  [cyan]{entry.id}[/]"
        + (f"  [magenta]{escape(theme)}[/]" if theme else "")
    )
    if entry.prompt:
        out.print(f"> {escape(entry.prompt)}", style="italic")
    out.print()
    out.print(escape(entry.text), markup=True)
    if entry.tags:
        out.print()
        out.print(escape(" ".join(f"#{t}" for t in entry.tags)), style="dim")


def saved(entry: Entry, prompt_set: PromptSet | None, verb: str = "Saved") -> None:
    theme = _theme_name(prompt_set, entry.theme)
    about = escape(f", {theme}" if theme else "")
    when = entry.created_at.strftime("%Y-%m-%d %H:%M")
    console().print(f"{verb} entry [cyan]{entry.id}[/] ({when}{about}).")


def edited(entry: Entry, prompt_set: PromptSet | None, *, changed: bool) -> None:
    if not changed:
        lines(["Nothing changed."])
        return
    saved(entry, prompt_set, verb="Updated")


def deleted(entry: Entry, *, deleted: bool) -> None:
    lines([f"Deleted entry {entry.id}." if deleted else "Nothing was deleted."])


def previous_answer(entry: Entry) -> None:
    out = console()
    lines = [line for line in entry.text.split("\n") if line.strip()][:3]
    out.print()
    out.print(
        f"You answered this question before, on {entry.created_at.strftime('%Y-%m-%d')}:",
        style="bold",
    )
    for line in lines:
        out.print(f"  {escape(line)}", style="dim")


def prompt_of_day(prompt: Prompt, prompt_set: PromptSet, day: str, why: str | None = None) -> None:
    theme = prompt_set.theme_by_id[prompt.theme]
    out = [
        paint(theme.name, "bold", "magenta") + paint(f" · {day} · {prompt.id}", "dim"),
        paint(prompt.text, "bold"),
    ]
    if prompt.follow_up:
        out.append(paint(f"Then: {prompt.follow_up}", "dim"))
    if why:
        out.append(paint(f"Why this one: {why}", "dim"))
        if prompt.idea:
            out.append(paint(f"The idea: {prompt.idea}", "dim"))
    sys.stdout.write("\n".join(out) + "\n")


def status_line(this_week: int, days_since_last: int | None) -> None:
    week = f"{this_week} {'entry' if this_week == 1 else 'entries'} this week"
    if days_since_last is None:
        last = "no entries yet"
    elif days_since_last == 0:
        last = "last entry today"
    elif days_since_last == 1:
        last = "last entry yesterday"
    else:
        last = f"last entry {days_since_last} days ago"
    hint = 'Answer it: leadjournal write   (or: leadjournal write "your answer")'
    sys.stdout.write(paint(f"{week} · {last}", "dim") + "\n" + paint(hint, "dim") + "\n")


def lines(texts: Sequence[str]) -> None:
    sys.stdout.write("".join(f"{text}\n" for text in texts))


def themes_table(prompt_set: PromptSet) -> None:
    from rich.table import Table

    out = console()
    table = Table(box=None, show_edge=False, pad_edge=False)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("name", style="bold")
    table.add_column("prompts", justify="right")
    table.add_column("about")
    for theme in prompt_set.themes:
        table.add_row(
            theme.id, escape(theme.name), str(len(theme.prompts)), escape(theme.description)
        )
    out.print(table)


def prompts_list(prompts: Sequence[Prompt], prompt_set: PromptSet) -> None:
    from leadjournal.prompts.promptset import MANAGERS

    out = console()
    current = None
    for prompt in prompts:
        if prompt.theme != current:
            if current is not None:
                out.print()
            current = prompt.theme
            name = escape(prompt_set.theme_by_id[prompt.theme].name)
            out.print(f"[bold magenta]{name}[/] [dim]({prompt.theme})[/]")
        who = "  [dim](for managers)[/]" if prompt.audience == MANAGERS else ""
        out.print(f"  [cyan]{prompt.id}[/]  {escape(prompt.text)}{who}")


def _plural(count: int, word: str = "entry", many: str = "entries") -> str:
    return f"{count} {word if count == 1 else many}"


def imported(result: ImportResult) -> None:
    """What `import` did, in a sentence or two (never quoting the entries)."""
    from leadjournal.importers import DESCRIPTIONS

    report = result.report
    how = " (recognised automatically)" if result.detected else ""
    reasons = [
        text
        for count, text in (
            (result.duplicates, f"{result.duplicates} already in the journal"),
            (result.empty, f"{result.empty} with no text"),
        )
        if count
    ]
    skipped = f"{report.skipped}" + (f" ({', '.join(reasons)})" if reasons else "")
    out = [f"Read {result.name} as a {DESCRIPTIONS[report.source_format]}{how}."]
    if result.dry_run:
        out.append(
            f"Dry run: would import {_plural(report.added)} and skip {skipped}. "
            "Nothing was changed."
        )
    else:
        out.append(f"Imported {_plural(report.added)}; skipped {skipped}.")
    lines(out)


def exported(result: ExportResult) -> None:
    """What `export` wrote, when it wrote files (to standard output it says nothing)."""
    if result.target is None:
        return
    if result.notes == 0:
        lines(["No entries match, so no daily notes were written."])
    elif result.notes is not None:
        lines(
            [
                f"Exported {_plural(result.entries)} as "
                f"{_plural(result.notes, 'daily note', 'daily notes')} in {result.target}."
            ]
        )
    else:
        lines([f"Exported {_plural(result.entries)} to {result.target}."])


def doctor_report(report: DoctorReport, *, fixing: bool) -> None:
    out = []
    noun = "file" if report.files == 1 else "files"
    out.append(f"Checked {report.files} journal {noun}, {report.entries} entries.")
    for problem in report.problems:
        if problem.fixed:
            mark = paint("fixed", "cyan")
        elif problem.fixable:
            mark = paint("fixable", "bold")
        else:
            mark = paint("problem", "bold", "magenta")
        out.append(f"  [{mark}] {problem.path}: {problem.message}")
    remaining = report.remaining()
    if not remaining:
        out.append("No problems found." if not report.problems else "All problems fixed.")
    else:
        fixable = sum(1 for p in remaining if p.fixable)
        out.append(f"{len(remaining)} problem{'s' if len(remaining) > 1 else ''} remain.")
        if fixable and not fixing:
            out.append(f"Run 'leadjournal doctor --fix' to repair {fixable} of them.")
    if report.backup_dir:
        out.append(f"What was replaced or moved is kept in {report.backup_dir}.")
    sys.stdout.write("\n".join(out) + "\n")
