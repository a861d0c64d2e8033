"""The pydantic models: the schema of the journal files on disk and of every --json output.

One module per use, so that a command defines only the models it uses (each model class
costs pydantic's metaclass at definition, even one whose validator is built on first
use; defining all of them cost ~4.5 ms of every command that reads a month file,
DESIGN.md section 8b):

- disk.py       the month file (Entry, Commitment, StepAnswer, Tombstone, MonthFile),
                migrate, now_local: the leaf, imported by every other models module
- entries.py    write/show --json, the JSON export, import, lookback and tags --json
- summary.py    summary --json and its tallies
- questions.py  prompt, themes, prompts and guides --json
- review.py     review --json
- doctor.py     doctor --json
- devices.py    keys, encrypt, decrypt and sync --json
- prompts.py    prompts.yaml

`from leadjournal.models import Entry` works for every name: this package imports the
module that defines a name when the name is first asked for (PEP 562), and nothing at
import.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from leadjournal.models.devices import (
        DecryptReport,
        EncryptReport,
        KeysReport,
        RecipientsReport,
        SyncReport,
        SyncSetupReport,
    )
    from leadjournal.models.disk import (
        FORMAT,
        OWNED,
        RATING_MAX,
        RATING_MIN,
        STATUSES,
        VERSION,
        Commitment,
        CommitmentStatus,
        Entry,
        MonthFile,
        StepAnswer,
        StepKind,
        Timestamp,
        Tombstone,
        migrate,
        no_items,
        now_local,
    )
    from leadjournal.models.doctor import (
        DoctorKind,
        DoctorProblem,
        DoctorReport,
    )
    from leadjournal.models.entries import (
        EntryWithCommitments,
        ExportFile,
        ImportReport,
        LookbackJson,
        TagCount,
    )
    from leadjournal.models.prompts import (
        GuideSpec,
        NonEmpty,
        PromptFile,
        PromptSpec,
        Slug,
        StepSpec,
        ThemeSpec,
    )
    from leadjournal.models.questions import (
        GuideJson,
        GuideStepJson,
        PromptJson,
        PromptOfDayJson,
        ThemeJson,
    )
    from leadjournal.models.review import (
        ReviewJson,
    )
    from leadjournal.models.summary import (
        CommitmentTally,
        RatingTally,
        Streak,
        Summary,
        SummaryWeeks,
        Tally,
        ThemeTally,
    )

__all__ = [
    "FORMAT",
    "OWNED",
    "RATING_MAX",
    "RATING_MIN",
    "STATUSES",
    "VERSION",
    "Commitment",
    "CommitmentStatus",
    "CommitmentTally",
    "DecryptReport",
    "DoctorKind",
    "DoctorProblem",
    "DoctorReport",
    "EncryptReport",
    "Entry",
    "EntryWithCommitments",
    "ExportFile",
    "GuideJson",
    "GuideSpec",
    "GuideStepJson",
    "ImportReport",
    "KeysReport",
    "LookbackJson",
    "MonthFile",
    "NonEmpty",
    "PromptFile",
    "PromptJson",
    "PromptOfDayJson",
    "PromptSpec",
    "RatingTally",
    "RecipientsReport",
    "ReviewJson",
    "Slug",
    "StepAnswer",
    "StepKind",
    "StepSpec",
    "Streak",
    "Summary",
    "SummaryWeeks",
    "SyncReport",
    "SyncSetupReport",
    "TagCount",
    "Tally",
    "ThemeJson",
    "ThemeSpec",
    "ThemeTally",
    "Timestamp",
    "Tombstone",
    "migrate",
    "no_items",
    "now_local",
]

# Which module defines each name.
_HOME: dict[str, str] = {
    "FORMAT": "disk",
    "VERSION": "disk",
    "OWNED": "disk",
    "Timestamp": "disk",
    "no_items": "disk",
    "StepKind": "disk",
    "RATING_MIN": "disk",
    "RATING_MAX": "disk",
    "StepAnswer": "disk",
    "Entry": "disk",
    "CommitmentStatus": "disk",
    "STATUSES": "disk",
    "Commitment": "disk",
    "Tombstone": "disk",
    "MonthFile": "disk",
    "migrate": "disk",
    "now_local": "disk",
    "EntryWithCommitments": "entries",
    "ExportFile": "entries",
    "ImportReport": "entries",
    "TagCount": "entries",
    "LookbackJson": "entries",
    "Tally": "summary",
    "ThemeTally": "summary",
    "Streak": "summary",
    "CommitmentTally": "summary",
    "RatingTally": "summary",
    "Summary": "summary",
    "SummaryWeeks": "summary",
    "PromptOfDayJson": "questions",
    "ThemeJson": "questions",
    "PromptJson": "questions",
    "GuideStepJson": "questions",
    "GuideJson": "questions",
    "ReviewJson": "review",
    "DoctorKind": "doctor",
    "DoctorProblem": "doctor",
    "DoctorReport": "doctor",
    "KeysReport": "devices",
    "RecipientsReport": "devices",
    "EncryptReport": "devices",
    "DecryptReport": "devices",
    "SyncSetupReport": "devices",
    "SyncReport": "devices",
    "Slug": "prompts",
    "NonEmpty": "prompts",
    "PromptSpec": "prompts",
    "ThemeSpec": "prompts",
    "StepSpec": "prompts",
    "GuideSpec": "prompts",
    "PromptFile": "prompts",
}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # asked once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME})
