"""The pydantic models: the schema of the journal files on disk and of every --json output."""

# No `from __future__ import annotations` here: pydantic would then evaluate every field's
# annotation from its string (158 of them, ~2.5 ms of every command that reads a month
# file, DESIGN.md section 8b); plain annotations are evaluated once by the interpreter.
# A method's return annotation naming its own class is quoted for the same reason.

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictInt,
    StrictStr,
    model_validator,
)

FORMAT: Literal["leadjournal"] = "leadjournal"
VERSION: Literal[2] = 2  # of month files and of the JSON export; migrate() upgrades 1

# The config of the models below the month file's: no unknown keys, and the validator
# and serializer built on first use, not at import (a command uses a few of them; building
# all of them cost ~8 ms of every start, DESIGN.md section 8b). The month file's own
# models (Entry, Commitment, Tombstone, MonthFile) are built at import: every command
# that imports this module reads month files, so it pays for them the same on a journal
# of any size, and the cost of a command grows with its work, not with whether a month
# file happens to exist (section 3).
OWNED = ConfigDict(extra="forbid", defer_build=True)

# Keep the UTC offset exactly as written ("+05:30", "+00:00"); pydantic would write "Z".
Timestamp = Annotated[
    AwareDatetime, PlainSerializer(lambda value: value.isoformat(), return_type=str)
]


def _no_items() -> list[Any]:
    """The default of a list field. Not `list` itself: pydantic asks each default factory
    for its signature, and the first inspect.signature of a builtin compiles tokenize's
    patterns, ~1.7 ms of every command that imports this module (DESIGN.md section 8b)."""
    return []


StepKind = Literal["text", "rating"]
RATING_MIN, RATING_MAX = 1, 10


class StepAnswer(BaseModel):
    """One step of a guided reflection as saved with its entry (DESIGN.md section 11): the
    question as it read, its kind, and the answer (text, a rating 1-10, or null: skipped)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    text: str
    kind: StepKind = "text"
    answer: StrictInt | StrictStr | None = None

    @model_validator(mode="after")
    def _answer_fits_kind(self) -> "StepAnswer":
        if self.answer is None:
            return self
        if self.kind == "rating" and not (
            isinstance(self.answer, int) and RATING_MIN <= self.answer <= RATING_MAX
        ):
            raise ValueError(f"the rating of step '{self.id}' is not an integer from 1 to 10")
        if self.kind == "text" and not isinstance(self.answer, str):
            raise ValueError(f"the answer to step '{self.id}' is not text")
        return self


class Entry(BaseModel):
    """One journal entry, as stored and as printed by --json. A guided reflection carries
    its guide's id and every step with its answer; an ordinary entry has `guide` null and
    no steps (files written before guides existed lack both keys and read the same)."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(min_length=1, max_length=200)]
    created_at: Timestamp
    updated_at: Timestamp
    theme: str | None = None
    prompt_id: str | None = None
    prompt: str | None = None
    text: str
    tags: list[str] = Field(default_factory=_no_items)
    guide: str | None = None
    steps: list[StepAnswer] = Field(default_factory=_no_items)

    @property
    def day(self) -> date:
        """The entry's day: the local date in the offset it was written with."""
        return self.created_at.date()


CommitmentStatus = Literal["open", "kept", "missed", "dropped"]
STATUSES: tuple[CommitmentStatus, ...] = ("open", "kept", "missed", "dropped")


class Commitment(BaseModel):
    """A next step the writer promises themself (DESIGN.md section 9): stored in the month
    file of its creation day, printed as it is stored by every --json."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(min_length=1, max_length=200)]
    created_at: Timestamp
    updated_at: Timestamp
    text: str
    due: date
    theme: str | None = None
    entry_id: str | None = None
    status: CommitmentStatus = "open"
    resolved_at: Timestamp | None = None
    note: str | None = None

    @property
    def day(self) -> date:
        """The commitment's creation day, in the offset it was made in."""
        return self.created_at.date()


class EntryWithCommitments(Entry):
    """write --json, show --json: the entry with the commitments linked to it."""

    model_config = OWNED  # built on first use: only --json prints it

    commitments: list[Commitment] = Field(default_factory=_no_items)


