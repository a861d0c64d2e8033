"""Start-up stays light: the CLI does not import what a command does not use."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("rich", "yaml", "pydantic", "filelock", "platformdirs", "pyrage")


def modules_after(
    argv: list[str], entry: str = "leadjournal.cli", watched: tuple[str, ...] = HEAVY
) -> list[str]:
    """Which of `watched` are imported once `entry`'s main() has run with argv."""
    code = (
        "import sys\n"
        f"from {entry} import main\n"
        f"sys.argv = ['leadjournal', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {watched!r} if m in sys.modules))\n"
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


def test_a_warm_prompt_with_a_role_imports_nothing_heavy(home: object) -> None:
    """Reading config.toml for the role costs tomllib, never YAML or pydantic."""
    from pathlib import Path

    journal = Path(str(home))
    journal.mkdir(parents=True)
    (journal / "config.toml").write_text('role = "individual"\n')
    modules_after(["prompt"])  # builds the caches
    for argv in (["prompt"], ["today"]):
        assert modules_after(argv) == [], argv


def modules_after_console_script(argv: list[str]) -> list[str]:
    """What the `leadjournal` console script (leadjournal.__main__:main) imports for argv."""
    return modules_after(argv, "leadjournal.__main__", (*HEAVY, "typer", "click"))


def test_the_commands_typed_most_start_without_typer() -> None:
    """Plain `leadjournal`, `today` and `prompt` are answered before Typer is imported."""
    modules_after_console_script(["prompt"])  # builds the caches
    for argv in ([], ["today"], ["prompt"], ["--version"]):
        assert modules_after_console_script(argv) == [], argv
    assert "typer" in modules_after_console_script(["prompt", "--json"])


def test_every_fast_command_is_a_typer_command_with_the_same_output() -> None:
    """The fast table and the Typer app come from one table: each name the fast path
    answers is a Typer command too, and prints the same (plain `leadjournal` and
    `--version` included)."""
    from typer.main import get_command

    from leadjournal.cli import fast_answer
    from leadjournal.cli.app import app
    from leadjournal.cli.commands import COMMANDS, DEFAULT_COMMAND
    from tests.helpers import cli, run

    typer_names = set(get_command(app).commands)  # type: ignore[attr-defined]
    fast_names = [
        name
        for name, command in COMMANDS.items()
        if command.fast is not None and command.fast_arguments == 0
    ]
    assert fast_names, "the fast table is empty"
    assert set(COMMANDS) == typer_names
    assert cli("write", "--free", "--theme", "direction", "--date", "yesterday", "x").code == 0
    cases = [([name], [name]) for name in fast_names]
    cases += [([], [DEFAULT_COMMAND]), (["--version"], ["--version"])]
    for argv, command in cases:
        assert fast_answer(tuple(argv)) is not None, argv
        fast = run(argv)
        slow = cli(*command)
        assert fast.returncode == slow.code == 0, argv
        assert fast.stdout.decode() == slow.stdout, argv


def test_the_fast_path_reports_errors_like_the_cli(home: object) -> None:
    from pathlib import Path

    from tests.helpers import run

    journal = Path(str(home))
    journal.mkdir(parents=True)
    (journal / "config.toml").write_text("week_start = 'someday'\n")
    proc = run([])
    assert proc.returncode == 1
    assert proc.stderr.decode().startswith("Error: In ")
    assert "config.toml" in proc.stderr.decode()
    assert b"Traceback" not in proc.stderr
