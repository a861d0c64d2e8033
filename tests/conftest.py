"""Shared fixtures: every test gets a throwaway journal home; nothing touches a real one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from leadjournal.cli.app import app

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """LEADJOURNAL_HOME in a temp dir, no editor, no colour, no debug."""
    journal_home = tmp_path / "home"
    monkeypatch.setenv("LEADJOURNAL_HOME", str(journal_home))
    for name in ("VISUAL", "EDITOR", "LEADJOURNAL_DEBUG", "LEADJOURNAL_LOCK_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    yield journal_home


class Result:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code = code
        self.stdout = stdout
        self.stderr = stderr

    def json(self) -> Any:
        return json.loads(self.stdout)

    def __repr__(self) -> str:
        return f"Result(code={self.code}, stdout={self.stdout!r}, stderr={self.stderr!r})"


def cli(*args: str, input: str | bytes | None = None) -> Result:
    """Run the CLI in-process (fast). Standard input is never a terminal here."""
    runner = CliRunner()
    result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
    return Result(result.exit_code, result.stdout, result.stderr)


def run(
    args: Sequence[str],
    *,
    input: bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[bytes]:
    """Run the real command in a subprocess: `python -m leadjournal ARGS`."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "leadjournal", *args],
        input=input if input is not None else b"",
        capture_output=True,
        env=full_env,
        timeout=timeout,
    )


def month_files(home: Path) -> list[Path]:
    return sorted((home / "entries").glob("*/*.json"))


def snapshot(home: Path) -> dict[str, bytes]:
    """Every journal file's bytes (not the cache, not the lock)."""
    return {
        str(p.relative_to(home)): p.read_bytes()
        for p in sorted((home / "entries").rglob("*"))
        if p.is_file()
    }
