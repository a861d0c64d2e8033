"""guides, reflect: guided reflections and self-ratings (DESIGN.md section 11). On a
terminal `reflect` walks through the steps the --answer options leave out (a text inline
or in the editor, a rating asked again until it is 1-10, Enter skips); Ctrl-C saves
nothing. Otherwise it asks nothing: the --answer values are the reflection."""

import sys
from typing import TYPE_CHECKING, TextIO

import typer

from leadjournal.cli import completing
from leadjournal.cli.console import load_prompts, now, print_model, today, warn
from leadjournal.cli.options import JSON
from leadjournal.errors import JournalError

if TYPE_CHECKING:
    from leadjournal.editor import Draft
    from leadjournal.prompts.promptset import Guide, GuideStep
    from leadjournal.reflecting import Answer

EDITOR_LINE = ":e"  # typed as a text step's first line: answer it in the editor instead


def guides(as_json: bool = JSON) -> None:
    """The guides: structured reflections in several steps, some of them ratings."""
    prompt_set = load_prompts()
    if as_json:
        from leadjournal.models import GuideJson, GuideStepJson

        print_model(
            [
                GuideJson(
                    id=g.id,
                    name=g.name,
                    description=g.description,
                    theme=g.theme,
                    steps=[
                        GuideStepJson(
                            id=s.id,
                            text=s.text,
                            kind=s.kind,
                            theme=g.step_theme(s),
                            commitment=s.commitment,
                        )
                        for s in g.steps
                    ],
                )
                for g in prompt_set.guides
            ]
        )
        return
    from leadjournal.render.guides import guides_list

    guides_list(prompt_set)


def reflect(
    guide: str = typer.Argument(
        ...,
        metavar="GUIDE",
        help="The guide's id (see 'leadjournal guides').",
        autocompletion=completing.guides,
    ),
    answers: list[str] | None = typer.Option(
        None,
        "--answer",
        metavar="STEP=VALUE",
        help="Answer one step (repeatable); an empty VALUE skips it. Without a terminal "
        "these are the whole reflection.",
    ),
    when: str | None = typer.Option(
        None, "--date", metavar="D", help="Date it: YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time)."
    ),
    tags: list[str] | None = typer.Option(
        None, "--tag", autocompletion=completing.tags, metavar="T", help="Add a tag (repeatable)."
    ),
    as_json: bool = JSON,
) -> None:
    """Reflect with a guide, step by step; saved as one entry.

    On a terminal each step not given with --answer is asked in turn: a text inline (an
    empty line ends it; ':e' opens your editor) or a rating from 1 to 10. Enter skips a
    step; Ctrl-C stops and saves nothing. Otherwise the --answer values are the
    reflection. A commitment step's answer also becomes a commitment due in 7 days.
    """
    from leadjournal import reflecting
    from leadjournal.dates import parse_moment

    moment = parse_moment(when, now()) if when is not None else now()
    prompt_set = load_prompts()
    request = reflecting.ReflectRequest(guide, list(answers or []), moment, list(tags or []))
    if sys.stdin.isatty():
        # With --json the questions go to standard error: standard output is the JSON.
        out = sys.stderr if as_json else sys.stdout
        drafts = request.drafts
        asked: list[str] = []

        def ask(guide: "Guide", step: "GuideStep", position: int) -> "Answer":
            asked.append(step.id)
            return _ask_step(guide, step, position, out, drafts, first=len(asked) == 1)

        request.ask = ask
    result = reflecting.reflect(request, prompt_set, warn)
    if as_json:
        print_model(result.with_commitments())
        return
    from leadjournal import render
    from leadjournal.render.guides import reflection_saved

    reflection_saved(result.entry, prompt_set)
    for made in result.commitments:
        render.committed(made, today())


def _line(out: TextIO, question: str) -> str:
    """One line from the terminal; end of input counts as Enter."""
    out.write(question)
    out.flush()
    try:
        return input()
    except EOFError:
        out.write("\n")
        return ""


def _ask_step(
    guide: "Guide",
    step: "GuideStep",
    position: int,
    out: TextIO,
    drafts: "list[Draft]",
    *,
    first: bool,
) -> "Answer":
    """Ask one step: a rating until it is 1-10, a text inline (an empty line ends it) or in
    the editor (':e'); Enter at once skips the step."""
    from leadjournal.reflecting import parse_rating, step_in_editor
    from leadjournal.render.guides import step_heading

    step_heading(out, guide, step, position, first=first)
    if step.kind == "rating":
        while answer := _line(out, "Rating 1-10 (Enter skips) > ").strip():
            rating = parse_rating(answer)
            if rating is not None:
                return rating
            out.write("Type a whole number from 1 to 10, or press Enter to skip the step.\n")
        return None
    typed = _line(out, "> ")
    while typed.strip() == EDITOR_LINE:
        try:
            return step_in_editor(guide, step, position, drafts)
        except JournalError as exc:  # what was answered so far must not be lost
            out.write(f"{exc}\nType the answer here instead (Enter skips the step).\n")
            typed = _line(out, "> ")
    lines: list[str] = []
    line = typed
    while line.strip():
        lines.append(line)
        line = _line(out, "… ")
    return "\n".join(lines) or None
