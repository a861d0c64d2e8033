"""Reliability: concurrent writers, kill -9, full disks, corrupt files, bad bytes, modes.

Each test checks one promise of DESIGN.md section 3 ("Storage") against real files, and is
built so that it fails when the protection it checks is taken away (the lock, the atomic
rename, the clean-up of temp files, the surrogate repair, the chmod, the lock timeout);
Only the world outside is faked: the disk failing (a monkeypatched `os` call, or a real
RLIMIT_FSIZE) and the processes (real ones, killed for real).
"""

from __future__ import annotations

import errno
import json
import os
import random
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest

from leadjournal.models import MonthFile
from tests.helpers import (
    CONCURRENT_COMMANDS,
    CONCURRENT_WRITER,
    WITHOUT_LOCK,
    cli,
    run,
    run_at_once,
    run_writers_at_once,
    snapshot,
)

# Fixed for reproducibility; printed in every assertion message that depends on it.
SEED = 20261122

# Every writer below dates its entries into this one month, so they all share one file.
WHEN = "2026-10-05T10:00"
MONTH = Path("entries", "2026", "2026-10.json")

SAVED = re.compile(rb"^Saved entry ([0-9a-f]{16}) ")
TEMP_NAME = re.compile(r"\.\d{4}-\d{2}\.json(?:\.age)?\.[0-9a-f]+\.tmp")
# The kill -9 suites run on a plain journal and on one encrypted with `leadjournal
# encrypt` (DESIGN.md section 12), where no month may ever be written in plain text.
FORMS = pytest.mark.parametrize("form", ["plain", "encrypted"])

# The writers that get killed: a long-lived "fork server" imports the CLI and saves one
# warm-up entry (so every lazy import is done), then on "fork OUT" forks a writer process
# that saves entries one by one until it is killed, and answers with the writer's pid; on
# "wait PID" it reaps that writer and answers with its wait status. The writer prints
# "Saved entry <id>" (the CLI prints it only after the save returned) to the file OUT and
# flushes it after each save. Forking a warm process makes a kill cost milliseconds
# instead of an interpreter start, so a test can afford a hundred of them.
# The second argument, the save's kind: "write" (the default), "commit" (a standalone
# commitment: "Committed <id>: ...") or "write-commit" (write --commit: both lines).
FORK_SERVER = """
import os, sys
from leadjournal.cli import main

when = sys.argv[1]
kind = sys.argv[2] if len(sys.argv) > 2 else "write"

def save(text):
    if kind == "commit":
        args = ["commit", "--date", when, "--due", "+3d", text]
    elif kind == "write-commit":
        args = ["write", "--free", "--date", when, text, "--commit", "next step: " + text]
    else:
        args = ["write", "--free", "--date", when, text]
    sys.argv = ["leadjournal", *args]
    try:
        main()
    except SystemExit as exc:
        return exc.code in (0, None)
    return True

if not save("warm-up"):
    sys.exit("the warm-up save failed")
print("ready", flush=True)
for line in sys.stdin:
    command, arg = line.split()
    if command == "fork":
        pid = os.fork()
        if pid == 0:
            try:
                sys.stdout = open(arg, "w", encoding="utf-8")
                i = 0
                while save(f"{arg} entry {i} " + "x" * 200):
                    sys.stdout.flush()
                    i += 1
            finally:
                os._exit(1)
        print(pid, flush=True)
    elif command == "wait":
        print(os.waitpid(int(arg), 0)[1], flush=True)
"""


# ---------------------------------------------------------------------------------------
# Helpers


