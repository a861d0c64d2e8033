"""The models of prompts.yaml (the built-in file and the user's): DESIGN.md sections 4
and 11. Only prompts/load.py uses them, when it reads a prompts file (not from its cache)."""

# No `from __future__ import annotations`: see disk.py (pydantic evaluates plain
# annotations once, strings each time).

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, StrictBool, model_validator

from leadjournal.models.disk import OWNED, StepKind, no_items

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
    prompts: list[PromptSpec] = Field(default_factory=no_items)


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
    themes: list[ThemeSpec] = Field(default_factory=no_items)
    guides: list[Any] = Field(default_factory=no_items)
