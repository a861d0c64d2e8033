"""The one in-memory shape of the question set: themes and prompts as named tuples, and the
PromptSet that looks them up by id. Built by `load`, read by `choose` and everything else.

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


class PromptSet:
    """The themes in built-in order (the user's after them), with lookups by id."""

    __slots__ = ("by_id", "theme_by_id", "themes", "warnings")

    def __init__(self, themes: tuple[Theme, ...], warnings: tuple[str, ...] = ()) -> None:
        self.themes = themes
        self.warnings = warnings
        self.theme_by_id = {theme.id: theme for theme in themes}
        self.by_id = {prompt.id: prompt for theme in themes for prompt in theme.prompts}

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
