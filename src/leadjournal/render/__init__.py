"""How results look in a terminal and in a pipe; this package is the only one that imports rich.

Styling appears only when standard output is a terminal, and never with NO_COLOR.
Entry text is printed verbatim (no markup, no re-wrapping). rich is imported inside the
functions that need it: the prompt of the day is painted with plain ANSI codes so that
`prompt` and `today` start fast (DESIGN.md section 8).
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from leadjournal.journal_types import ExportResult, ImportResult, Lookback, WeekReview
    from leadjournal.models import Commitment, DoctorReport, Entry, TagCount
    from leadjournal.prompts.promptset import Prompt, PromptSet
    from leadjournal.syncing import SetupResult, SyncResult


def visible(text: str) -> str:
    """text.visible: data with its control characters shown as escapes. Imported only when
    there is one to show, so that `prompt` and `today` load no more modules than before."""
    if text.isprintable():
        return text
    from leadjournal.text import visible as shown

    return shown(text)


def escape(text: str) -> str:
    """Data inside rich markup: never read as markup (an imported id 'abcd[/]' or
    '[link=…]'), and its control characters made visible (text.visible)."""
    from rich.markup import escape as rich_escape

    return rich_escape(visible(text))


_paging: list[int] = []  # the terminal's width while output goes through the pager


def _on_terminal() -> bool:
    return bool(_paging) or sys.stdout.isatty()


def styled() -> bool:
    return _on_terminal() and not os.environ.get("NO_COLOR")


def _width() -> int:
    import shutil

    return _paging[-1] if _paging else shutil.get_terminal_size().columns


@contextmanager
def paged(*, allowed: bool) -> Iterator[None]:
    """Standard output through $PAGER (default `less -FRX`) when it is a terminal, like
    git; never with --no-pager (`allowed` False), in a pipe, or with TERM=dumb."""
    command = os.environ.get("PAGER", "less -FRX")
    if (
        not allowed
        or not sys.stdout.isatty()
        or os.environ.get("TERM") == "dumb"
        or command.strip() in ("", "cat")
    ):
        yield
        return
    import shlex
    import subprocess  # only for a pager: ~2.5 ms of `list` in a pipe (DESIGN.md 8b)

    width = _width()
    sys.stdout.flush()
    try:
        pager = subprocess.Popen(
            shlex.split(command), stdin=subprocess.PIPE, env={"LESS": "FRX", **os.environ}
        )
    except (OSError, ValueError):
        yield  # no such pager: print as it is
        return
    assert pager.stdin is not None  # noqa: S101 - asked for above
    real = sys.stdout
    sys.stdout = io.TextIOWrapper(pager.stdin, encoding="utf-8", errors="replace")
    _paging.append(width)
    try:
        yield
    except BrokenPipeError:
        pass  # the reader quit the pager early
    finally:
        _paging.pop()
        with suppress(OSError):
            sys.stdout.close()
        sys.stdout = real
        pager.wait()


_ANSI = {"bold": "1", "dim": "2", "italic": "3", "magenta": "35", "cyan": "36"}


def paint(text: str, *styles: str) -> str:
    """`text` in ANSI styles when stdout is a styled terminal, else as it is. Data in
    `text` must be made visible first (its callers do: styles nest, so paint cannot)."""
    if not styles or not styled():
        return text
    codes = ";".join(_ANSI[s] for s in styles)
    return f"\x1b[{codes}m{text}\x1b[0m"


_safe_console: list[type[Console]] = []


def _console_class() -> type[Console]:
    """rich's Console, with every segment it renders passed through text.visible and no
    hyperlink: whatever reaches rich (a Text, a table cell, markup someone forgot to
    escape) cannot control the terminal. Our own styles are rich's, applied afterwards."""
    if _safe_console:
        return _safe_console[0]
    from rich.console import Console
    from rich.segment import Segment

    class SafeConsole(Console):
        def render(self, renderable: Any, options: Any = None) -> Any:
            for segment in super().render(renderable, options):
                text, style, control = segment
                if control is not None:
                    yield segment
                    continue
                if style is not None and style.link:
                    style = style.update_link(None)
                yield Segment(visible(text), style)

    _safe_console.append(SafeConsole)
    return SafeConsole


