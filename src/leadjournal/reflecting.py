"""The use case of guided reflections (DESIGN.md section 11): `reflect GUIDE` saves the
answers to a guide's steps as one entry, and each commitment step's answer as a
commitment linked to it. Beside journal.py (whose helpers it uses) so that neither grows
too long; like journal's, it prints nothing and returns a result.

The walk-through on a terminal belongs to the CLI: it comes in as `ask`, a function that
asks one step and returns its answer, so that this module never reads the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from leadjournal import store
from leadjournal.errors import JournalError, NothingToSaveError, UsageError, Warn
from leadjournal.journal import _commitment_text, _note_replaced, new_commitment, note_saved
from leadjournal.text import clean_str

if TYPE_CHECKING:
    from leadjournal.editor import Draft
    from leadjournal.models import Commitment, Entry, EntryWithCommitments
    from leadjournal.prompts.promptset import Guide, GuideStep, PromptSet

Answer = str | int | None  # a text, a rating 1-10, or None: skipped
Ask = Callable[["Guide", "GuideStep", int], Answer]  # the step and its position (from 1)
COMMITMENT_DAYS = 7  # a commitment step's commitment is due a week after the entry's day


@dataclass
class ReflectRequest:
    """`reflect GUIDE`, as parsed: the --answer STEP=VALUE options as given, and `ask`
    for the steps they leave out when standard input is a terminal (None: ask nothing)."""

    guide: str
    answers: list[str]
    when: datetime
    tags: list[str] = field(default_factory=list)
    ask: Ask | None = None
    drafts: list[Draft] = field(default_factory=list)  # editor drafts of the walk-through


@dataclass
class ReflectResult:
    entry: Entry
    commitments: list[Commitment]

    def with_commitments(self) -> EntryWithCommitments:
        from leadjournal.models import EntryWithCommitments

        return EntryWithCommitments(**dict(self.entry), commitments=self.commitments)


def parse_rating(value: str) -> int | None:
    """A rating as typed: an integer from 1 to 10 (None when it is not one)."""
    value = value.strip()
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 1 <= number <= 10 else None


def parse_answers(guide: Guide, given: list[str]) -> dict[str, Answer]:
    """--answer STEP=VALUE options, checked against the guide: a usage error for an option
    without '=', an unknown step, a step given twice or a rating that is not 1-10."""
    steps = {step.id: step for step in guide.steps}
    answers: dict[str, Answer] = {}
    for option in given:
        step_id, sep, value = option.partition("=")
        step_id = step_id.strip()
        if not sep:
            # The value is not repeated: it may be the text of an answer (never in errors).
            raise UsageError(
                "An --answer has no '=': give it as STEP=VALUE, e.g. --answer "
                f"{guide.steps[0].id}=..."
            )
        step = steps.get(step_id)
        if step is None:
            known = ", ".join(steps)
            raise UsageError(f"The guide '{guide.id}' has no step '{step_id}'. Its steps: {known}.")
        if step_id in answers:
            raise UsageError(f"--answer gives the step '{step_id}' twice: give it once.")
        answers[step_id] = check_answer(step, value)
    return answers


def check_answer(step: GuideStep, value: str) -> Answer:
    """A value for `step`: blank skips it; a rating must be an integer from 1 to 10."""
    if not value.strip():
        return None
    if step.kind == "rating":
        rating = parse_rating(value)
        if rating is None:
            raise UsageError(f"The step '{step.id}' is a rating: give it an integer from 1 to 10.")
        return rating
    return value


def _clean(answer: Answer, warn: Warn) -> Answer:
    """A text answer cleaned like an entry's text (trimmed; None when nothing is left)."""
    if not isinstance(answer, str):
        return answer
    text, replaced = clean_str(answer)
    _note_replaced(replaced, warn)
    lines = text.rstrip().split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    text = "\n".join(lines)
    return text if text.strip() else None


def reflection_text(steps: list[tuple[GuideStep, Answer]]) -> str:
    """The answered steps as Markdown: each question in bold on its own line, a blank
    line, then the answer."""
    return "\n\n".join(
        f"**{step.text}**\n\n{answer}" for step, answer in steps if answer is not None
    )


