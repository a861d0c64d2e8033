"""The month file's models (DESIGN.md section 3): the schema of the journal's record on
disk, and the leaf of the models package (it imports no other models module).

Every command that reads a month file imports this module and nothing else of the
models it does not print: the other models live in their own modules (reports.py,
summary.py, prompts.py), defined only by the commands that use them (models/__init__.py).
"""

# No `from __future__ import annotations` here: pydantic would then evaluate every field's
# annotation from its string (~2.5 ms of every command that reads a month file, DESIGN.md
# section 8b); plain annotations are evaluated once by the interpreter. A method's return
# annotation naming its own class is quoted for the same reason.

from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    model_validator,
)
from pydantic_core import core_schema

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler

FORMAT: Literal["leadjournal"] = "leadjournal"
VERSION: Literal[2] = 2  # of month files and of the JSON export; migrate() upgrades 1

# The config of most models: no unknown keys, and the validator and serializer built on
# first use, not at import (a command uses a few of them; building all of them cost ~8 ms
# of every start, DESIGN.md section 8b). MonthFile is built at import, and with it the
# schema of every record inside it: every command that imports this module reads month
# files, so it pays for that the same on a journal of any size, and the cost of a command
# grows with its work, not with whether a month file happens to exist (section 3). Entry
# is built at import too (`write` makes one every time); StepAnswer, Commitment and
# Tombstone build their own validators only when one is validated on its own (reading a
# month validates them through MonthFile's): ~0.5 ms of every command that makes none.
OWNED = ConfigDict(extra="forbid", defer_build=True)

# Keep the UTC offset exactly as written ("+05:30", "+00:00"); pydantic would write "Z".


def _isoformat(value: datetime) -> str:
    return value.isoformat()


class _AsWritten:
    """A datetime serialized by isoformat(): what PlainSerializer(_isoformat,
    return_type=str) does, without importing pydantic.functional_serializers (~1 ms of
    every command that reads a month file, DESIGN.md section 8b) or asking for the
    function's signature."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: "GetCoreSchemaHandler"
    ) -> core_schema.CoreSchema:
        serialization = core_schema.plain_serializer_function_ser_schema(
            _isoformat, info_arg=False, return_schema=core_schema.str_schema()
        )
        return cast("core_schema.CoreSchema", {**handler(source), "serialization": serialization})


Timestamp = Annotated[AwareDatetime, _AsWritten()]


def no_items() -> list[Any]:
    """The default of a list field. Not `list` itself: pydantic asks each default factory
    for its signature, and the first inspect.signature of a builtin compiles tokenize's
    patterns, ~1.7 ms of every command that imports this module (DESIGN.md section 8b)."""
    return []


StepKind = Literal["text", "rating"]
RATING_MIN, RATING_MAX = 1, 10


class StepAnswer(BaseModel):
    """One step of a guided reflection as saved with its entry (DESIGN.md section 11): the
    question as it read, its kind, and the answer (text, a rating 1-10, or null: skipped)."""

    model_config = OWNED

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
    tags: list[str] = Field(default_factory=no_items)
    guide: str | None = None
    steps: list[StepAnswer] = Field(default_factory=no_items)

    @property
    def day(self) -> date:
        """The entry's day: the local date in the offset it was written with."""
        return self.created_at.date()


CommitmentStatus = Literal["open", "kept", "missed", "dropped"]
STATUSES: tuple[CommitmentStatus, ...] = ("open", "kept", "missed", "dropped")


class Commitment(BaseModel):
    """A next step the writer promises themself (DESIGN.md section 9): stored in the month
    file of its creation day, printed as it is stored by every --json."""

    model_config = OWNED

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


class Tombstone(BaseModel):
    """What a deleted entry or commitment leaves behind, so a synced copy cannot bring it
    back (entries and commitments share one id space)."""

    model_config = OWNED

    id: Annotated[str, Field(min_length=1, max_length=200)]
    deleted_at: Timestamp


class MonthFile(BaseModel):
    """entries/YYYY/YYYY-MM.json: the record of one month."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["leadjournal"] = FORMAT
    version: Literal[2] = VERSION
    entries: list[Entry] = Field(default_factory=no_items)
    commitments: list[Commitment] = Field(default_factory=no_items)
    tombstones: list[Tombstone] = Field(default_factory=no_items)

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
            migrated = _migrated_month_file().model_validate_json(data)
        return cls.model_validate(dict(migrated))


@cache
def _migrated_month_file() -> type[MonthFile]:
    """MonthFile with migrate() run on the decoded file before its fields are validated:
    defined on first use (only an old, new or bad file needs it), since even a model whose
    validator is built on first use costs its definition at import (DESIGN.md section 8b)."""

    class _MigratedMonthFile(MonthFile):
        model_config = OWNED

        @model_validator(mode="before")
        @classmethod
        def _migrate(cls, data: Any) -> Any:
            """The one place where older file versions are upgraded on read."""
            return migrate(data)

    return _MigratedMonthFile


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


def now_local() -> datetime:
    """The current moment in the local UTC offset, to the second."""
    return datetime.now().astimezone().replace(microsecond=0)
