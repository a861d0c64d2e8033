"""git, the program: finding it, running it in a controlled environment, and reading what
it says (DESIGN.md section 13). No journal rules here: syncing.py holds the use cases,
doctor.py asks the same questions.

Every call runs the user's own git with their configuration and identity, but never
lets an environment variable of an outer git (GIT_DIR, GIT_INDEX_FILE, ...) point it at
another repository, never opens an editor or a pager, never reads our standard input,
and asks for no password on a terminal when there is none. Parsing uses only
machine-readable output (-z, plumbing), never git's messages, which may be translated.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from leadjournal import fsio
from leadjournal.errors import GitError

DRIVER = "leadjournal"
DRIVER_NAME = "leadjournal: union of two versions of a month, by id (lossless)"
DRIVER_ARGS = "merge-month %O %A %B"
# entries/.gitattributes: month files merge through the driver; recipients concatenate.
ATTRIBUTES = (
    f"*.json merge={DRIVER}",
    f"*.json.age merge={DRIVER}",
    "recipients.txt merge=union",
)
# entries/.gitignore: the hidden temp files of a save in progress, and lock files.
IGNORES = (".*.tmp", "*.lock")

# Variables an outer git sets for its hooks and aliases; they would point our git at
# another repository, index or object store.
_REPOSITORY_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
    "GIT_QUARANTINE_PATH",
    "GIT_REFLOG_ACTION",
)
# States in which git is in the middle of something the user must finish first.
_IN_PROGRESS = {
    "MERGE_HEAD": "a merge",
    "rebase-merge": "a rebase",
    "rebase-apply": "a rebase",
    "CHERRY_PICK_HEAD": "a cherry-pick",
    "REVERT_HEAD": "a revert",
}


class GitFailed(GitError):
    """A git command failed; `said` is git's own words (its standard error and output)."""

    def __init__(self, args: list[str], code: int, said: str) -> None:
        self.args_run = args
        self.code = code
        self.said = said
        super().__init__(f"'git {' '.join(args)}' failed (exit {code}):\n{indented(said)}")


def indented(text: str) -> str:
    """git's words, each line indented, or a note that it said nothing."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join(f"  {line}" for line in lines) if lines else "  (git said nothing)"


def program() -> str:
    """The git on PATH, or GitError saying it is needed."""
    found = shutil.which("git")
    if found is None:
        raise GitError(
            "git is not installed (no 'git' on PATH), and syncing with git needs it.",
            hint="Install git, or keep the journal in step with Syncthing or Dropbox instead.",
        )
    return found


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_VARIABLES}
    env["GIT_MERGE_AUTOEDIT"] = "no"
    env["GIT_EDITOR"] = ":"
    env["GIT_PAGER"] = "cat"
    env["GIT_OPTIONAL_LOCKS"] = "0"  # `status` must not fight a concurrent git for the index
    if not _has_terminal():
        env["GIT_TERMINAL_PROMPT"] = "0"  # fail instead of waiting for a password
    return env


def _has_terminal() -> bool:
    try:
        return os.isatty(0)
    except OSError:
        return False


@dataclass(frozen=True)
class Output:
    code: int
    out: str
    err: str

    @property
    def said(self) -> str:
        return "\n".join(part.strip() for part in (self.err, self.out) if part.strip())


class Git:
    """git run in one folder (`cwd`), with `overrides` (-c name=value) before every command."""

    def __init__(self, cwd: Path, overrides: tuple[str, ...] = ()) -> None:
        self.executable = program()
        self.cwd = cwd
        self.overrides = overrides
        self.env = environment()

    def run(self, *args: str, check: bool = True) -> Output:
        """Run `git ARGS`; a failure raises GitFailed with git's words unless not `check`."""
        argv = [self.executable]
        for override in self.overrides:
            argv += ["-c", override]
        argv += args
        try:
            done = subprocess.run(
                argv,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                check=False,
            )
        except OSError as exc:
            raise GitError(f"Could not run git in {self.cwd}: {fsio.reason(exc)}.") from None
        result = Output(
            done.returncode,
            done.stdout.decode("utf-8", "surrogateescape"),
            done.stderr.decode("utf-8", "replace"),
        )
        if check and result.code != 0:
            raise GitFailed(list(args), result.code, result.said)
        return result

    def value(self, *args: str) -> str | None:
        """The one-line answer of a query, or None when git answers with a failure."""
        result = self.run(*args, check=False)
        return result.out.strip() if result.code == 0 else None

    def with_overrides(self, overrides: tuple[str, ...]) -> Git:
        return Git(self.cwd, self.overrides + overrides)


