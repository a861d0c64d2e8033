"""FILTERS of DESIGN.md section 2, as `list`, `export` and `revisit` read them: the one
test of whether an entry matches. Apart from journal.py so that the commands that do not
filter (write, summary) do not define its dataclass (~0.4 ms, DESIGN.md section 8b)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from leadjournal.models import Entry


@dataclass
class Filters:
    """FILTERS of DESIGN.md section 2: inclusive local dates, themes, tags, a search text."""

    since: date | None = None
    until: date | None = None
    themes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    search: str | None = None
    _needle: str | None = field(default=None, repr=False, compare=False)
    # Many entries answer the same prompt: each prompt text is searched once.
    _prompt_hits: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)

    def _in_prompt(self, prompt: str | None) -> bool:
        if not prompt or self._needle is None:
            return False
        hit = self._prompt_hits.get(prompt)
        if hit is None:
            hit = self._prompt_hits[prompt] = _found(self._needle, prompt)
        return hit

    def matches(self, entry: Entry) -> bool:
        if self.themes and entry.theme not in self.themes:
            return False
        if self.tags and not set(self.tags) & set(entry.tags):
            return False
        if self.search:
            if self._needle is None:
                from leadjournal.text import fold

                self._needle = fold(self.search)
            if not _found(self._needle, entry.text) and not self._in_prompt(entry.prompt):
                return False
        return True


def _found(needle: str, text: str) -> bool:
    """The folded needle in `text`, case and accents ignored; the cheap test first (an
    ASCII text folds by lowercasing alone)."""
    if needle in text.casefold():
        return True
    if text.isascii():
        return False
    from leadjournal.text import fold

    return needle in fold(text)