def reflect(request: ReflectRequest, prompt_set: PromptSet, warn: Warn) -> ReflectResult:
    """Save a guided reflection. Everything given is checked before anything is asked; the
    entry and its commitments are saved together at the end, so an interruption saves
    nothing. No non-empty answer at all: nothing saved (exit 1)."""
    from leadjournal.models import Entry, StepAnswer, now_local
    from leadjournal.text import inline_tags, normalize_tag

    guide = prompt_set.guide(request.guide)
    tags = [normalize_tag(t) for t in request.tags]
    given = parse_answers(guide, request.answers)
    if request.ask is not None:
        from leadjournal import fsio

        fsio.check_writable_home()  # fail before the first question, not after the last
    answered: list[tuple[GuideStep, Answer]] = []
    try:
        for position, step in enumerate(guide.steps, 1):
            if step.id in given:
                answer = given[step.id]
            elif request.ask is not None:
                answer = request.ask(guide, step, position)
            else:
                answer = None
            answered.append((step, _clean(answer, warn)))
        if all(answer is None for _, answer in answered):
            raise NothingToSaveError(f"Nothing to save: no step of '{guide.name}' was answered.")
        text = reflection_text(answered)
        entry = Entry(
            id=store.new_id(),
            created_at=request.when,
            updated_at=max(now_local(), request.when),
            theme=guide.theme,
            text=text,
            tags=list(dict.fromkeys([*tags, *inline_tags(text)])),
            guide=guide.id,
            steps=[
                StepAnswer(id=step.id, text=step.text, kind=step.kind, answer=answer)
                for step, answer in answered
            ],
        )
        due = entry.day + timedelta(days=COMMITMENT_DAYS)
        made = [
            new_commitment(
                _commitment_text(answer),
                entry.created_at,
                due,
                theme=entry.theme,
                entry_id=entry.id,
            )
            for step, answer in answered
            if step.commitment and isinstance(answer, str)
        ]
        store.add_entry(entry, made, on_saved=note_saved)
    except (NothingToSaveError, KeyboardInterrupt):
        _discard(request.drafts)  # nothing saved, and nothing of it left behind
        raise
    except JournalError as exc:
        if request.ask is not None and any(answer is not None for _, answer in answered):
            _keep_typed(exc, reflection_text(answered), request.drafts)
        raise
    _discard(request.drafts)
    return ReflectResult(entry, made)


def _keep_typed(exc: JournalError, text: str, drafts: list[Draft]) -> None:
    """A save that failed after the walk-through: the answers are kept in one draft (then
    the editor's drafts of single steps, all in it, go), and the message says where."""
    from leadjournal.editor import keep_draft

    try:
        kept = keep_draft(text)
    except OSError:
        kept = None  # the folder cannot take a draft: the editor's drafts stay, named below
    if kept is not None:
        _discard(drafts)
        drafts[:] = [kept]
    if drafts:
        where = ", ".join(str(d.path) for d in drafts)
        said = f"{exc.hint} " if exc.hint else ""
        exc.hint = f"{said}Your answers are kept in {where} (leadjournal write --draft PATH)."


def _discard(drafts: list[Draft]) -> None:
    for draft in drafts:
        draft.discard()


def step_in_editor(guide: Guide, step: GuideStep, position: int, drafts: list[Draft]) -> str:
    """A text step answered in the editor: the template names the guide, the step and its
    position ("step 2 of 4"); the draft is kept until the reflection is saved."""
    from leadjournal import editor, fsio
    from leadjournal.config import load_config

    fsio.check_writable_home()
    where = f"{guide.name}, step {position} of {len(guide.steps)}"
    initial = editor.template(
        step.text,
        None,
        None,
        context=where,
        closing="Save and close the editor to answer this step; leave it empty to skip it.",
    )
    edited, draft = editor.edit_text(initial, load_config().editor)
    drafts.append(draft)
    return editor.extract(edited)
