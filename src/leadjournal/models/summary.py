"""summary --json (DESIGN.md sections 2 and 5), and the tallies a summary is made of."""

# No `from __future__ import annotations`: see disk.py (pydantic evaluates plain
# annotations once, strings each time).

from datetime import date

from pydantic import BaseModel, Field

from leadjournal.models.disk import OWNED, no_items


class Tally(BaseModel):
    """How many entries, and how many words in them."""

    model_config = OWNED

    entries: int = 0
    words: int = 0


class ThemeTally(BaseModel):
    """One theme's line of the summary."""

    model_config = OWNED

    id: str
    name: str
    entries: int = 0
    words: int = 0


class Streak(BaseModel):
    model_config = OWNED

    current: int
    longest: int


class CommitmentTally(BaseModel):
    """summary's commitments: made in the period, resolved in it (by resolved_at), and
    open now and due by its last day."""

    model_config = OWNED

    made: int = 0
    kept: int = 0
    missed: int = 0
    dropped: int = 0
    open_due: int = 0


class RatingTally(BaseModel):
    """One rating step of a guide answered in the period: how often, and its mean rounded
    half up to one decimal. `id` is "<guide id>.<step id>"."""

    model_config = OWNED

    id: str
    guide: str
    step: str
    text: str
    theme: str | None
    count: int
    mean: float


class Summary(BaseModel):
    """summary --json: the tally of one period (dates are inclusive local days)."""

    model_config = OWNED

    start: date
    end: date
    entries: int
    days_with_entries: int
    words: int
    themes: list[ThemeTally]
    unthemed: Tally
    tags: dict[str, int]
    streak: Streak
    commitments: CommitmentTally = Field(default_factory=CommitmentTally)
    ratings: list[RatingTally] = Field(default_factory=no_items)


class SummaryWeeks(BaseModel):
    """summary --weeks N --json: one Summary per week, oldest first."""

    model_config = OWNED

    weeks: list[Summary]
