"""doctor --json (DESIGN.md section 7)."""

# No `from __future__ import annotations`: see disk.py (pydantic evaluates plain
# annotations once, strings each time).

from typing import Literal

from pydantic import BaseModel, Field

from leadjournal.models.disk import OWNED, no_items

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
    problems: list[DoctorProblem] = Field(default_factory=no_items)
    backup_dir: str | None = None

    def remaining(self) -> list[DoctorProblem]:
        return [p for p in self.problems if not p.fixed]