# ---------------------------------------------------------------------------------------
# The repository


@dataclass(frozen=True)
class Repo:
    """The git work tree a folder lies in."""

    top: Path  # the top of the work tree
    git_dir: Path  # its git folder (of this worktree)


def find_repo(folder: Path) -> Repo | None:
    """The work tree `folder` lies in, or None when it is in none. git failing for another
    reason in a folder that has a .git (a repository it refuses) raises GitFailed."""
    git = Git(folder)
    result = git.run(
        "rev-parse", "--is-inside-work-tree", "--show-toplevel", "--absolute-git-dir", check=False
    )
    lines = result.out.splitlines()
    if result.code != 0 or len(lines) < 3 or lines[0] != "true":
        if result.code != 0 and (folder / ".git").exists():
            raise GitFailed(["rev-parse"], result.code, result.said)
        return None
    return Repo(Path(lines[1]), Path(lines[2]))


def init(folder: Path) -> None:
    Git(folder).run("init", "--quiet", ".")


def driver_command(argv: list[str]) -> str:
    """The merge driver's command line: the program, quoted for the shell, then
    `merge-month %O %A %B` (git quotes the file names it puts in place of %O %A %B)."""
    return " ".join(shlex.quote(word) for word in argv) + " " + DRIVER_ARGS


def local_config(git: Git, key: str) -> str | None:
    return git.value("config", "--local", "--get", key)


def set_local_config(git: Git, key: str, value: str) -> bool:
    """Set `key` in the repository's own config; False when it already had that value."""
    if local_config(git, key) == value:
        return False
    git.run("config", "--local", key, value)
    return True


def configured_driver(git: Git) -> str | None:
    """The merge driver git will run for the journal (any config scope), if any."""
    return git.value("config", "--get", f"merge.{DRIVER}.driver") or None


def uses_driver(git: Git) -> bool:
    """Whether git merges a month file in git's folder `cwd` with our driver (whatever
    attributes file says so)."""
    out = git.value("check-attr", "merge", "--", "2000/2000-01.json")
    return out is not None and out.endswith(f": merge: {DRIVER}")


def driver_is_runnable(driver: str) -> bool:
    """Whether the driver's program still exists (a venv moved or removed: it does not)."""
    try:
        words = shlex.split(driver)
    except ValueError:
        return False
    if not words:
        return False
    first = words[0]
    if os.sep in first:
        return os.access(first, os.X_OK)
    return shutil.which(first) is not None


def in_progress(repo: Repo) -> str | None:
    """What git is in the middle of in this work tree ("a merge", "a rebase"), or None."""
    for name, what in _IN_PROGRESS.items():
        if (repo.git_dir / name).exists():
            return what
    return None


def unmerged_paths(git: Git) -> list[str]:
    """The paths (relative to the top of the work tree) git has not finished merging."""
    out = git.run("ls-files", "--unmerged", "-z", "--full-name", "--", ":/").out
    found = []
    for record in out.split("\0"):
        if "\t" in record:
            path = record.split("\t", 1)[1]
            if path not in found:
                found.append(path)
    return found


# ---------------------------------------------------------------------------------------
# Identity, branch, upstream


