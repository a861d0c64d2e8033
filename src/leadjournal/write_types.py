"""The request, prompt choice and result of `write` (journal.write_entry): apart from
journal.py so that `list` and `summary` do not define their dataclasses (~1 ms,
DESIGN.md section 8b)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from leadjournal.history import History
    from leadjournal.models import Commitment, Entry, EntryWithCommitments
    from leadjournal.prompts.promptset import Prompt


@dataclass
class PromptChoice:
    """What a new entry answers: the day's prompt (optionally within a theme), a given
    prompt, or nothing (free writing, optionally with a theme)."""

    prompt: Prompt | None
    theme: str | None
    history: History | None


@dataclass
class WriteRequest:
    """`write`, as parsed. `text` is TEXT (str), standard input's bytes, or None: open the
    editor on a template that shows the prompt."""

    text: str | bytes | None
    when: datetime
    tags: list[str] = field(default_factory=list)
    free: bool = False
    theme: str | None = None
    prompt_id: str | None = None
    earlier: bool = True  # look up the earlier answer to the same prompt
    commit: str | None = None  # --commit TEXT: a commitment saved with the entry
    due: str | None = None  # its --due
    another: bool = False  # answer the day's next choice (prompt --another)
    draft: Path | None = None  # write --draft PATH: the text is a kept draft's


@dataclass
class WriteResult:
    entry: Entry
    earlier: Entry | None  # the most recent earlier answer to the same prompt
    commitments: list[Commitment] = field(default_factory=list)

    def with_commitments(self) -> EntryWithCommitments:
        from leadjournal.models import EntryWithCommitments

        return EntryWithCommitments(**dict(self.entry), commitments=self.commitments)
