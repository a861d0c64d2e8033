"""Shared fixtures: every test gets a throwaway journal home; nothing touches a real one.

Only fixtures live here; what tests share besides fixtures is in tests/helpers.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """LEADJOURNAL_HOME in a temp dir, no editor, no colour, no debug."""
    journal_home = tmp_path / "home"
    monkeypatch.setenv("LEADJOURNAL_HOME", str(journal_home))
    for name in (
        "VISUAL",
        "EDITOR",
        "LEADJOURNAL_DEBUG",
        "LEADJOURNAL_LOCK_TIMEOUT",
        "LEADJOURNAL_IDENTITY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    yield journal_home


@pytest.fixture
def own_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A git config of the test's own (no user settings, no repository above)."""
    config = tmp_path / "gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for name in ("GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(name, raising=False)