class Tombstone(BaseModel):
    """What a deleted entry or commitment leaves behind, so a synced copy cannot bring it
    back (entries and commitments share one id space)."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(min_length=1, max_length=200)]
    deleted_at: Timestamp


class MonthFile(BaseModel):
    """entries/YYYY/YYYY-MM.json: the record of one month."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["leadjournal"] = FORMAT
    version: Literal[2] = VERSION
    entries: list[Entry] = Field(default_factory=_no_items)
    commitments: list[Commitment] = Field(default_factory=_no_items)
    tombstones: list[Tombstone] = Field(default_factory=_no_items)

    @classmethod
    def from_json(cls, data: bytes) -> "MonthFile":
        """A month file's bytes validated: a file of the current version straight from its
        JSON; any other (an older version to upgrade, a newer one to refuse, or a file that
        does not validate) again through migrate(), which raises the same errors as always.

        MonthFile itself has no validator that runs before its fields: such a validator
        makes pydantic decode the whole file into Python objects first and validate those,
        which cost 40% of reading a month (1.5 ms of 3.7 ms for 800 entries, DESIGN.md
        section 8, `summary --week`).
        """
        from pydantic import ValidationError

        try:
            return cls.model_validate_json(data)
        except ValidationError:
            migrated = _MigratedMonthFile.model_validate_json(data)
        return cls.model_validate(dict(migrated))


class _MigratedMonthFile(MonthFile):
    """MonthFile with migrate() run on the decoded file before its fields are validated."""

    model_config = OWNED  # built on first use: only an old, new or bad file needs it

    @model_validator(mode="before")
    @classmethod
    def _migrate(cls, data: Any) -> Any:
        """The one place where older file versions are upgraded on read."""
        return migrate(data)


def migrate(data: Any) -> Any:
    """Upgrade a decoded month file or JSON export of an older version to the current one.

    Version 1 (no commitments) becomes version 2 with none: the file on disk is left as it
    is until its next save, which writes version 2 (samples in tests/data/v1-*). A version
    newer than this program knows is refused with a message that says so.
    """
    if not isinstance(data, dict):
        return data
    version = data.get("version")
    if version == 1:
        if "commitments" in data:
            raise ValueError("a version 1 file has no commitments")
        return {**data, "version": 2}
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise ValueError(
            f"it was written by a newer leadjournal (format version {version}; this one "
            f"reads up to {VERSION})"
        )
    return data


class ExportFile(BaseModel):
    """export --format json: lossless, and what `import --format leadjournal` reads."""

    model_config = OWNED

    format: Literal["leadjournal"] = FORMAT
    version: Literal[2] = VERSION
    exported_at: Timestamp
    # Before the entries: the streaming writer (export.json_export) appends them last.
    commitments: list[Commitment] = Field(default_factory=_no_items)
    entries: list[Entry]

    @model_validator(mode="before")
    @classmethod
    def _migrate(cls, data: Any) -> Any:
        return migrate(data)


def now_local() -> datetime:
    """The current moment in the local UTC offset, to the second."""
    return datetime.now().astimezone().replace(microsecond=0)


# ---------------------------------------------------------------------------------------
# prompts.yaml (the built-in file and the user's): DESIGN.md section 4

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)]


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


NonEmpty = Annotated[str, Field(min_length=1), AfterValidator(_non_blank)]


class PromptSpec(BaseModel):
    """One prompt. Beyond its text it may carry a follow-up question, the idea of the
    source documents it applies, who it is for, and that source (DESIGN.md section 15);
    any other key is an error."""

    model_config = OWNED

    id: Slug
    text: NonEmpty
    follow_up: NonEmpty | None = None
    idea: NonEmpty | None = None
    audience: Literal["everyone", "managers"] = "everyone"
    source: str | None = None


class ThemeSpec(BaseModel):
    model_config = OWNED

    id: Slug
    name: NonEmpty | None = None
    description: NonEmpty | None = None
    prompts: list[PromptSpec] = Field(default_factory=_no_items)


class StepSpec(BaseModel):
    """One step of a guide: a question answered in text (the default) or rated 1-10. A text
    step may be a `commitment` step (its answer also becomes a commitment); a rating step
    may count toward its own theme."""

    model_config = OWNED

    id: Slug
    text: NonEmpty
    kind: StepKind = "text"
    theme: Slug | None = None
    commitment: StrictBool = False

    @model_validator(mode="after")
    def _commitment_is_text(self) -> "StepSpec":
        if self.commitment and self.kind != "text":
            raise ValueError("a rating step cannot be a commitment step")
        return self


