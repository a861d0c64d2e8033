"""Values for Typer's shell completion (bash, zsh, fish): theme ids, tags, prompt ids,
guide ids, entry ids (newest first) and open commitment ids.

A completion runs on every Tab: it reads the cheapest source there is, and whatever goes
wrong (a broken journal, an unreadable prompts file) it completes nothing rather than
printing an error into the user's command line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


def _quietly(
    values: Callable[[], Iterable[tuple[str, str]]], incomplete: str
) -> list[tuple[str, str]]:
    """The values that start with what was typed; nothing at all if finding them fails. A
    value holding a control character (from an import) is left out: the shell would print
    it into the command line, and no one can type it (DESIGN.md section 18)."""
    try:
        return [
            (value, _short(help_))
            for value, help_ in values()
            if value.startswith(incomplete) and value.isprintable()
        ]
    except Exception:  # noqa: BLE001 - completion never fails loudly
        return []


def _short(text: str, limit: int = 40) -> str:
    """A help text on one short line: fish's and zsh's lists are one line per value (and
    Typer's help rendering wraps long ones)."""
    text = " ".join(text.split())
    if not text.isprintable():
        text = "".join(char for char in text if char.isprintable())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _ignore(_: str) -> None:
    """Warnings are not shown while completing."""


def themes(incomplete: str) -> list[tuple[str, str]]:
    def values() -> list[tuple[str, str]]:
        from leadjournal.prompts.load import load_prompt_set

        return [(t.id, t.name) for t in load_prompt_set(_ignore).themes]

    return _quietly(values, incomplete)


def prompts(incomplete: str) -> list[tuple[str, str]]:
    def values() -> list[tuple[str, str]]:
        from leadjournal.prompts.load import load_prompt_set

        return [(p.id, p.text) for p in load_prompt_set(_ignore).by_id.values()]

    return _quietly(values, incomplete)


def guides(incomplete: str) -> list[tuple[str, str]]:
    def values() -> list[tuple[str, str]]:
        from leadjournal.prompts.load import load_prompt_set

        return [(g.id, g.name) for g in load_prompt_set(_ignore).guides]

    return _quietly(values, incomplete)


def tags(incomplete: str) -> list[tuple[str, str]]:
    def values() -> list[tuple[str, str]]:
        from leadjournal.journal import completion_tags

        return [(tag, "") for tag in completion_tags()]

    return _quietly(values, incomplete.lstrip("#").lower())


def entries(incomplete: str) -> list[tuple[str, str]]:
    def values() -> list[tuple[str, str]]:
        from leadjournal.journal import completion_entry_ids

        return [("last", "the most recent entry"), *completion_entry_ids()]

    return _quietly(values, incomplete)


def open_commitments(incomplete: str) -> list[tuple[str, str]]:
    def values() -> list[tuple[str, str]]:
        from leadjournal.journal import completion_open_commitments

        return completion_open_commitments(_ignore)

    return _quietly(values, incomplete)
