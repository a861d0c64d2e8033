"""One journal on several devices with git (DESIGN.md section 13), with real repositories:
a bare remote and clones of it in temp folders, each clone the entries/ of its own
journal home. No network, no user's git settings (a global config of the test's own).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import TEST_IDENTITY, Result, cli, git, run

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

README = Path(__file__).parent.parent / "README.md"
MONTH = "2026/2026-11.json"
DAY = "2026-11-05T09:00"


# ---------------------------------------------------------------------------------------
# Devices


class Device:
    """One journal home (a laptop, a desktop); commands run with LEADJOURNAL_HOME there."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.entries = home / "entries"

    @contextmanager
    def _here(self) -> Iterator[None]:
        previous = os.environ.get("LEADJOURNAL_HOME")
        os.environ["LEADJOURNAL_HOME"] = str(self.home)
        try:
            yield
        finally:
            if previous is None:
                del os.environ["LEADJOURNAL_HOME"]
            else:
                os.environ["LEADJOURNAL_HOME"] = previous

    def cli(self, *args: str) -> Result:
        """The command in-process (fast); git and its merge driver still run for real."""
        with self._here():
            return cli(*args)

    def run(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        """The command as a real process (`python -m leadjournal`)."""
        return run(args, env={"LEADJOURNAL_HOME": str(self.home), **(env or {})})

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return git(self.entries, *args, check=check)

    def ok(self, *args: str) -> Result:
        result = self.cli(*args)
        assert result.code == 0, result
        return result

    def write(self, text: str, day: str = DAY) -> str:
        return str(self.ok("write", "--free", "--json", "--date", day, text).json()["id"])

    def texts(self) -> dict[str, str]:
        return {e["id"]: e["text"] for e in self.ok("list", "--json").json()}

    def month(self) -> Path:
        return self.entries / MONTH

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").stdout.strip()

    def status(self) -> str:
        return self.git("status", "--porcelain").stdout

    def sync(self) -> dict[str, Any]:
        result = self.ok("sync", "--json")
        data: dict[str, Any] = result.json()
        return data


@pytest.fixture(autouse=True)
def own_git_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A global git config of the test's own: none of the user's settings, hooks or
    identity (so leadjournal's fallback identity is what commits, unless a test says)."""
    path = tmp_path / "gitconfig"
    path.write_text("[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # no repository above
    for name in (
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "EMAIL",
        "GIT_DIR",
        "GIT_WORK_TREE",
    ):
        monkeypatch.delenv(name, raising=False)
    return path


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """An empty bare repository: the journal's remote."""
    git(tmp_path, "init", "--bare", "--quiet", "remote.git")
    return tmp_path / "remote.git"


def joined(tmp_path: Path, name: str, remote: Path) -> Device:
    """A device whose entries/ is a fresh clone of `remote`, set up for leadjournal."""
    device = Device(tmp_path / name)
    device.home.mkdir(mode=0o700)
    git(device.home, "clone", "--quiet", str(remote), "entries")
    device.ok("sync", "--setup")
    return device


@pytest.fixture
def laptop(tmp_path: Path, remote: Path) -> Device:
    """The first device: its first sync creates the branch on the empty remote."""
    device = joined(tmp_path, "laptop", remote)
    device.write("written on the laptop first")
    device.sync()
    return device


@pytest.fixture
def desktop(tmp_path: Path, remote: Path, laptop: Device) -> Device:
    """The second device: a clone made after the laptop's first sync."""
    return joined(tmp_path, "desktop", remote)


def month_file(entries: list[dict[str, Any]], tombstones: list[dict[str, Any]] = ()) -> bytes:  # type: ignore[assignment]
    return json.dumps(
        {"format": "leadjournal", "version": 1, "entries": entries, "tombstones": list(tombstones)}
    ).encode()


def entry(
    entry_id: str, text: str, updated: str, created: str = "2026-11-05T09:00:00+00:00"
) -> dict[str, Any]:
    return {
        "id": entry_id,
        "created_at": created,
        "updated_at": updated,
        "theme": None,
        "prompt_id": None,
        "prompt": None,
        "text": text,
        "tags": [],
    }


def driver_of(entries: Path) -> str:
    return git(entries, "config", "--local", "--get", "merge.leadjournal.driver").stdout.strip()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---------------------------------------------------------------------------------------
# sync --setup


def test_setup_init_makes_entries_a_repository_with_attributes_ignores_and_driver(
    home: Path,
) -> None:
    result = cli("sync", "--setup", "--init")
    assert result.code == 0, result
    entries = home / "entries"
    assert (entries / ".git").is_dir()
    attributes = (entries / ".gitattributes").read_text().splitlines()
    for line in (
        "*.json merge=leadjournal",
        "*.json.age merge=leadjournal",
        "recipients.txt merge=union",
    ):
        assert line in attributes
    ignores = (entries / ".gitignore").read_text().splitlines()
    assert ".*.tmp" in ignores
    assert "*.lock" in ignores
    assert mode(entries / ".gitattributes") == mode(entries / ".gitignore") == 0o600
    # Run in-process under pytest, the program is this interpreter with -m leadjournal.
    assert (
        driver_of(entries)
        == shlex.join([sys.executable, "-m", "leadjournal"]) + " merge-month %O %A %B"
    )
    assert git(entries, "config", "--local", "--get", "merge.leadjournal.name").stdout.strip()
    # git itself now sends month files to the driver.
    attr = git(entries, "check-attr", "merge", "--", "2026/2026-11.json").stdout
    assert attr.strip() == "2026/2026-11.json: merge: leadjournal"


def test_setup_again_changes_nothing(home: Path) -> None:
    assert cli("sync", "--setup", "--init").code == 0
    entries = home / "entries"
    watched = [entries / ".gitattributes", entries / ".gitignore", entries / ".git" / "config"]
    before = [(p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino) for p in watched]
    again = cli("sync", "--setup")
    assert again.code == 0, again
    assert "Already set up" in again.stdout
    assert cli("sync", "--setup", "--init").code == 0
    assert [(p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino) for p in watched] == before


def test_setup_keeps_the_users_own_lines_and_adds_only_what_is_missing(home: Path) -> None:
    entries = home / "entries"
    entries.mkdir(parents=True)
    git(entries, "init", "--quiet")
    (entries / ".gitattributes").write_text(
        "*.md text\nrecipients.txt merge=union"
    )  # no final newline
    (entries / ".gitignore").write_text("drafts/\n")
    assert cli("sync", "--setup").code == 0
    assert (entries / ".gitattributes").read_text() == (
        "*.md text\nrecipients.txt merge=union\n"
        "*.json merge=leadjournal\n*.json.age merge=leadjournal\n"
    )
    assert (entries / ".gitignore").read_text() == "drafts/\n.*.tmp\n*.lock\n"


def test_setup_json_names_the_attributes_file_and_the_driver(home: Path) -> None:
    result = cli("sync", "--setup", "--init", "--json")
    assert result.code == 0, result
    data = result.json()
    assert set(data) == {"gitattributes", "driver"}
    assert data["gitattributes"] == str(home / "entries" / ".gitattributes")
    assert data["driver"] == driver_of(home / "entries")


def test_setup_outside_a_work_tree_without_init_fails_and_creates_nothing(home: Path) -> None:
    result = cli("sync", "--setup")
    assert result.code == 1
    assert "--init" in result.stderr
    assert not (home / "entries").exists()
    home.mkdir()
    (home / "entries").mkdir()
    assert cli("sync", "--setup", "--json").code == 1
    assert list((home / "entries").iterdir()) == []


def test_init_without_setup_is_a_usage_error(home: Path) -> None:
    result = cli("sync", "--init")
    assert result.code == 2
    assert "--setup" in result.stderr
    assert not home.exists()


def test_setup_uses_a_larger_work_tree_that_holds_entries(home: Path) -> None:
    """The whole home in git: entries/ gets the attributes, the home's repository the
    driver; sync commits entries/ and nothing else."""
    home.mkdir()
    git(home, "init", "--quiet")
    (home / "notes.txt").write_text("not the journal's\n")
    (home / "staged.txt").write_text("staged by the user\n")
    git(home, "add", "staged.txt")
    assert cli("write", "--free", "--date", DAY, "one").code == 0
    assert cli("sync", "--setup").code == 0
    assert not (home / "entries" / ".git").exists()
    assert (home / "entries" / ".gitattributes").is_file()
    assert driver_of(home).endswith(" merge-month %O %A %B")
    result = cli("sync", "--json")
    assert result.code == 0, result
    assert result.json()["committed"] is True
    committed = git(home, "show", "--name-only", "--format=", "HEAD").stdout.split()
    assert sorted(committed) == ["entries/.gitattributes", "entries/.gitignore", f"entries/{MONTH}"]
    status = git(home, "status", "--porcelain").stdout.splitlines()
    assert "A  staged.txt" in status  # still staged, not committed
    assert "?? notes.txt" in status


def test_setup_records_the_program_that_runs_it(home: Path) -> None:
    """`python -m leadjournal` records the interpreter with -m; the console script its
    own absolute path; both quoted for the shell."""
    as_module = run(["sync", "--setup", "--init"])
    assert as_module.returncode == 0, as_module.stderr
    assert driver_of(home / "entries") == (
        f"{shlex.quote(sys.executable)} -m leadjournal merge-month %O %A %B"
    )
    script = Path(sys.executable).with_name("leadjournal")
    if not script.exists():
        pytest.skip("no leadjournal console script beside this interpreter")
    done = subprocess.run(
        [str(script), "sync", "--setup", "--json"], capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["driver"] == f"{shlex.quote(str(script))} merge-month %O %A %B"
    assert driver_of(home / "entries") == f"{shlex.quote(str(script))} merge-month %O %A %B"


def test_a_driver_path_with_spaces_and_quotes_runs_through_the_shell(
    tmp_path: Path, remote: Path
) -> None:
    """The recorded path is quoted: git's shell runs it even from a folder named like this."""
    script = Path(sys.executable).with_name("leadjournal")
    if not script.exists():
        pytest.skip("no leadjournal console script beside this interpreter")
    odd = tmp_path / "my tools" / "it's $here"
    odd.mkdir(parents=True)
    shutil.copy2(script, odd / "leadjournal")
    devices = []
    for name in ("one", "two"):
        device = Device(tmp_path / name)
        device.home.mkdir()
        git(device.home, "clone", "--quiet", str(remote), "entries")
        done = subprocess.run(
            [str(odd / "leadjournal"), "sync", "--setup"],
            env={**os.environ, "LEADJOURNAL_HOME": str(device.home)},
            capture_output=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert driver_of(device.entries).startswith(shlex.quote(str(odd / "leadjournal")))
        devices.append(device)
    one, two = devices
    first = one.write("from one")
    one.sync()
    two.sync()  # its own first commit, then one's history (unrelated until now) merged in
    second = two.write("from two")
    one.write("more from one")
    one.sync()
    result = two.cli("sync")  # both changed November: git's shell runs the driver
    assert result.code == 0, result
    assert first in two.texts()
    assert second in two.texts()
    assert len(two.texts()) == 3


# ---------------------------------------------------------------------------------------
# merge-month


def test_merge_month_writes_the_union_into_ours_by_the_rules_of_the_conflict_copies(
    tmp_path: Path,
) -> None:
    ours = tmp_path / ".merge_file_ours"
    theirs = tmp_path / ".merge_file_theirs"
    base = tmp_path / ".merge_file_base"
    base.write_bytes(b"")  # both devices created the month: no common ancestor
    old, new = "2026-11-05T10:00:00+00:00", "2026-11-06T10:00:00+00:00"
    ours.write_bytes(
        month_file(
            [
                entry("only-ours-1", "only here", old),
                entry("newer-theirs", "ours, older", old),
                entry("newer-ours", "ours, newer", new),
                entry("a-tie-0001", "ours, same instant", old),
                entry("deleted-there", "still here", old),
            ],
            [{"id": "deleted-here", "deleted_at": new}],
        )
    )
    theirs_bytes = month_file(
        [
            entry("only-theirs", "only there", old),
            entry("newer-theirs", "theirs, newer", new),
            entry("newer-ours", "theirs, older", old),
            entry("a-tie-0001", "theirs, same instant", old),
            entry("deleted-here", "edited before the delete", old),
        ],
        [{"id": "deleted-there", "deleted_at": new}],
    )
    theirs.write_bytes(theirs_bytes)
    done = run(["merge-month", str(base), str(ours), str(theirs)])
    assert done.returncode == 0, done.stderr
    assert done.stdout == b""
    merged = json.loads(ours.read_bytes())
    assert {e["id"]: e["text"] for e in merged["entries"]} == {
        "only-ours-1": "only here",
        "only-theirs": "only there",
        "newer-theirs": "theirs, newer",
        "newer-ours": "ours, newer",
        "a-tie-0001": "ours, same instant",
    }
    assert sorted(t["id"] for t in merged["tombstones"]) == ["deleted-here", "deleted-there"]
    assert theirs.read_bytes() == theirs_bytes
    assert mode(ours) == 0o600


@pytest.mark.parametrize("base", ["", "missing-file"])
def test_merge_month_needs_no_base(tmp_path: Path, base: str) -> None:
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.write_bytes(month_file([entry("aaaa1", "a", "2026-11-05T10:00:00+00:00")]))
    theirs.write_bytes(month_file([entry("bbbb1", "b", "2026-11-05T10:00:00+00:00")]))
    result = cli("merge-month", base and str(tmp_path / base), str(ours), str(theirs))
    assert result.code == 0, result
    assert sorted(e["id"] for e in json.loads(ours.read_bytes())["entries"]) == ["aaaa1", "bbbb1"]


GOOD = month_file([entry("aaaa1", "a", "2026-11-05T10:00:00+00:00")])
UNREADABLE = {
    "empty": b"",
    "blank": b"\n  \n",
    "not json": b'{"format": "leadjournal", "version": 1, "entries": [',
    "conflict markers": (
        b'{\n<<<<<<< HEAD\n  "entries": []\n=======\n  "entries": [1]\n>>>>>>> x\n}\n'
    ),
    "encrypted": b"age-encryption.org/v1\n-> X25519 abc\n",
    "not a month": b'{"format": "jrnl"}',
}


@pytest.mark.parametrize("broken", sorted(UNREADABLE))
@pytest.mark.parametrize("side", ["ours", "theirs"])
def test_merge_month_leaves_ours_as_it_was_when_a_side_cannot_be_read(
    tmp_path: Path, side: str, broken: str
) -> None:
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.write_bytes(UNREADABLE[broken] if side == "ours" else GOOD)
    theirs.write_bytes(UNREADABLE[broken] if side == "theirs" else GOOD)
    before = (ours.read_bytes(), ours.stat().st_ino)
    result = cli("merge-month", "", str(ours), str(theirs))
    assert result.code == 1
    assert (ours.read_bytes(), ours.stat().st_ino) == before
    assert ("OURS" if side == "ours" else "THEIRS") in result.stderr
    assert "cannot be read" in result.stderr
    assert "Traceback" not in result.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_merge_month_of_a_missing_side_or_a_folder_exits_1(tmp_path: Path) -> None:
    ours = tmp_path / "ours"
    ours.write_bytes(GOOD)
    assert cli("merge-month", "", str(ours), str(tmp_path / "missing")).code == 1
    assert cli("merge-month", "", str(ours), str(tmp_path)).code == 1
    assert cli("merge-month", "", str(tmp_path / "missing"), str(ours)).code == 1
    assert ours.read_bytes() == GOOD


def test_merge_month_and_doctor_fix_merge_alike(home: Path, tmp_path: Path) -> None:
    """One rule for git and for file sync tools: doctor --fix of a Syncthing copy and
    merge-month of the same two versions give the same month file, byte for byte."""
    old, new = "2026-11-05T10:00:00+00:00", "2026-11-06T10:00:00+00:00"
    mine = month_file(
        [
            entry("e1e1", "mine", old),
            entry("e2e2", "mine newer", new),
            entry("e3e3", "tie mine", old),
        ],
        [{"id": "e4e4", "deleted_at": new}],
    )
    other = month_file(
        [
            entry("e1e1", "other newer", new),
            entry("e2e2", "other", old),
            entry("e3e3", "tie other", old),
            entry("e4e4", "other", old),
            entry("e5e5", "other only", old),
        ]
    )
    folder = home / "entries" / "2026"
    folder.mkdir(parents=True)
    (folder / "2026-11.json").write_bytes(mine)
    (folder / "2026-11.sync-conflict-20261106-101010-ABCDEFG.json").write_bytes(other)
    for path in [home, home / "entries", folder, *folder.iterdir()]:
        path.chmod(0o700 if path.is_dir() else 0o600)
    assert cli("doctor", "--fix").code == 0
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.write_bytes(mine)
    theirs.write_bytes(other)
    assert cli("merge-month", "", str(ours), str(theirs)).code == 0
    assert ours.read_bytes() == (folder / "2026-11.json").read_bytes()


def test_a_merge_month_that_cannot_save_leaves_ours_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.write_bytes(GOOD)
    theirs.write_bytes(month_file([entry("bbbb1", "b", "2026-11-05T10:00:00+00:00")]))

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    result = cli("merge-month", "", str(ours), str(theirs))
    assert result.code == 1
    assert "No space left" in result.stderr
    assert ours.read_bytes() == GOOD
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_merge_month_is_answered_without_typer(tmp_path: Path) -> None:
    """git runs the driver once for every month both sides changed: it starts without the
    command-line framework, and fails the same way the Typer command does."""
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.write_bytes(GOOD)
    theirs.write_bytes(month_file([entry("bbbb1", "b", "2026-11-05T10:00:00+00:00")]))
    code = (
        "import sys\n"
        "from leadjournal.__main__ import main\n"
        f"sys.argv = ['leadjournal', 'merge-month', '', {str(ours)!r}, {str(theirs)!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    print('exit', exc.code)\n"
        "print(sorted(m for m in ('typer', 'click', 'rich') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.splitlines() == ["exit 0", "[]"], done.stderr
    assert len(json.loads(ours.read_bytes())["entries"]) == 2
    theirs.write_bytes(b"")
    fast, slow = (
        run(["merge-month", "", str(ours), str(theirs)]),
        cli("merge-month", "", str(ours), str(theirs)),
    )
    assert fast.returncode == slow.code == 1
    assert fast.stderr.decode() == slow.stderr


def test_merge_month_leaves_the_mode_of_the_work_trees_top_alone(tmp_path: Path) -> None:
    """git's temporary files lie at the top of the work tree, which may be a folder of the
    user's (a whole home in git): replacing OURS does not tighten that folder."""
    top = tmp_path / "top"
    top.mkdir()
    top.chmod(0o755)
    ours, theirs = top / ".merge_file_a", top / ".merge_file_b"
    ours.write_bytes(GOOD)
    theirs.write_bytes(GOOD)
    assert cli("merge-month", "", str(ours), str(theirs)).code == 0
    assert mode(top) == 0o755


# ---------------------------------------------------------------------------------------
# sync


def test_sync_in_a_journal_that_is_not_set_up_says_to_run_setup(
    home: Path, tmp_path: Path, remote: Path
) -> None:
    assert cli("write", "--free", "--date", DAY, "one").code == 0
    result = cli("sync")
    assert result.code == 1
    assert "sync --setup" in result.stderr
    clone = Device(tmp_path / "clone")
    clone.home.mkdir()
    git(clone.home, "clone", "--quiet", str(remote), "entries")
    (clone.entries / "2026").mkdir()
    (clone.entries / MONTH).write_bytes(GOOD)
    refused = clone.cli("sync", "--json")
    assert refused.code == 1
    assert "sync --setup" in refused.stderr
    assert refused.stdout == ""
    assert clone.git("rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode != 0


def test_sync_without_an_upstream_commits_only_and_says_so(home: Path) -> None:
    device = Device(home)
    assert cli("sync", "--setup", "--init").code == 0
    device.write("one")
    result = device.ok("sync")
    assert "No upstream" in result.stdout
    message = device.git("log", "-1", "--format=%s").stdout.strip()
    host = re.escape(socket.gethostname())
    assert re.fullmatch(
        rf"leadjournal sync {host} \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", message
    )
    assert device.status() == ""
    device.write("two")
    assert device.sync() == {"committed": True, "pulled": 0, "pushed": 0}
    assert device.sync() == {"committed": False, "pulled": 0, "pushed": 0}
    assert device.git("rev-list", "--count", "HEAD").stdout.strip() == "2"


def test_sync_creates_the_branch_on_an_empty_remote(tmp_path: Path, remote: Path) -> None:
    device = joined(tmp_path, "laptop", remote)
    device.write("one")
    result = device.ok("sync")
    assert "Pushed 1 commit" in result.stdout
    assert git(remote, "rev-parse", "refs/heads/main").stdout.strip() == device.head()


def test_sync_counts_what_came_in_and_what_went_out(laptop: Device, desktop: Device) -> None:
    assert desktop.texts() == laptop.texts()
    laptop.write("two", "2026-11-06T09:00")
    laptop.write("three", "2026-12-01T09:00")
    assert laptop.sync() == {"committed": True, "pulled": 0, "pushed": 1}
    result = desktop.ok("sync")
    assert "Pulled 1 commit" in result.stdout
    assert "2026/2026-12.json" in result.stdout
    assert desktop.texts() == laptop.texts()
    assert desktop.sync() == {"committed": False, "pulled": 0, "pushed": 0}


def test_sync_merges_and_never_rebases_whatever_the_pull_settings(
    laptop: Device, desktop: Device, own_git_config: Path
) -> None:
    with own_git_config.open("a") as config:
        config.write(
            "[pull]\n\trebase = true\n\tff = only\n[merge]\n\tff = only\n"
            "[branch]\n\tautoSetupRebase = always\n[rebase]\n\tautoStash = true\n"
        )
    desktop.git("config", "branch.main.rebase", "true")
    laptop.write("laptop's", "2026-11-06T09:00")
    laptop.sync()
    laptops_commit = laptop.head()
    desktop.write("desktop's", "2026-11-07T09:00")
    desktop.ok("sync")  # commits, then merges what the laptop pushed
    parents = desktop.git("log", "-1", "--format=%P").stdout.split()
    assert len(parents) == 2  # a merge commit, not a rebase
    assert laptops_commit in parents
    desktops_own = desktop.git("log", "-1", "--format=%H", "HEAD^1").stdout.strip()
    assert desktop.git("log", "-1", "--format=%s", desktops_own).stdout.startswith(
        "leadjournal sync"
    )
    assert sorted(desktop.texts().values()) == sorted(
        ["written on the laptop first", "laptop's", "desktop's"]
    )


def test_sync_refuses_while_git_reports_unmerged_paths(laptop: Device, desktop: Device) -> None:
    for device, text in ((laptop, "laptop"), (desktop, "desktop")):
        (device.entries / "notes.txt").write_text(f"{text}\n")
        device.git("add", "notes.txt")
        device.git(*TEST_IDENTITY, "commit", "--quiet", "-m", text)
    laptop.git("push", "--quiet")
    merged = desktop.git(*TEST_IDENTITY, "pull", "--no-rebase", "--no-edit", check=False)
    assert merged.returncode != 0  # a text conflict in notes.txt
    desktop.write("written meanwhile", "2026-11-08T09:00")
    head, status = desktop.head(), desktop.status()
    result = desktop.cli("sync")
    assert result.code == 1
    assert "unmerged" in result.stderr
    assert "notes.txt" in result.stderr
    assert (desktop.head(), desktop.status()) == (head, status)


def test_sync_tightens_the_files_git_checks_out(laptop: Device, desktop: Device) -> None:
    previous = os.umask(0o022)
    try:
        laptop.write("december", "2026-12-01T09:00")
        laptop.sync()
        desktop.sync()
    finally:
        os.umask(previous)
    december = desktop.entries / "2026" / "2026-12.json"
    assert december.is_file()
    for path in (december, desktop.entries / ".gitattributes", desktop.entries / MONTH):
        assert mode(path) == 0o600, path
    assert mode(desktop.entries / "2026") == 0o700
    doctor = desktop.cli("doctor", "--json").json()
    assert [p for p in doctor["problems"] if p["kind"] == "mode"] == []


def test_sync_commits_as_the_user_when_an_identity_is_configured(
    home: Path, own_git_config: Path
) -> None:
    with own_git_config.open("a") as config:
        config.write("[user]\n\tname = Robin Doe\n\temail = robin@example.org\n")
    device = Device(home)
    assert cli("sync", "--setup", "--init").code == 0
    device.write("one")
    device.sync()
    assert device.git("log", "-1", "--format=%an <%ae>|%cn <%ce>").stdout.strip() == (
        "Robin Doe <robin@example.org>|Robin Doe <robin@example.org>"
    )
    assert "user" not in device.git("config", "--local", "--list").stdout


def test_sync_commits_with_a_fallback_identity_when_none_is_configured(
    home: Path, own_git_config: Path
) -> None:
    with own_git_config.open("a") as config:
        config.write("[user]\n\tuseConfigOnly = true\n")  # git may not guess one either
    device = Device(home)
    assert cli("sync", "--setup", "--init").code == 0
    device.write("one")
    device.sync()
    author = device.git("log", "-1", "--format=%an <%ae>").stdout.strip()
    assert author == f"leadjournal on {socket.gethostname()} <leadjournal@{socket.gethostname()}>"
    assert "user." not in device.git("config", "--local", "--list").stdout  # nothing stored


def test_sync_without_git_on_path_says_so(home: Path, tmp_path: Path) -> None:
    assert cli("sync", "--setup", "--init").code == 0
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    for args in (["sync"], ["sync", "--setup"]):
        done = run(args, env={"PATH": str(empty)})
        assert done.returncode == 1, done.stderr
        assert b"git is not installed" in done.stderr
        assert b"Traceback" not in done.stderr


def _lock_probe(tmp_path: Path, name: str, body: str) -> Path:
    script = tmp_path / name
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return script


@pytest.mark.skipif(shutil.which("flock") is None, reason="needs flock(1)")
def test_sync_holds_the_lock_to_commit_and_merge_but_not_to_fetch_or_push(
    laptop: Device, desktop: Device, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """flock(1) on the journal's lock file, from inside git: busy while the commit and
    the merge run, free while git talks to the remote."""
    seen = tmp_path / "seen"
    monkeypatch.setenv("PROBE_LOCK", str(desktop.home / ".leadjournal.lock"))
    monkeypatch.setenv("PROBE_SEEN", str(seen))
    free = (
        'if flock -n "$PROBE_LOCK" true; then echo "{what}: free" >> "$PROBE_SEEN"; '
        'else echo "{what}: held" >> "$PROBE_SEEN"; fi\n'
    )
    upload = _lock_probe(
        tmp_path, "upload", free.format(what="fetch") + 'exec git upload-pack "$@"\n'
    )
    receive = _lock_probe(
        tmp_path, "receive", free.format(what="push") + 'exec git receive-pack "$@"\n'
    )
    driver = _lock_probe(
        tmp_path,
        "driver",
        free.format(what="merge")
        + f'exec {shlex.quote(sys.executable)} -m leadjournal merge-month "$@"\n',
    )
    hook = _lock_probe(tmp_path, "post-commit", free.format(what="commit"))
    desktop.git("config", "remote.origin.uploadpack", str(upload))
    desktop.git("config", "remote.origin.receivepack", str(receive))
    desktop.git("config", "merge.leadjournal.driver", f"{driver} %O %A %B")
    shutil.copy2(hook, desktop.entries / ".git" / "hooks" / "post-commit")
    laptop.write("laptop's", "2026-11-06T09:00")
    laptop.sync()
    desktop.write("desktop's", "2026-11-07T09:00")
    assert desktop.sync() == {"committed": True, "pulled": 1, "pushed": 2}
    lines = seen.read_text().splitlines()
    assert "fetch: free" in lines
    assert "push: free" in lines
    assert "commit: held" in lines  # post-commit: the sync's own commit
    assert "merge: held" in lines
    assert not {"commit: free", "merge: free", "fetch: held", "push: held"} & set(lines)


def test_an_entry_saved_during_the_fetch_is_committed_before_the_merge(
    laptop: Device, desktop: Device, tmp_path: Path
) -> None:
    """The lock is free while git fetches, so a write may land then; it is committed
    before the merge, which would otherwise refuse to touch a month changed meanwhile."""
    writer = _lock_probe(
        tmp_path,
        "upload",
        f"{shlex.quote(sys.executable)} -m leadjournal write --free --date 2026-11-09T09:00 "
        "'saved during the fetch' >/dev/null\n"
        'exec git upload-pack "$@"\n',
    )
    desktop.git("config", "remote.origin.uploadpack", str(writer))
    laptop.write("laptop's", "2026-11-06T09:00")
    laptop.sync()
    desktop.write("desktop's", "2026-11-07T09:00")
    result = desktop.cli("sync", "--json")
    assert result.code == 0, result
    assert result.json() == {"committed": True, "pulled": 1, "pushed": 3}
    assert desktop.status() == ""
    assert "saved during the fetch" in desktop.texts().values()
    assert "laptop's" in desktop.texts().values()


def test_sync_waits_for_the_lock_and_changes_nothing_when_it_times_out(laptop: Device) -> None:
    from leadjournal import fsio

    laptop.write("two", "2026-11-06T09:00")
    head, status = laptop.head(), laptop.status()
    with laptop._here(), fsio.journal_lock():
        done = laptop.run("sync", env={"LEADJOURNAL_LOCK_TIMEOUT": "0.2"})
    assert done.returncode == 1
    assert b"Another leadjournal command" in done.stderr
    assert (laptop.head(), laptop.status()) == (head, status)


# ---------------------------------------------------------------------------------------
# Must hold 2: both devices change the same month, then sync


def _diverge(laptop: Device, desktop: Device) -> dict[str, str]:
    """Edits, additions and deletes of November on both devices, the newer edit of each
    entry on a different device; what both must end with, by id."""
    shared = {
        name: laptop.write(f"{name}: original", f"2026-11-1{i}T09:00")
        for i, name in enumerate("abcdef")
    }
    laptop.sync()
    desktop.sync()
    # updated_at has whole seconds, and an edit is stamped after the version it changes:
    # a second between the writes and the older edits, and between those and the newer.
    time.sleep(1.1)
    laptop.ok("edit", shared["a"], "--text", "a: laptop, older")
    desktop.ok("edit", shared["b"], "--text", "b: desktop, older")
    time.sleep(1.1)
    desktop.ok("edit", shared["a"], "--text", "a: desktop, newer")
    laptop.ok("edit", shared["b"], "--text", "b: laptop, newer")
    laptop.ok("delete", shared["c"], "--yes")
    desktop.ok("delete", shared["d"], "--yes")
    desktop.ok("edit", shared["e"], "--text", "e: desktop")
    laptop.ok("edit", shared["f"], "--text", "f: laptop")
    on_laptop = laptop.write("new on the laptop", "2026-11-20T09:00")
    on_desktop = desktop.write("new on the desktop", "2026-11-21T09:00")
    first = laptop.texts()
    first_id = next(i for i, t in first.items() if t == "written on the laptop first")
    return {
        first_id: "written on the laptop first",
        shared["a"]: "a: desktop, newer",
        shared["b"]: "b: laptop, newer",
        shared["e"]: "e: desktop",
        shared["f"]: "f: laptop",
        on_laptop: "new on the laptop",
        on_desktop: "new on the desktop",
    }


def _assert_united(expected: dict[str, str], *devices: Device) -> None:
    for device in devices:
        assert device.texts() == expected
        data = device.month().read_bytes()
        assert b"<<<<<<<" not in data
        assert b">>>>>>>" not in data
        assert len(json.loads(data)["tombstones"]) == 2  # c and d stay deleted
        assert device.cli("doctor").code == 0 or all(
            p["kind"] == "mode" for p in device.cli("doctor", "--json").json()["problems"]
        )
    assert devices[0].month().read_bytes() == devices[1].month().read_bytes()


def test_both_devices_change_a_month_then_sync_sync_ends_with_the_union(
    laptop: Device, desktop: Device
) -> None:
    expected = _diverge(laptop, desktop)
    assert laptop.sync() == {"committed": True, "pulled": 0, "pushed": 1}
    desktop_sync = desktop.sync()
    assert desktop_sync["committed"] is True
    assert desktop_sync["pulled"] == 1
    assert desktop_sync["pushed"] == 2  # its commit and the merge
    assert laptop.sync() == {"committed": False, "pulled": 2, "pushed": 0}
    assert desktop.sync() == {"committed": False, "pulled": 0, "pushed": 0}
    _assert_united(expected, laptop, desktop)
    assert laptop.head() == desktop.head()


@pytest.mark.parametrize("how", ["--no-rebase", "--rebase"])
def test_a_plain_git_pull_after_setup_ends_with_the_union_too(
    laptop: Device, desktop: Device, how: str
) -> None:
    expected = _diverge(laptop, desktop)
    for device in (laptop, desktop):
        device.git("add", "--all")
        device.git(*TEST_IDENTITY, "commit", "--quiet", "-m", "by hand")
    laptop.git("push", "--quiet")
    pulled = desktop.git(*TEST_IDENTITY, "pull", how, "--no-edit", check=False)
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    desktop.git("push", "--quiet")
    laptop.git(*TEST_IDENTITY, "pull", how, "--no-edit")
    _assert_united(expected, laptop, desktop)


# ---------------------------------------------------------------------------------------
# Must hold 3: failures leave everything recoverable


def test_a_rejected_push_is_reported_after_what_was_done_and_nothing_is_reset(
    laptop: Device, remote: Path
) -> None:
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'the remote says no today' >&2\nexit 1\n")
    hook.chmod(0o755)
    laptop.write("two", "2026-11-06T09:00")
    month_before = laptop.month().read_bytes()
    result = laptop.cli("sync", "--json")
    assert result.code == 1
    assert result.stdout == ""
    said = result.stderr
    assert said.index("Committed the journal's changes.") < said.index("the remote says no today")
    assert "push" in said
    assert "Traceback" not in said
    assert laptop.status() == ""
    assert laptop.git("log", "-1", "--format=%s").stdout.startswith("leadjournal sync")
    assert laptop.month().read_bytes() == month_before
    hook.unlink()
    assert laptop.sync() == {"committed": False, "pulled": 0, "pushed": 1}


def test_an_unreachable_remote_is_reported_after_the_commit(laptop: Device, tmp_path: Path) -> None:
    laptop.git("remote", "set-url", "origin", str(tmp_path / "gone" / "remote.git"))
    laptop.write("two", "2026-11-06T09:00")
    result = laptop.cli("sync")
    assert result.code == 1
    said = result.stderr
    assert said.index("Committed the journal's changes.") < said.index(str(tmp_path / "gone"))
    assert "fetching from origin" in said
    assert laptop.status() == ""
    assert "two" in laptop.texts().values()
    assert laptop.git("rev-list", "--count", "HEAD").stdout.strip() == "2"


def test_a_side_that_cannot_be_parsed_stops_the_merge_and_keeps_both_versions(
    laptop: Device, desktop: Device
) -> None:
    broken = b'{"format": "leadjournal", "version": 1, "entries": ['
    laptop.month().write_bytes(broken)
    laptop.sync()  # git keeps whatever is in entries/
    desktop.write("desktop's", "2026-11-07T09:00")
    mine = desktop.month().read_bytes()
    result = desktop.cli("sync")
    assert result.code == 1
    said = result.stderr
    assert said.index("Committed the journal's changes.") < said.index("merging 1 commit")
    assert "could not merge two versions" in said  # the driver's own words, through git
    assert MONTH in said
    # As git left it: both versions in the index, ours in the work tree, the merge open.
    assert desktop.git("show", f":2:{MONTH}").stdout.encode() == mine
    assert desktop.git("show", f":3:{MONTH}").stdout.encode() == broken
    assert desktop.month().read_bytes() == mine
    assert (desktop.entries / ".git" / "MERGE_HEAD").exists()
    again = desktop.cli("sync")
    assert again.code == 1
    assert "unmerged" in again.stderr
    kinds = {p["kind"]: p for p in desktop.cli("doctor", "--json").json()["problems"]}
    assert kinds["git-conflict"]["path"].endswith(MONTH)
    # Recovery as the README says: keep this side's version, finish the merge.
    desktop.git("checkout", "--ours", "--", MONTH)
    desktop.git("add", MONTH)
    desktop.git(*TEST_IDENTITY, "commit", "--quiet", "--no-edit")
    assert desktop.sync() == {"committed": False, "pulled": 0, "pushed": 2}
    assert "desktop's" in desktop.texts().values()


# ---------------------------------------------------------------------------------------
# doctor


def test_doctor_reports_a_git_journal_whose_driver_is_not_set_up(
    laptop: Device, tmp_path: Path, remote: Path
) -> None:
    clone = Device(tmp_path / "fresh")
    clone.home.mkdir(mode=0o700)
    git(clone.home, "clone", "--quiet", str(remote), "entries")
    clone.entries.chmod(0o700)
    report = clone.cli("doctor", "--json")
    assert report.code == 1
    problems = [p for p in report.json()["problems"] if p["kind"] == "git-setup"]
    assert len(problems) == 1
    assert "sync --setup" in problems[0]["message"]
    clone.ok("sync", "--setup")
    assert [
        p for p in clone.cli("doctor", "--json").json()["problems"] if p["kind"] == "git-setup"
    ] == []


def test_doctor_leaves_gits_own_files_alone(laptop: Device) -> None:
    objects = [p for p in (laptop.entries / ".git" / "objects").rglob("*") if p.is_file()]
    assert objects
    modes = {p: mode(p) for p in objects}
    report = laptop.cli("doctor", "--json").json()
    assert not [p for p in report["problems"] if "/.git/" in p["path"]]
    laptop.cli("doctor", "--fix")
    assert {p: mode(p) for p in objects} == modes


def test_a_month_with_conflict_markers_is_named_and_never_rewritten(
    tmp_path: Path, remote: Path
) -> None:
    """Two clones never set up: a plain git merge writes conflict markers into the month.
    Every command names it as a git merge conflict and none rewrites it."""
    one, two = Device(tmp_path / "one"), Device(tmp_path / "two")
    one.home.mkdir()
    git(one.home, "clone", "--quiet", str(remote), "entries")
    shared = one.write("original")
    one.git("add", "--all")
    one.git(*TEST_IDENTITY, "commit", "--quiet", "-m", "one")
    one.git("push", "--quiet", "origin", "HEAD:main")
    two.home.mkdir()
    git(two.home, "clone", "--quiet", str(remote), "entries")
    one.ok("edit", shared, "--text", "changed on one")
    two.ok("edit", shared, "--text", "changed on two")
    for device in (one, two):
        device.git("add", "--all")
        device.git(*TEST_IDENTITY, "commit", "--quiet", "-m", "edit")
    one.git("push", "--quiet")
    assert two.git(*TEST_IDENTITY, "pull", "--no-rebase", "--no-edit", check=False).returncode != 0
    data = two.month().read_bytes()
    assert b"<<<<<<<" in data
    listed = two.cli("list")
    assert "a git merge conflict" in listed.stderr
    assert MONTH.split("/")[1] in listed.stderr
    wrote = two.cli("write", "--free", "--date", DAY, "more")
    assert wrote.code == 1
    assert "a git merge conflict" in wrote.stderr
    doctor = two.cli("doctor", "--json")
    assert doctor.code == 1
    conflicts = [p for p in doctor.json()["problems"] if p["kind"] == "git-conflict"]
    assert any(
        p["path"] == str(two.month()) and "a git merge conflict" in p["message"] for p in conflicts
    )
    two.cli("doctor", "--fix")
    assert two.month().read_bytes() == data


def readme_recovery() -> str:
    """The shell steps under 'When git reports a conflict' in the README."""
    text = README.read_text("utf-8")
    section = text.split("### When git reports a conflict", 1)[1]
    return section.split("```sh\n", 1)[1].split("```", 1)[0]


def test_the_readme_recovery_steps_unite_a_month_left_in_conflict(
    tmp_path: Path, remote: Path
) -> None:
    """A plain git merge without the driver leaves markers; the README's steps (checkout
    --ours/--theirs, merge-month) give the union."""
    program = Path(sys.executable).with_name("leadjournal")
    if not program.exists():
        pytest.skip("no leadjournal console script beside this interpreter")
    one, two = Device(tmp_path / "one"), Device(tmp_path / "two")
    one.home.mkdir()
    git(one.home, "clone", "--quiet", str(remote), "entries")
    shared = one.write("original")
    one.git("add", "--all")
    one.git(*TEST_IDENTITY, "commit", "--quiet", "-m", "one")
    one.git("push", "--quiet", "origin", "HEAD:main")
    two.home.mkdir()
    git(two.home, "clone", "--quiet", str(remote), "entries")
    time.sleep(1.1)
    one.ok("edit", shared, "--text", "changed on one")
    only_one = one.write("only on one", "2026-11-06T09:00")
    time.sleep(1.1)
    two.ok("edit", shared, "--text", "changed on two, later")
    only_two = two.write("only on two", "2026-11-07T09:00")
    for device in (one, two):
        device.git("add", "--all")
        device.git(*TEST_IDENTITY, "commit", "--quiet", "-m", "edit")
    one.git("push", "--quiet")
    assert two.git(*TEST_IDENTITY, "pull", "--no-rebase", "--no-edit", check=False).returncode != 0
    steps = readme_recovery()
    lines = steps.splitlines()
    assert lines[0].startswith("cd ")
    script = "\n".join(["set -e", f"cd {shlex.quote(str(two.entries))}", *lines[1:]])
    env = {
        **os.environ,
        "PATH": f"{program.parent}{os.pathsep}{os.environ['PATH']}",
        "LEADJOURNAL_HOME": str(two.home),
        "GIT_AUTHOR_NAME": "A Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "A Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    done = subprocess.run(
        ["/bin/sh", "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert two.texts() == {
        shared: "changed on two, later",
        only_one: "only on one",
        only_two: "only on two",
    }
    assert two.git("ls-files", "--unmerged").stdout == ""
