"""The use cases of one journal on several devices with git (DESIGN.md section 13):
`sync --setup`, `sync` and git's merge driver `merge-month`, each returning a result.

A sibling of journal.py, which holds the other use cases (it would grow past a comfortable
length with these). git itself is run by gitsync.py; the merge rule is the store's
`merge_months`, the same function that merges the copies file sync tools leave.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from leadjournal import fsio, gitsync, paths, store
from leadjournal.errors import CorruptFileError, GitError, JournalError
from leadjournal.gitsync import Git, GitFailed, indented

if TYPE_CHECKING:
    from leadjournal.models import MonthFile, SyncReport, SyncSetupReport

CONFLICT_HELP = "See 'When git reports a conflict' in the README."
SETUP_HINT = (
    "Run 'leadjournal sync --setup' once in this clone (git does not copy a repository's "
    "config when it clones it)."
)


# ---------------------------------------------------------------------------------------
# sync --setup


@dataclass
class SetupResult:
    """What `sync --setup` found and changed."""

    top: Path  # the top of the git work tree
    initialized: bool  # --init made entries/ a repository
    gitattributes: Path
    gitignore: Path
    added_attributes: list[str]  # the lines added to .gitattributes
    added_ignores: list[str]  # the lines added to .gitignore
    driver: str  # the merge driver's command line
    driver_changed: bool

    @property
    def changed(self) -> bool:
        return (
            self.initialized
            or bool(self.added_attributes or self.added_ignores)
            or self.driver_changed
        )

    def report(self) -> SyncSetupReport:
        from leadjournal.models import SyncSetupReport

        return SyncSetupReport(gitattributes=str(self.gitattributes), driver=self.driver)


def setup_sync(program: Sequence[str], *, init: bool) -> SetupResult:
    """Make git merge the journal's month files losslessly: attributes, ignores and the
    merge driver (`program` is how to run this leadjournal). With `init`, entries/ is made
    a repository first when it is in none. Running it again changes nothing."""
    gitsync.program()
    entries = paths.entries_dir()
    repo = gitsync.find_repo(_nearest_folder(entries))
    if repo is None and not init:
        raise GitError(
            f"The journal folder {entries} is not in a git work tree.",
            hint="Run 'leadjournal sync --setup --init' to make it a repository, or clone "
            "your journal's repository there first.",
        )
    with fsio.journal_lock():
        fsio.ensure_private_dir(entries)
        initialized = repo is None
        if repo is None:
            gitsync.init(entries)
            repo = gitsync.find_repo(entries)
            if repo is None:  # git made it, then did not recognise it: say so, plainly
                raise GitError(f"git could not make {entries} a repository.")
        attributes = gitsync.add_lines(entries / ".gitattributes", gitsync.ATTRIBUTES)
        ignores = gitsync.add_lines(entries / ".gitignore", gitsync.IGNORES)
        git = Git(entries)
        driver = gitsync.driver_command(list(program))
        renamed = gitsync.set_local_config(git, f"merge.{gitsync.DRIVER}.name", gitsync.DRIVER_NAME)
        pointed = gitsync.set_local_config(git, f"merge.{gitsync.DRIVER}.driver", driver)
    return SetupResult(
        top=repo.top,
        initialized=initialized,
        gitattributes=entries / ".gitattributes",
        gitignore=entries / ".gitignore",
        added_attributes=attributes,
        added_ignores=ignores,
        driver=driver,
        driver_changed=renamed or pointed,
    )


def _nearest_folder(path: Path) -> Path:
    """`path`, or its nearest parent that exists (git can only be asked about those)."""
    while not path.is_dir() and path.parent != path:
        path = path.parent
    return path


# ---------------------------------------------------------------------------------------
# sync


@dataclass
class SyncResult:
    """What `sync` did (so far, when git fails)."""

    committed: bool = False
    upstream: str | None = None  # "origin/main"; None: the branch has none
    branch: str | None = None  # None: HEAD is detached
    pulled: int = 0  # commits that came in
    merged: bool = False
    pushed: int = 0  # commits that went out
    came_in: list[str] = field(default_factory=list)  # files the merge changed, below entries/
    created_remote_branch: bool = False
    top: Path | None = None

    def report(self) -> SyncReport:
        from leadjournal.models import SyncReport

        return SyncReport(committed=self.committed, pulled=self.pulled, pushed=self.pushed)

    def done(self) -> list[str]:
        """What was done, in sentences."""
        said = ["Committed the journal's changes." if self.committed else "Nothing new to commit."]
        if self.merged:
            said.append(f"Merged {_commits(self.pulled)} from {self.upstream}.")
        return said


def sync_journal(now: datetime) -> SyncResult:
    """Commit the changes of entries/, merge the upstream (fetch, then merge, never rebase)
    and push to it. The journal lock is held while files change (commit, merge), not
    while the network is used (fetch, push). A failure of git says what was already done
    and git's own words; nothing is reset or discarded."""
    gitsync.program()
    entries = paths.entries_dir()
    repo = gitsync.find_repo(entries) if entries.is_dir() else None
    if repo is None:
        raise GitError(
            f"The journal folder {entries} is not a git repository set up for syncing.",
            hint="Run 'leadjournal sync --setup' (with --init to make it a repository).",
        )
    git = Git(entries)
    _check_ready(git, repo)
    host = socket.gethostname() or "unknown-host"
    git = git.with_overrides(gitsync.fallback_identity(git, host))
    message = f"leadjournal sync {host} {now.isoformat()}"
    result = SyncResult(top=repo.top)

    with fsio.journal_lock():
        _commit_changes(git, entries, message, result)
    result.branch = gitsync.branch(git)
    upstream = gitsync.upstream(git, result.branch) if result.branch else None
    if upstream is None:
        return result
    result.upstream = upstream.name

    try:
        git.run("fetch", "--quiet", upstream.remote)
    except GitFailed as exc:
        raise _failed(
            result,
            f"fetching from {upstream.remote}",
            exc,
            "Nothing was lost: your changes are committed here. Check the connection and "
            "the remote, then run 'leadjournal sync' again.",
        ) from None

    with fsio.journal_lock():
        _commit_changes(git, entries, message, result)  # what was saved during the fetch
        _merge(git, entries, upstream, result)

    _push(git, upstream, result)
    return result