def console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    tty = stream.isatty() or (not stderr and bool(_paging))
    return _console_class()(
        file=stream,
        highlight=False,
        soft_wrap=not tty,
        no_color=bool(os.environ.get("NO_COLOR")) or not tty,
        force_terminal=tty,
        emoji=False,
        width=_paging[-1] if _paging and not stderr else None,
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
    if len(entry_id) == 16 and not entry_id.strip("0123456789abcdef"):
        return entry_id[:8]
    return entry_id


_REVERSE = ("\x1b[7m", "\x1b[27m")


def _shown(text: str) -> str:
    """A line as the terminal may show it: control characters made visible."""
    return visible(text)


def _marked(text: str, search: str | None) -> str:
    """`text` with the matches of `search` (case and accents ignored) in reverse video."""
    if not search:
        return text
    from leadjournal.text import folded_spans

    parts, done = [], 0
    for start, end in folded_spans(text, search):
        parts += [text[done:start], _REVERSE[0], text[start:end], _REVERSE[1]]
        done = end
    parts.append(text[done:])
    return "".join(parts)


def wrap(text: str, width: int, indent: str, first: str | None = None) -> list[str]:
    """`text` broken between words at `width`, with a hanging indent (`first` starts the
    first line, `indent` the others); a word longer than a line is not broken."""
    import textwrap

    lead = indent if first is None else first
    return textwrap.wrap(
        text,
        width=max(width, len(lead) + 10),
        initial_indent=lead,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [lead.rstrip()]


def entry_list(
    entries: Sequence[Entry], prompt_set: PromptSet | None, search: str | None = None
) -> None:
    """list: a header line per entry, its prompt and its first line. On a terminal the
    lines wrap between words with a hanging indent and matches are highlighted; in a pipe
    each stays one line. Linear in the entries: plain strings, written in chunks."""
    write = sys.stdout.write
    if not entries:
        write("No entries match.\n")
        return
    terminal, colour = _on_terminal(), styled()
    width = _width() if terminal else 0
    mark = search if colour else None
    names: dict[str | None, str] = {}
    out: list[str] = []
    for entry in entries:
        theme = names.get(entry.theme)
        if theme is None:
            theme = names[entry.theme] = _shown(_theme_name(prompt_set, entry.theme))
        when, short = _when(entry), visible(short_id(entry.id))
        parts = [paint(when, "bold"), paint(short, "cyan")] if colour else [when, short]
        tags = _shown(" ".join(f"#{t}" for t in entry.tags))
        rest = "  ".join(part for part in (theme, tags) if part)
        if width and len(when) + len(short) + len(rest) + 6 > width:
            # Too wide for one line: the theme and the tags hang below, broken between words.
            out.append("  ".join(parts) + "\n")
            out.extend(_body(rest, width, "  ", "  ", None, dim=False))
        else:
            if theme:
                parts.append(paint(theme, "magenta") if colour else theme)
            if tags:
                parts.append(tags)
            out.append("  ".join(parts) + "\n")
        if entry.prompt:
            out.extend(_body(_shown(entry.prompt), width, "  > ", "    ", mark, dim=colour))
        first = next((line for line in entry.text.split("\n") if line.strip()), "")
        more = "  …" if entry.text.strip() != first.strip() else ""
        out.extend(_body(_shown(first) + more, width, "  ", "  ", mark, dim=False))
        if len(out) > 4096:
            write("".join(out))
            out.clear()
    count = f"{len(entries):,} {'entry' if len(entries) == 1 else 'entries'}"
    out.append((paint(count, "dim") if colour else count) + "\n")
    write("".join(out))


def _body(
    text: str, width: int, first: str, indent: str, search: str | None, *, dim: bool
) -> list[str]:
    lines = wrap(text, width, indent, first) if width else [first + text]
    if search:
        lines = [_marked(line, search) for line in lines]
    if dim:
        lines = [paint(line, "dim") for line in lines]
    return [line + "\n" for line in lines]


def tag_counts(counts: Sequence[TagCount]) -> None:
    """tags: one line per tag, most used first."""
    if not counts:
        sys.stdout.write("No tags yet. Add one with --tag T, or write #word in an entry.\n")
        return
    width = max(len(f"{c.entries:,}") for c in counts)
    sys.stdout.write("".join(f"{c.entries:>{width},}  #{visible(c.tag)}\n" for c in counts))


def lookback(found: Lookback, prompt_set: PromptSet | None) -> None:
    """lookback: on this day in earlier years, then the same week one year ago."""
    if not _on_terminal():
        sys.stdout.write("".join(f"{line}\n" for line in _lookback_lines(found, prompt_set)))
        return
    out = console()
    day = found.day
    out.print(f"On this day ({day:%d %B}) in earlier years", style="bold")
    if not found.on_this_day:
        out.print("  Nothing yet.", style="dim")
    year = None
    for entry in found.on_this_day:
        if entry.day.year != year:
            year = entry.day.year
            out.print(f"[bold]{year}[/]")
        _entry_lines(out, entry, prompt_set)
    out.print()
    out.print("The same week one year ago", style="bold")
    if not found.week_last_year:
        out.print("  Nothing that week.", style="dim")
    for entry in found.week_last_year:
        _entry_lines(out, entry, prompt_set)


def _lookback_lines(found: Lookback, prompt_set: PromptSet | None) -> Iterator[str]:
    """lookback's lines in a pipe, as rich prints them there (no styles, no wrapping),
    without rich: on a big journal it prints hundreds of entries, and rich's markup
    rendering was more than half of the command's time (DESIGN.md section 8b). Data
    is shown as `list` shows it in a pipe (_shown: control characters and tabs left
    out, where rich would drop some and expand tabs)."""
    yield f"On this day ({found.day:%d %B}) in earlier years"
    if not found.on_this_day:
        yield "  Nothing yet."
    year = None
    for entry in found.on_this_day:
        if entry.day.year != year:
            year = entry.day.year
            yield str(year)
        yield from _plain_entry_lines(entry, prompt_set)
    yield ""
    yield "The same week one year ago"
    if not found.week_last_year:
        yield "  Nothing that week."
    for entry in found.week_last_year:
        yield from _plain_entry_lines(entry, prompt_set)


def _plain_entry_lines(entry: Entry, prompt_set: PromptSet | None) -> Iterator[str]:
    """_entry_lines without rich: the same three lines, as plain text."""
    theme = _shown(_theme_name(prompt_set, entry.theme))
    header = f"  {_when(entry)}  {_shown(short_id(entry.id))}"
    yield f"{header}  {theme}" if theme else header
    if entry.prompt:
        yield f"    > {_shown(entry.prompt)}"
    first = next((line for line in entry.text.split("\n") if line.strip()), "")
    yield f"    {_shown(first)}"


def revisit(prompt: str, answers: Sequence[Entry]) -> None:
    """revisit: every answer to one prompt, oldest first, with its date."""
    out = console()
    out.print(escape(prompt), style="bold")
    if not answers:
        out.print("You have not answered this prompt yet.", style="dim")
        return
    for entry in answers:
        out.print()
        out.print(f"[bold]{entry.created_at:%Y-%m-%d}[/]  [cyan]{escape(short_id(entry.id))}[/]")
        for line in entry.text.split("\n"):
            out.print(f"  {escape(line)}")


def _entry_lines(out: Console, entry: Entry, prompt_set: PromptSet | None) -> None:
    theme = _theme_name(prompt_set, entry.theme)
    header = f"  {_when(entry)}  [cyan]{escape(short_id(entry.id))}[/]"
    if theme:
        header += f"  [magenta]{escape(theme)}[/]"
    out.print(header)
    if entry.prompt:
        out.print(f"    > {escape(entry.prompt)}", style="italic dim")
    first = next((line for line in entry.text.split("\n") if line.strip()), "")
    out.print(f"    {escape(first)}")


def entry_full(entry: Entry, prompt_set: PromptSet | None) -> None:
    out = console()
    theme = _theme_name(prompt_set, entry.theme)
    out.print(
        f"[bold]{_when(entry)}[/]  [cyan]{escape(entry.id)}[/]"
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
    """One line, without rich: `write` prints nothing else (DESIGN.md section 8b)."""
    theme = _shown(_theme_name(prompt_set, entry.theme))
    about = f", {theme}" if theme else ""
    when = entry.created_at.strftime("%Y-%m-%d %H:%M")
    sys.stdout.write(f"{verb} entry {paint(_shown(entry.id), 'cyan')} ({when}{about}).\n")


def edited(entry: Entry, prompt_set: PromptSet | None, *, changed: bool) -> None:
    if not changed:
        lines(["Nothing changed."])
        return
    saved(entry, prompt_set, verb="Updated")


def deleted(record: Entry | Commitment, *, deleted: bool, linked: Sequence[str] = ()) -> None:
    from leadjournal.models import Entry

    if not deleted:
        lines(["Nothing was deleted."])
        return
    what = "entry" if isinstance(record, Entry) else "commitment"
    out = [f"Deleted {what} {record.id}."]
    if linked:
        out.append(
            f"Also deleted {len(linked)} commitment{'s' if len(linked) > 1 else ''} "
            f"made with it: {', '.join(linked)}."
        )
    lines(out)


# ---------------------------------------------------------------------------------------
# Commitments


def due_words(commitment: Commitment, today: date) -> str:
    """'due Fri 2026-12-04', 'due today', 'overdue since …' (in words, not colour alone)."""
    due = commitment.due
    when = f"{due:%a} {due.isoformat()}"
    if commitment.status != "open":
        return f"due {when}"
    if due < today:
        days = (today - due).days
        return f"OVERDUE by {days} day{'s' if days > 1 else ''}, due {when}"
    if due == today:
        return f"due today, {when}"
    return f"due {when}"


def _outcome(commitment: Commitment) -> str:
    if commitment.status == "open":
        return "open"
    when = commitment.resolved_at.strftime("%Y-%m-%d") if commitment.resolved_at else ""
    return f"{commitment.status} {when}".strip()


def committed(commitment: Commitment, today: date) -> None:
    console().print(
        f"Committed [cyan]{escape(commitment.id)}[/]: {escape(commitment.text)} "
        f"({escape(due_words(commitment, today))})."
    )


def resolved(commitment: Commitment, today: date) -> None:
    if commitment.status == "open":
        head = (
            f"Reopened commitment [cyan]{escape(commitment.id)}[/], "
            f"{escape(due_words(commitment, today))}."
        )
    else:
        head = f"Marked commitment [cyan]{escape(commitment.id)}[/] {commitment.status}."
    out = console()
    out.print(head)
    if commitment.note:
        out.print(f"  Note: {escape(commitment.note)}", style="dim")


def commitments_list(
    commitments: Sequence[Commitment], prompt_set: PromptSet | None, today: date, status: str
) -> None:
    """The list, painted with plain ANSI codes and written at once: thousands of open
    commitments print in milliseconds (DESIGN.md section 8b)."""
    if not commitments:
        word = "open " if status == "open" else ("" if status == "all" else f"{status} ")
        sys.stdout.write(paint(f"No {word}commitments.", "dim") + "\n")
        return
    out: list[str] = []
    overdue_count = 0
    on = styled()  # asked once, not once per line (each asks the terminal)

    def tint(text: str, style: str) -> str:
        return f"\x1b[{_ANSI[style]}m{text}\x1b[0m" if on else text

    words: dict[tuple[date, str], str] = {}  # many commitments share a due day
    for commitment in commitments:
        overdue = commitment.status == "open" and commitment.due < today
        overdue_count += overdue
        key = (commitment.due, commitment.status)
        due = words.get(key) or words.setdefault(key, due_words(commitment, today))
        head = (
            tint(visible(short_id(commitment.id)), "cyan")
            + "  "
            + (tint(due, "bold") if overdue else due)
        )
        theme = _theme_name(prompt_set, commitment.theme)
        if theme:
            head += "  " + tint(_one_line(theme), "magenta")
        if commitment.status != "open":
            head += "  " + _outcome(commitment)
        out.append(head)
        out.append("  " + _one_line(commitment.text, 10_000))
        if commitment.note:
            out.append(tint("  Note: " + _one_line(commitment.note, 10_000), "dim"))
    count = len(commitments)
    tail = f"{count} commitment{'s' if count != 1 else ''}"
    if overdue_count:
        tail += f", {overdue_count} overdue"
    out.append(paint(tail, "dim"))
    sys.stdout.write("\n".join(out) + "\n")


def commitment_full(commitment: Commitment, prompt_set: PromptSet | None, today: date) -> None:
    out = console()
    theme = _theme_name(prompt_set, commitment.theme)
    out.print(
        f"[bold]Commitment[/]  [cyan]{escape(commitment.id)}[/]"
        + (f"  [magenta]{escape(theme)}[/]" if theme else "")
    )
    out.print(
        f"Made {commitment.created_at:%Y-%m-%d %H:%M}, {escape(due_words(commitment, today))}"
    )
    out.print(f"Status: {escape(_outcome(commitment))}")
    if commitment.entry_id:
        out.print(f"From entry {escape(commitment.entry_id)}", style="dim")
    out.print()
    out.print(escape(commitment.text))
    if commitment.note:
        out.print()
        out.print(f"Note: {escape(commitment.note)}", style="dim")


def review_step(number: int, title: str) -> None:
    out = console()
    out.print()
    out.print(f"[bold magenta]{number}/4[/] [bold]{escape(title)}[/]")


def review_commitment(commitment: Commitment, today: date) -> None:
    console().print(
        f"  [cyan]{escape(short_id(commitment.id))}[/] {escape(commitment.text)} "
        f"({escape(due_words(commitment, today))})"
    )


def review_overview(review: WeekReview, prompt_set: PromptSet, today: date) -> None:
    """review without a terminal: the week, what is due and a question; nothing asked."""
    out = console()
    summary = review.summary
    c = summary.commitments
    out.print(
        f"[bold]Week {review.week}[/] ({review.period.start} to {review.period.end}): "
        f"{_plural(summary.entries)} on {_plural(summary.days_with_entries, 'day', 'days')}; "
        "commitments: "
        f"{c.made} made, {c.kept} kept, {c.missed} missed, {c.dropped} dropped."
    )
    if review.due:
        out.print(f"Open and due by {review.period.end}:")
        for commitment in review.due:
            review_commitment(commitment, today)
    else:
        out.print("No open commitment is due by the end of the week.")
    prompt = review.suggestion.prompt
    out.print(
        f"A question from {escape(prompt_set.theme_by_id[prompt.theme].name)}: "
        f"{escape(prompt.text)} [dim](leadjournal write --prompt {escape(prompt.id)})[/]"
    )
    out.print("Run 'leadjournal review' in a terminal to go through it step by step.", style="dim")


def entry_commitments(commitments: Sequence[Commitment], today: date) -> None:
    if not commitments:
        return
    out = console()
    out.print()
    for commitment in commitments:
        out.print(
            f"Commitment [cyan]{escape(short_id(commitment.id))}[/]: {escape(commitment.text)} "
            f"({escape(due_words(commitment, today))}; {escape(_outcome(commitment))})"
        )


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


def _labelled(label: str, text: str, *styles: str, label_styles: tuple[str, ...] = ()) -> list[str]:
    """One line of the prompt screen: on a terminal, broken between words at its width with
    a hanging indent under the text (a label's width, or two spaces); in a pipe, one line."""
    text = visible(text)
    if not _on_terminal():
        head = paint(label, *label_styles) if label_styles else label
        return [(head + paint(text, *styles)) if label_styles else paint(label + text, *styles)]
    lines = wrap(text, _width(), " " * len(label) if label else "  ", first=label)
    if label_styles and lines:
        first = paint(label, *label_styles) + paint(lines[0][len(label) :], *styles)
        return [first, *(paint(line, *styles) for line in lines[1:])]
    return [paint(line, *styles) for line in lines]


def _prompt_header(name: str, day: str, prompt_id: str) -> list[str]:
    """`Theme · day · id`, or on a terminal too narrow for it, the theme on its own line."""
    name, prompt_id = visible(name), visible(prompt_id)
    rest = f" · {day} · {prompt_id}"
    if _on_terminal() and len(name) + len(rest) > _width():
        return [paint(name, "bold", "magenta"), paint(f"  {day} · {prompt_id}", "dim")]
    return [paint(name, "bold", "magenta") + paint(rest, "dim")]


def prompt_of_day(prompt: Prompt, prompt_set: PromptSet, day: str, why: str | None = None) -> None:
    theme = prompt_set.theme_by_id[prompt.theme]
    out = [
        *_prompt_header(theme.name, day, prompt.id),
        *_labelled("", prompt.text, "bold"),
    ]
    if prompt.follow_up:
        out += _labelled("Then: ", prompt.follow_up, "dim")
    if why:
        out += _labelled("Why this one: ", why, "dim")
        if prompt.idea:
            out += _labelled("The idea: ", prompt.idea, "dim")
    sys.stdout.write("\n".join(out) + "\n")


def answered_today(
    prompt: Prompt, prompt_set: PromptSet, day: str, next_prompt: Prompt | None
) -> None:
    """today, once the prompt of the day is answered: says so, then its follow-up, else
    the day's next choice (what `prompt --another` gives)."""
    theme = prompt_set.theme_by_id[prompt.theme]
    out = [
        *_prompt_header(theme.name, day, prompt.id),
        *_labelled("You answered today's prompt: ", prompt.text, label_styles=("bold",)),
    ]
    if prompt.follow_up:
        out += _labelled("Then: ", prompt.follow_up, label_styles=("bold",))
    elif next_prompt is not None:
        out += _labelled("Another, if you like: ", next_prompt.text, label_styles=("bold",))
        out.append(paint("Answer it: leadjournal write --another", "dim"))
    sys.stdout.write("\n".join(out) + "\n")


def on_this_day_line(years: int) -> None:
    """today's line when there are entries on this day in earlier years."""
    what = "an earlier year" if years == 1 else f"{years} earlier years"
    sys.stdout.write(paint(f"On this day in {what}: see 'leadjournal lookback'", "dim") + "\n")


def due_line(count: int, first: str) -> None:
    """today's line on the open commitments due today or earlier."""
    what = "commitment is" if count == 1 else "commitments are"
    more = "" if count == 1 else f"; the earliest: {first}"
    text = f"{count} open {what} due" + (f": {first}" if count == 1 else more)
    sys.stdout.write(paint(_one_line(text), "bold") + "\n")


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    if not flat.isprintable():  # control characters never reach the terminal
        flat = "".join(char for char in flat if char.isprintable())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def status_line(this_week: int, days_since_last: int | None, *, answered: bool = False) -> None:
    week = f"{this_week} {'entry' if this_week == 1 else 'entries'} this week"
    if days_since_last is None:
        last = "no entries yet"
    elif days_since_last == 0:
        last = "last entry today"
    elif days_since_last == 1:
        last = "last entry yesterday"
    else:
        last = f"last entry {days_since_last} days ago"
    line = paint(f"{week} · {last}", "dim") + "\n"
    if not answered:
        hint = 'Answer it: leadjournal write   (or: leadjournal write "your answer")'
        line += paint(hint, "dim") + "\n"
    sys.stdout.write(line)


def lines(texts: Sequence[str]) -> None:
    """Plain lines (never painted ones), data in them made visible."""
    sys.stdout.write("".join(f"{visible(text)}\n" for text in texts))


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
            escape(theme.id), escape(theme.name), str(len(theme.prompts)), escape(theme.description)
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
            out.print(f"[bold magenta]{name}[/] [dim]({escape(prompt.theme)})[/]")
        who = "  [dim](for managers)[/]" if prompt.audience == MANAGERS else ""
        out.print(f"  [cyan]{escape(prompt.id)}[/]  {escape(prompt.text)}{who}")


def _plural(count: int, word: str = "entry", many: str = "entries") -> str:
    return f"{count:,} {word if count == 1 else many}"


def imported(result: ImportResult) -> None:
    """What `import` did, in a sentence or two (never quoting the entries)."""
    from leadjournal.importers import DESCRIPTIONS

    report = result.report
    how = " (recognised automatically)" if result.detected else ""
    reasons = [
        text
        for count, text in (
            (result.duplicates, f"{result.duplicates:,} already in the journal"),
            (result.repeated, f"{result.repeated:,} repeated within the file"),
            (result.empty, f"{result.empty:,} with no text"),
        )
        if count
    ]
    skipped = f"{report.skipped:,}" + (f" ({', '.join(reasons)})" if reasons else "")
    out = [f"Read {result.name} as a {DESCRIPTIONS[report.source_format]}{how}."]
    if result.dry_run:
        out.append(
            f"Dry run: would import {_plural(report.added)} and skip {skipped}. "
            "Nothing was changed."
        )
    else:
        made = report.commitments_added
        also = f" and {_plural(made, 'commitment', 'commitments')}" if made else ""
        out.append(f"Imported {_plural(report.added)}{also}; skipped {skipped}.")
    lines(out)


def exported(result: ExportResult) -> None:
    """What `export` wrote, when it wrote files (to standard output it says nothing)."""
    if result.target is None:
        return
    if result.notes == 0 and not result.weekly:
        lines(["No entries match, so no daily notes were written."])
    elif result.notes is not None:
        weekly = (
            f" and {_plural(result.weekly, 'weekly note', 'weekly notes')}" if result.weekly else ""
        )
        same = "all up to date" if not result.changed else f"{result.changed} changed"
        lines(
            [
                f"Exported {_plural(result.entries)} as "
                f"{_plural(result.notes, 'daily note', 'daily notes')}{weekly} in "
                f"{result.target} ({same})."
            ]
        )
    else:
        lines([f"Exported {_plural(result.entries)} to {result.target}."])


def doctor_report(report: DoctorReport, *, fixing: bool) -> None:
    out = []
    files = _plural(report.files, "journal file", "journal files")
    promised = (
        f", {_plural(report.commitments, 'commitment', 'commitments')}"
        if report.commitments
        else ""
    )
    out.append(f"Checked {files}, {_plural(report.entries)}{promised}.")
    for problem in report.problems:
        if problem.fixed:
            mark = paint("fixed", "cyan")
        elif problem.fixable:
            mark = paint("fixable", "bold")
        else:
            mark = paint("problem", "bold", "magenta")
        out.append(f"  [{mark}] {visible(problem.path)}: {visible(problem.message)}")
    remaining = report.remaining()
    if not remaining:
        out.append("No problems found." if not report.problems else "All problems fixed.")
    else:
        fixable = sum(1 for p in remaining if p.fixable)
        out.append(
            f"{len(remaining)} {'problems remain' if len(remaining) > 1 else 'problem remains'}."
        )
        if fixable and not fixing:
            out.append(f"Run 'leadjournal doctor --fix' to repair {fixable} of them.")
    if report.backup_dir:
        out.append(f"What was replaced or moved is kept in {report.backup_dir}.")
    sys.stdout.write("\n".join(out) + "\n")


def sync_set_up(result: SetupResult) -> None:
    """What `sync --setup` did, or that everything was already in place."""
    out = []
    if result.initialized:
        out.append(f"Made {result.top} a git repository.")
    for path, added in (
        (result.gitattributes, result.added_attributes),
        (result.gitignore, result.added_ignores),
    ):
        if added:
            out.append(f"Added to {path}: " + ", ".join(f"'{line}'" for line in added) + ".")
    if result.driver_changed:
        out.append(f"git now merges month files with: {result.driver}")
    if not result.changed:
        out.append(f"Already set up: git merges month files with: {result.driver}")
    out.append(
        "git does not copy this setting when it clones: run 'leadjournal sync --setup' "
        "once in every clone."
    )
    lines(out)


def synced(result: SyncResult) -> None:
    """What `sync` committed, what came in and what went out."""
    out = ["Committed the journal's changes." if result.committed else "Nothing new to commit."]
    if result.upstream is None:
        where = f"branch {result.branch}" if result.branch else "a detached HEAD"
        out.append(f"No upstream for {where}, so nothing was pulled or pushed.")
        if result.branch and result.top is not None:
            import shlex

            out.append(
                "To sync with a remote, set it once: "
                f"git -C {shlex.quote(str(result.top))} push -u <remote> {result.branch}"
            )
        lines(out)
        return
    if result.pulled:
        out.append(f"Pulled {_plural(result.pulled, 'commit', 'commits')} from {result.upstream}.")
        out += [f"  {escape_control(name)}" for name in result.came_in]
    else:
        out.append(f"Nothing new from {result.upstream}.")
    if result.pushed or result.created_remote_branch:
        made = " (a new branch there)" if result.created_remote_branch else ""
        out.append(
            f"Pushed {_plural(result.pushed, 'commit', 'commits')} to {result.upstream}{made}."
        )
    else:
        out.append(f"Nothing to push to {result.upstream}.")
    lines(out)


def escape_control(text: str) -> str:
    """`text` with control characters shown as escapes (file names are data)."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
