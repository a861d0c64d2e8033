"""The request, prompt choice and result of `write` (journal.write_entry): apart from
journal.py so that `list` and `summary` do not define them, and named tuples (none is
changed once built), not dataclasses: defining these three as dataclasses cost ~1.4 ms of
every `write` (DESIGN.md section 8b), as named tuples ~0.7 ms."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime
    from pathlib import Path

    from leadjournal.history import History
    from leadjournal.models import Commitment, Entry, EntryWithCommitments
    from leadjournal.prompts.promptset import Prompt


class PromptChoice(NamedTuple):
    """What a new entry answers: the day's prompt (optionally within a theme), a given
    prompt, or nothing (free writing, optionally with a theme)."""

    prompt: Prompt | None
    theme: str | None
    history: History | None


class WriteRequest(NamedTuple):
    """`write`, as parsed. `text` is TEXT (str), standard input's bytes, or None: open the
    editor on a template that shows the prompt."""

    text: str | bytes | None
    when: datetime
    tags: Sequence[str] = ()
    free: bool = False
    theme: str | None = None
    prompt_id: str | None = None
    earlier: bool = True  # look up the earlier answer to the same prompt
    commit: str | None = None  # --commit TEXT: a commitment saved with the entry
    due: str | None = None  # its --due
    another: bool = False  # answer the day's next choice (prompt --another)
    draft: Path | None = None  # write --draft PATH: the text is a kept draft's


class WriteResult(NamedTuple):
    entry: Entry
    earlier: Entry | None  # the most recent earlier answer to the same prompt
    commitments: list[Commitment]

    def with_commitments(self) -> EntryWithCommitments:
        from leadjournal.models import EntryWithCommitments

        return EntryWithCommitments(**dict(self.entry), commitments=self.commitments)
