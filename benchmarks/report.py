"""The benchmark's report: rows of measurements, the machine, and docs/performance.md's text."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from run import Bench
    from timing import Pairs, Series

TIMES = "\N{MULTIPLICATION SIGN}"


@dataclass(frozen=True)
class Row:
    """One line of a table: what was measured, how often, the figures, and the verdict."""

    what: str
    runs: str
    figures: str
    result: str
    budget: str
    verdict: str

    @property
    def missed(self) -> bool:
        return self.verdict.startswith(("**MISS", "**FAILED", "**NOT"))


@dataclass(frozen=True)
class JrnlRow:
    operation: str
    ours: str  # the leadjournal command
    theirs: str  # the jrnl command
    runs: str
    ours_median: str
    theirs_median: str
    ratio: str
    faster: str


def seconds_text(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def verdict(value: float, budget: float | None) -> str:
    if budget is None:
        return "report"
    if value <= budget:
        return "pass"
    return f"**MISS** (+{(value / budget - 1) * 100:.0f}% over)"


def ratio_row(what: str, pairs: Pairs, budget: float | None) -> Row:
    """Median per-pair time ratio, with the middle half of the ratios in brackets."""
    low, high = pairs.ratio_spread
    ratio = pairs.median_ratio
    return Row(
        what,
        f"{len(pairs.ratios)} pairs",
        f"{seconds_text(pairs.a.median_seconds)} / {seconds_text(pairs.b.median_seconds)}",
        f"{ratio:.2f}{TIMES} ({low:.2f}-{high:.2f})",
        f"≤ {budget:g}{TIMES}" if budget is not None else "",
        verdict(ratio, budget),
    )


def memory_ratio_row(what: str, pairs: Pairs, budget: float | None) -> Row:
    """Median peak memory of A over that of B."""
    ratio = pairs.memory_ratio
    return Row(
        what,
        f"{len(pairs.ratios)} pairs",
        f"{pairs.a.median_rss_mib:.1f} MiB / {pairs.b.median_rss_mib:.1f} MiB",
        f"{ratio:.2f}{TIMES}",
        f"≤ {budget:g}{TIMES}" if budget is not None else "",
        verdict(ratio, budget),
    )


def seconds_row(what: str, series: Series, budget: float | None) -> Row:
    """Median wall-clock time, with the fastest and slowest run in brackets."""
    times = [r.seconds for r in series.runs]
    spread = f"from {seconds_text(min(times))} to {seconds_text(max(times))}"
    return Row(
        what,
        f"{len(times)} run{'s' if len(times) > 1 else ''}",
        spread if len(times) > 1 else "",
        seconds_text(series.median_seconds),
        f"≤ {budget:g} s" if budget is not None else "",
        verdict(series.median_seconds, budget),
    )


def memory_row(what: str, series: Series, budget: float | None) -> Row:
    """The highest peak memory of any run."""
    return Row(
        what,
        f"{len(series.runs)} run{'s' if len(series.runs) > 1 else ''}",
        f"median {series.median_rss_mib:.0f} MiB",
        f"{series.max_rss_mib:.0f} MiB",
        f"≤ {budget:g} MiB" if budget is not None else "",
        verdict(series.max_rss_mib, budget),
    )


def failed_row(what: str, message: str) -> Row:
    return Row(what, "", "", "", "", f"**FAILED**: {message}")


# ---------------------------------------------------------------------------------------
# The machine


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1]
    except OSError:
        pass
    return "unknown"


def _output(argv: list[str]) -> str:
    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
    except OSError:
        return "unknown"
    return done.stdout.strip() or "unknown"


def busy_processes() -> list[str]:
    """Test runners and other benchmarks running beside this one (they make timings noisy)."""
    seen = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if any(tool in words for tool in ("pytest", "mypy", "hypothesis")):
            seen.append(words.strip()[:80])
    return seen


def machine_facts(python: Path, leadjournal: Path) -> dict[str, Any]:
    """What the run ran on, and how busy the machine was at that moment."""
    memory_kib = _first("/proc/meminfo", "MemTotal").split()[0]
    return {
        "cores": os.cpu_count(),
        "cpu": _first("/proc/cpuinfo", "model name"),
        "memory": f"{int(memory_kib) / 1024 / 1024:.1f} GiB" if memory_kib.isdigit() else "?",
        "python": _output([str(python), "-c", "import sys; print(sys.version.split()[0])"]),
        "python_path": str(python),
        "os": f"{_first('/etc/os-release', 'PRETTY_NAME').strip(chr(34))}, "
        f"Linux {platform.release()}",
        "leadjournal": _output([str(leadjournal), "--version"]),
        "commit": _output(
            ["git", "-C", str(Path(__file__).parent), "rev-parse", "--short", "HEAD"]
        ),
        "load": os.getloadavg(),
    }


# ---------------------------------------------------------------------------------------
# The document


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return lines


def _budget_table(rows: list[Row]) -> list[str]:
    return _table(
        ["what", "runs", "medians (A / B) or range", "result", "budget", "verdict"],
        [[r.what, r.runs, r.figures, r.result, r.budget, r.verdict] for r in rows],
    )


def _jrnl_table(rows: list[JrnlRow]) -> list[str]:
    return _table(
        ["operation", "leadjournal", "jrnl", "runs", "leadjournal median", "jrnl median",
         "leadjournal / jrnl", "faster"],
        [[r.operation, r.ours, r.theirs, r.runs, r.ours_median, r.theirs_median, r.ratio,
          r.faster] for r in rows],
    )  # fmt: skip


def _machine(
    before: dict[str, Any], after: dict[str, Any], busy: list[tuple[str, list[str]]]
) -> list[str]:
    seen = [(what, found) for what, found in busy if found]
    load_before = ", ".join(f"{x:.2f}" for x in before["load"])
    load_after = ", ".join(f"{x:.2f}" for x in after["load"])
    return [
        f"- CPU: {before['cpu']}, {before['cores']} cores (nproc)",
        f"- Memory: {before['memory']}",
        f"- OS: {before['os']}",
        f"- Python: {before['python']} ({before['python_path']}), also the bare baseline",
        f"- Program: {before['leadjournal']}, commit {before['commit']}",
        f"- Load average (1, 5, 15 min): {load_before} at the start, {load_after} at the end",
        "- Other test runs on the machine during the benchmark: "
        + (
            f"**yes**, at {len(seen)} of {len(busy)} checks (one before each measurement),"
            f" e.g. `{seen[0][1][0]}`; before: {'; '.join(what for what, _ in seen)}"
            if seen
            else f"none seen at {len(busy)} checks (one before each measurement)"
        ),
    ]


def closing_note(rows: list[Row]) -> list[str]:
    """Every budget in one line each, with its figure: what a reader quotes."""
    judged = [r for r in rows if r.verdict != "report"]
    return [
        "## In short",
        "",
        *(f"- {r.what}: {r.result or 'no figure'} ({r.budget or 'no budget'}): {r.verdict}"
          for r in judged),
    ]  # fmt: skip


def _busy_warning(busy: list[tuple[str, list[str]]]) -> list[str]:
    seen = sum(1 for _, found in busy if found)
    if not seen:
        return []
    return [
        f"**Noisy machine:** other test runs were seen at {seen} of {len(busy)} checks during"
        " this run; absolute times are pessimistic, paired ratios less affected.",
        "",
    ]


def summary_sentence(rows: list[Row]) -> str:
    judged = [r for r in rows if r.verdict != "report"]
    missed = [r for r in judged if r.missed]
    if not missed:
        return f"All {len(judged)} budgets are met."
    listed = "; ".join(f"{r.what}: {r.result} against {r.budget or 'n/a'}" for r in missed)
    return f"{len(judged) - len(missed)} of {len(judged)} budgets met. Missed: {listed}."


def render(
    bench: Bench,
    *,
    facts: dict[str, Any],
    before: dict[str, Any],
    after: dict[str, Any],
    elapsed: float,
    now: datetime,
) -> str:
    plan = bench.plan
    lines = ["# Performance", ""]
    if plan.quick:
        lines += [
            f"**Quick smoke run ({plan.big:,} entries, few repeats): not a measurement of the"
            " budgets.**",
            "",
        ]
    lines += [
        f"Written by `python benchmarks/run.py` on {now:%Y-%m-%d %H:%M %Z} in"
        f" {elapsed / 60:.1f} minutes; do not edit by hand, rerun it.",
        "",
        summary_sentence(bench.budgets),
        "",
        *_busy_warning(bench.busy),
        "## Budgets (DESIGN.md sections 8 and 8b)",
        "",
        f"Big: {plan.big:,} entries and {facts.get('commitments', 0):,} commitments "
        f"({facts.get('open_commitments', 0):,} open) over ten years "
        f"({facts['big_bytes'] / 1e6:.0f} MB as a JSON"
        f" export, mean text {facts['mean_text_bytes']:.0f} bytes, {facts['free_entries']:,}"
        f" free entries, {facts.get('guided_entries', 0):,} guided reflections of the daily"
        f" self-check); small: 100 entries and 10 commitments. Ratios: A over B, the"
        f" median of the per-pair"
        f" ratios with the middle half of them in brackets. `summary` uses the week"
        f" {bench.week}; `list --search` finds {facts['search_hits']:,} entries.",
        "",
        *_budget_table(bench.budgets),
        "",
        "## Other measurements",
        "",
        *_budget_table(bench.others),
        "",
        "## leadjournal and jrnl on the same entries",
        "",
        f"The same {plan.big:,} entries as a jrnl journal ({facts['jrnl_bytes'] / 1e6:.0f} MB"
        " of text), same machine, same run; each leadjournal command runs on the big journal,"
        " paired with the jrnl command. A ratio below 1 means leadjournal is faster.",
        "",
    ]
    lines += _jrnl_table(bench.jrnl_rows) if bench.jrnl_rows else ["(not run)"]
    lines += ["", *[f"- {note}" for note in bench.notes], ""]
    lines += [*small_journal_story(), ""]
    lines += ["## The machine", "", *_machine(before, after, bench.busy), "", *_method(), ""]
    lines += [*closing_note(bench.budgets), ""]
    return "\n".join(lines)


def small_journal_story() -> list[str]:
    """What was cut from the everyday commands for the small-journal rows against jrnl
    (issue 19), with the figures measured then: fixed text, not this run's."""
    return [
        "## Where a small journal's time goes",
        "",
        "On 100 entries almost all of a command's time is start-up: importing what it uses."
        " Version 1 lost to jrnl there (measured by hand, paired, on a busy machine:"
        " `write --free` 1.66x jrnl's add, `list --limit 10` 1.21x `-n 10`, `summary`"
        " 1.47x `--tags`). For version 2 (issue 19) `python -X importtime` and cProfile of"
        " each command on a 100-entry journal showed where the time went, and this was cut,"
        " without giving up validation of every month file read, fsync, or the lock"
        " (figures from `-X importtime`, the cumulative import time of what was removed):",
        "",
        "| what | cost | now |",
        "|---|---|---|",
        "| Typer and Click, for `write`, `list`, `summary` | 35 ms | answered by the fast"
        " table when `cli/fastparse.py` reads every option; anything else (help, errors)"
        " still goes to Typer, and a test checks Click reads the same from every command"
        " line the fast parser accepts |",
        "| pydantic's plugin search (importlib.metadata) | 13 ms | the loader is told there"
        " are none before pydantic is imported; PYDANTIC_DISABLE_PLUGINS alone skips the"
        " search but not the import |",
        "| building every model's validator at import | 8 ms | `defer_build`: each model"
        " is built on first use, except the month file's own, which every command that"
        " imports the models reads |",
        "| filelock, for every write | 10 ms | `flock(2)` in `fsio.journal_lock`, as"
        " filelock does on POSIX (filelock stays for Windows) |",
        "| rich's console: `write`'s one line, `summary` in a pipe | 5 ms, 15 ms | plain"
        " writes of what rich would print there (tested against rich) |",
        "| after guides, encryption and hardening: pydantic asking the builtin `list` (each"
        " list field's default) for its signature, which compiles tokenize's patterns the"
        " first time | 1.7 ms | a plain function as the default; a test checks the"
        " patterns stay uncompiled |",
        "| pydantic evaluating the models' 158 annotations from strings | 2.5 ms |"
        " models.py without postponed annotations |",
        "| subprocess, for a pager `list` never starts in a pipe | 2.5 ms | imported only"
        " when a pager starts; the start-up test watches it |",
        "",
        "A smaller fixed cost makes every big-over-small ratio larger (the same extra work"
        " on the big journal over a shorter total), so the big journal's work was cut too:"
        " `summary` read the commitments index's open file (every open commitment as"
        " stored, 580 KB on the big journal) though it needs only the tally, about 6 ms;"
        " and `lookback`, which prints hundreds of entries on the big journal, spent more"
        " than half of its time in rich's markup: in a pipe it now writes the same lines"
        " without rich (measured by hand, 15 pairs: 1.81x big over small before, 1.41x"
        " after, against 1.5x).",
        "",
        "What is left is mostly pydantic itself (with pydantic-core and annotated_types,"
        " about 45 ms), our model classes and the use cases and indexes, against about 12"
        " ms for a bare interpreter. Measured by hand"
        " on one 100-entry journal beside jrnl on the same entries, on a machine busy with"
        " other test runs (load about 3 on 2 cores), before (11 interleaved runs) and after"
        " (21 pairs, benchmarks/timing.run_pairs): `write --free` over jrnl's add from 1.72x"
        " to 0.97x (middle half 0.95-0.98), `list --limit 10` over `-n 10` from 1.25x to"
        " 0.89x (0.87-0.92), `summary` over `--tags` from 1.45x to 0.95x (0.92-0.95). The"
        " budget table above, from one run on a quiet machine, is the measurement that"
        " counts.",
        "",
        "Then (issue 19, a further pass): `models` became a package, one module per use,"
        " so a command defines only the models it uses (defining all 36 classes, even"
        " deferred, cost about 4.5 ms); the use cases' request and result types moved"
        " beside their use (write's as named tuples), so `write`, `list` and `summary`"
        " define only the dataclasses they use; the command table, the config and the"
        " summary's glyphs are plain slotted classes (the `today`/`prompt` path imports no"
        " dataclasses module, about 7 ms); the month file's timestamps serialize without"
        " pydantic's serializer module; date patterns compile on first use. Measured by"
        " hand against main's build on the same 100-entry journal (21 pairs, load 1.4-3):"
        " about 12-13 ms less for each of `write --free`, `list --limit 10` and `summary`,"
        " and against jrnl `summary` 0.93x to 0.84x, `list --limit 10` 0.88x to 0.79x,"
        " `write --free` 0.98x to 0.88x.",
        "",
        "## Where a big journal's extra time goes",
        "",
        "`summary --week` on the big journal reads two month files, not one: the human"
        " view compares the week with the week before, which starts in the month before"
        " (strace: the two month files, the prompt cache, the history index and the"
        " commitments index's head and tally files, nothing else). Timed inside the"
        " process (issue 19 follow-up), the big journal's extra 20 ms were: validating"
        " the two months (1,700 entries) 6.5 ms, the history index and the chooser 3.6 ms,"
        " the commitments tally 2 ms to read and 2 ms to count, the summary 3 ms. Cut,"
        " with every month file still validated by pydantic: the month file's model had a"
        " validator that ran before its fields (the version upgrade), which makes pydantic"
        " decode the whole file to Python objects and validate those, 40% of a month's"
        " read (1.5 ms of 3.7 ms for 800 entries); the current version is now validated"
        " straight from its JSON, and only a file that does not validate as it is goes"
        " through the upgrade (which raises the same errors as before). The commitments of"
        " the week, the week before and each week of `--weeks` are counted from one sort"
        " of the tally rows (they were three passes, one of them over no weeks at all);"
        " the suggestion's order is worked out for the least-reflected themes alone (only"
        " their answers folded: each theme's state is its own); the chooser's fold works"
        " out each theme's pools once; a month is no longer copied to see whether it is"
        " blank. `review` read and checked the history index twice (for the week's"
        " summary and for its suggestion), now once; hundreds of commitments are validated"
        " as one list (one call into pydantic-core: 4 ms instead of 6 ms for 2,000), and"
        " `commitments` decides once, not per line, whether to paint. Measured by hand"
        " (21 pairs, bytecode compiled as this benchmark does, a machine busy with other"
        " test runs, the journals with guided reflections), before and after: `summary"
        " --week` big over small 1.22x to 1.16x (middle half 1.15-1.18), `commitments`"
        " 1.21x to 1.19x, `review --json` 1.26x to 1.24x, `resolve` 1.22x to 1.23x"
        " (unchanged), `prompt` 1.10x to 1.10x; without compiled bytecode, which adds the"
        " same fixed cost to both, `summary --week` 1.15x to 1.12x. `summary --weeks 52`"
        " counted each entry's words twice (in its week and in the whole period): 0.45 s"
        " to 0.36 s (median of 11). What is left of the difference is mostly the reading"
        " the contract asks for: two months validated, the history and commitments indexes"
        " read and checked against every month file's signature, and for `commitments` and"
        " `review --json` the 2,000 open commitments read, validated and printed.",
        "",
        "Since then (issue 19, the week before from counts): the human `summary` reads the"
        " months of its period only; for a month that only the period before needs (here"
        " 2025-11), it takes the entries and words by day and theme from"
        " `cache/counts/YYYY-MM.json` (counts and ids, no text, so plain in an encrypted"
        " journal too), stamped with the month file's signature and counted again from"
        " the month whenever it changed, or when an id lies in two months or the month"
        " holds an entry of the period (then it is read as before). The history and"
        " commitments indexes check the month files from one scan (`store.one_scan`), the"
        " scan no longer runs regular expressions on the usual names (1.5 ms to 0.56 ms on"
        " 120 months), and the streaks come from the history index's day ordinals without"
        " a date object a day (1.3 ms to 0.4 ms). Measured by hand (21 pairs, compiled"
        " bytecode, a machine busy with other test runs, load about 2.5), before and after:"
        " `summary --week` big over small 1.15x to 1.11x (child CPU time 1.16x to 1.11x),"
        " encrypted 1.19x to 1.13x; the human `summary --weeks 52` no longer reads the 52"
        " weeks before it (about 25% faster). What is left: validating the week's own"
        " month (832 entries, about 3 ms, twice that as the process's first large read),"
        " the history index (1,722 recent answers and 3,591 days: about 2.5 ms) and the"
        " commitments tally (5,000 rows).",
        "",
        "The commitments rows (issue 19 and issue 14's encrypted rows): a save rewrote"
        " the commitments index's aggregate files (2,000 open, 5,000 tally rows) and, in"
        " an encrypted journal, re-encrypted them; `resolve ID` read and decrypted every"
        " month's part to find an id. Now a save writes its month's part and the small"
        " head (the months changed since are folded into the aggregates every few"
        " months), a plain ids file names the month of an id, the head, ids and the"
        " counts' day lists hold no text and stay plain in an encrypted journal (only the"
        " text-bearing parts are decrypted), the open ones are validated straight from"
        " the index's bytes, and the summary counts by bisect on pre-sorted day lists."
        " Measured by hand (21 pairs, big over small, before and after): `resolve` 1.25x"
        " to 1.09x (encrypted 1.35x to 1.09x), `commit` 1.12x to 1.03x (1.13x to 1.01x),"
        " `commitments` 1.18x to 1.13x (1.19x to 1.13x), `review --json` 1.23x to 1.19x."
        " `lookback` now reads each month once and a prompt within one theme folds only"
        " that theme's answers (the review's suggestion). What is left in encrypted"
        " `review --json` is the reading the contract asks for: the week's two months"
        " decrypted and validated (tags and ratings need the entries) and the 2,000 open"
        " commitments decrypted, validated and printed.",
    ]


def _method() -> list[str]:
    return [
        "## How it is measured",
        "",
        "Every figure is a whole process started as a user would start it (standard input"
        " from /dev/null, output discarded). Ratios come from pairs run back to back,"
        " alternating which goes first, so the machine's noise weighs on both members of a"
        " pair alike; the median of the per-pair ratios is reported. Absolute times are"
        " medians of plain repeats; peak memory is the child's ru_maxrss (os.wait4)."
        " The journals are rebuilt through `leadjournal import` on every run from a fixed"
        " seed; reads are measured first, writes last (they add a few dozen entries to"
        " today's month of each journal). jrnl is installed from PyPI into"
        " `benchmarks/.work/jrnl-venv` on the first run and reused.",
        "",
        "## How to rerun",
        "",
        "```",
        "python3 -m venv .venv && .venv/bin/pip install -e '.[dev]'",
        ".venv/bin/python benchmarks/run.py            # the full run, writes this file",
        ".venv/bin/python benchmarks/run.py --quick    # a smoke run of a minute or so",
        "```",
        "",
        "Run it on a quiet machine: other test runs beside it make the absolute times"
        " (export, search, import) noisy, though the paired ratios resist it.",
    ]