def fallback_identity(git: Git, hostname: str) -> tuple[str, ...]:
    """-c overrides giving git a name and an e-mail only when the user configured none
    (git would refuse to commit); the user's own identity is always what is used."""
    if git.run("var", "GIT_AUTHOR_IDENT", check=False).code == 0 and (
        git.run("var", "GIT_COMMITTER_IDENT", check=False).code == 0
    ):
        return ()
    overrides = []
    if not git.value("config", "--get", "user.name"):
        overrides.append(f"user.name=leadjournal on {hostname or 'this device'}")
    if not git.value("config", "--get", "user.email"):
        overrides.append(f"user.email=leadjournal@{hostname or 'localhost'}")
    return tuple(overrides)


def head(git: Git) -> str | None:
    """The commit checked out, or None on a branch with no commit yet."""
    return git.value("rev-parse", "--verify", "--quiet", "HEAD^{commit}")


def branch(git: Git) -> str | None:
    """The branch checked out, or None when HEAD is detached."""
    return git.value("symbolic-ref", "--quiet", "--short", "HEAD")


@dataclass(frozen=True)
class Upstream:
    """Where the branch pulls from and pushes to."""

    remote: str  # a remote's name (or a URL)
    ref: str  # the branch there, "refs/heads/main"
    name: str  # as people say it, "origin/main"


def upstream(git: Git, branch_name: str) -> Upstream | None:
    """The branch's configured upstream (it may not exist on the remote yet), or None."""
    remote = git.value("config", "--get", f"branch.{branch_name}.remote")
    ref = git.value("config", "--get", f"branch.{branch_name}.merge")
    if not remote or not ref:
        return None
    short = ref.removeprefix("refs/heads/")
    return Upstream(remote, ref, f"{remote}/{short}")


def upstream_commit(git: Git) -> str | None:
    """The commit the upstream's remote-tracking branch is at, or None (not on the remote)."""
    return git.value("rev-parse", "--verify", "--quiet", "@{upstream}^{commit}")


def upstream_ref(git: Git) -> str | None:
    """The upstream's remote-tracking branch by its full name ("refs/remotes/origin/main")."""
    return git.value("rev-parse", "--symbolic-full-name", "@{upstream}") or None


def count(git: Git, *revisions: str) -> int:
    return int(git.run("rev-list", "--count", *revisions).out.strip() or 0)


def changed_files(git: Git, before: str | None, after: str) -> list[str]:
    """The files below git's folder `cwd` that differ between two commits (all of `after`'s
    when there was no commit before), relative to `cwd`."""
    if before is None:
        out = git.run("ls-tree", "-r", "-z", "--name-only", after, "--", ".").out
    else:
        out = git.run("diff", "--name-only", "-z", "--relative", before, after, "--", ".").out
    return [name for name in out.split("\0") if name]


# ---------------------------------------------------------------------------------------
# Files in the work tree


def add_lines(path: Path, wanted: tuple[str, ...]) -> list[str]:
    """Append to the text file `path` each of `wanted` it lacks (atomically, 0600); the
    lines added. Its other lines are kept as they are. A link is never written through."""
    if path.is_symlink():
        raise GitError(
            f"{path} is a symbolic link; leadjournal does not write through links.",
            hint="Replace it with a regular file and run 'leadjournal sync --setup' again.",
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = b""
    except OSError as exc:
        raise fsio.storage_error(exc, path, "read") from None
    present = {line.strip() for line in data.decode("utf-8", "surrogateescape").splitlines()}
    missing = [line for line in wanted if line not in present]
    if not missing:
        return []
    if data and not data.endswith(b"\n"):
        data += b"\n"
    if not data:
        data = b"# Added by 'leadjournal sync --setup'.\n"
    data += "".join(f"{line}\n" for line in missing).encode("utf-8")
    fsio.atomic_write(path, data)
    return missing
