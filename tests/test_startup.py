"""Start-up stays light: the CLI does not import what a command does not use."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("rich", "yaml", "pydantic", "filelock", "platformdirs")


def modules_after(argv: list[str]) -> list[str]:
    code = (
        "import sys\n"
        "from leadjournal.cli import main\n"
        f"sys.argv = ['leadjournal', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return list(eval(proc.stdout.strip().splitlines()[-1]))  # noqa: S307 - our own output


def test_importing_the_cli_imports_nothing_heavy() -> None:
    code = f"import sys, leadjournal.cli; print([m for m in {HEAVY!r} if m in sys.modules])"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_version_imports_nothing_heavy() -> None:
    assert modules_after(["--version"]) == []


def test_a_warm_prompt_imports_nothing_heavy() -> None:
    """With warm caches the prompt of the day needs neither YAML, nor pydantic, nor rich."""
    modules_after(["prompt"])  # builds the caches
    assert modules_after(["prompt"]) == []
    assert modules_after(["today"]) == []
