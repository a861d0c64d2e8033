"""Check the journal (DESIGN.md section 7) and repair what can be repaired without loss.

Checks: every month file parses and validates; ids are unique across files; entries sit
in the month file of their day; modes are 0600/0700; no stray temp files from interrupted
writes; no sync-conflict copies; the prompt-history index is fresh. `fix` merges conflict
copies, moves entries to their month, tightens modes, and moves strays aside. It never
deletes: whatever it replaces or removes goes to <home>/backups/<time>/ first.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leadjournal import paths, store
from leadjournal.errors import CorruptFileError, StorageError

if TYPE_CHECKING:
    from leadjournal.models import MonthFile
    from leadjournal.store import Warn


@dataclass
class Problem:
    kind: str  # unreadable | duplicate-id | wrong-month | mode | temp-file | conflict-copy | index
    path: str
    message: str
    fixable: bool
    fixed: bool = False


@dataclass
class Report:
    files: int = 0
    entries: int = 0
    problems: list[Problem] = field(default_factory=list)
    backup_dir: str | None = None

    @property
    def remaining(self) -> list[Problem]:
        return [p for p in self.problems if not p.fixed]

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": not self.remaining,
            "files": self.files,
            "entries": self.entries,
            "problems": [asdict(p) for p in self.problems],
            "backup_dir": self.backup_dir,
        }


def _ignore(_: str) -> None:
    return None


class _Backups:
    """A folder under <home>/backups/ created on first use, one per doctor --fix run."""

    def __init__(self) -> None:
        stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
        self.root = paths.backups_dir() / stamp
        self.used = False

    def keep(self, path: Path, *, move: bool) -> Path:
        """Copy (or move) `path` into the backup folder, keeping its place under the home."""
        try:
            relative = path.relative_to(paths.data_dir())
        except ValueError:
            relative = Path(path.name)
        target = self.root / relative
        store.ensure_private_dir(target.parent)
        if target.exists():
            target = target.with_name(f"{target.name}.{os.getpid()}")
        try:
            if move:
                shutil.move(str(path), target)
                store.fsync_dir(path.parent)
            else:
                shutil.copy2(path, target)
            target.chmod(store.FILE_MODE)
            _fsync_file(target)  # the backup is on disk before anything it keeps is replaced
            store.fsync_dir(target.parent)
        except OSError as exc:
            raise StorageError(
                f"Could not keep a backup of {path} in {self.root}: {exc.strerror or exc}.",
                hint="Nothing in the journal was replaced for it. Free some space and run "
                "'leadjournal doctor --fix' again.",
            ) from None
        self.used = True
        return target


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def check(fix: bool = False, warn: Warn = _ignore) -> Report:
    """Examine every journal file; with `fix`, repair under the journal lock."""
    report = Report()
    home = paths.data_dir()
    if not home.exists():
        return report
    if fix:
        with store.journal_lock():
            _run(report, fix=True)
    else:
        _run(report, fix=False)
    return report


def _run(report: Report, *, fix: bool) -> None:
    backups = _Backups()
    months: dict[Path, MonthFile] = {}
    for path in store.month_paths():
        if not path.exists():
            continue
        report.files += 1
        try:
            months[path] = store._read_one(path)
        except CorruptFileError as exc:
            report.problems.append(
                Problem(
                    "unreadable",
                    str(path),
                    f"cannot be read: {exc.problem}. It is left as it is; restore it from "
                    "a backup, or fix it by hand.",
                    fixable=False,
                )
            )
    _check_conflicts(report, months, backups, fix)
    _check_placement(report, months, backups, fix)
    report.entries = sum(len(m.entries) for m in months.values())
    _check_temp_files(report, backups, fix)
    _check_modes(report, fix)
    _check_index(report)
    if backups.used:
        report.backup_dir = str(backups.root)


def _check_conflicts(
    report: Report, months: dict[Path, MonthFile], backups: _Backups, fix: bool
) -> None:
    for path in store.month_paths():
        copies = store.conflict_copies(path)
        if not copies:
            continue
        readable = []
        for copy in copies:
            try:
                readable.append((copy, store._read_one(copy)))
            except CorruptFileError as exc:
                report.problems.append(
                    Problem(
                        "unreadable",
                        str(copy),
                        f"a sync-conflict copy that cannot be read: {exc.problem}.",
                        fixable=False,
                    )
                )
        for copy, _ in readable:
            report.problems.append(
                Problem(
                    "conflict-copy",
                    str(copy),
                    f"a copy left by a file sync tool beside {path.name}; until it is merged, "
                    "commands read both.",
                    fixable=path in months or not path.exists(),
                )
            )
        if not fix or (path.exists() and path not in months) or not readable:
            continue
        main = months.get(path)
        from leadjournal.models import MonthFile

        merged = store.merge_months(main or MonthFile(), [m for _, m in readable])
        if path.exists():
            backups.keep(path, move=False)
        store.atomic_write(path, store.dump_month(merged))
        months[path] = merged
        for copy, _ in readable:
            backups.keep(copy, move=True)
        for problem in report.problems:
            if problem.kind == "conflict-copy" and Path(problem.path) in {c for c, _ in readable}:
                problem.fixed = True


def _check_placement(
    report: Report, months: dict[Path, MonthFile], backups: _Backups, fix: bool
) -> None:
    seen: dict[str, Path] = {}
    misplaced: list[tuple[Path, str]] = []
    for path, month in sorted(months.items()):
        for entry in month.entries:
            if entry.id in seen:
                report.problems.append(
                    Problem(
                        "duplicate-id",
                        str(path),
                        f"entry {entry.id} is also in {seen[entry.id]}. Both are kept; "
                        "delete the one you do not want with 'leadjournal delete'.",
                        fixable=False,
                    )
                )
                continue
            seen[entry.id] = path
            if store.month_path_for(entry.day) != path:
                misplaced.append((path, entry.id))
                report.problems.append(
                    Problem(
                        "wrong-month",
                        str(path),
                        f"entry {entry.id} is dated {entry.day} and belongs in "
                        f"{store.month_path_for(entry.day).name}.",
                        fixable=True,
                    )
                )
    if fix and misplaced:
        _move_misplaced(report, months, backups, misplaced)


def _move_misplaced(
    report: Report,
    months: dict[Path, MonthFile],
    backups: _Backups,
    misplaced: list[tuple[Path, str]],
) -> None:
    """Move entries into the month file of their day (every touched file backed up first)."""
    from leadjournal.models import MonthFile

    moved_ids = {entry_id for _, entry_id in misplaced}
    moving = [e for p, m in months.items() for e in m.entries if e.id in moved_ids]
    targets: dict[Path, MonthFile] = {}
    for entry in moving:
        target = store.month_path_for(entry.day)
        if target not in targets:
            targets[target] = months.get(target) or MonthFile()
        targets[target].entries.append(entry)
    sources = {p for p, _ in misplaced}
    for path in sorted(sources | set(targets)):
        if path.exists():
            backups.keep(path, move=False)
    for target, month in targets.items():
        store.atomic_write(target, store.dump_month(month))
        months[target] = month
    for source in sources:
        month = months[source]
        month.entries = [
            e
            for e in month.entries
            if not (e.id in moved_ids and store.month_path_for(e.day) != source)
        ]
        store.atomic_write(source, store.dump_month(month))
    for problem in report.problems:
        if problem.kind == "wrong-month":
            problem.fixed = True


def _check_temp_files(report: Report, backups: _Backups, fix: bool) -> None:
    home = paths.data_dir()
    for folder in [home, *(p for p in (home / "entries").rglob("*") if p.is_dir())]:
        if not folder.is_dir():
            continue
        for item in folder.iterdir():
            if item.name.startswith(".") and item.name.endswith(".tmp") and item.is_file():
                problem = Problem(
                    "temp-file",
                    str(item),
                    "a temporary file left by an interrupted save (the journal file beside "
                    "it is complete).",
                    fixable=True,
                )
                report.problems.append(problem)
                if fix:
                    backups.keep(item, move=True)
                    problem.fixed = True


def _check_modes(report: Report, fix: bool) -> None:
    home = paths.data_dir()
    items = [home, *home.rglob("*")]
    for item in items:
        try:
            mode = stat.S_IMODE(item.lstat().st_mode)
        except OSError:
            continue
        if item.is_symlink():
            continue
        want = store.DIR_MODE if item.is_dir() else store.FILE_MODE
        if mode & ~want:
            problem = Problem(
                "mode",
                str(item),
                f"is readable by others (mode {mode:o}; it should be {want:o}).",
                fixable=True,
            )
            report.problems.append(problem)
            if fix:
                try:
                    item.chmod(want)
                    problem.fixed = True
                except OSError:
                    pass


def _check_index(report: Report) -> None:
    """The prompt-history cache: rebuilt when stale (a cache, so even without --fix)."""
    from datetime import date

    from leadjournal import history
    from leadjournal.prompts import load_prompt_set

    if not history.index_path().exists():
        return  # built on first use; nothing is stale
    prompt_set = load_prompt_set()
    if history.is_fresh(prompt_set):
        return
    history.load_history(prompt_set, date.today(), _ignore)  # noqa: DTZ011 - the local day
    report.problems.append(
        Problem(
            "index",
            str(history.index_path()),
            "the prompt-history cache was out of date; it has been rebuilt.",
            fixable=True,
            fixed=True,
        )
    )
