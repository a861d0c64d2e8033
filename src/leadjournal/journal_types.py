"""The request and result types of journal.py's use cases that `write`, `list` and
`summary` never use (edit, delete, commit, resolve, lookback, review, import, export).

They live apart from journal.py so that the commands typed most do not define them: each
dataclass compiles its generated methods when it is defined (~0.3 ms each, ~3 ms of every
write, list and summary together, DESIGN.md section 8b). journal.py imports each inside
the use case that builds it; the CLI builds the requests from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date, datetime
    from pathlib import Path

    from leadjournal.dayview import PromptOfDay
    from leadjournal.filters import Filters
    from leadjournal.models import Commitment, Entry, ImportReport, LookbackJson, Summary
    from leadjournal.summary import Period


@dataclass
class Lookback:
    """`lookback`: entries on this day in earlier years (newest year first, chronological
    within a year) and those of the same ISO week one year earlier (chronological)."""

    day: date
    on_this_day: list[Entry]
    week_last_year: list[Entry]

    def as_json(self) -> LookbackJson:
        from leadjournal.models import LookbackJson

        return LookbackJson(
            date=self.day, on_this_day=self.on_this_day, week_last_year=self.week_last_year
        )


@dataclass
class EditRequest:
    """`edit ID`: with none of text, theme, tags, the clearing flags and a date given, the
    editor opens."""

    ref: str
    text: str | None = None
    theme: str | None = None
    tags: list[str] | None = None
    no_theme: bool = False  # clear the theme
    no_tags: bool = False  # clear the tags (then set `tags`, if given)
    when: str | None = None  # --date D[THH:MM]: move the entry


@dataclass
class EditResult:
    entry: Entry  # as saved (or as it was, when nothing changed)
    changed: bool


@dataclass
class DeleteResult:
    record: Entry | Commitment
    deleted: bool  # False when the user said no
    linked: list[str] = field(default_factory=list)  # commitments deleted with an entry


@dataclass
class CommitRequest:
    """`commit TEXT`, as parsed."""

    text: str
    when: datetime  # the creation moment (now, or --date)
    due: str | None = None
    theme: str | None = None
    entry: str | None = None  # an entry id or prefix to link to


@dataclass
class ResolveRequest:
    """`resolve ID OUTCOME`, as parsed. note None: unchanged; "" clears it."""

    ref: str
    outcome: str
    note: str | None = None
    due: str | None = None


@dataclass
class WeekReview:
    """What `review` shows and `review --json` prints."""

    week: str  # YYYY-Www
    period: Period
    summary: Summary
    due: list[Commitment]  # open, due by the week's last day, earliest first
    suggestion: PromptOfDay  # from the least-reflected theme (ties: built-in order)
    entries: list[Entry]  # the week's, for the weekly note


@dataclass
class ImportResult:
    """What `import` did (or, with dry_run, would do)."""

    name: str  # the file as named in messages
    detected: bool  # the format was recognised automatically
    dry_run: bool
    duplicates: int
    empty: int
    report: ImportReport  # added, skipped, source_format: the --json output
    repeated: int = 0  # duplicates inside the file itself (`duplicates` excludes them)


@dataclass
class ExportResult:
    entries: int
    target: Path | None
    notes: int | None = None  # daily notes written (None: not --split day)
    changed: int = 0  # notes created or changed (the others were already up to date)
    weekly: int = 0  # weekly notes written


@dataclass
class ExportRequest:
    """`export`, as parsed. `target` None is standard output."""

    markdown: bool
    target: Path | None
    daily_notes: bool
    force: bool
    filters: Filters
    weekly: bool = False  # with daily_notes: the weekly notes too
    names: str = "obsidian"  # the daily notes' file names: obsidian or logseq
    week_start: str = "monday"
    today: date | None = None
    role: str | None = None
