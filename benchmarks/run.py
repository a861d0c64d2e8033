"""leadjournal's performance benchmark: DESIGN.md section 8's budgets, and jrnl on the same entries.

Run it from the repository: `python benchmarks/run.py` (`--quick` for a small smoke run,
`--help` for the options). It needs only the standard library, and leadjournal installed
(by default the `leadjournal` next to the Python that runs this script).

Method
------
1. Data. A 100,000-entry journal spread over the ten years that end now and a 100-entry
   one are generated from a fixed seed (benchmarks/sample_journal.py: the real prompt
   set, free entries, tags, texts of 200-600 bytes) as leadjournal JSON exports, and
   the journals are built through the public `leadjournal import`, which is timed.
2. Whole processes, in pairs. Every figure is the wall-clock time of a whole process,
   as a user would start it, with standard input from /dev/null and output thrown
   away. Ratios are measured in alternating pairs: the command on the big journal,
   then on the small one (or the command, then a bare `python -S -c pass` on the same
   interpreter), then the other way round, and so on. The two runs of a pair are a
   fraction of a second apart, so whatever else the machine is doing weighs on both
   alike; the figure reported is the median of the per-pair ratios, beside the median
   times. Absolute budgets (export, search, import) are medians of plain repeats.
3. Peak memory is the child's own ru_maxrss, read with os.wait4 on its pid.
4. Reads come first, on the journals as imported; writes come last. The writes add
   entries to today's month of each journal (a few dozen, against 100,000 and 100),
   which is what a user's writes do; the journals are rebuilt on every run.
5. jrnl (from PyPI, installed into benchmarks/.work/jrnl-venv and reused) runs on the
   same 100,000 entries converted to its plain-text format, paired with the matching
   leadjournal command, with few repeats and a timeout, since each jrnl command parses
   the whole journal.
6. docs/performance.md is written with every table, the machine and how to rerun; the
   same tables go to standard output. The exit status is 0 even when a budget is
   missed (this is an instrument); misses are marked MISS.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sample_journal
from report import (
    TIMES,
    JrnlRow,
    Row,
    busy_processes,
    failed_row,
    machine_facts,
    memory_ratio_row,
    memory_row,
    ratio_row,
    render,
    seconds_row,
    seconds_text,
)
from timing import Command, Pairs, RunFailed, Series, checked, run_once, run_pairs, run_series

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "benchmarks" / ".work"
DOC = REPO / "docs" / "performance.md"
SEED = 20261122
BIG, SMALL = 100_000, 100
WRITE_TEXT = "A benchmark entry: what went well this week, and what I would do differently."


@dataclass(frozen=True)
class Plan:
    """How much to measure: the full run, or --quick."""

    big: int
    pairs: int  # pairs of runs for the fast commands
    slow_repeats: int  # repeats of the multi-second commands (export, search)
    import_repeats: int
    jrnl_repeats: int
    jrnl_timeout: float
    output: Path
    quick: bool


@dataclass
class Bench:
    """Everything the measurements share: the program, the journals, the results so far."""

    leadjournal: Path
    python: Path  # the interpreter leadjournal runs on, for the bare baseline
    big_home: Path
    small_home: Path
    plan: Plan
    week: str
    # An open commitment of each journal (big, small), resolved again on every run.
    resolve_ids: tuple[str, str] = ("", "")
    # jrnl on the small journal's entries, for the small-journal rows of section 8b.
    small_jrnl: Jrnl | None = None
    encrypted: bool = False  # the measurements of an encrypted copy of the journals
    budgets: list[Row] = field(default_factory=list)
    others: list[Row] = field(default_factory=list)
    jrnl_rows: list[JrnlRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Before each measurement: its name, and the test runs going on beside the benchmark.
    busy: list[tuple[str, list[str]]] = field(default_factory=list)

    def lj(self, home: Path, *args: str) -> Command:
        """leadjournal with these arguments on the journal at `home`."""
        env = {**os.environ, "LEADJOURNAL_HOME": str(home), "NO_COLOR": "1"}
        env.pop("LEADJOURNAL_DEBUG", None)
        which = self.big_label() if home == self.big_home else f"{SMALL}"
        label = f"leadjournal {shown_args(args)} ({which} entries)"
        return Command((str(self.leadjournal), *args), env, label)

    def bare(self) -> Command:
        return Command((str(self.python), "-S", "-c", "pass"), dict(os.environ), "python -S")

    def big_label(self) -> str:
        return f"{self.plan.big:,}"


def shown_args(args: tuple[str, ...]) -> str:
    """The arguments as a reader wants to see them: the long entry text as TEXT."""
    return " ".join("TEXT" if arg == WRITE_TEXT else arg for arg in args)


def progress(message: str, bench: Bench | None = None) -> None:
    """Say what is being measured; note any test run going on beside the benchmark."""
    if bench is not None:
        bench.busy.append((message, busy_processes()))
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------
# Set-up


def interpreter_of(script: Path) -> Path:
    """The Python that runs `script` (its #! line), else the one running this benchmark."""
    try:
        first = script.read_bytes()[:300].split(b"\n", 1)[0].decode()
    except OSError:
        return Path(sys.executable)
    if first.startswith("#!") and "python" in first and " " not in first[2:].strip():
        return Path(first[2:].strip())
    return Path(sys.executable)


def commands_of(leadjournal: Path) -> set[str]:
    """The command names `leadjournal --help` lists."""
    out = subprocess.run(
        [str(leadjournal), "--help"], capture_output=True, text=True, check=False
    ).stdout
    names, listing = set(), False
    for line in out.splitlines():
        if line.strip().startswith("Commands"):
            listing = True
        elif listing and line.startswith("  ") and line.strip():
            names.add(line.split()[0])
    return names


def prompt_set(leadjournal: Path, what: str = "prompts") -> bytes:
    """The built-in prompts (or guides), as `leadjournal prompts --json` (`guides --json`)
    prints them on an empty home."""
    home = WORK / "empty-home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    env = {**os.environ, "LEADJOURNAL_HOME": str(home)}
    out = subprocess.run(
        [str(leadjournal), what, "--json"], capture_output=True, env=env, check=True
    )
    return out.stdout


def guide_set(leadjournal: Path) -> bytes:
    """The built-in guides (`guides --json`), or none from a leadjournal without guides."""
    if "guides" not in commands_of(leadjournal):
        return b"[]"
    return prompt_set(leadjournal, "guides")


def prepare_work_folder() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    ignore = WORK / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Everything here is made by benchmarks/run.py and remade at will.\n*\n")


@dataclass(frozen=True)
class SampleFiles:
    """The generated files: two leadjournal exports, jrnl journals by size, and some facts."""

    big: Path
    small: Path
    jrnl: dict[int, Path]
    jrnl_small: Path  # the small journal's entries, for jrnl
    facts: dict[str, Any]


JRNL_GROWTH_SIZES = (10_000, 20_000)


def generate_sample_files(
    plan: Plan, prompts: bytes, now: datetime, guides: bytes = b"[]"
) -> SampleFiles:
    """The export files and jrnl journals, generated afresh from the fixed seed.

    Besides the big jrnl journal, the full run writes jrnl journals of its first 10,000
    and 20,000 entries, to show how jrnl's add grows with the journal. The generator runs
    in its own process: see sample_journal.main.
    """
    shutil.rmtree(WORK / "jrnl", ignore_errors=True)
    (WORK / "prompts.json").write_bytes(prompts)
    (WORK / "guides.json").write_bytes(guides)
    jrnl_sizes = [plan.big, *(n for n in JRNL_GROWTH_SIZES if n < plan.big // 2)]
    done = subprocess.run(
        [
            sys.executable,
            str(Path(sample_journal.__file__)),
            f"--big={plan.big}",
            f"--small={SMALL}",
            f"--seed={SEED}",
            f"--end={now.isoformat()}",
            f"--prompts={WORK / 'prompts.json'}",
            f"--guides={WORK / 'guides.json'}",
            f"--folder={WORK}",
            "--jrnl-sizes",
            *map(str, jrnl_sizes),
        ],
        capture_output=True,
        check=True,
    )
    facts = json.loads(done.stdout)
    progress(f"generated {plan.big:,} entries ({facts['big_bytes'] / 1e6:.1f} MB of JSON)")
    return SampleFiles(
        WORK / "journal-big.json",
        WORK / "journal-small.json",
        {size: WORK / "jrnl" / str(size) / "journal.txt" for size in jrnl_sizes},
        WORK / "jrnl" / "small" / "journal.txt",
        facts,
    )


def fixed_week(now: datetime) -> str:
    """The ISO week a year before today: well inside the data, the same all day."""
    year, week, _ = (now - timedelta(days=365)).isocalendar()
    return f"{year}-W{week:02d}"


# ---------------------------------------------------------------------------------------
# Building the journals: the import budget


def import_journal(bench: Bench, export: Path, home: Path, expected: int) -> Series:
    """Import `export` into a new journal at `home`, `repeats` times; the last one stays."""
    repeats = bench.plan.import_repeats if expected == bench.plan.big else 1
    command = bench.lj(home, "import", str(export), "--json")
    series = Series(command)
    for _ in range(repeats):
        shutil.rmtree(home, ignore_errors=True)
        run = run_once(command, keep_stdout=True)
        if run.exit_code != 0:
            raise RunFailed(f"import into {home} failed (exit {run.exit_code}): {run.stderr}")
        added = json.loads(run.stdout)["added"]
        if added != expected:
            raise RunFailed(f"import into {home} added {added} entries, not {expected}")
        series.runs.append(run)
    return series


def measure_import(bench: Bench, files: SampleFiles) -> None:
    progress("importing the small journal", bench)
    small = import_journal(bench, files.small, bench.small_home, SMALL)
    progress(
        f"importing the {bench.big_label()}-entry journal ({bench.plan.import_repeats}x)", bench
    )
    big = import_journal(bench, files.big, bench.big_home, bench.plan.big)
    bench.budgets.append(seconds_row(f"`import` of {bench.big_label()} entries", big, 10.0))
    bench.others.append(seconds_row(f"`import` of {SMALL} entries", small, None))
    bench.others.append(
        memory_row(f"peak memory of `import` of {bench.big_label()} entries", big, None)
    )


# ---------------------------------------------------------------------------------------
# The measurements


def attempt(bench: Bench, what: str, measure: Callable[[Bench], None]) -> None:
    """Run one measurement; a failing command becomes a FAILED row instead of a crash."""
    progress(what, bench)
    try:
        measure(bench)
    except RunFailed as failure:
        bench.budgets.append(failed_row(what, str(failure)))


def measure_version_over_bare(bench: Bench) -> None:
    pairs = run_pairs(bench.lj(bench.small_home, "--version"), bench.bare(), bench.plan.pairs)
    bench.budgets.append(ratio_row("`--version` over bare `python -S -c pass`", pairs, 8.0))


def measure_prompt_over_bare(bench: Bench) -> None:
    pairs = run_pairs(bench.lj(bench.small_home, "prompt"), bench.bare(), bench.plan.pairs)
    bench.budgets.append(
        ratio_row("`prompt` (100 entries) over bare `python -S -c pass`", pairs, 10.0)
    )


def big_over_small(bench: Bench, *args: str) -> Pairs:
    return run_pairs(
        bench.lj(bench.big_home, *args), bench.lj(bench.small_home, *args), bench.plan.pairs
    )


def measure_prompt(bench: Bench) -> None:
    pairs = big_over_small(bench, "prompt")
    bench.budgets.append(ratio_row("`prompt`, big over small", pairs, 1.25))


def measure_summary_week(bench: Bench) -> None:
    pairs = big_over_small(bench, "summary", "--week", bench.week)
    what = f"`summary --week {bench.week}`, big over small"
    bench.budgets.append(ratio_row(what, pairs, 1.15))
    bench.budgets.append(memory_ratio_row(f"peak memory of {what}", pairs, 1.2))


def measure_list_limit(bench: Bench) -> None:
    pairs = big_over_small(bench, "list", "--limit", "10")
    bench.others.append(ratio_row("`list --limit 10`, big over small", pairs, None))
    bench.others.append(
        memory_ratio_row("peak memory of `list --limit 10`, big over small", pairs, None)
    )


def measure_search(bench: Bench) -> None:
    word = sample_journal.SEARCH_WORD
    series = run_series(bench.lj(bench.big_home, "list", "--search", word), bench.plan.slow_repeats)
    budget = 2.5 if bench.encrypted else 1.5
    bench.budgets.append(
        seconds_row(f"`list --search {word}` over {bench.big_label()}", series, budget)
    )


def measure_list_all(bench: Bench) -> None:
    series = run_series(bench.lj(bench.big_home, "list"), bench.plan.slow_repeats)
    bench.budgets.append(
        seconds_row(f"`list` of {bench.big_label()} to a pipe (human format)", series, 3.0)
    )


def measure_export(bench: Bench) -> None:
    series = run_series(bench.lj(bench.big_home, "export"), bench.plan.slow_repeats)
    budget = 2.5 if bench.encrypted else 2.0
    bench.budgets.append(
        seconds_row(f"`export` (Markdown) of {bench.big_label()} to /dev/null", series, budget)
    )
    bench.budgets.append(memory_row(f"peak memory of `export` of {bench.big_label()}", series, 400))


def measure_write_answer(bench: Bench) -> None:
    pairs = big_over_small(bench, "write", WRITE_TEXT)
    bench.budgets.append(
        ratio_row("`write TEXT` (answers the prompt of the day), big over small", pairs, 1.25)
    )


def measure_write_free(bench: Bench) -> None:
    pairs = big_over_small(bench, "write", "--free", WRITE_TEXT)
    bench.budgets.append(ratio_row("`write --free TEXT`, big over small", pairs, 1.15))


# Section 8b: the commitments rows. The big journal also holds 5,000 commitments (2,000
# open), the small one 10 (4 open).


def measure_today_over_bare(bench: Bench) -> None:
    pairs = run_pairs(bench.lj(bench.small_home, "today"), bench.bare(), bench.plan.pairs)
    bench.budgets.append(
        ratio_row("8b: `today` (100 entries) over bare `python -S -c pass`", pairs, 10.0)
    )


def measure_today(bench: Bench) -> None:
    pairs = big_over_small(bench, "today")
    bench.budgets.append(ratio_row("8b: `today`, big over small", pairs, 1.25))


def measure_commitments(bench: Bench) -> None:
    pairs = big_over_small(bench, "commitments")
    bench.budgets.append(
        ratio_row("8b: `commitments` (the open ones), big over small", pairs, 1.25)
    )


def measure_review_json(bench: Bench) -> None:
    pairs = big_over_small(bench, "review", "--json")
    bench.budgets.append(ratio_row("8b: `review --json`, big over small", pairs, 1.25))


def measure_commit(bench: Bench) -> None:
    pairs = big_over_small(bench, "commit", "Ask for feedback on the plan", "--due", "+3d")
    bench.budgets.append(ratio_row("8b: `commit TEXT --due +3d`, big over small", pairs, 1.25))


def measure_resolve(bench: Bench) -> None:
    big, small = bench.resolve_ids
    pairs = run_pairs(
        bench.lj(bench.big_home, "resolve", big, "kept"),
        bench.lj(bench.small_home, "resolve", small, "kept"),
        bench.plan.pairs,
    )
    bench.budgets.append(ratio_row("8b: `resolve ID kept`, big over small", pairs, 1.25))


def measure_lookback(bench: Bench) -> None:
    pairs = big_over_small(bench, "lookback")
    bench.budgets.append(ratio_row("8b: `lookback`, big over small", pairs, 1.5))


def measure_summary_weeks(bench: Bench) -> None:
    series = run_series(
        bench.lj(bench.big_home, "summary", "--weeks", "52"), bench.plan.slow_repeats
    )
    bench.budgets.append(
        seconds_row(f"8b: `summary --weeks 52` on {bench.big_label()} entries", series, 0.6)
    )


# Section 8b: leadjournal against jrnl on the same 100-entry journal, paired, each <= 1.0x.


def against_jrnl(bench: Bench, what: str, ours: tuple[str, ...], theirs: tuple[str, ...]) -> None:
    """`leadjournal OURS` on the small journal over `jrnl THEIRS` on the same entries."""
    if bench.small_jrnl is None:
        bench.budgets.append(
            Row(what, "", "", "", f"≤ 1{TIMES}", "(not run: no jrnl, see the notes)")
        )
        return
    pairs = run_pairs(
        bench.lj(bench.small_home, *ours), bench.small_jrnl.command(*theirs), bench.plan.pairs
    )
    bench.budgets.append(ratio_row(what, pairs, 1.0))


def measure_list_against_jrnl(bench: Bench) -> None:
    what = f"8b: `list --limit 10` ({SMALL} entries) over jrnl's `-n 10` (the same entries)"
    against_jrnl(bench, what, ("list", "--limit", "10"), ("-n", "10"))


def measure_summary_against_jrnl(bench: Bench) -> None:
    what = f"8b: `summary` ({SMALL} entries) over jrnl's `--tags` (the same entries)"
    against_jrnl(bench, what, ("summary",), ("--tags",))


def measure_write_against_jrnl(bench: Bench) -> None:
    what = f"8b: `write --free TEXT` ({SMALL} entries) over jrnl's add `TEXT` (the same entries)"
    against_jrnl(bench, what, ("write", "--free", WRITE_TEXT), (WRITE_TEXT,))


MERGE_MONTH_ENTRIES = 3_000


def age(home: Path, data: bytes, *, decrypt: bool = False) -> bytes:
    """`data` encrypted to the journal at `home`'s recipients, or decrypted with its
    identity, by the age command-line tool (as another device would)."""
    if decrypt:
        argv = ["age", "--decrypt", "--identity", str(home / "identity.txt")]
    else:
        argv = ["age", "--encrypt", "--recipients-file", str(home / "entries" / "recipients.txt")]
    return subprocess.run(argv, input=data, capture_output=True, check=True).stdout


def measure_merge_month(bench: Bench) -> None:
    """`merge-month BASE OURS THEIRS` (git's merge driver) on two versions of a 3,000-entry
    month that both changed (DESIGN.md section 8b). Every run gets fresh copies of the
    versions, as git gives the driver; the first result is checked to be the union."""
    folder = WORK / "merge-month"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    prompts = json.loads(prompt_set(bench.leadjournal))
    base, ours, theirs, union = sample_journal.month_versions(MERGE_MONTH_ENTRIES, prompts, SEED)
    originals = {}
    for name, document in (("base", base), ("ours", ours), ("theirs", theirs)):
        originals[name] = json.dumps(document, ensure_ascii=False, indent=2).encode() + b"\n"
    size = len(originals["ours"]) / 1e6
    if bench.encrypted:  # git hands the driver the versions as stored: .json.age
        originals = {name: age(bench.small_home, data) for name, data in originals.items()}
    paths = {name: folder / f".merge_file_{name}" for name in originals}
    command = bench.lj(
        bench.small_home, "merge-month", *(str(paths[n]) for n in ("base", "ours", "theirs"))
    )
    command = Command(
        command.argv, command.env, f"leadjournal merge-month ({MERGE_MONTH_ENTRIES:,}-entry month)"
    )
    series = Series(command)
    for attempt_number in range(1 + bench.plan.slow_repeats):  # the first is a warm-up
        for name, data in originals.items():
            paths[name].write_bytes(data)
        run = checked(command, run_once(command))
        if attempt_number == 0:
            stored = paths["ours"].read_bytes()
            merged = json.loads(
                age(bench.small_home, stored, decrypt=True) if bench.encrypted else stored
            )
            if len(merged["entries"]) != union:
                raise RunFailed(
                    f"merge-month kept {len(merged['entries'])} entries, not the union's {union}"
                )
            continue
        series.runs.append(run)
    bench.budgets.append(
        seconds_row(
            f"`merge-month` of two versions of a {MERGE_MONTH_ENTRIES:,}-entry month "
            f"({size:.1f} MB each)",
            series,
            0.5,
        )
    )


# ---------------------------------------------------------------------------------------
# An encrypted big journal (DESIGN.md sections 8b and 12)

Measurement = tuple[str, str, Callable[[Bench], None]]
# Not measured again on the encrypted copies: the jrnl rows compare plain journals.
# merge-month is: git hands the driver the versions as they are stored (.json.age).
NOT_ENCRYPTED = ("against jrnl",)


def encrypted_copy(bench: Bench, home: Path, name: str) -> Path:
    """A copy of the journal at `home`, encrypted with `leadjournal encrypt`."""
    copy = WORK / "homes" / f"encrypted-{name}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(home, copy, symlinks=True)
    checked(bench.lj(copy, "encrypt", "--json"), run_once(bench.lj(copy, "encrypt", "--json")))
    return copy


def measure_encrypted_import(bench: Bench, export: Path) -> None:
    """`import` of the big export into a new journal encrypted before the import."""
    home = WORK / "homes" / "encrypted-import"
    command = bench.lj(home, "import", str(export), "--json")
    series = Series(command)
    for _ in range(bench.plan.import_repeats):
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        checked(bench.lj(home, "encrypt"), run_once(bench.lj(home, "encrypt")))
        series.runs.append(checked(command, run_once(command)))
    bench.budgets.append(seconds_row(f"`import` of {bench.big_label()} entries", series, 12.0))


def measure_encrypted(
    bench: Bench, files: SampleFiles, measurements: list[Measurement], available: set[str]
) -> None:
    """Every row of sections 8 and 8b again on encrypted copies of the two journals, with
    the budgets of section 8b's last row (export and search 2.5 s, import 12 s)."""
    what = "an encrypted big journal: every row of sections 8 and 8b"
    if "encrypt" not in available:
        bench.budgets.append(Row(what, "", "", "", "", "(not run: no encrypt command)"))
        bench.notes.append("This leadjournal has no `encrypt` command yet: no encrypted rows.")
        return
    progress("encrypting copies of the journals", bench)
    try:
        sealed = dataclasses.replace(
            bench,
            big_home=encrypted_copy(bench, bench.big_home, "big"),
            small_home=encrypted_copy(bench, bench.small_home, "small"),
            small_jrnl=None,
            encrypted=True,
            budgets=[],
            others=[],
            notes=[],
        )
    except RunFailed as failure:
        bench.budgets.append(failed_row(what, f"`encrypt` failed: {failure}"))
        return
    attempt(sealed, "encrypted: import", lambda b: measure_encrypted_import(b, files.big))
    for name, needs, measure in measurements:
        if any(word in name for word in NOT_ENCRYPTED) or (needs and needs not in available):
            continue
        attempt(sealed, f"encrypted: {name}", measure)
    for row in sealed.budgets:
        bench.budgets.append(dataclasses.replace(row, what=f"encrypted: {row.what}"))
    for row in sealed.others:
        bench.others.append(dataclasses.replace(row, what=f"encrypted: {row.what}"))
    bench.notes += sealed.notes


# ---------------------------------------------------------------------------------------
# jrnl on the same entries


@dataclass
class Jrnl:
    program: Path
    env: dict[str, str]
    version: str
    timeout: float

    def command(self, *args: str) -> Command:
        label = f"jrnl {shown_args(args)}"
        return Command((str(self.program), *args), self.env, label, self.timeout)


def install_jrnl() -> Path:
    """jrnl from PyPI in its own venv under the work folder; reused when it already works."""
    venv = WORK / "jrnl-venv"
    program = venv / "bin" / "jrnl"
    if program.exists():
        check = subprocess.run([str(program), "--version"], capture_output=True, check=False)
        if check.returncode == 0:
            return program
    progress("installing jrnl from PyPI into benchmarks/.work/jrnl-venv")
    shutil.rmtree(venv, ignore_errors=True)
    for argv in (
        [sys.executable, "-m", "venv", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "jrnl"],
    ):
        done = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
        )
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise OSError(f"`{' '.join(argv[-3:])}` failed: {last}")
    return program


def configure_jrnl(program: Path, journal: Path, timeout: float) -> Jrnl:
    """A private config (no encryption, no editor, jrnl's own time format) for `journal`."""
    root = journal.parent
    python = program.parent / "python"
    version = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('jrnl'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    config_dir = root / "config" / "jrnl"
    config_dir.mkdir(parents=True, exist_ok=True)
    (root / "home").mkdir(exist_ok=True)
    (config_dir / "jrnl.yaml").write_text(
        "colors: {body: none, date: none, tags: none, title: none}\n"
        "default_hour: 9\n"
        "default_minute: 0\n"
        "editor: ''\n"
        "encrypt: false\n"
        "highlight: false\n"
        "indent_character: '|'\n"
        f"journals:\n  default:\n    journal: {json.dumps(str(journal))}\n"
        "linewrap: 79\n"
        "tagsymbols: '#@'\n"
        "template: false\n"
        "timeformat: '%F %r'\n"
        f"version: '{version}'\n"
    )
    env = {
        **os.environ,
        "HOME": str(root / "home"),
        "XDG_CONFIG_HOME": str(root / "config"),
        "XDG_DATA_HOME": str(root / "data"),
        "NO_COLOR": "1",
    }
    return Jrnl(program, env, version, timeout)


def small_journal_jrnl(bench: Bench, journal: Path, timeout: float) -> Jrnl | None:
    """jrnl on the small journal's entries (installed first if needed), or None."""
    try:
        return configure_jrnl(install_jrnl(), journal, timeout)
    except (subprocess.CalledProcessError, OSError) as failure:
        bench.notes.append(f"jrnl could not be installed or configured ({failure}).")
        return None


def compare_with_jrnl(bench: Bench, journals: dict[int, Path]) -> None:
    """The same operations on the same entries: leadjournal over jrnl, pair by pair."""
    try:
        program = install_jrnl()
        jrnl = configure_jrnl(program, journals[bench.plan.big], bench.plan.jrnl_timeout)
    except (subprocess.CalledProcessError, OSError) as failure:
        bench.notes.append(f"jrnl could not be installed or configured ({failure}): no comparison.")
        return
    bench.notes.append(f"jrnl {jrnl.version} from PyPI.")
    word = sample_journal.SEARCH_WORD
    big = bench.big_home
    operations = [
        ("start-up", bench.lj(big, "--version"), jrnl.command("--version"), bench.plan.pairs),
        ("list the last 10", bench.lj(big, "list", "--limit", "10"), jrnl.command("-n", "10"), 0),
        ("search", bench.lj(big, "list", "--search", word), jrnl.command("-contains", word), 0),
        ("Markdown export", bench.lj(big, "export"), jrnl.command("--format", "markdown"), 0),
        ("add an entry", bench.lj(big, "write", "--free", WRITE_TEXT), jrnl.command(WRITE_TEXT), 0),
    ]
    for what, ours, theirs, pairs in operations:
        progress(f"jrnl comparison: {what}", bench)
        count = pairs or bench.plan.jrnl_repeats
        try:
            result = run_pairs(ours, theirs, count, warmup=1 if pairs else 0)
            bench.jrnl_rows.append(jrnl_row(what, ours, theirs, result))
        except RunFailed as failure:
            partial = failure.partial if isinstance(failure.partial, Pairs) else None
            bench.jrnl_rows.append(jrnl_row(what, ours, theirs, partial, failure=failure))
    growth = {n: path for n, path in journals.items() if n != bench.plan.big}
    if growth:
        measure_jrnl_add_growth(bench, program, growth)


def measure_jrnl_add_growth(bench: Bench, program: Path, journals: dict[int, Path]) -> None:
    """One jrnl add on smaller journals (the first N entries): how its cost grows."""
    progress("jrnl: add an entry to smaller journals", bench)
    figures = []
    for size, journal in sorted(journals.items()):
        jrnl = configure_jrnl(program, journal, bench.plan.jrnl_timeout)
        run = run_once(jrnl.command(WRITE_TEXT))
        shown = "did not finish" if run.timed_out else seconds_text(run.seconds)
        figures.append(f"{shown} with {size:,} entries")
    bench.notes.append(
        "jrnl's add rewrites and re-sorts the whole journal; one add took "
        + ", ".join(figures)
        + f" (the table's add is on {bench.plan.big:,})."
    )


def jrnl_row(
    what: str,
    ours: Command,
    theirs: Command,
    pairs: Pairs | None,
    *,
    failure: RunFailed | None = None,
) -> JrnlRow:
    """The medians and the median per-pair ratio; what failed, when something did."""
    ours_median = seconds_text(pairs.a.median_seconds) if pairs and pairs.a.runs else "n/a"
    theirs_median = seconds_text(pairs.b.median_seconds) if pairs and pairs.b.runs else "n/a"
    ratios = pairs.ratios if pairs else []
    ratio = f"{statistics.median(ratios):.2f}{TIMES}" if ratios else "n/a"
    faster = "n/a"
    if ratios:
        faster = "leadjournal" if statistics.median(ratios) < 1 else "**jrnl**"
    if failure and failure.timed_out and pairs and pairs.a.runs and not ratios:
        # jrnl was stopped: its time is at least the timeout, so the ratio is at most this.
        theirs_median = f"> {theirs.timeout:g} s (stopped)"
        bound = pairs.a.median_seconds / theirs.timeout
        ratio = f"< {bound:.3f}{TIMES}"
        faster = "leadjournal (jrnl stopped)" if bound < 1 else "unknown (jrnl stopped)"
    elif failure:
        faster = f"**FAILED**: {failure}"
    return JrnlRow(
        what,
        f"`{shown_args(ours.argv[1:])}`",
        f"`{shown_args(theirs.argv[1:])}`",
        f"{len(ratios)} pair{'' if len(ratios) == 1 else 's'}",
        ours_median,
        theirs_median,
        ratio,
        faster,
    )


# ---------------------------------------------------------------------------------------
# Main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--leadjournal",
        type=Path,
        default=Path(sys.executable).with_name("leadjournal"),
        help="the leadjournal executable (default: the one next to this Python)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: 3,000 entries, few repeats, report under benchmarks/.work/",
    )
    parser.add_argument("--no-jrnl", action="store_true", help="skip the jrnl comparison")
    parser.add_argument(
        "--jrnl-timeout",
        type=float,
        default=60.0,
        help="seconds after which one jrnl command is stopped (default: 60)",
    )
    parser.add_argument("--output", type=Path, help="where to write the report")
    return parser.parse_args(argv)


def make_plan(args: argparse.Namespace) -> Plan:
    if args.quick:
        return Plan(
            big=3_000,
            pairs=5,
            slow_repeats=2,
            import_repeats=1,
            jrnl_repeats=1,
            jrnl_timeout=args.jrnl_timeout,
            output=args.output or WORK / "performance-quick.md",
            quick=True,
        )
    return Plan(
        big=BIG,
        pairs=21,
        slow_repeats=7,
        import_repeats=3,
        jrnl_repeats=3,
        jrnl_timeout=args.jrnl_timeout,
        output=args.output or DOC,
        quick=False,
    )


def compile_bytecode(python: Path) -> None:
    """Compile leadjournal's modules first, as `pip install` does for a user.

    An editable install in an environment with PYTHONDONTWRITEBYTECODE set (as on our CI
    machines) would otherwise compile every module from source on every run, and the
    start-up figures would measure the compiler instead of the program.
    """
    code = (
        "import compileall, os, leadjournal; "
        "compileall.compile_dir(os.path.dirname(leadjournal.__file__), quiet=1)"
    )
    subprocess.run([str(python), "-c", code], check=False, env=dict(os.environ))


def find_leadjournal(requested: Path) -> Path | None:
    if requested.exists():
        return requested
    found = shutil.which("leadjournal")
    return Path(found) if found else None


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    args = parse_args(argv)
    plan = make_plan(args)
    leadjournal = find_leadjournal(args.leadjournal)
    if leadjournal is None:
        print(
            f"No leadjournal at {args.leadjournal} nor on PATH: install the project "
            "(pip install -e .) or pass --leadjournal PATH.",
            file=sys.stderr,
        )
        return 2
    available = commands_of(leadjournal)
    if "import" not in available:
        print("This leadjournal has no `import` command: the journals cannot be built.")
        return 1
    compile_bytecode(interpreter_of(leadjournal))
    facts_before = machine_facts(interpreter_of(leadjournal), leadjournal)
    prepare_work_folder()
    now = datetime.now().astimezone()
    files = generate_sample_files(plan, prompt_set(leadjournal), now, guide_set(leadjournal))
    bench = Bench(
        leadjournal=leadjournal,
        python=interpreter_of(leadjournal),
        big_home=WORK / "homes" / "big",
        small_home=WORK / "homes" / "small",
        plan=plan,
        week=fixed_week(now),
        resolve_ids=(files.facts["resolve_big"], files.facts["resolve_small"]),
    )
    try:
        measure_import(bench, files)
    except RunFailed as failure:
        print(f"The journals could not be built: {failure}", file=sys.stderr)
        return 1
    if not args.no_jrnl:
        bench.small_jrnl = small_journal_jrnl(bench, files.jrnl_small, plan.jrnl_timeout)

    reads: list[Measurement] = [
        ("start-up: --version over bare python", "", measure_version_over_bare),
        ("start-up: prompt over bare python", "prompt", measure_prompt_over_bare),
        ("prompt: big over small", "prompt", measure_prompt),
        ("summary --week: big over small", "summary", measure_summary_week),
        ("list --limit 10: big over small", "list", measure_list_limit),
        ("list --search", "list", measure_search),
        ("list (all, human format)", "list", measure_list_all),
        ("export", "export", measure_export),
        ("today over bare python", "today", measure_today_over_bare),
        ("today: big over small", "today", measure_today),
        ("commitments: big over small", "commitments", measure_commitments),
        ("review --json: big over small", "review", measure_review_json),
        ("lookback: big over small", "lookback", measure_lookback),
        ("summary --weeks 52 on the big journal", "summary", measure_summary_weeks),
        ("list --limit 10 against jrnl -n 10", "list", measure_list_against_jrnl),
        ("summary against jrnl --tags", "summary", measure_summary_against_jrnl),
    ]
    writes: list[Measurement] = [
        ("write (answer): big over small", "write", measure_write_answer),
        ("write --free: big over small", "write", measure_write_free),
        ("commit: big over small", "commit", measure_commit),
        ("resolve: big over small", "resolve", measure_resolve),
        ("merge-month: two versions of a 3,000-entry month", "merge-month", measure_merge_month),
        ("write --free against jrnl's add", "write", measure_write_against_jrnl),
    ]
    for what, needs, measure in [*reads, *writes]:
        if needs and needs not in available:
            bench.budgets.append(Row(what, "", "", "", "", f"**NOT AVAILABLE**: no `{needs}`"))
            bench.notes.append(f"This leadjournal has no `{needs}` command yet.")
            continue
        attempt(bench, what, measure)
    if args.no_jrnl:
        bench.notes.append("The jrnl comparison was skipped (--no-jrnl).")
    else:
        compare_with_jrnl(bench, files.jrnl)
    measure_encrypted(bench, files, [*reads, *writes], available)

    own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    bench.notes.append(
        f"This benchmark's own process peaked at {own_peak:.0f} MiB. On Linux a child's"
        " ru_maxrss starts from its parent's peak, so no child can show less than that;"
        " the journals are generated in a separate process to keep it small."
    )
    facts_after = machine_facts(bench.python, leadjournal)
    elapsed = time.perf_counter() - started
    text = render(
        bench, facts=files.facts, before=facts_before, after=facts_after, elapsed=elapsed, now=now
    )
    plan.output.parent.mkdir(parents=True, exist_ok=True)
    plan.output.write_text(text)
    print(text)
    progress(f"report written to {plan.output} ({elapsed / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
