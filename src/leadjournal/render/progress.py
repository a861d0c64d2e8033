"""Progress for long imports and exports: a rich bar on standard error, only on a terminal
and only for more than a few thousand entries. In a pipe, or for a small job, nothing at
all is printed and rich is not even imported.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

Advance = Callable[[int], None]

THRESHOLD = 3000


def _nothing(_: int) -> None:
    return None


def wanted(total: int, *, data_on_stdout: bool = False) -> bool:
    """A bar is worth showing: a long job and standard error is a terminal. When the data
    itself goes to standard output, only if that is redirected to a file: on the terminal
    the text would tear the bar apart, and a pager reading a pipe shares the terminal."""
    if total <= THRESHOLD or not sys.stderr.isatty():
        return False
    return not data_on_stdout or _stdout_is_a_file()


def _stdout_is_a_file() -> bool:
    try:
        return stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        return False  # io.UnsupportedOperation (a test runner's buffer) is an OSError


@contextmanager
def bar(total: int, description: str, *, show: bool) -> Iterator[Advance]:
    """Yields `advance(n)`; draws a transient bar on standard error when `show`."""
    if not show:
        yield _nothing
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from leadjournal.render import console

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console(stderr=True), transient=True) as progress:
        task = progress.add_task(description, total=total)
        yield lambda n: progress.advance(task, n)


@contextmanager
def working(description: str, *, show: bool) -> Iterator[None]:
    """A spinner on standard error for a long step that cannot count its progress."""
    if not show:
        yield
        return
    from leadjournal.render import console

    with console(stderr=True).status(description):
        yield


class Shown:
    """journal.Progress on this terminal: a bar or spinner for long jobs when standard
    error is a terminal (see `wanted`), nothing otherwise."""

    def bar(
        self, total: int, description: str, *, data_on_stdout: bool = False
    ) -> AbstractContextManager[Advance]:
        return bar(total, description, show=wanted(total, data_on_stdout=data_on_stdout))

    def working(self, total: int, description: str) -> AbstractContextManager[None]:
        return working(description, show=wanted(total))
