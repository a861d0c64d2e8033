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
from leadjournal.models import Commitment, DoctorKind, DoctorProblem, DoctorReport, Entry, Tombstone

if TYPE_CHECKING:
    from leadjournal.models import MonthFile


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
    _check_links(report)
    _check_temp_files(report, backups, fix)
    _check_year_names(report)
    _check_settings_files(report)
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
                    fixable=path in months or not store.main_file(path).exists(),
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
    """One id, one place (DESIGN.md section 18): every id in one month file only (entries
    and commitments share one id space), every record in the month file of its day, every
    commitment's entry_id a real entry. Copies of one id in several files are resolved by
    section 7's rule (store.resolve_ids), which is what every command shows meanwhile."""
    winners = store.resolve_ids(sorted(months.items()))
    live_in: dict[str, list[Path]] = {}
    for path, month in sorted(months.items()):
        records: list[Entry | Commitment] = [*month.entries, *month.commitments]
        for record in records:
            live_in.setdefault(record.id, []).append(path)
    tangled: set[str] = set()
    for record_id, places in live_in.items():
        where, winner = winners[record_id]
        first = months[places[0]]
        what = "commitment" if any(c.id == record_id for c in first.commitments) else "entry"
        if len(places) > 1 or where not in places:
            tangled.add(record_id)
            kept = (
                f"it was deleted in {where}, which wins"
                if where not in places
                else f"the copy in {where} is the newest"
            )
            for other in (p for p in places if p != where):
                report.problems.append(
                    _problem(
                        "duplicate-id",
                        str(other),
                        f"{what} {record_id} is also in {where}; {kept}, and every command "
                        "shows only that one. --fix keeps only it (this file is kept in "
                        "backups/ first).",
                        fixable=True,
                    )
                )
        if not isinstance(winner, Tombstone) and store.month_path_for(winner.day) != where:
            tangled.add(record_id)
            report.problems.append(
                _problem(
                    "wrong-month",
                    str(where),
                    f"{what} {record_id} is dated {winner.day} and belongs in "
                    f"{store.month_path_for(winner.day).name}.",
                    fixable=True,
                )
            )
    entry_ids = {i for i, (_, r) in winners.items() if isinstance(r, Entry)}
    for path, month in sorted(months.items()):
        for commitment in month.commitments:
            if winners[commitment.id][0] != path:
                continue
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
    if fix and tangled:
        _untangle(report, months, backups, winners, tangled)


def _untangle(
    report: Report,
    months: dict[Path, MonthFile],
    backups: _Backups,
    winners: dict[str, store.Placed],
    tangled: set[str],
) -> None:
    """Leave each tangled id exactly once: the winning copy in the month file of its day;
    a deleted one as a tombstone in every file that held a live copy. The files changed
    are backed up first, then written in two staged commits (fsio.commit_files): first
    every winner is put in the month of its day (the copies elsewhere still there, which
    readers resolve away), then the other copies are taken out. Records can cross in both
    directions (October's to November, November's to October), so no order of renames in
    one commit is safe from a crash between them: this way a crash at any instant leaves
    every record in view, at worst once more than it should be, never once less."""
    from leadjournal.models import MonthFile

    placed: dict[Path, MonthFile] = {}  # after the first commit
    final: dict[Path, MonthFile] = {}  # after the second

    def copy_of(into: dict[Path, MonthFile], path: Path) -> MonthFile:
        if path not in into:
            base = placed.get(path) or months.get(path) or MonthFile()
            into[path] = base.model_copy(deep=True)
        return into[path]

    def without(month: MonthFile, record_id: str) -> None:
        month.entries = [e for e in month.entries if e.id != record_id]
        month.commitments = [c for c in month.commitments if c.id != record_id]
        month.tombstones = [t for t in month.tombstones if t.id != record_id]

    def holders(record_id: str) -> list[Path]:
        return sorted(
            p
            for p, m in months.items()
            if any(e.id == record_id for e in m.entries)
            or any(c.id == record_id for c in m.commitments)
        )

    for record_id in sorted(tangled):  # first: each winner in the month of its day
        winner = winners[record_id][1]
        if isinstance(winner, Tombstone):
            continue
        month = copy_of(placed, store.month_path_for(winner.day))
        without(month, record_id)
        if isinstance(winner, Commitment):
            month.commitments.append(winner)
        else:
            month.entries.append(winner)
    for record_id in sorted(tangled):  # then: every other copy out
        winner = winners[record_id][1]
        home = None if isinstance(winner, Tombstone) else store.month_path_for(winner.day)
        for path in holders(record_id):
            if path == home:
                continue
            month = copy_of(final, path)
            without(month, record_id)
            if isinstance(winner, Tombstone):  # deleted there too
                month.tombstones.append(winner)
    for path in sorted({*placed, *final}):
        if store.main_file(path).exists():
            backups.keep(store.main_file(path), move=False)
    store.save_months([(p, placed[p]) for p in sorted(placed)])
    months.update(placed)
    store.save_months([(p, final[p]) for p in sorted(final)])
    months.update(final)
    for problem in report.problems:
        if problem.kind in ("wrong-month", "duplicate-id"):
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
    """Temp files an interrupted save of ours left: named like fsio.temp_name makes them
    (another program's hidden *.tmp is not ours, and is left where it is)."""
    home = paths.data_dir()
    entries = home / "entries"
    for folder in [home, *(_folders(entries) if entries.is_dir() else [])]:
        if not folder.is_dir():
            continue
        for item in folder.iterdir():
            if fsio.is_our_temp(item.name) and item.is_file() and not item.is_symlink():
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