def spawn(
    args: Sequence[str | bytes],
    *,
    input: bytes = b"",
    env: dict[str, str] | None = None,
    preexec_fn: Callable[[], object] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[bytes]:
    """`python -m leadjournal ARGS` in a real process; ARGS may be raw bytes (argv bytes)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "leadjournal", *args],
        input=input,
        capture_output=True,
        env=full_env,
        timeout=timeout,
        preexec_fn=preexec_fn,
    )


def month_files(home: Path) -> list[Path]:
    """The month files, plain (.json) and encrypted (.json.age)."""
    found = (home / "entries").glob("*/*.json*")
    return sorted(p for p in found if p.name.endswith((".json", ".json.age")))


def month_bytes(home: Path, path: Path) -> bytes:
    """A month file's JSON, decrypted with the journal's identity when it is encrypted."""
    data = path.read_bytes()
    if path.name.endswith(".age"):
        import pyrage

        lines = (home / "identity.txt").read_text().splitlines()
        secret = next(line for line in lines if line.startswith("AGE-SECRET-KEY-1"))
        return pyrage.decrypt(data, [pyrage.x25519.Identity.from_str(secret)])
    return data


def encrypt_journal(home: Path, form: str) -> None:
    """For the encrypted form: `leadjournal encrypt` (the journal holds one entry)."""
    if form == "encrypted":
        assert cli("write", "--free", "--date", WHEN, "before encrypting").code == 0
        assert cli("encrypt").code == 0
        assert (home / "entries" / "recipients.txt").exists()


def no_plain_records(home: Path, form: str, context: str) -> None:
    """In an encrypted journal no file under the home holds a record in plain JSON."""
    if form != "encrypted":
        return
    plain = [p for p in home.rglob("*") if p.is_file() and b'"created_at"' in p.read_bytes()]
    assert plain == [], f"plain text on disk: {plain} {context}"
    assert not list((home / "entries").rglob("*.json")), context


def check_month_files(home: Path, context: str = "") -> list[dict[str, Any]]:
    """Every month file is UTF-8 JSON that validates, with unique ids; returns the entries."""
    entries: list[dict[str, Any]] = []
    for path in month_files(home):
        data = month_bytes(home, path)
        try:
            raw = json.loads(data.decode("utf-8"))
            MonthFile.model_validate_json(data)
        except ValueError as exc:
            pytest.fail(f"{path} is not a valid month file ({exc}). {context}")
        ids = [e["id"] for e in raw["entries"]]
        assert len(ids) == len(set(ids)), f"{path} holds an id twice. {context}"
        entries.extend(raw["entries"])
    return entries


def temp_files(home: Path) -> list[Path]:
    return sorted(home.rglob("*.tmp"))


def stray_files(home: Path) -> list[Path]:
    """Files under entries/ that are neither a month file nor a hidden temp file."""
    months = set(month_files(home))
    return sorted(
        p
        for p in (home / "entries").rglob("*")
        if p.is_file()
        and p not in months
        and not TEMP_NAME.fullmatch(p.name)
        and p.name != "recipients.txt"
    )


def listed(home: Path) -> list[dict[str, Any]]:
    result = cli("list", "--json")
    assert result.code == 0, result
    entries: list[dict[str, Any]] = result.json()
    return entries


def stored_texts(home: Path) -> list[str]:
    return [e["text"] for e in check_month_files(home)]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def os_error(code: int) -> OSError:
    return OSError(code, os.strerror(code))


def failing(code: int) -> Callable[..., Any]:
    def fail(*_args: object, **_kwargs: object) -> Any:
        raise os_error(code)

    return fail


def assert_clean_failure(result_code: int, stderr: str) -> None:
    assert result_code == 1, stderr
    assert stderr.startswith("Error: "), stderr
    assert "Traceback" not in stderr, stderr


# ---------------------------------------------------------------------------------------
# 1. Concurrent writers


@pytest.mark.slow
def test_four_processes_writing_the_same_month_at_once_lose_no_entry(
    home: Path, tmp_path: Path
) -> None:
    """4 real processes x 25 saves into one month file: all 100 entries land (the lock)."""
    run_writers_at_once(tmp_path / "go", CONCURRENT_WRITER, writers=4, writes=25, when=WHEN)

    expected = {f"w{n} entry {i}" for n in range(4) for i in range(25)}
    entries = listed(home)
    texts = [e["text"] for e in entries]
    assert len(entries) == 100, f"{100 - len(entries)} entries were lost"
    assert set(texts) == expected
    assert len({e["id"] for e in entries}) == 100
    assert month_files(home) == [home / MONTH]
    assert sorted(stored_texts(home)) == sorted(expected)


RESOLVERS = 2
RESOLVES = 15  # per resolver: each resolves its own commitments, made before the start
ENTRY_WRITERS = 2
ENTRY_WRITES = 20
NEW_COMMITMENTS = 15  # made by one more process meanwhile
READS = 30  # `commitments --status all --json` by a reader meanwhile (it keeps the index)
OUTCOMES = ("kept", "missed", "dropped")


def commitments_on_disk(home: Path) -> dict[str, dict[str, Any]]:
    """Every commitment in the month files themselves (not through any index), by id."""
    found: dict[str, dict[str, Any]] = {}
    for path in month_files(home):
        for commitment in json.loads(path.read_bytes()).get("commitments", []):
            assert commitment["id"] not in found, f"{commitment['id']} is stored twice"
            found[commitment["id"]] = commitment
    return found


def race_resolves_with_writes(home: Path, tmp_path: Path, *, locked: bool) -> list[str]:
    """RESOLVERS processes resolve commitments of October while ENTRY_WRITERS processes
    write entries into October and one more process makes new commitments there, all at
    once. Returns what an acknowledged change is missing from the journal (empty: none)."""
    plans: list[list[list[str]]] = []
    expected: dict[str, tuple[str, str]] = {}  # commitment id -> (outcome, note)
    for r in range(RESOLVERS):
        plan = []
        for i in range(RESOLVES):
            made = cli("commit", "--json", "--date", WHEN, "--due", "+3d", f"r{r} promise {i}")
            assert made.code == 0, made
            outcome, note = OUTCOMES[(r + i) % 3], f"r{r} note {i}"
            expected[made.json()["id"]] = (outcome, note)
            plan.append(["resolve", made.json()["id"], outcome, "--note", note])
        plans.append(plan)
    plans.append(
        [
            ["commit", "--date", WHEN, "--due", "2026-10-20", f"new promise {i}"]
            for i in range(NEW_COMMITMENTS)
        ]
    )
    plans.append([["commitments", "--status", "all", "--json"]] * READS)
    prefix = "" if locked else WITHOUT_LOCK
    processes: list[list[str]] = []
    for n, plan in enumerate(plans):
        plan_file = tmp_path / f"plan{n}.json"
        plan_file.write_text(json.dumps(plan), "utf-8")
        processes.append([prefix + CONCURRENT_COMMANDS, str(tmp_path / "go"), str(plan_file)])
    for n in range(ENTRY_WRITERS):
        processes.append(
            [prefix + CONCURRENT_WRITER, f"w{n}", str(ENTRY_WRITES), str(tmp_path / "go"), WHEN]
        )
    run_at_once(tmp_path / "go", processes)

    check_month_files(home)
    lost: list[str] = []
    texts = [e["text"] for e in listed(home)]
    written = {f"w{n} entry {i}" for n in range(ENTRY_WRITERS) for i in range(ENTRY_WRITES)}
    lost += [f"entry {t!r}" for t in sorted(written - set(texts))]
    stored = commitments_on_disk(home)
    shown = cli("commitments", "--status", "all", "--json")
    assert shown.code == 0, shown
    listed_commitments = {c["id"]: c for c in shown.json()}
    if listed_commitments != stored:
        lost.append("commitments --status all --json differs from the month files")
    for commitment_id, (outcome, note) in expected.items():
        got = stored.get(commitment_id)
        if got is None:
            lost.append(f"commitment {commitment_id}")
        elif (got["status"], got["note"]) != (outcome, note) or got["resolved_at"] is None:
            lost.append(
                f"resolve {commitment_id} {outcome}: stored {got['status']}, {got['note']!r}"
            )
    new_texts = {c["text"] for c in stored.values()}
    lost += [
        f"new commitment {i}" for i in range(NEW_COMMITMENTS) if f"new promise {i}" not in new_texts
    ]
    return lost


@pytest.mark.slow
@pytest.mark.parametrize("locked", [True, False], ids=["with-lock", "control-without-lock"])
def test_resolves_racing_writes_in_other_processes_lose_neither(
    home: Path, tmp_path: Path, locked: bool
) -> None:
    """2 processes resolve 30 commitments of October (kept/missed/dropped, each with a note)
    while 2 others write 40 entries into October, a fifth makes 15 new commitments there
    and a sixth keeps reading `commitments --status all --json` (readers take no lock but
    refresh the commitments index), all at once. Every process exits 0, so every change
    was acknowledged: every entry, every new commitment and every resolve's outcome and
    note must be in the month file, and `commitments --json` must then say the same.
    Catches a resolve that changes a copy of the commitment read before the lock (a write
    in between is then undone, or the resolve is), a write that rewrites the month from a
    stale read, and an index left stale by a reader racing a writer. The control run,
    without the lock, must lose something: proof the check can fail."""
    lost = race_resolves_with_writes(home, tmp_path, locked=locked)
    if locked:
        assert lost == [], f"{len(lost)} acknowledged changes were lost: {lost}"
    else:
        assert lost, "without the lock nothing was lost: this test could not catch a missing lock"


# ---------------------------------------------------------------------------------------
# 2. kill -9


class ForkServer:
    """Talks to FORK_SERVER: fork a writer, kill it, reap it."""

    def __init__(self, errors: Path, kind: str = "write") -> None:
        self.errors = errors
        with errors.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-c", FORK_SERVER, WHEN, kind],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
            )
        lines = [self.answer()]  # what the warm-up save printed, then "ready"
        while lines[-1] != "ready" and len(lines) < 3:
            lines.append(self.answer())
        assert lines[-1] == "ready", f"the fork server did not start: {lines} {self.problem()}"

    def problem(self) -> str:
        return self.errors.read_text(errors="replace")

    def ask(self, command: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{command}\n".encode())
        self.process.stdin.flush()
        return self.answer()

    def answer(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline().decode().strip()
        assert line, f"the fork server stopped: {self.problem()}"
        return line

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()


@pytest.mark.slow
@FORMS
def test_kill_9_at_random_moments_never_loses_a_reported_entry_or_tears_a_file(
    home: Path, tmp_path: Path, form: str
) -> None:
    """Writers killed at random instants: what they reported saved is there, files whole
    (and, encrypted, never a record in plain text)."""
    encrypt_journal(home, form)
    rng = random.Random(SEED)
    reported: list[str] = []
    trials = 120
    server = ForkServer(tmp_path / "server.err")
    pid = 0  # the writer not yet reaped, if any
    try:
        for trial in range(trials):
            context = f"(seed {SEED}, trial {trial})"
            out = tmp_path / f"w{trial}.out"
            out.touch()  # the kill may come before the writer opens it
            pid = int(server.ask(f"fork {out}"))
            time.sleep(rng.uniform(0.0, 0.08))
            os.kill(pid, signal.SIGKILL)
            status = int(server.ask(f"wait {pid}"))
            pid = 0
            assert os.WIFSIGNALED(status), (
                f"{context} the writer died by itself: {server.problem()}"
            )
            lines = out.read_bytes().split(b"\n")[:-1]  # a kill may cut the last line
            reported.extend(m[1].decode() for line in lines if (m := SAVED.match(line)))
            check_month_files(home, context)
            assert stray_files(home) == [], context
            no_plain_records(home, form, context)
    finally:
        if pid:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        server.close()

    context = f"(seed {SEED}, {trials} trials)"
    assert reported, f"{context} no 'Saved entry' line was seen: has the output changed?"
    ids = {e["id"] for e in listed(home)}
    missing = [i for i in reported if i not in ids]
    assert missing == [], f"{context} reported saved but missing: {missing}"
    journal_json = {
        p
        for p in home.rglob("*.json*")
        if p.relative_to(home).parts[0] != "cache" and p.name.endswith((".json", ".json.age"))
    }
    assert journal_json == set(month_files(home)), context


COMMITTED = re.compile(rb"^Committed ([0-9a-f]{16}): ")


def kill_savers_at_random_moments(
    home: Path, tmp_path: Path, kind: str, trials: int, form: str = "plain"
) -> tuple[list[str], list[str]]:
    """Fork savers of `kind` from a FORK_SERVER and kill each at a random instant, checking
    after every kill that every month file is whole and no stray file is left. Returns the
    ids reported as saved: (entries, commitments)."""
    rng = random.Random(SEED)
    entries: list[str] = []
    commitments: list[str] = []
    server = ForkServer(tmp_path / "server.err", kind)
    pid = 0  # the saver not yet reaped, if any
    try:
        for trial in range(trials):
            context = f"({kind}, seed {SEED}, trial {trial})"
            out = tmp_path / f"w{trial}.out"
            out.touch()  # the kill may come before the saver opens it
            pid = int(server.ask(f"fork {out}"))
            time.sleep(rng.uniform(0.0, 0.08))
            os.kill(pid, signal.SIGKILL)
            status = int(server.ask(f"wait {pid}"))
            pid = 0
            assert os.WIFSIGNALED(status), f"{context} the saver died by itself: {server.problem()}"
            lines = out.read_bytes().split(b"\n")[:-1]  # a kill may cut the last line
            entries.extend(m[1].decode() for line in lines if (m := SAVED.match(line)))
            commitments.extend(m[1].decode() for line in lines if (m := COMMITTED.match(line)))
            check_month_files(home, context)
            check_commitments(home, context)
            assert stray_files(home) == [], context
            no_plain_records(home, form, context)
    finally:
        if pid:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        server.close()
    return entries, commitments


def check_commitments(home: Path, context: str = "") -> list[dict[str, Any]]:
    """Every commitment in the month files (they validated already): ids unique across the
    journal, entries' ids included; returns them."""
    found: list[dict[str, Any]] = []
    ids: list[str] = []
    for path in month_files(home):
        raw = json.loads(month_bytes(home, path))
        found.extend(raw.get("commitments", []))
        ids += [r["id"] for r in raw["entries"] + raw.get("commitments", [])]
    assert len(ids) == len(set(ids)), f"an id is stored twice. {context}"
    return found


# The commands that answer from the commitments index's several files (open ones, counts).
INDEX_READS = (
    ["commitments", "--json"],
    ["summary", "--json", "--weeks", "12"],
    ["today"],
)


@pytest.mark.slow
@FORMS
@pytest.mark.parametrize("kind", ["commit", "write-commit"])
def test_kill_9_during_commits_never_loses_a_reported_commitment_or_tears_a_file(
    home: Path, tmp_path: Path, kind: str, form: str
) -> None:
    """`commit` (and `write --commit`) killed at random instants: after every kill each
    month file is whole and valid; at the end every commitment reported ("Committed <id>")
    is in the month files and in `commitments --status all --json`, and with
    `write --commit` every entry on disk has its one commitment and every commitment its
    entry (one atomic write, never half of it). Catches a commitment written in place or
    in two steps, a torn month, a report printed before the save is durable, a stray temp
    file, and an entry saved without its commitment."""
    trials = 60
    encrypt_journal(home, form)
    entries, reported = kill_savers_at_random_moments(home, tmp_path, kind, trials, form)
    context = f"({kind}, seed {SEED}, {trials} trials)"
    assert reported, f"{context} no 'Committed' line was seen: has the output changed?"
    stored = {c["id"]: c for c in check_commitments(home, context)}
    missing = [i for i in reported if i not in stored]
    assert missing == [], f"{context} reported committed but missing: {missing}"
    shown = cli("commitments", "--status", "all", "--json")
    assert shown.code == 0, shown
    assert {c["id"] for c in shown.json()} == set(stored), context
    # What the commitments index kept through the kills (its head, aggregates and shards)
    # answers as an index rebuilt from the month files does.
    kept = [cli(*argv).stdout for argv in INDEX_READS]
    shutil.rmtree(home / "cache")
    assert kept == [cli(*argv).stdout for argv in INDEX_READS], context
    on_disk = {e["id"]: e for e in check_month_files(home, context)}
    if kind == "write-commit":
        assert entries, f"{context} no 'Saved entry' line was seen"
        assert [i for i in entries if i not in on_disk] == [], context
        linked = sorted(str(c["entry_id"]) for c in stored.values())
        with_commitments = sorted(i for i, e in on_disk.items() if e["text"] != "before encrypting")
        assert linked == with_commitments, f"{context} an entry without its commitment, or back"
        for commitment in stored.values():
            entry = on_disk[commitment["entry_id"]]
            assert commitment["text"] == f"next step: {entry['text']}", context
    else:
        assert all(c["entry_id"] is None for c in stored.values()), context
    journal_json = {
        p
        for p in home.rglob("*.json*")
        if p.relative_to(home).parts[0] != "cache" and p.name.endswith((".json", ".json.age"))
    }
    assert journal_json == set(month_files(home)), context


def test_commits_across_many_months_beside_readers_keep_the_commitments_index_right(
    home: Path, tmp_path: Path
) -> None:
    """2 processes make commitments spread over twelve months (so the index folds its
    changed months into new aggregate files again and again) while 2 readers that take
    no lock keep asking for the open ones, the counts and today's line, all at once.
    Every process exits 0 (a reader meeting a half-written generation rebuilds, never
    fails), and afterwards the index answers as one rebuilt from the month files."""
    for month in range(1, 13):
        made = cli("commit", "--date", f"2025-{month:02d}-03T09:00", f"seed {month}")
        assert made.code == 0, made
    assert cli("commitments").code == 0  # the index exists, and is kept by every save
    rng = random.Random(SEED)
    plans = [
        [
            [
                "commit",
                "--date",
                f"2025-{rng.randint(1, 12):02d}-{rng.randint(4, 27):02d}T10:00",
                f"w{w} step {i}",
            ]
            for i in range(12)
        ]
        for w in range(2)
    ]
    reads = (*INDEX_READS, ["commitments", "--status", "all", "--json"])
    plans += [[rng.choice(reads) for _ in range(12)] for _ in range(2)]
    processes = []
    for n, plan in enumerate(plans):
        plan_file = tmp_path / f"plan{n}.json"
        plan_file.write_text(json.dumps(plan), "utf-8")
        processes.append([CONCURRENT_COMMANDS, str(tmp_path / "go"), str(plan_file)])
    run_at_once(tmp_path / "go", processes)
    check_month_files(home)
    kept = [cli(*argv).stdout for argv in reads]
    shutil.rmtree(home / "cache")
    assert kept == [cli(*argv).stdout for argv in reads], f"seed {SEED}"
    assert len(cli("commitments", "--status", "all", "--json").json()) == 12 + 24


@pytest.mark.slow
@pytest.mark.parametrize("command", [["encrypt"], ["decrypt"]], ids=["encrypt", "decrypt"])
def test_kill_9_during_encrypt_or_decrypt_loses_nothing_and_running_it_again_finishes(
    home: Path, tmp_path: Path, command: list[str]
) -> None:
    """`encrypt` (and `decrypt`) killed at random instants on a journal of many months:
    after each kill every entry is still read (months half converted are read in both
    forms), and the same command run again finishes the job: every month encrypted and no
    plain record left anywhere (or, for decrypt, every month plain again)."""
    import shutil

    rng = random.Random(SEED)
    entries: list[dict[str, Any]] = [
        {
            "id": f"{n:016x}",
            "created_at": f"{2020 + n // 36}-{n % 12 + 1:02d}-{n % 27 + 1:02d}T09:00:00+00:00",
            "updated_at": f"{2020 + n // 36}-{n % 12 + 1:02d}-{n % 27 + 1:02d}T09:00:00+00:00",
            "theme": None,
            "prompt_id": None,
            "prompt": None,
            "text": f"entry {n} " + "y" * 2000,
            "tags": [],
        }
        for n in range(180)
    ]
    source = tmp_path / "export.json"
    export = {"format": "leadjournal", "version": 1, "exported_at": "2026-11-20T10:00:00+00:00"}
    source.write_text(json.dumps({**export, "entries": entries}))
    assert cli("import", str(source)).code == 0
    if command == ["decrypt"]:
        assert cli("encrypt").code == 0
    template = tmp_path / "template"
    shutil.copytree(home, template, symlinks=True)
    expected = sorted(e["id"] for e in entries)
    # The kills are spread over the time one whole run takes here, measured first on a
    # copy: a fixed range went stale whenever the command got faster or the machine slower.
    shutil.copytree(template, tmp_path / "timed", symlinks=True)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "leadjournal", *command],
        env={**os.environ, "LEADJOURNAL_HOME": str(tmp_path / "timed")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    whole = time.monotonic() - started
    finished = halfway = 0
    for trial in range(16):
        context = f"({command[0]}, seed {SEED}, trial {trial})"
        shutil.rmtree(home)
        shutil.copytree(template, home, symlinks=True)
        env = {**os.environ, "LEADJOURNAL_HOME": str(home)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "leadjournal", *command],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 1.0) * whole)
        proc.kill()
        finished += proc.wait() == 0
        forms = {p.name.endswith(".age") for p in month_files(home)}
        halfway += forms == {True, False}  # killed between the first month and the last
        assert sorted(e["id"] for e in listed(home)) == expected, context
        again = cli(*command)
        assert again.code == 0, f"{context} again: {again}"
        assert sorted(e["id"] for e in listed(home)) == expected, context
        if command == ["encrypt"]:
            no_plain_records(home, "encrypted", context)
        else:
            assert not list((home / "entries").rglob("*.age")), context
            assert not (home / "entries" / "recipients.txt").exists(), context
        check_month_files(home, context)
    assert finished < 16, "no run was interrupted: the kills came too late"
    assert halfway, "no run was killed halfway through the months: the test saw nothing"


