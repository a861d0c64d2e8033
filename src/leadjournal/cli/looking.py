"""tags, lookback, revisit: looking back over what was written (DESIGN.md sections 14, 16)."""

import typer

from leadjournal.cli import completing
from leadjournal.cli.console import load_prompts, print_model, today, warn
from leadjournal.cli.options import JSON, day_option


def tags(as_json: bool = JSON) -> None:
    """Every tag with how many entries carry it, most used first."""
    from leadjournal import journal

    counts = journal.tag_counts(warn)
    if as_json:
        print_model(counts)
        return
    from leadjournal import render

    render.tag_counts(counts)


def lookback(
    when: str | None = typer.Option(
        None, "--date", metavar="D", help="Look back from this day instead of today."
    ),
    as_json: bool = JSON,
) -> None:
    """On this day in earlier years, and the same week one year ago."""
    from leadjournal import journal

    day = day_option(when) or today()
    found = journal.lookback(day, warn)
    if as_json:
        print_model(found.as_json())
        return
    from leadjournal import render

    render.lookback(found, load_prompts())


def revisit(
    prompt_id: str = typer.Argument(
        ...,
        metavar="PROMPT_ID",
        help="The prompt's id (see 'leadjournal prompts').",
        autocompletion=completing.prompts,
    ),
    as_json: bool = JSON,
) -> None:
    """Every answer to one prompt, oldest first: how your answer changed."""
    from leadjournal import journal

    prompt_set = load_prompts()
    answers = journal.revisit(prompt_id, prompt_set, warn)
    if as_json:
        print_model(answers)
        return
    from leadjournal import render

    known = prompt_set.by_id.get(prompt_id)
    render.revisit(known.text if known else answers[0].prompt or prompt_id, answers)