def _check_year_names(report: Report) -> None:
    """Whatever in entries/ is not named as a year: readers pass it by (a folder named
    '²' or the full-width '2026' is no year), so the user hears of it here; and a year
    folder that cannot be listed (permissions, a symlink loop), which readers skip."""
    try:
        items = sorted(os.scandir(paths.entries_dir()), key=lambda item: item.name)
    except OSError:
        return
    for item in items:
        if item.name.startswith(".") or item.is_symlink():
            continue  # a link is named by _check_links
        if item.name == sealed.RECIPIENTS:
            continue  # the journal's age recipients (DESIGN.md section 12), meant to be here
        if store.YEAR_NAME.fullmatch(item.name):
            try:
                with os.scandir(item.path) as listing:
                    names = sorted(entry.name for entry in listing)
            except NotADirectoryError:
                continue
            except OSError as exc:
                report.problems.append(
                    _problem(
                        "unreadable",
                        item.path,
                        f"the year folder cannot be read ({fsio.reason(exc)}), so every "
                        "command skips it. Check its permissions, or what it links to.",
                        fixable=False,
                    )
                )
                continue
            _check_month_names(report, Path(item.path), names)
            continue
        report.problems.append(
            _problem(
                "unknown-name",
                item.path,
                "is not named as a year folder (four digits, e.g. 2026), so leadjournal "
                "does not read it. Rename or move it.",
                fixable=False,
            )
        )


def _check_month_names(report: Report, year: Path, names: list[str]) -> None:
    """Whatever in a year folder is neither a month file nor a conflict copy of a sync tool
    we know (Syncthing, Dropbox) nor our own temp file: readers pass it by, so a copy that
    another sync tool made (iCloud's "2026-11 2.json", OneDrive's "2026-11-PC.json") would
    go unseen; it is named here. Hidden files (.DS_Store, .stfolder) belong to the system
    or the sync tool; links are named by _check_links."""
    for name in names:
        if name.startswith(".") or store.MONTH_NAME.fullmatch(name):
            continue
        if store.CONFLICT_NAME.fullmatch(name) or (year / name).is_symlink():
            continue
        report.problems.append(
            _problem(
                "unknown-name",
                str(year / name),
                "is neither a month file (YYYY-MM.json) nor a conflict copy leadjournal "
                "knows (Syncthing's, Dropbox's), so it is not read. If another sync tool "
                "made it, look inside and copy what you miss into the journal, then move "
                "it out of entries/.",
                fixable=False,
            )
        )


def _check_settings_files(report: Report) -> None:
    """config.toml and prompts.yaml, when present, are regular files: a FIFO or a device
    there is never read (fsio.read_regular), and named here."""
    for path, what in (
        (paths.config_file(), "the config file"),
        (paths.user_prompts_file(), "your prompts file"),
    ):
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            continue
        except OSError as exc:
            problem = f"cannot be read ({fsio.reason(exc)})"
        else:
            if stat.S_ISREG(mode):
                continue
            problem = f"is {fsio.file_kind(mode)}, not a regular file"
        report.problems.append(
            _problem(
                "unreadable",
                str(path),
                f"{problem}, so {what} is left out. Replace it with a regular file, or remove it.",
                fixable=False,
            )
        )


def _check_links(report: Report) -> None:
    """Symbolic links below entries/ (entries/ itself and the home may be links): never
    followed, read, written through or chmodded by any command, so named here."""
    entries = paths.entries_dir()
    if not entries.is_dir():
        return
    for folder, subfolders, files in os.walk(entries):
        subfolders[:] = [name for name in subfolders if name != ".git"]
        for name in sorted([*subfolders, *files]):  # os.walk lists a link, never enters it
            item = Path(folder) / name
            if item.is_symlink():
                report.problems.append(
                    _problem(
                        "symlink",
                        str(item),
                        f"is a symbolic link (to {item.readlink()}); leadjournal does not "
                        "follow links inside entries/, so what it points to is not part of "
                        "the journal. Move the files themselves into entries/, or remove "
                        "the link.",
                        fixable=False,
                    )
                )


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


def _our_items() -> list[Path]:
    """The files and folders whose modes doctor checks: the journal's own (the home,
    entries/ and its year folders, the month files and their sync-conflict copies, the
    lock, caches, backups and drafts), never another program's (git's, the user's)."""
    home = paths.data_dir()
    items = [home]
    entries = paths.entries_dir()
    with suppress(OSError):
        items.append(entries)
        for year in os.scandir(entries):
            if not (year.name.isdigit() and year.is_dir(follow_symlinks=False)):
                continue
            items.append(Path(year.path))
            items += [
                Path(item.path)
                for item in os.scandir(year.path)
                if store.MONTH_NAME.fullmatch(item.name) or store.CONFLICT_NAME.fullmatch(item.name)
            ]
    for root in (paths.cache_dir(), paths.backups_dir()):
        for folder in _folders(root) if root.is_dir() and not root.is_symlink() else []:
            items.append(folder)
            with suppress(OSError):
                items += sorted(item for item in folder.iterdir() if not item.is_dir())
    items.append(paths.lock_file())
    items += sorted(home.glob(".draft-*.md"))
    return items


def _check_modes(report: Report, fix: bool) -> None:
    for item in dict.fromkeys(_our_items()):
        try:
            st = item.lstat()
        except OSError:
            continue
        if stat.S_ISLNK(st.st_mode) or not (stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode)):
            continue
        mode = stat.S_IMODE(st.st_mode)
        want = fsio.DIR_MODE if stat.S_ISDIR(st.st_mode) else fsio.FILE_MODE
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
                    # Only the bits for others go: a folder the user made 0500 stays 0500.
                    item.chmod(mode & want)
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
