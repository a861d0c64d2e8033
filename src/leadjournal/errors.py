"""The errors core code raises; each message is written for the person at the terminal."""

from __future__ import annotations

from collections.abc import Callable

# How core code reports a warning: the CLI passes a function that prints it once on stderr.
Warn = Callable[[str], None]


def ignore_warning(_: str) -> None:
    """A Warn that says nothing (the default of read-only helpers)."""


class JournalError(Exception):
    """A failure the user can act on. The CLI prints it and exits 1."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class UsageError(JournalError):
    """Bad input on the command line (a malformed date, an unknown theme). Exit 2."""

    exit_code = 2


class NotFoundError(JournalError):
    """No entry matches the id or prefix given."""


class EditConflictError(JournalError):
    """Another command changed the same field of an entry while an edit was open: the edit
    is not saved (DESIGN.md section 18). Exit 1."""


class NothingToSaveError(JournalError):
    """The text was empty: nothing was saved."""


class CorruptFileError(JournalError):
    """A journal file cannot be read or validated; it is never rewritten."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(
            f"The journal file {path} cannot be read: {problem}.",
            hint="It was left exactly as it is. Run 'leadjournal doctor' for details, "
            "or restore it from a backup.",
        )


class GitConflictError(CorruptFileError):
    """A journal file holds git's conflict markers: a plain git merge that could not use
    leadjournal's merge driver. Named, never rewritten."""

    def __init__(self, path: object) -> None:
        super().__init__(path, "it holds git conflict markers (a git merge conflict)")
        self.hint = (
            "It was left exactly as it is. To recover, see 'When git reports a conflict' in "
            "the README: 'git checkout --ours' or '--theirs', then 'leadjournal merge-month'."
        )


class LockTimeoutError(JournalError):
    """Another leadjournal process held the journal lock for too long."""


class StorageError(JournalError):
    """The disk refused a write (full, read-only, permissions)."""


class ConfigError(JournalError):
    """config.toml cannot be read or has a bad value."""


class PromptFileError(JournalError):
    """A prompts.yaml cannot be read or validated."""


class GitError(JournalError):
    """git is missing, the journal is not set up for it, or git itself failed."""
