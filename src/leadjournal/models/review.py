"""review --json (DESIGN.md section 10)."""

# No `from __future__ import annotations`: see disk.py (pydantic evaluates plain
# annotations once, strings each time).

from datetime import date

from pydantic import BaseModel

from leadjournal.models.disk import OWNED, Commitment
from leadjournal.models.questions import PromptOfDayJson
from leadjournal.models.summary import Summary


class ReviewJson(BaseModel):
    """review --json (DESIGN.md section 10); `note` only with --note."""

    model_config = OWNED

    week: str
    start: date
    end: date
    summary: Summary
    due: list[Commitment]
    suggestion: PromptOfDayJson
    note: str | None = None