# ---------------------------------------------------------------------------------------
# 3. A full or failing disk


@pytest.mark.parametrize(
    ("call", "code"),
    [("fsync", errno.ENOSPC), ("replace", errno.ENOSPC), ("write", errno.EIO)],
    ids=["fsync-ENOSPC", "replace-ENOSPC", "write-EIO"],
)
def test_a_write_the_disk_refuses_changes_no_journal_file(
    home: Path, monkeypatch: pytest.MonkeyPatch, call: str, code: int
) -> None:
    """os.fsync/os.replace failing with ENOSPC, os.write with EIO: exit 1, files as before."""
    assert cli("write", "--free", "--date", WHEN, "the first entry").code == 0
    before = snapshot(home)
    with monkeypatch.context() as patch:
        patch.setattr(os, call, failing(code))
        result = cli("write", "--free", "--date", WHEN, "the second entry")
    assert_clean_failure(result.code, result.stderr)
    assert os.strerror(code) in result.stderr
    assert snapshot(home) == before
    assert temp_files(home) == []
    assert [e["text"] for e in listed(home)] == ["the first entry"]


def test_a_write_past_the_file_size_limit_exits_1_and_changes_nothing(home: Path) -> None:
    """A real process under RLIMIT_FSIZE (the disk full for real): EFBIG, exit 1, no trace."""
    for n in range(12):
        assert cli("write", "--free", "--date", WHEN, f"filler {n} " + "y" * 200).code == 0
    size = (home / MONTH).stat().st_size
    assert size > 3000
    before = snapshot(home)
    limit = size + 64  # the new entry adds more than 64 bytes

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = spawn(["write", "--free", "--date", WHEN, "z" * 300], preexec_fn=limit_file_size)
    stderr = result.stderr.decode(errors="replace")
    assert_clean_failure(result.returncode, stderr)
    assert os.strerror(errno.EFBIG) in stderr  # the limit is what stopped it
    assert snapshot(home) == before
    assert temp_files(home) == []