def _commit_changes(git: Git, entries: Path, message: str, result: SyncResult) -> None:
    """Commit every change below entries/ (under the journal lock), then tighten what git
    checked out."""
    try:
        result.committed = _commit(git, message) or result.committed
    except GitFailed as exc:
        raise _failed(
            result, "committing the journal's changes", exc, "Nothing was reset."
        ) from None
    finally:
        fsio.make_private_tree(entries)


def _check_ready(git: Git, repo: gitsync.Repo) -> None:
    """Set up, with a driver that still exists, and git in the middle of nothing."""
    driver = gitsync.configured_driver(git)
    if driver is None or not gitsync.uses_driver(git):
        raise GitError(
            f"The journal's git repository ({repo.top}) is not set up for leadjournal: a "
            "git merge of two edited months would break them.",
            hint=SETUP_HINT,
        )
    if not gitsync.driver_is_runnable(driver):
        raise GitError(
            f"git's merge driver for the journal runs a program that is no longer there "
            f"({driver}).",
            hint="Run 'leadjournal sync --setup' again to point it at this leadjournal.",
        )
    unmerged = gitsync.unmerged_paths(git)
    if unmerged:
        shown = ", ".join(unmerged[:5]) + (" and more" if len(unmerged) > 5 else "")
        raise GitError(
            f"git reports unmerged paths in {repo.top}: {shown}. sync changed nothing.",
            hint=f"Finish that merge first, then run 'leadjournal sync' again. {CONFLICT_HELP}",
        )
    busy = gitsync.in_progress(repo)
    if busy:
        raise GitError(
            f"git is in the middle of {busy} in {repo.top}; sync changed nothing.",
            hint="Finish it (or abort it) with git, then run 'leadjournal sync' again.",
        )


def _commit(git: Git, message: str) -> bool:
    """Commit every change below entries/ (and only there); False when there was none."""
    git.run("add", "--all", "--", ".")
    staged = git.run("diff", "--cached", "--quiet", "--", ".", check=False)
    if staged.code == 0:
        return False
    if staged.code != 1:
        raise GitFailed(["diff", "--cached", "--quiet"], staged.code, staged.said)
    git.run("commit", "--quiet", "--no-verify", "-m", message, "--", ".")
    return True


def _merge(git: Git, entries: Path, upstream: gitsync.Upstream, result: SyncResult) -> None:
    """Merge what the fetch brought (under the journal lock): a merge commit or a
    fast-forward, whatever the user's pull and merge settings; the merge driver unites
    month files edited on both sides."""
    target = gitsync.upstream_commit(git)
    if target is None:
        return  # the branch is not on the remote yet: the push creates it
    before = gitsync.head(git)
    result.pulled = (
        gitsync.count(git, target, "--not", before) if before else gitsync.count(git, target)
    )
    if not result.pulled:
        return
    ref = gitsync.upstream_ref(git) or target
    try:
        git.run(
            "merge",
            "--no-edit",
            "--ff",
            "--commit",
            "--no-squash",
            "--no-verify",
            "--no-autostash",
            "--allow-unrelated-histories",
            ref,
        )
    except GitFailed as exc:
        if not _unite_forms(git, entries):
            raise _failed(
                result,
                f"merging {_commits(result.pulled)} from {upstream.name}",
                exc,
                f"The work tree is left as git left it; nothing was reset or discarded. "
                f"{CONFLICT_HELP}",
            ) from None
    finally:
        fsio.make_private_tree(entries)
    result.merged = True
    after = gitsync.head(git)
    if after is not None:
        result.came_in = gitsync.changed_files(git, before, after)