class GuideSpec(BaseModel):
    """One guide of a prompts file (DESIGN.md section 11): a named sequence of steps."""

    model_config = OWNED

    id: Slug
    name: NonEmpty
    description: NonEmpty | None = None
    theme: Slug | None = None
    steps: Annotated[list[StepSpec], Field(min_length=1)]


class PromptFile(BaseModel):
    """A prompts.yaml. `guides` stays raw here: each guide is validated on its own
    (load.py), so that one bad guide in a user's file leaves out only that guide."""

    model_config = OWNED

    version: Literal[1]
    themes: list[ThemeSpec] = Field(default_factory=_no_items)
    guides: list[Any] = Field(default_factory=_no_items)


# ---------------------------------------------------------------------------------------
# summary --json: DESIGN.md sections 2 and 5


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
    ratings: list[RatingTally] = Field(default_factory=_no_items)


class SummaryWeeks(BaseModel):
    """summary --weeks N --json: one Summary per week, oldest first."""

    model_config = OWNED

    weeks: list[Summary]


class ImportReport(BaseModel):
    """import --json: what was added, what was skipped (duplicates and entries with no
    text), and which format the file was read as."""

    model_config = OWNED

    added: int
    skipped: int
    source_format: Literal["leadjournal", "jrnl", "dayone"]
    commitments_added: int = 0


# ---------------------------------------------------------------------------------------
# The question set and doctor in --json: DESIGN.md sections 2 and 7


class PromptOfDayJson(BaseModel):
    """prompt --json."""

    model_config = OWNED

    date: date
    id: str
    theme: str
    theme_name: str
    text: str


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


class ThemeJson(BaseModel):
    """One theme in themes --json; `prompts` is how many it has."""

    model_config = OWNED

    id: str
    name: str
    description: str
    prompts: int


class PromptJson(BaseModel):
    """One prompt in prompts --json."""

    model_config = OWNED

    id: str
    theme: str
    text: str
    audience: Literal["everyone", "managers"]
    follow_up: str | None
    idea: str | None


class GuideStepJson(BaseModel):
    """One step in guides --json; `theme` is the theme it counts toward (its own, else its
    guide's)."""

    model_config = OWNED

    id: str
    text: str
    kind: StepKind
    theme: str | None
    commitment: bool


class GuideJson(BaseModel):
    """One guide in guides --json."""

    model_config = OWNED

    id: str
    name: str
    description: str
    theme: str | None
    steps: list[GuideStepJson]


DoctorKind = Literal[
    "unreadable",
    "duplicate-id",
    "wrong-month",
    "dangling-link",
    "mode",
    "temp-file",
    "conflict-copy",
    "other-form",
    "index",
    "git-conflict",
    "git-setup",
    "draft",
    "unknown-name",
    "symlink",
]


class DoctorProblem(BaseModel):
    """One thing doctor found; `fixed` once --fix repaired it."""

    model_config = OWNED

    kind: DoctorKind
    path: str
    message: str
    fixable: bool
    fixed: bool = False


class DoctorReport(BaseModel):
    """doctor --json: `ok` while no problem remains."""

    model_config = OWNED

    ok: bool = True
    files: int = 0
    entries: int = 0
    commitments: int = 0
    problems: list[DoctorProblem] = Field(default_factory=_no_items)
    backup_dir: str | None = None

    def remaining(self) -> list[DoctorProblem]:
        return [p for p in self.problems if not p.fixed]


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


# ---------------------------------------------------------------------------------------
# One journal on several devices with git: DESIGN.md section 13


class KeysReport(BaseModel):
    """keys --json: this device's public key, its identity file, the journal's recipients."""

    model_config = OWNED

    public_key: str
    identity: str
    recipients: list[str]


class RecipientsReport(BaseModel):
    """keys add/remove --json: the recipients now, and how many files were re-encrypted."""

    model_config = OWNED

    recipients: list[str]
    reencrypted: int


class EncryptReport(BaseModel):
    """encrypt --json."""

    model_config = OWNED

    encrypted: int
    recipients: list[str]
    identity: str


class DecryptReport(BaseModel):
    """decrypt --json."""

    model_config = OWNED

    decrypted: int


class SyncSetupReport(BaseModel):
    """sync --setup --json: the attributes file written, and the merge driver's command."""

    model_config = OWNED

    gitattributes: str
    driver: str


class SyncReport(BaseModel):
    """sync --json: whether a commit was made; the commits that came in and went out."""

    model_config = OWNED

    committed: bool
    pulled: int
    pushed: int