def test_a_failed_folder_flush_after_the_rename_never_claims_nothing_was_changed(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rename has happened, so an error must say the entry was written (else a retry
    duplicates it), or the command must succeed."""
    assert cli("write", "--free", "--date", WHEN, "the first entry").code == 0
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise os_error(errno.EIO)
        real_fsync(fd)

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", fsync)
        result = cli("write", "--free", "--date", WHEN, "the second entry")
    texts = sorted(e["text"] for e in listed(home))  # same minute: order is by random id
    assert texts == ["the first entry", "the second entry"]
    assert "Traceback" not in result.stderr
    if result.code != 0:
        assert "nothing was changed" not in result.stderr.lower(), result
        assert "was written" in result.stderr, result


def test_a_damaged_history_cache_never_fails_a_save(home: Path) -> None:
    """The cache can be deleted or broken at any time; a save must neither fail nor lie."""
    assert cli("write", "an answer to the prompt of the day").code == 0
    index = home / "cache" / "history.json"
    version = json.loads(index.read_bytes())["version"]
    index.write_text(json.dumps({"version": version}))  # e.g. left by another leadjournal version
    result = cli("write", "--free", "--date", WHEN, "saved despite the cache")
    texts = [e["text"] for e in listed(home)]
    assert (result.code, "saved despite the cache" in texts) == (0, True), result


# ---------------------------------------------------------------------------------------
# 4. A corrupt month file


def test_a_truncated_month_file_is_named_never_rewritten_and_other_months_still_work(
    home: Path,
) -> None:
    assert cli("write", "--free", "--date", "2026-09-10T09:00", "september entry").code == 0
    assert cli("write", "--free", "--date", WHEN, "october entry").code == 0
    bad = home / MONTH
    data = bad.read_bytes()
    bad.write_bytes(data[: len(data) // 2])
    torn = bad.read_bytes()

    result = cli("write", "--free", "--date", "2026-10-06T10:00", "another october entry")
    assert_clean_failure(result.code, result.stderr)
    assert str(bad) in result.stderr
    assert bad.read_bytes() == torn

    shown = cli("list")
    assert shown.code == 0, shown
    assert "september entry" in shown.stdout
    assert "Warning:" in shown.stderr
    assert str(bad) in shown.stderr

    other = cli("write", "--free", "--date", "2026-09-11T09:00", "another september entry")
    assert other.code == 0, other
    assert bad.read_bytes() == torn
    listed_texts = [e["text"] for e in cli("list", "--json").json()]
    assert listed_texts == ["september entry", "another september entry"]


# ---------------------------------------------------------------------------------------
# 5. Bytes that are not UTF-8, lone surrogates


def only_entry_text(home: Path) -> str:
    """The text of the one stored entry, read from a month file that must be strict UTF-8."""
    (path,) = month_files(home)
    raw = json.loads(path.read_bytes().decode("utf-8"))  # strict: raises on bad UTF-8
    MonthFile.model_validate(raw)
    (entry,) = raw["entries"]
    text: str = entry["text"]
    return text


def test_undecodable_bytes_in_the_text_argument_are_saved_as_replacement_characters(
    home: Path,
) -> None:
    result = spawn([b"write", b"--free", b"caf\xc3\xa9 \xff\xfe ok"], env={"PYTHONUTF8": "1"})
    assert result.returncode == 0, result.stderr
    assert b"Warning:" in result.stderr
    assert b"Traceback" not in result.stderr
    assert only_entry_text(home) == "caf\u00e9 \ufffd\ufffd ok"


def test_undecodable_bytes_on_standard_input_are_saved_as_replacement_characters(
    home: Path,
) -> None:
    result = run(["write", "--free"], input=b"caf\xc3\xa9 \xff\xfe ok\n")
    assert result.returncode == 0, result.stderr
    assert b"Warning:" in result.stderr
    assert only_entry_text(home) == "caf\u00e9 \ufffd\ufffd ok"


@pytest.mark.parametrize(
    ("given", "stored"),
    [("a\udcffb", "a\ufffdb"), ("x\ud800y", "x\ufffdy"), ("z\udfffz", "z\ufffdz")],
)
def test_a_lone_surrogate_in_the_text_is_saved_as_a_replacement_character(
    home: Path, given: str, stored: str
) -> None:
    result = cli("write", "--free", given)
    assert result.code == 0, result
    assert "Warning:" in result.stderr
    assert only_entry_text(home) == stored


# ---------------------------------------------------------------------------------------
# 6. Modes


def all_paths(home: Path) -> Iterator[Path]:
    yield home
    yield from home.rglob("*")


@pytest.mark.parametrize("umask", [0o000, 0o022], ids=["umask-000", "umask-022"])
def test_files_are_0600_and_folders_0700_whatever_the_umask(home: Path, umask: int) -> None:
    def set_umask() -> None:
        os.umask(umask)

    for args in (["write", "--free", "free text"], ["write", "an answer to the prompt"]):
        result = spawn(args, preexec_fn=set_umask)
        assert result.returncode == 0, result.stderr
    made = {str(p.relative_to(home)) for p in home.rglob("*")}
    assert {".leadjournal.lock", "entries", "cache"} <= made
    assert month_files(home)
    assert list((home / "cache").iterdir())
    loose = {
        str(p): oct(mode(p)) for p in all_paths(home) if mode(p) != (0o700 if p.is_dir() else 0o600)
    }
    assert loose == {}, f"umask {umask:03o}"


def test_a_looser_journal_folder_is_tightened_to_0700_by_a_write(home: Path) -> None:
    year = home / MONTH.parent
    year.mkdir(parents=True)
    for folder in (home, home / "entries", year):
        folder.chmod(0o755)
    result = cli("write", "--free", "--date", WHEN, "some text")
    assert result.code == 0, result
    assert {str(p): oct(mode(p)) for p in (home, home / "entries", year)} == {
        str(p): oct(0o700) for p in (home, home / "entries", year)
    }


# ---------------------------------------------------------------------------------------
# 7. No entry text in error messages

DISTINCT_TEXT = "my-confidential-review-of-Dana-7f3a"


def test_entry_text_never_appears_in_the_error_of_a_failed_save(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", failing(errno.ENOSPC))
        result = cli("write", "--free", f"Notes: {DISTINCT_TEXT}")
    assert_clean_failure(result.code, result.stderr)
    assert DISTINCT_TEXT not in result.stderr
    assert DISTINCT_TEXT not in result.stdout
    assert month_files(home) == []


def test_entry_text_never_appears_in_the_error_about_an_invalid_month_file(home: Path) -> None:
    """A hand-edited file whose "text" key was renamed: pydantic's own report would quote it."""
    assert cli("write", "--free", "--date", WHEN, f"Notes: {DISTINCT_TEXT}").code == 0
    path = home / MONTH
    path.write_bytes(path.read_bytes().replace(b'"text":', b'"body":'))

    for result in (cli("write", "--free", "--date", WHEN, "other"), cli("list")):
        assert str(path) in result.stderr, result
        assert DISTINCT_TEXT not in result.stderr, result


# ---------------------------------------------------------------------------------------
# 8. A stuck lock


def test_a_lock_held_by_another_process_times_out_with_a_clear_error(home: Path) -> None:
    import fcntl

    assert cli("write", "--free", "--date", WHEN, "the first entry").code == 0
    before = snapshot(home)
    with (home / ".leadjournal.lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as another process's lock would be
        started = time.monotonic()
        result = spawn(
            ["write", "--free", "--date", WHEN, "blocked"],
            env={"LEADJOURNAL_LOCK_TIMEOUT": "1"},
            timeout=15,
        )
        elapsed = time.monotonic() - started
    stderr = result.stderr.decode(errors="replace")
    assert_clean_failure(result.returncode, stderr)
    assert elapsed < 10, f"took {elapsed:.1f} s"
    assert "another leadjournal command" in stderr.lower()
    assert ".leadjournal.lock" in stderr
    assert snapshot(home) == before
    assert temp_files(home) == []