def _unite_forms(git: Git, entries: Path) -> bool:
    """The one conflict git leaves that the driver cannot see: one device encrypted
    (YYYY-MM.json became YYYY-MM.json.age) while another wrote the plain month, or the
    reverse (a modify/delete of one form, the other form added). When every unmerged path
    is such a month, both forms are read, their union is written in the form the journal
    now uses (the store's save), the other form removed, and the merge committed. Under
    the journal lock; False when anything else is unmerged (git's words then stand)."""
    repo = gitsync.find_repo(entries)
    unmerged = gitsync.unmerged_paths(git)
    if repo is None or not unmerged:
        return False
    months: dict[Path, list[str]] = {}
    for name in unmerged:
        path = repo.top / name
        if not store.MONTH_NAME.fullmatch(path.name) or not path.is_relative_to(entries):
            return False
        plain = path.with_name(path.name.removesuffix(".age"))
        if not (plain.exists() and store.sealed_path(plain).exists()):
            return False  # not a change of form: a conflict the driver could not resolve
        months.setdefault(plain, [])
    try:
        united = {plain: store.read_month(plain) for plain in months}  # both forms
    except CorruptFileError:
        return False  # a form that cannot be read: nothing is changed
    for plain, month in united.items():
        store.save_month(plain, month)
        for form in (plain, store.sealed_path(plain)):
            rel = form.relative_to(repo.top).as_posix()
            git.run("add", "-A", "--", f":/{rel}")
    git.run("commit", "--quiet", "--no-edit", "--no-verify")
    return True


def _push(git: Git, upstream: gitsync.Upstream, result: SyncResult) -> None:
    """Send what the remote lacks to the upstream branch, creating it when it is missing."""
    if gitsync.head(git) is None:
        return  # nothing was ever committed: nothing to send
    tracking = gitsync.upstream_commit(git)
    if tracking is not None:
        ahead = gitsync.count(git, "HEAD", "--not", tracking)
    else:
        ahead = gitsync.count(git, "HEAD", "--not", f"--remotes={upstream.remote}")
    if tracking is not None and ahead == 0:
        return
    try:
        git.run("push", "--quiet", "--no-verify", upstream.remote, f"HEAD:{upstream.ref}")
    except GitFailed as exc:
        raise _failed(
            result,
            f"pushing to {upstream.name}",
            exc,
            "Nothing was lost: everything is committed here. Run 'leadjournal sync' again "
            "(it merges what is new there first).",
        ) from None
    result.pushed = ahead
    result.created_remote_branch = tracking is None


def _commits(n: int) -> str:
    return f"{n} commit{'' if n == 1 else 's'}"


def _failed(result: SyncResult, doing: str, exc: GitFailed, hint: str) -> GitError:
    """git's failure, after what was already done."""
    return GitError(
        f"{' '.join(result.done())} Then {doing} failed; git said:\n{indented(exc.said)}",
        hint=hint,
    )


# ---------------------------------------------------------------------------------------
# merge-month


@dataclass
class MergeResult:
    entries: int
    tombstones: int


def merge_month(ours: Path, theirs: Path) -> MergeResult:
    """git's merge driver: the union of OURS and THEIRS by store.merge_months (the rule of
    the sync-conflict copies: by id, the newer change wins, a tie goes to OURS, tombstones
    kept), written into OURS. BASE is never needed: that union does not depend on it.
    When a side is empty or cannot be read, OURS is left as it was (git then reports a
    conflict and keeps both versions)."""
    mine = _version(ours, "this side's version (OURS)")
    other = _version(theirs, "the other side's version (THEIRS)")
    merged = store.merge_months(mine, [other])
    try:
        store.write_version(ours, merged, encrypted=_sealed(ours) or _sealed(theirs))
    except CorruptFileError as exc:
        raise JournalError(
            f"leadjournal merge-month could not write the merge of {ours}: {exc.problem}.",
            hint=f"Both versions were left as they are. {CONFLICT_HELP}",
        ) from None
    return MergeResult(len(merged.entries), len(merged.tombstones))


def _sealed(path: Path) -> bool:
    from leadjournal import sealed

    try:
        with path.open("rb") as handle:
            return sealed.is_sealed(handle.read(64))
    except OSError:
        return False


def _version(path: Path, side: str) -> MonthFile:
    from leadjournal import sealed

    try:
        return store.read_version(path)
    except sealed.NoIdentityError:
        raise JournalError(
            f"leadjournal merge-month could not merge two versions of a month file: {side}, "
            f"{path}, cannot be read: it is encrypted, and this device has no age identity at "
            f"{sealed.identity_file()}.",
            hint="Both versions were left as they are, so git reports a conflict and nothing "
            f"is lost. {CONFLICT_HELP}",
        ) from None
    except CorruptFileError as exc:
        raise JournalError(
            f"leadjournal merge-month could not merge two versions of a month file: {side}, "
            f"{path}, cannot be read: {exc.problem}.",
            hint="Both versions were left as they are, so git reports a conflict and nothing "
            f"is lost. {CONFLICT_HELP}",
        ) from None
