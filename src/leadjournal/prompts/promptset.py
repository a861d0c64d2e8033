"""The one in-memory shape of the question set: themes, prompts and guides as named tuples,
and the PromptSet that looks them up by id. Built by `load`, read by `choose` and
everything else.

Plain tuples and a slotted class, not dataclasses or pydantic models: these are built on
every `prompt`, and start-up time is a budget (DESIGN.md section 8).
"""

from __future__ import annotations

import zlib
from typing import Literal, NamedTuple

from leadjournal.errors import UsageError

Audience = Literal["everyone", "managers"]
EVERYONE: Audience = "everyone"
MANAGERS: Audience = "managers"  # a prompt that assumes direct reports (DESIGN.md section 15)


class Prompt(NamedTuple):
    """One question. `follow_up` turns the answer toward a next step; `idea` names, in one
    sentence, the idea of the source documents it applies; `source` is that document;
    `audience` is EVERYONE or MANAGERS."""

    id: str
    theme: str
    text: str
    follow_up: str | None = None
    source: str | None = None
    idea: str | None = None
    audience: Audience = EVERYONE


class Theme(NamedTuple):
    id: str
    name: str
    description: str
    prompts: tuple[Prompt, ...]


StepKind = Literal["text", "rating"]


class GuideStep(NamedTuple):
    """One step of a guide (DESIGN.md section 11). `theme` is the step's own theme (a
    rating step may name one), None to count toward its guide's; a `commitment` step's
    non-empty answer also becomes a commitment."""

    id: str
    text: str
    kind: StepKind = "text"
    theme: str | None = None
    commitment: bool = False


class Guide(NamedTuple):
    """A named sequence of steps; `theme` is its reflections' theme (None: unthemed)."""

    id: str
    name: str
    description: str
    theme: str | None
    steps: tuple[GuideStep, ...]

    def step_theme(self, step: GuideStep) -> str | None:
        """The theme a step counts toward: its own, else the guide's."""
        return step.theme or self.theme


class PromptSet:
    """The themes in built-in order (the user's after them), with lookups by id; the
    guides likewise."""

    __slots__ = ("by_id", "guide_by_id", "guides", "theme_by_id", "themes", "warnings")

    def __init__(
        self,
        themes: tuple[Theme, ...],
        warnings: tuple[str, ...] = (),
        guides: tuple[Guide, ...] = (),
    ) -> None:
        self.themes = themes
        self.warnings = warnings
        self.guides = guides
        self.theme_by_id = {theme.id: theme for theme in themes}
        self.by_id = {prompt.id: prompt for theme in themes for prompt in theme.prompts}
        self.guide_by_id = {guide.id: guide for guide in guides}

    def guide(self, guide_id: str) -> Guide:
        try:
            return self.guide_by_id[guide_id]
        except KeyError:
            known = ", ".join(g.id for g in self.guides) or "none"
            raise UsageError(
                f"There is no guide '{guide_id}'. The guides are: {known} "
                "(see 'leadjournal guides')."
            ) from None

    def theme(self, theme_id: str) -> Theme:
        try:
            return self.theme_by_id[theme_id]
        except KeyError:
            known = ", ".join(t.id for t in self.themes)
            raise UsageError(f"There is no theme '{theme_id}'. The themes are: {known}.") from None

    def prompt(self, prompt_id: str) -> Prompt:
        try:
            return self.by_id[prompt_id]
        except KeyError:
            raise UsageError(
                f"There is no prompt '{prompt_id}'. See 'leadjournal prompts' for the ids."
            ) from None

    def signature(self) -> str:
        """What the history index depends on: which prompts exist, in which theme, and
        which are for managers (the index keeps a cycle without them)."""
        text = "|".join(
            f"{t.id}:{','.join(p.id + ('*' if p.audience == MANAGERS else '') for p in t.prompts)}"
            for t in self.themes
        )
        return f"{zlib.crc32(text.encode()):08x}{len(text):x}"
