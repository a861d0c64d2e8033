"""The --json shapes made of entries: write/show --json, the JSON export, import,
lookback and tags --json."""

# No `from __future__ import annotations`: see disk.py (pydantic evaluates plain
# annotations once, strings each time).

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from leadjournal.models.disk import (
    FORMAT,
    OWNED,
    VERSION,
    Commitment,
    Entry,
    Timestamp,
    migrate,
    no_items,
)


class EntryWithCommitments(Entry):
    """write --json, show --json: the entry with the commitments linked to it."""

    model_config = OWNED  # built on first use: only --json prints it

    commitments: list[Commitment] = Field(default_factory=no_items)


class ExportFile(BaseModel):
    """export --format json: lossless, and what `import --format leadjournal` reads."""

    model_config = OWNED

    format: Literal["leadjournal"] = FORMAT
    version: Literal[2] = VERSION
    exported_at: Timestamp
    # Before the entries: the streaming writer (export.json_export) appends them last.
    commitments: list[Commitment] = Field(default_factory=no_items)
    entries: list[Entry]

    @model_validator(mode="before")
    @classmethod
    def _migrate(cls, data: Any) -> Any:
        return migrate(data)


class ImportReport(BaseModel):
    """import --json: what was added, what was skipped (duplicates and entries with no
    text), and which format the file was read as."""

    model_config = OWNED

    added: int
    skipped: int
    source_format: Literal["leadjournal", "jrnl", "dayone"]
    commitments_added: int = 0


class TagCount(BaseModel):
    """One tag in tags --json: how many entries carry it."""

    model_config = OWNED

    tag: str
    entries: int


class LookbackJson(BaseModel):
    """lookback --json: on this day in earlier years, and the same ISO week a year ago."""

    model_config = OWNED

    date: date
    on_this_day: list[Entry]
    week_last_year: list[Entry]
