"""Check the journal (DESIGN.md section 7) and repair what can be repaired without loss.

Checks: every month file parses and validates; ids are unique across files (entries and
commitments alike); records sit in the month file of their day; commitments link to real
entries; modes are 0600/0700; no stray temp files from interrupted
writes; no sync-conflict copies; the prompt-history index is fresh. `fix` merges conflict
copies, moves entries to their month, tightens modes, and moves strays aside. A journal in
git is checked for its merge driver and for merges git has not finished. It never
deletes: whatever it replaces or removes goes to <home>/backups/<time>/ first.
"""

from __future__ import annotations

import os
import shutil
import stat
from contextlib import suppress
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from leadjournal import fsio, paths, sealed, store
from leadjournal.errors import (
    CorruptFileError,
    GitConflictError,
    GitError,
    StorageError,
    Warn,
    ignore_warning,
)
from leadjournal.models import DoctorKind, DoctorProblem, DoctorReport

if TYPE_CHECKING:
    from leadjournal.models import Commitment, Entry, MonthFile


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
        fsio.ensure_private_dir(target.parent)
        keys = sealed.read_recipients()
        if keys and not _sealed_file(path):
            # An encrypted journal keeps no plain copy anywhere: backups are sealed too.
            target = target.with_name(target.name + sealed.SUFFIX)
        if target.exists():
            target = target.with_name(f"{target.name}.{os.getpid()}")
        try:
            if keys and not _sealed_file(path):
                fsio.atomic_write(target, sealed.seal(path.read_bytes(), keys))
                if move:
                    path.unlink()
                    fsio.fsync_dir(path.parent)
            elif move:
                shutil.move(str(path), target)
                fsio.fsync_dir(path.parent)
            else:
                shutil.copy2(path, target)
            target.chmod(fsio.FILE_MODE)
            fsio.fsync_file(target)  # the backup is on disk before anything it keeps is replaced
            fsio.fsync_dir(target.parent)
        except OSError as exc:
            raise StorageError(
                f"Could not keep a backup of {path} in {self.root}: {exc.strerror or exc}.",
                hint="Nothing in the journal was replaced for it. Free some space and run "
                "'leadjournal doctor --fix' again.",
            ) from None
        self.used = True
        return target


def _sealed_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return sealed.is_sealed(handle.read(64))
    except OSError:
        return False


Report = DoctorReport


def _problem(
    kind: DoctorKind, path: str, message: str, *, fixable: bool, fixed: bool = False
) -> DoctorProblem:
    return DoctorProblem(kind=kind, path=path, message=message, fixable=fixable, fixed=fixed)


def check(today: date, *, fix: bool = False, warn: Warn = ignore_warning) -> DoctorReport:
    """Examine every journal file; with `fix`, repair under the journal lock. `today` is
    the day the prompt-history index is rebuilt for, when it is stale."""
    report = Report()
    home = paths.data_dir()
    if not home.exists():
        return report
    if fix:
        with fsio.journal_lock():
            _run(report, today, fix=True)
    else:
        _run(report, today, fix=False)
    report.ok = not report.remaining()
    return report


def _run(report: Report, today: date, *, fix: bool) -> None:
    backups = _Backups()
    months: dict[Path, MonthFile] = {}
    for path in store.month_paths():
        main = store.main_file(path)
        if not main.exists():
            continue
        report.files += 1
        try:
            months[path] = store.read_month_file(main)
        except GitConflictError:
            report.problems.append(
                _problem(
                    "git-conflict",
                    str(main),
                    "holds git conflict markers: a git merge conflict. It is left as it is; "
                    "see 'When git reports a conflict' in the README ('git checkout --ours' "
                    "or '--theirs', then 'leadjournal merge-month').",
                    fixable=False,
                )
            )
        except CorruptFileError as exc:
            report.problems.append(
                _problem(
                    "unreadable",
                    str(main),
                    f"cannot be read: {exc.problem}. It is left as it is; restore it from "
                    "a backup, or fix it by hand.",
                    fixable=False,
                )
            )
    _check_forms(report, months, fix)
    _check_conflicts(report, months, backups, fix)
    _check_placement(report, months, backups, fix)
    report.entries = sum(len(m.entries) for m in months.values())
    report.commitments = sum(len(m.commitments) for m in months.values())
    _check_temp_files(report, backups, fix)
    _check_drafts(report)
    _check_modes(report, fix)
    _check_git(report)
    _check_index(report, today)
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
                readable.append((copy, store.read_month_file(copy)))
            except CorruptFileError as exc:
                report.problems.append(
                    _problem(
                        "unreadable",
                        str(copy),
                        f"a sync-conflict copy that cannot be read: {exc.problem}.",
                        fixable=False,
                    )
                )
        for copy, _ in readable:
            report.problems.append(
                _problem(
                    "conflict-copy",
                    str(copy),
                    f"a copy left by a file sync tool beside {path.name}; until it is merged, "
                    "commands read both.",
                    fixable=path in months or not path.exists(),
                )
            )
        main_path = store.main_file(path)
        if not fix or (main_path.exists() and path not in months) or not readable:
            continue
        main = months.get(path)
        from leadjournal.models import MonthFile

        merged = store.merge_months(main or MonthFile(), [m for _, m in readable])
        if main_path.exists():
            backups.keep(main_path, move=False)
        store.save_month(path, merged)
        months[path] = merged
        for copy, _ in readable:
            backups.keep(copy, move=True)
        for problem in report.problems:
            if problem.kind == "conflict-copy" and Path(problem.path) in {c for c, _ in readable}:
                problem.fixed = True


