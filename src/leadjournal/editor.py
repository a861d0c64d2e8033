"""Open the user's editor on a template and keep only what they typed."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from leadjournal import paths
from leadjournal.errors import JournalError
from leadjournal.text import decode_bytes

PREFIX = "%% "
MARKER = "%% ----- Write below this line. Lines above it are not saved. -----"


def template(
    prompt: str | None,
    theme: str | None,
    idea: str | None,
    body: str = "",
    *,
    follow_up: str | None = None,
    about: str | None = None,
    context: str | None = None,
    closing: str = "Save and close the editor to keep the entry; leave it empty to cancel.",
) -> str:
    """The text the editor opens on: where the question stands (`context`: a guide's name
    and the step's position), the question, its follow-up, the theme (with what it is
    `about` when there is no idea) and the prompt's idea, then the marker and the body."""
    import textwrap

    lines = []
    if context:
        lines.append(context)
    if prompt:
        lines.append(prompt)
    if follow_up:
        lines.append(f"Then: {follow_up}")
    if theme:
        lines.append(f"Theme: {theme}" + (f" - {about}" if about else ""))
    if idea:
        lines.append(f"The idea: {idea}")
    lines.append(closing)
    head = [PREFIX + part for line in lines for part in textwrap.wrap(line, width=76)]
    head.append(MARKER)
    return "\n".join(head) + "\n" + body + ("\n" if body and not body.endswith("\n") else "")


def extract(edited: str) -> str:
    """What the writer typed: everything below the marker (or, if they deleted the marker,
    every line that is not one of ours). Markdown headings are kept."""
    lines = edited.split("\n")
    if MARKER in lines:
        lines = lines[lines.index(MARKER) + 1 :]
    else:
        lines = [line for line in lines if not line.startswith(PREFIX)]
    return "\n".join(lines)


def editor_command(configured: str | None) -> list[str]:
    """config.toml's editor, else $VISUAL, else $EDITOR, else nano or vi; split like a shell."""
    for value in (configured, os.environ.get("VISUAL"), os.environ.get("EDITOR")):
        if value and value.strip():
            try:
                return shlex.split(value)
            except ValueError:
                raise JournalError(f"Cannot understand the editor command '{value}'.") from None
    for fallback in ("nano", "vi"):
        if shutil.which(fallback):
            return [fallback]
    raise JournalError(
        "No editor is set.",
        hint='Set $EDITOR (e.g. export EDITOR=nano), or give the text: leadjournal write "..."',
    )


@dataclass
class Draft:
    """The file the editor works on; kept if saving fails so nothing typed is lost."""

    path: Path

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def keep_draft(text: str) -> Draft:
    """`text` kept as a draft (0600, where the editor keeps its drafts), for what was typed
    outside the editor when its save failed; `write --draft PATH` restores it."""
    home = paths.data_dir()
    from leadjournal.fsio import ensure_private_dir

    ensure_private_dir(home, home)
    fd, name = tempfile.mkstemp(prefix=".draft-", suffix=".md", dir=home)
    with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as handle:
        handle.write(text)
    return Draft(Path(name))


def read_draft(path: Path) -> bytes:
    """The bytes of a kept draft (write --draft PATH)."""
    from leadjournal.fsio import read_regular

    try:
        return read_regular(path)
    except OSError as exc:
        raise JournalError(
            f"Cannot read the draft {path}: {exc.strerror or exc}.",
            hint="Give the path the error message named when the save failed.",
        ) from None


def edit_text(initial: str, configured_editor: str | None) -> tuple[str, Draft]:
    """Run the editor on `initial`; return the edited text and the draft file."""
    command = editor_command(configured_editor)
    home = paths.data_dir()
    from leadjournal.fsio import ensure_private_dir, read_regular

    ensure_private_dir(home, home)
    fd, name = tempfile.mkstemp(prefix=".draft-", suffix=".md", dir=home)
    draft = Draft(Path(name))
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(initial)
    try:
        result = subprocess.run([*command, name], check=False)
    except OSError as exc:
        draft.discard()
        raise JournalError(
            f"Could not start the editor '{command[0]}': {exc.strerror}.",
            hint="Check $VISUAL / $EDITOR, or the 'editor' setting in config.toml.",
        ) from None
    if result.returncode != 0:
        raise JournalError(
            f"The editor '{command[0]}' exited with status {result.returncode}; nothing was saved.",
            hint=f"What you typed is kept in {draft.path}.",
        )
    try:
        data = read_regular(draft.path)
    except FileNotFoundError:
        raise JournalError(
            f"The editor '{command[0]}' removed the file it was editing ({draft.path}); "
            "nothing was saved.",
            hint="Save the text in the editor before closing it, or pass it as an argument.",
        ) from None
    except OSError as exc:
        raise JournalError(
            f"Cannot read back the text from the editor ({draft.path}: "
            f"{exc.strerror or exc}); nothing was saved.",
            hint="Run the command again.",
        ) from None
    text, _ = decode_bytes(data)
    return text, draft
