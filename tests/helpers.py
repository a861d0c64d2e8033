"""What the test modules share: running the CLI (in-process or as a real process), looking
at a journal's files, concurrent writer processes, the local time zone.

Test modules import from here, never from each other or from conftest (which holds only
fixtures); tests/test_architecture.py checks that.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

DATA = Path(__file__).parent / "data"


# ---------------------------------------------------------------------------------------
# Running the CLI


def _app() -> typer.Typer:
    """The Typer app: the one place the tests import it from."""
    from leadjournal.cli.app import app

    return app


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
    result = runner.invoke(_app(), list(args), input=input, catch_exceptions=False)
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


# ---------------------------------------------------------------------------------------
# A journal's files


def month_files(home: Path) -> list[Path]:
    return sorted((home / "entries").glob("*/*.json"))


def snapshot(home: Path) -> dict[str, bytes]:
    """Every journal file's bytes (not the cache, not the lock)."""
    return {
        str(p.relative_to(home)): p.read_bytes()
        for p in sorted((home / "entries").rglob("*"))
        if p.is_file()
    }


# ---------------------------------------------------------------------------------------
# Concurrent writers

# A writer process that imports the CLI once, says "ready", waits for a go file, then saves
# COUNT entries in-process (a fresh interpreter per write would make the test slow).
CONCURRENT_WRITER = """
import sys, time
from pathlib import Path
from leadjournal.cli import main

tag, count, go, when = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
print("ready", flush=True)
while not go.exists():
    time.sleep(0.001)
for i in range(count):
    sys.argv = ["leadjournal", "write", "--free", "--date", when, f"{tag} entry {i}"]
    try:
        main()
    except SystemExit as exc:
        if exc.code not in (0, None):
            sys.exit(f"write {i} of {tag} exited with {exc.code}")
"""


def run_writers_at_once(go: Path, script: str, *, writers: int, writes: int, when: str) -> None:
    """`writers` real processes run `script` (CONCURRENT_WRITER or a variant), each saving
    `writes` entries dated `when` (so all into one month); they start together when `go`
    appears. Each must exit 0: every save it made was reported to it as saved."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, f"w{n}", str(writes), str(go), when],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for n in range(writers)
    ]
    try:
        for proc in procs:
            assert proc.stdout is not None
            assert proc.stdout.readline() == b"ready\n", proc.communicate()
        go.touch()  # all of them start writing at the same instant
        outcomes = [proc.communicate(timeout=120) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    for proc, (_, err) in zip(procs, outcomes, strict=True):
        assert proc.returncode == 0, err.decode(errors="replace")


# A process that imports the CLI once, says "ready", waits for a go file, then runs each
# command of a JSON file (a list of argv lists, e.g. ["resolve", ID, "kept"]) in-process,
# in order. It exits non-zero at the first command that fails, so exit 0 means every one
# of them was reported to it as done.
CONCURRENT_COMMANDS = """
import json, sys, time
from pathlib import Path
from leadjournal.cli import main

go, plan = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text("utf-8"))
print("ready", flush=True)
while not go.exists():
    time.sleep(0.001)
for i, args in enumerate(plan):
    sys.argv = ["leadjournal", *args]
    try:
        main()
    except SystemExit as exc:
        if exc.code not in (0, None):
            sys.exit(f"command {i} ({args[0]}) exited with {exc.code}")
"""

# Prepended to a concurrent script for a negative control: the child replaces the journal
# lock with a no-op before it calls main(), so the source is unchanged and only the
# protection is gone.
WITHOUT_LOCK = """
from contextlib import nullcontext
import leadjournal.fsio
leadjournal.fsio.journal_lock = nullcontext
"""


def run_at_once(go: Path, processes: Sequence[Sequence[str]]) -> None:
    """One real process per item of `processes` (a script, e.g. CONCURRENT_WRITER or
    CONCURRENT_COMMANDS, then its arguments); they start together when `go` appears. Each
    must exit 0: everything it did was reported to it as done."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for script, *args in processes
    ]
    try:
        for proc in procs:
            assert proc.stdout is not None
            assert proc.stdout.readline() == b"ready\n", proc.communicate()
        go.touch()  # all of them start at the same instant
        outcomes = [proc.communicate(timeout=180) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    for proc, (_, err) in zip(procs, outcomes, strict=True):
        assert proc.returncode == 0, err.decode(errors="replace")


# ---------------------------------------------------------------------------------------
# The local time zone


@contextmanager
def local_zone(name: str) -> Iterator[None]:
    """The process's local time zone set to `name` (what `datetime.astimezone()` uses)."""
    previous = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if previous is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = previous
        time.tzset()


# ---------------------------------------------------------------------------------------
# git (real repositories in temp folders: DESIGN.md section 13)

# Who commits when a test itself runs `git commit` or `git pull` (leadjournal brings its own
# fallback; a test's git needs one too).
TEST_IDENTITY = ("-c", "user.name=A Test", "-c", "user.email=test@example.org")


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the real git in `cwd`; fails the test (with git's words) unless it exits 0."""
    program = shutil.which("git") or "git"
    done = subprocess.run([program, *args], cwd=cwd, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}{done.stdout}")
    return done
