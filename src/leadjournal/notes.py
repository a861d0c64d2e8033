"""Notes in a user's vault (Obsidian, Logseq): leadjournal's part of a note sits between two
markers, and its keys in the note's YAML front matter; every other byte is the user's and
stays as it was (DESIGN.md section 17, used by the weekly note of section 10).

Pure: the note's text in, the new text out. `vault_write` in journal.py keeps a backup of
the previous version before it writes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from leadjournal.errors import JournalError

START = "<!-- leadjournal:start -->"
END = "<!-- leadjournal:end -->"
_FENCE = "---"
_KEY = re.compile(r"([A-Za-z0-9_][^:#\n]*?)\s*:(?:\s|$)")


class NoteFrontMatterError(JournalError):
    """A note whose front matter cannot be parsed: left untouched."""


def block(body: str) -> str:
    """leadjournal's part of a note, between the markers."""
    return f"{START}\n{body.rstrip()}\n{END}\n"


def _split(text: str) -> tuple[list[str] | None, str]:
    """The front matter's lines (without the fences) and the rest, or None and the text
    when the note has no front matter."""
    if not (text.startswith(_FENCE + "\n") or text == _FENCE):
        return None, text
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() == _FENCE:
            rest = "\n".join(lines[index + 1 :])
            return lines[1:index], rest
    raise NoteFrontMatterError("its front matter starts with '---' but never ends")


def _check_mapping(lines: list[str]) -> dict[str, object]:
    import yaml

    try:
        data = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "it is not valid YAML"
        raise NoteFrontMatterError(f"its front matter is not valid YAML ({problem})") from None
    if data is not None and not isinstance(data, dict):
        raise NoteFrontMatterError("its front matter is not a set of keys")
    return {str(key): value for key, value in (data or {}).items()}


def _key_blocks(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    """The front matter cut into top-level keys, each with its lines (indented and list
    lines belong to the key above them; comments and blank lines before the first key
    stand alone)."""
    blocks: list[tuple[str | None, list[str]]] = []
    for line in lines:
        match = _KEY.match(line)
        if match and not line[:1].isspace() and not line.startswith("- "):
            blocks.append((match[1].strip(), [line]))
        elif blocks:
            blocks[-1][1].append(line)
        else:
            blocks.append((None, [line]))
    return blocks


def front_values(existing: str | None) -> dict[str, object]:
    """The note's front matter as a mapping ({} for no note or none); a front matter that
    cannot be parsed raises NoteFrontMatterError."""
    if existing is None:
        return {}
    lines, _ = _split(existing)
    if lines is None:
        return {}
    return _check_mapping(lines)


def merge_front_matter(lines: list[str] | None, ours: Mapping[str, str]) -> list[str]:
    """The note's front matter with our keys set: each key's existing lines replaced where
    they stand, new keys added at the end; every other line kept as it was. `ours` maps a
    key to its rendered YAML (one or more lines, the key included)."""
    blocks = _key_blocks(lines or [])
    done: set[str] = set()
    merged: list[str] = []
    for key, key_lines in blocks:
        if key is not None and key in ours:
            if key not in done:
                merged.extend(ours[key].rstrip("\n").split("\n"))
                done.add(key)
            continue  # a repeated key of ours is written once
        merged.extend(key_lines)
    for key, rendered in ours.items():
        if key not in done:
            merged.extend(rendered.rstrip("\n").split("\n"))
    return merged


def update_note(existing: str | None, ours: Mapping[str, str], body: str) -> str:
    """The note with our front matter keys and our block: a new note when there is none;
    else only the block (appended at the end if absent) and those keys change."""
    ours_block = block(body)
    if existing is None:
        front = merge_front_matter(None, ours)
        return f"{_FENCE}\n" + "\n".join(front) + f"\n{_FENCE}\n\n{ours_block}"
    lines, rest = _split(existing)
    if lines is not None:
        _check_mapping(lines)
    front = merge_front_matter(lines, ours)
    start, end = rest.find(START), rest.find(END)
    if start != -1 and end != -1 and end > start:
        after = rest[end + len(END) :]
        after = after.removeprefix("\n")
        rest = rest[:start] + ours_block + after
    else:
        glue = (
            "" if not rest or rest.endswith("\n\n") else ("\n" if rest.endswith("\n") else "\n\n")
        )
        rest = rest + glue + ours_block
    if lines is None and not rest.startswith("\n"):
        rest = "\n" + rest
    return f"{_FENCE}\n" + "\n".join(front) + f"\n{_FENCE}\n" + rest
