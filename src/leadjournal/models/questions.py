"""The question set in --json: prompt --json, themes, prompts and guides --json
(DESIGN.md sections 2, 4 and 11)."""

# No `from __future__ import annotations`: see disk.py (pydantic evaluates plain
# annotations once, strings each time).

from datetime import date
from typing import Literal

from pydantic import BaseModel

from leadjournal.models.disk import OWNED, StepKind


class PromptOfDayJson(BaseModel):
    """prompt --json."""

    model_config = OWNED

    date: date
    id: str
    theme: str
    theme_name: str
    text: str


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
