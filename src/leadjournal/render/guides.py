"""How guides look: the list of `guides`, a step's heading in the `reflect` walk-through,
and the line that says a reflection was saved."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from leadjournal.render import _width, console, escape, escape_control, paint, styled, wrap

if TYPE_CHECKING:
    from leadjournal.models import Entry
    from leadjournal.prompts.promptset import Guide, GuideStep, PromptSet


def _shown(text: str) -> str:
    """A user's text as it may be printed: no markup, no control characters."""
    return escape(escape_control(text))


def _theme_name(prompt_set: PromptSet, theme_id: str | None) -> str | None:
    theme = prompt_set.theme_by_id.get(theme_id or "")
    return theme.name if theme is not None else theme_id


def _marks(guide: Guide, step: GuideStep, prompt_set: PromptSet) -> str:
    marks = []
    if step.kind == "rating":
        marks.append("rating 1-10")
        theme = guide.step_theme(step)
        if theme is not None and theme != guide.theme:
            marks.append(_theme_name(prompt_set, theme) or theme)
    if step.commitment:
        marks.append("becomes a commitment")
    return f"  [dim]({escape(', '.join(marks))})[/]" if marks else ""


def guides_list(prompt_set: PromptSet) -> None:
    """guides: each guide with its id, theme, description and numbered steps."""
    out = console()
    if not prompt_set.guides:
        out.print("No guides.")
        return
    for index, guide in enumerate(prompt_set.guides):
        if index:
            out.print()
        theme = _theme_name(prompt_set, guide.theme)
        about = f"  [magenta]{escape(theme)}[/]" if theme else ""
        out.print(f"[bold]{_shown(guide.name)}[/]  [cyan]{escape(guide.id)}[/]{about}")
        if guide.description:
            out.print(f"  {_shown(guide.description)}")
        for number, step in enumerate(guide.steps, 1):
            out.print(
                f"  {number}. {_shown(step.text)} [dim]\\[{escape(step.id)}][/]"
                + _marks(guide, step, prompt_set)
            )
    out.print()
    out.print("Reflect with one: leadjournal reflect GUIDE", style="dim")


def step_heading(out: TextIO, guide: Guide, step: GuideStep, position: int, *, first: bool) -> None:
    """'Step 2 of 4 · After-action review', then the question, in the walk-through; before
    the `first` step asked, how to answer."""
    total = len(guide.steps)
    name, text = escape_control(guide.name), escape_control(step.text)
    terminal = out.isatty()
    width = _width() if terminal else 0

    def lines(words: str) -> str:
        """On a terminal, broken between words at its width; elsewhere one line."""
        return "\n".join(wrap(words, width, "")) if terminal else words

    if first:
        out.write(
            lines(
                f"{name}: {total} steps. Enter at once skips a step; an empty line ends "
                "an answer; ':e' opens your editor for a text. Ctrl-C stops and saves "
                "nothing."
            )
            + "\n"
        )
    head = f"Step {position} of {total}"
    colour = styled() and terminal
    question = lines(text)
    out.write("\n" + (paint(head, "bold", "magenta") if colour else head) + f" · {name}\n")
    out.write((paint(question, "bold") if colour else question) + "\n")


def reflection_saved(entry: Entry, prompt_set: PromptSet) -> None:
    """'Saved reflection <id> (After-action review, 4 of 5 steps, 2026-11-20 18:30, ...).'"""
    guide = prompt_set.guide_by_id.get(entry.guide or "")
    name = guide.name if guide is not None else entry.guide or ""
    answered = sum(1 for step in entry.steps if step.answer is not None)
    theme = _theme_name(prompt_set, entry.theme)
    when = entry.created_at.strftime("%Y-%m-%d %H:%M")
    about = f"{name}, {answered} of {len(entry.steps)} steps answered, {when}"
    if theme:
        about += f", {theme}"
    console().print(
        f"Saved reflection [cyan]{escape(entry.id)}[/] ({escape(escape_control(about))})."
    )
