"""Whole-process timing: one run, a series of runs, and alternating pairs of runs.

A run is one child process, started with its standard input from /dev/null and its
output thrown away (or kept, when asked), timed by the wall clock from just before the
fork to just after the child is reaped, and measured for peak memory (ru_maxrss of that
child alone, from os.wait4).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

DEFAULT_TIMEOUT = 300.0


@dataclass(frozen=True)
class Command:
    """A command line, the environment it runs in, a short label for reports, and how long
    it may run before it is stopped."""

    argv: tuple[str, ...]
    env: dict[str, str]
    label: str
    timeout: float = DEFAULT_TIMEOUT

    def shown(self) -> str:
        return " ".join(self.argv)


@dataclass(frozen=True)
class Run:
    seconds: float
    max_rss_kib: int
    exit_code: int
    timed_out: bool = False
    stdout: str = ""
    stderr: str = ""


class RunFailed(Exception):
    """A measured command exited non-zero or timed out; the message says which and why.

    `partial` holds the runs that completed before the failure, when there were any.
    """

    def __init__(
        self, message: str, partial: Pairs | Series | None = None, *, timed_out: bool = False
    ) -> None:
        super().__init__(message)
        self.partial = partial
        self.timed_out = timed_out


def run_once(command: Command, *, keep_stdout: bool = False) -> Run:
    """Run `command` once; the child is killed if it outlives its timeout."""
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen(
            command.argv,
            stdin=subprocess.DEVNULL,
            stdout=out if keep_stdout else subprocess.DEVNULL,
            stderr=err,
            env=command.env,
        )
        fired = threading.Event()

        def kill() -> None:
            fired.set()
            child.kill()

        killer = threading.Timer(command.timeout, kill)
        killer.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        killer.cancel()
        exit_code = os.waitstatus_to_exitcode(status)
        child.returncode = exit_code  # reaped by wait4: tell Popen not to wait again
        timed_out = fired.is_set()
        err.seek(0)
        out.seek(0)
        return Run(
            seconds=seconds,
            max_rss_kib=usage.ru_maxrss,
            exit_code=exit_code,
            timed_out=timed_out,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
        )


def checked(command: Command, run: Run) -> Run:
    """`run`, or RunFailed naming the command when it failed or timed out."""
    if run.timed_out:
        raise RunFailed(
            f"`{command.label}` did not finish within {command.timeout:g} s", timed_out=True
        )
    if run.exit_code != 0:
        first = (run.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise RunFailed(f"`{command.label}` exited {run.exit_code}: {first}")
    return run


@dataclass
class Series:
    """Repeated runs of one command."""

    command: Command
    runs: list[Run] = field(default_factory=list)

    @property
    def median_seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def median_rss_mib(self) -> float:
        return statistics.median(r.max_rss_kib for r in self.runs) / 1024

    @property
    def max_rss_mib(self) -> float:
        return max(r.max_rss_kib for r in self.runs) / 1024


@dataclass
class Pairs:
    """Runs of two commands in alternating pairs; `ratios` are A over B, pair by pair.

    After a failure one series may hold a run more than the other: ratios are taken over
    the complete pairs only.
    """

    a: Series
    b: Series

    @property
    def ratios(self) -> list[float]:
        return [ra.seconds / rb.seconds for ra, rb in zip(self.a.runs, self.b.runs, strict=False)]

    @property
    def median_ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def ratio_spread(self) -> tuple[float, float]:
        """The middle half of the per-pair ratios (first and third quartiles)."""
        ratios = self.ratios
        if len(ratios) < 4:
            return min(ratios), max(ratios)
        q1, _, q3 = statistics.quantiles(ratios, n=4)
        return q1, q3

    @property
    def memory_ratio(self) -> float:
        return self.a.median_rss_mib / self.b.median_rss_mib


def run_series(command: Command, repeat: int, *, warmup: int = 1) -> Series:
    """`repeat` timed runs after `warmup` untimed ones."""
    for _ in range(warmup):
        checked(command, run_once(command))
    series = Series(command)
    try:
        for _ in range(repeat):
            series.runs.append(checked(command, run_once(command)))
    except RunFailed as failure:
        raise RunFailed(
            str(failure), series if series.runs else None, timed_out=failure.timed_out
        ) from None
    return series


def run_pairs(a: Command, b: Command, pairs: int, *, warmup: int = 2) -> Pairs:
    """`pairs` pairs of runs, A then B, then B then A, and so on.

    Each pair runs within a fraction of a second, so whatever else the machine is doing
    weighs on both members alike, and the pair's ratio cancels it; swapping the order
    in every other pair cancels any advantage of going first or second.
    """
    for _ in range(warmup):
        checked(a, run_once(a))
        checked(b, run_once(b))
    result = Pairs(Series(a), Series(b))
    for index in range(pairs):
        order: Sequence[tuple[Command, Series]] = (
            ((a, result.a), (b, result.b)) if index % 2 == 0 else ((b, result.b), (a, result.a))
        )
        try:
            for command, series in order:
                series.runs.append(checked(command, run_once(command)))
        except RunFailed as failure:
            raise RunFailed(str(failure), result, timed_out=failure.timed_out) from None
    return result