def _check_forms(report: Report, months: dict[Path, MonthFile], fix: bool) -> None:
    """A month in the form the journal does not use beside its main file (a plain month
    from an old device in an encrypted journal): read by every command; --fix writes the
    union in the journal's form and removes it, keeping no plain copy anywhere."""
    encrypted = sealed.is_encrypted()
    for path in store.month_paths():
        other = store.other_form(path, encrypted)
        main = store.main_file(path, encrypted)
        alone = other is None and main.exists() and main.name.endswith(".age") != encrypted
        if alone:
            other = main  # only the other form exists: it is the month, in the wrong form
        if other is None:
            continue
        try:
            theirs = store.read_month_file(other)
        except CorruptFileError as exc:
            if alone:
                continue  # reported as unreadable already
            report.problems.append(
                _problem(
                    "unreadable",
                    str(other),
                    f"cannot be read: {exc.problem}. It is left as it is.",
                    fixable=False,
                )
            )
            continue
        if encrypted:
            form = "a plain month file in an encrypted journal"
        else:
            form = "an encrypted month file in a plain journal"
        target = store.sealed_path(path) if encrypted else path
        problem = _problem(
            "other-form",
            str(other),
            f"{form}; commands read it. 'leadjournal doctor --fix' merges it into "
            f"{target.name} and removes it.",
            fixable=path in months,
        )
        report.problems.append(problem)
        if fix and path in months:
            merged = months[path] if alone else store.merge_months(months[path], [theirs])
            store.save_month(path, merged)
            months[path] = merged
            problem.fixed = not other.exists()


