"""review: the weekly ritual (DESIGN.md section 10). On a terminal it walks through the
week, the commitments due, one question and one new commitment, each step skippable with
Enter and each answer saved at once (Ctrl-C keeps what earlier steps saved). Otherwise,
and with --json, it asks nothing and changes no journal file."""

import sys
from datetime import date
from pathlib import Path

import typer

from leadjournal.cli.console import load_prompts, now, print_model, today, warn
from leadjournal.cli.options import JSON

CHOICES = {"k": "kept", "m": "missed", "d": "dropped", "n": "next week"}


def review(
    week: str | None = typer.Option(
        None,
        "--week",
        metavar="W",
        help="The week: YYYY-Www or any date in it. Default: this week.",
    ),
    note: str | None = typer.Option(
        None, "--note", metavar="DIR", help="Also write the weekly note DIR/YYYY-Www.md."
    ),
    as_json: bool = JSON,
) -> None:
    """Look back on a week and hold yourself to your commitments."""
    from leadjournal import journal, render
    from leadjournal.config import load_config

    prompt_set = load_prompts()
    day = today()
    config = load_config()
    week_start, role = config.week_start, config.role
    interactive = not as_json and sys.stdin.isatty()
    if interactive:
        _ritual(week, day, week_start, role)
    data = journal.week_review(week, prompt_set, day, week_start, warn, role=role)
    written = None
    if note is not None:
        written = journal.write_weekly_note(data, prompt_set, Path(note).expanduser())[0]
    if as_json:
        from leadjournal.cli.fast import prompt_json
        from leadjournal.models import ReviewJson

        result = ReviewJson(
            week=data.week,
            start=data.period.start,
            end=data.period.end,
            summary=data.summary,
            due=data.due,
            suggestion=prompt_json(data.suggestion, prompt_set),
            note=str(written) if written else None,
        )
        print_model(result, exclude=None if written else {"note"})
        return
    if not interactive:
        render.review_overview(data, prompt_set, day)
    if written is not None:
        render.lines([f"Weekly note: {written}"])


def _ask(question: str) -> str:
    """One line from the terminal; end of input counts as Enter."""
    try:
        return input(question).strip()
    except EOFError:
        sys.stdout.write("\n")
        return ""


def _ritual(week: str | None, day: date, week_start: str, role: str | None) -> None:
    """The four steps, each saved as soon as it is answered."""
    from leadjournal import journal, render
    from leadjournal.journal_types import CommitRequest, ResolveRequest
    from leadjournal.render.summary import summary_view
    from leadjournal.write_types import WriteRequest

    prompt_set = load_prompts()
    data = journal.week_review(week, prompt_set, day, week_start, warn, role=role)
    render.review_step(1, f"The week {data.week}")
    shown = journal.summary_review(
        data.period, prompt_set, day, warn, week_start=week_start, by_week=False, role=role
    )
    summary_view(shown)
    render.review_step(2, "Your commitments due by the end of the week")
    if not data.due:
        render.lines(["None is open. Well kept."])
    for commitment in data.due:
        render.review_commitment(commitment, day)
        while (answer := _ask("[k]ept, [m]issed, [d]ropped, [n]ext week, Enter: skip > ")) and (
            answer[:1].lower() not in CHOICES
        ):
            render.lines(["Type k, m, d or n, or press Enter to skip it."])
        if not answer:
            continue
        choice = CHOICES[answer[:1].lower()]
        if choice == "next week":
            moved = journal.reschedule(
                commitment.id, journal.next_week_day(commitment.due, data.period), warn
            )
            render.resolved(moved, day)
        else:
            saved = journal.resolve(ResolveRequest(commitment.id, choice), day, warn)
            render.resolved(saved, day)
    render.review_step(3, "One question")
    # The question the summary just suggested (a least-reflected theme, as --json's is).
    prompt = shown.suggestion or data.suggestion.prompt
    render.prompt_of_day(prompt, prompt_set, day.isoformat())
    lines: list[str] = []
    while line := _ask("> " if not lines else "… "):
        lines.append(line)
    if lines:
        request = WriteRequest("\n".join(lines), now(), prompt_id=prompt.id, earlier=False)
        written = journal.write_entry(request, prompt_set, day, warn, role=role)
        render.saved(written.entry, prompt_set)
    render.review_step(4, "One commitment for next week?")
    text = _ask("> ")
    if text:
        due = journal.next_week_end(data.period, day).isoformat()
        made = journal.commit(CommitRequest(text, now(), due), prompt_set, day, warn)
        render.committed(made, day)
