"""The README's two commands are the ones CI runs, word for word."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    return [b.strip() for b in blocks[:2]]


def test_ci_runs_the_readme_install_and_test_commands() -> None:
    install, tests = readme_commands()
    assert "pip install" in install and "leadjournal" in install
    assert "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    assert install in ci
    assert tests in ci


def test_the_readme_lists_every_command() -> None:
    from typer.main import get_command

    from leadjournal.cli.app import app

    text = (ROOT / "README.md").read_text("utf-8")
    group = get_command(app)
    assert hasattr(group, "commands")
    for name in group.commands:
        assert f"`{name}" in text, name