def _check_placement(
    report: Report, months: dict[Path, MonthFile], backups: _Backups, fix: bool
) -> None:
    """Ids unique across the journal (entries and commitments share one id space), every
    record in the month file of its day, every commitment's entry_id a real entry."""
    seen: dict[str, Path] = {}
    misplaced: list[tuple[Path, str]] = []
    entry_ids = {e.id for m in months.values() for e in m.entries}
    for path, month in sorted(months.items()):
        records: list[tuple[str, Entry | Commitment]] = [("entry", e) for e in month.entries]
        records += [("commitment", c) for c in month.commitments]
        for what, record in records:
            if record.id in seen:
                report.problems.append(
                    _problem(
                        "duplicate-id",
                        str(path),
                        f"{what} {record.id} is also in {seen[record.id]}. Both are kept; "
                        "delete the one you do not want with 'leadjournal delete'.",
                        fixable=False,
                    )
                )
                continue
            seen[record.id] = path
            if store.month_path_for(record.day) != path:
                misplaced.append((path, record.id))
                report.problems.append(
                    _problem(
                        "wrong-month",
                        str(path),
                        f"{what} {record.id} is dated {record.day} and belongs in "
                        f"{store.month_path_for(record.day).name}.",
                        fixable=True,
                    )
                )
        for commitment in month.commitments:
            if commitment.entry_id is not None and commitment.entry_id not in entry_ids:
                report.problems.append(
                    _problem(
                        "dangling-link",
                        str(path),
                        f"commitment {commitment.id} is linked to entry {commitment.entry_id}, "
                        "which is not in the journal. The commitment is kept as it is.",
                        fixable=False,
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
    """Move records into the month file of their day (every touched file backed up first)."""
    from leadjournal.models import MonthFile

    moved_ids = {record_id for _, record_id in misplaced}
    targets: dict[Path, MonthFile] = {}

    def target_for(day: date) -> MonthFile:
        target = store.month_path_for(day)
        if target not in targets:
            targets[target] = months.get(target) or MonthFile()
        return targets[target]

    for month in list(months.values()):
        for entry in [e for e in month.entries if e.id in moved_ids]:
            target_for(entry.day).entries.append(entry)
        for commitment in [c for c in month.commitments if c.id in moved_ids]:
            target_for(commitment.day).commitments.append(commitment)
    sources = {p for p, _ in misplaced}
    for path in sorted(sources | set(targets)):
        if store.main_file(path).exists():
            backups.keep(store.main_file(path), move=False)
    for target, month in targets.items():
        store.save_month(target, month)
        months[target] = month
    for source in sources:
        month = months[source]
        month.entries = [
            e
            for e in month.entries
            if not (e.id in moved_ids and store.month_path_for(e.day) != source)
        ]
        month.commitments = [
            c
            for c in month.commitments
            if not (c.id in moved_ids and store.month_path_for(c.day) != source)
        ]
        store.save_month(source, month)
    for problem in report.problems:
        if problem.kind == "wrong-month":
            problem.fixed = True


def _folders(root: Path) -> list[Path]:
    """`root` and every folder below it, links not followed, git's own folders left out
    (.git holds git's files, not the journal's)."""
    found = []
    for folder, subfolders, _ in os.walk(root):
        subfolders[:] = [name for name in subfolders if name != ".git"]
        found.append(Path(folder))
    return found


def _check_temp_files(report: Report, backups: _Backups, fix: bool) -> None:
    home = paths.data_dir()
    entries = home / "entries"
    for folder in [home, *(_folders(entries) if entries.is_dir() else [])]:
        if not folder.is_dir():
            continue
        for item in folder.iterdir():
            if item.name.startswith(".") and item.name.endswith(".tmp") and item.is_file():
                problem = _problem(
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


def _check_drafts(report: Report) -> None:
    """Drafts kept after a failed save: the writer's own words, never removed by --fix."""
    for item in sorted(paths.data_dir().glob(".draft-*.md")):
        if item.is_file():
            report.problems.append(
                _problem(
                    "draft",
                    str(item),
                    "a draft kept after a save failed. Restore it with "
                    f"'leadjournal write --draft {item}' (it is deleted once saved), or "
                    "delete it.",
                    fixable=False,
                )
            )


def _check_modes(report: Report, fix: bool) -> None:
    home = paths.data_dir()
    items: list[Path] = []
    for folder in _folders(home):
        items.append(folder)
        with suppress(OSError):
            items += sorted(item for item in folder.iterdir() if item.name != ".git")
    for item in dict.fromkeys(items):
        try:
            mode = stat.S_IMODE(item.lstat().st_mode)
        except OSError:
            continue
        if item.is_symlink():
            continue
        want = fsio.DIR_MODE if item.is_dir() else fsio.FILE_MODE
        if mode & ~want:
            problem = _problem(
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


def _check_git(report: Report) -> None:
    """A journal in git: its merge driver set up, no merge left unfinished. Without git
    on PATH there is nothing to ask."""
    from leadjournal import gitsync

    entries = paths.entries_dir()
    if not entries.is_dir() or shutil.which("git") is None:
        return
    try:
        repo = gitsync.find_repo(entries)
        if repo is None:
            return
        git = gitsync.Git(entries)
        if gitsync.configured_driver(git) is None or not gitsync.uses_driver(git):
            report.problems.append(
                _problem(
                    "git-setup",
                    str(entries),
                    "is in a git repository whose merge driver for the journal is not set "
                    "up, so a git merge of two edited months would break them. Run "
                    "'leadjournal sync --setup' (once in every clone).",
                    fixable=False,
                )
            )
        named = {p.path for p in report.problems if p.kind == "git-conflict"}
        for name in gitsync.unmerged_paths(git):
            if str(repo.top / name) in named:
                continue  # its conflict markers are reported already
            report.problems.append(
                _problem(
                    "git-conflict",
                    str(repo.top / name),
                    "git has not finished merging it (an unmerged path). See 'When git "
                    "reports a conflict' in the README.",
                    fixable=False,
                )
            )
    except GitError as exc:
        report.problems.append(
            _problem("git-setup", str(entries), f"git could not be asked: {exc}", fixable=False)
        )


def _check_index(report: Report, today: date) -> None:
    """The prompt-history cache: rebuilt when stale (a cache, so even without --fix)."""
    from leadjournal import history
    from leadjournal.prompts.load import load_prompt_set

    if not history.index_path().exists():
        return  # built on first use; nothing is stale
    prompt_set = load_prompt_set()
    if history.is_fresh(prompt_set):
        return
    history.load_history(prompt_set, today, ignore_warning)
    report.problems.append(
        _problem(
            "index",
            str(history.index_path()),
            "the prompt-history cache was out of date; it has been rebuilt.",
            fixable=True,
            fixed=True,
        )
    )
