"""Fault injection: the disk failing at every step of every kind of save, the order of a save,
concurrent writers with and without the lock, and a matrix of corrupt month files.

Only the world outside is faked: `os.open`, `os.write`, `os.fsync`, `os.replace` and
`os.rename` are wrapped (for paths under the journal home only) so that the k-th of them can
fail like a full or broken disk; processes are real. Each test is built to fail when the
protection it checks is removed (docs/reliability.md, "How we checked the tests can fail").
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import (
    CONCURRENT_WRITER,
    WITHOUT_LOCK,
    Result,
    cli,
    run_writers_at_once,
    snapshot,
)

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/fd").is_dir(), reason="names the file behind a descriptor via /proc"
)

SPIED = ("open", "write", "fsync", "replace", "rename")
REAL: dict[str, Callable[..., Any]] = {name: getattr(os, name) for name in SPIED}
CODES = pytest.mark.parametrize(
    "code", [errno.ENOSPC, errno.EIO], ids=lambda code: errno.errorcode[code]
)
TEMP_NAME = re.compile(r"\.(\d{4}-\d{2})\.json(?:\.age)?\.[0-9a-f]+\.tmp")
# Each journal is broken twice: plain, and encrypted with `leadjournal encrypt` (DESIGN.md
# section 12), where no month may ever be written in plain text.
FORMS = ["plain", "encrypted"]
UNEXPECTED = "something unexpected went wrong"


# ---------------------------------------------------------------------------------------
# The disk, as the program sees it


@dataclass
class Call:
    """One call to the disk: which, on what (a path under the home), and what came of it."""

    name: str
    target: str
    source: str = ""  # replace/rename: the path renamed
    flags: int = 0  # open
    fd: int = -1
    data: bytes = b""  # write
    done: bool = False  # the real call returned

    def __str__(self) -> str:
        moved = f"{self.source} -> " if self.source else ""
        return f"os.{self.name}({moved}{self.target})"


class Disk:
    """Stands between the program and os.open/write/fsync/replace/rename for paths under the
    journal home: records every such call, and makes the `fail_at`-th (1-based) raise
    OSError(`code`) instead of reaching the disk."""

    def __init__(self, home: Path, fail_at: int = 0, code: int = errno.EIO) -> None:
        self.root = os.path.realpath(home)
        self.fail_at = fail_at
        self.code = code
        self.calls: list[Call] = []
        self.failed: Call | None = None

    def install(self, patch: pytest.MonkeyPatch) -> None:
        for name in SPIED:
            patch.setattr(os, name, getattr(self, f"_{name}"))

    def under(self, path: str, *parts: str) -> bool:
        root = str(Path(self.root, *parts))
        return path == root or path.startswith(root + os.sep)

    def _record(self, call: Call) -> Call:
        self.calls.append(call)
        if len(self.calls) == self.fail_at:
            self.failed = call
            raise OSError(self.code, os.strerror(self.code))
        return call

    @staticmethod
    def _reads_a_file(target: str, flags: int) -> bool:
        """fsio.read_regular opening a file to read it (read-only, O_NONBLOCK): a read, as
        Python's open() was before it, not a disk call of a save. Folders opened for their
        fsync, and files opened for theirs (no O_NONBLOCK), are still spied on."""
        written = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
        return bool(flags & os.O_NONBLOCK) and not flags & written and not Path(target).is_dir()

    @staticmethod
    def _fd_path(fd: Any) -> str:
        number = fd if isinstance(fd, int) else fd.fileno()
        try:
            return str(Path(f"/proc/self/fd/{number}").readlink())
        except OSError:
            return ""

    def _open(self, path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        target = os.path.realpath(os.fsdecode(path))
        if not self.under(target) or self._reads_a_file(target, flags):
            return int(REAL["open"](path, flags, *args, **kwargs))
        call = self._record(Call("open", target, flags=flags))
        call.fd = REAL["open"](path, flags, *args, **kwargs)
        call.done = True
        return call.fd

    def _write(self, fd: int, data: Any) -> int:
        target = self._fd_path(fd)
        if not self.under(target):
            return int(REAL["write"](fd, data))
        call = self._record(Call("write", target, fd=fd, data=bytes(data)))
        written = int(REAL["write"](fd, data))
        call.data = call.data[:written]
        call.done = True
        return written

    def _fsync(self, fd: Any) -> None:
        target = self._fd_path(fd)
        if not self.under(target):
            REAL["fsync"](fd)
            return
        call = self._record(Call("fsync", target, fd=fd if isinstance(fd, int) else fd.fileno()))
        REAL["fsync"](fd)
        call.done = True

    def _move(self, name: str, src: Any, dst: Any, **kwargs: Any) -> None:
        source = os.path.realpath(os.fsdecode(src))
        target = os.path.realpath(os.fsdecode(dst))
        if not (self.under(source) or self.under(target)):
            REAL[name](src, dst, **kwargs)
            return
        call = self._record(Call(name, target, source=source))
        REAL[name](src, dst, **kwargs)
        call.done = True

    def _replace(self, src: Any, dst: Any, **kwargs: Any) -> None:
        self._move("replace", src, dst, **kwargs)

    def _rename(self, src: Any, dst: Any, **kwargs: Any) -> None:
        self._move("rename", src, dst, **kwargs)

    def committed(self) -> int:
        """How many journal files had changed before the failure (or in all): renamed into
        place, or (what a save must never do) opened for writing where they are."""
        return sum(1 for c in self.calls if c.done and self.changes_journal_file(c))

    def changes_journal_file(self, call: Call) -> bool:
        if not self.under(call.target, "entries") or Path(call.target).is_dir():
            return False
        if call.name in ("replace", "rename"):
            return bool(TEMP_NAME.fullmatch(Path(call.source).name))
        in_place = os.O_WRONLY | os.O_RDWR | os.O_TRUNC | os.O_APPEND
        return call.name == "open" and bool(call.flags & in_place) and not self.is_temp(call)

    @staticmethod
    def is_temp(call: Call) -> bool:
        return bool(TEMP_NAME.fullmatch(Path(call.target).name))


# ---------------------------------------------------------------------------------------
# Journals to break: each scenario builds a journal, then names the command that saves.

WHEN = "2026-10-05T10:00"


def write(*args: str) -> dict[str, Any]:
    result = cli("write", "--free", "--json", *args)
    assert result.code == 0, result
    data: dict[str, Any] = result.json()
    return data


def entry(entry_id: str, day: str, text: str, updated: str | None = None) -> dict[str, Any]:
    return {
        "id": entry_id,
        "created_at": f"{day}T09:00:00+00:00",
        "updated_at": updated or f"{day}T09:00:00+00:00",
        "theme": None,
        "prompt_id": None,
        "prompt": None,
        "text": text,
        "tags": ["imported"],
    }


@dataclass
class Scenario:
    """A journal (built in `home` by `build`, which returns the command's arguments)."""

    build: Callable[[Path, Path], list[str]]
    many_files: bool = False  # the command renames several journal files


def build_write_existing(home: Path, scratch: Path) -> list[str]:
    write("--date", "2026-09-10T09:00", "september")
    write("--date", WHEN, "october one")
    write("--date", "2026-10-06T10:00", "october two")
    return ["write", "--free", "--date", "2026-10-07T10:00", "the new entry"]


def recent_day(days_ago: int = 3) -> date:
    """A day the history index keeps in its recent part, whatever the real date: the index
    folds older months into its base state, so a fixed date would be recent on some days
    and old on others."""
    return date.today() - timedelta(days=days_ago)


def build_write_new_year(home: Path, scratch: Path) -> list[str]:
    write("--date", WHEN, "october one")
    recent = recent_day()
    assert cli("write", "--date", f"{recent}T10:00", "an answer").code == 0  # builds the index
    assert (home / "cache" / "history.json").exists()
    return ["write", "--date", f"{recent.year + 1}-01-15T09:00", "first entry of a new year"]


def build_edit(home: Path, scratch: Path) -> list[str]:
    write("--date", "2026-09-10T09:00", "september")
    target = write("--date", WHEN, "before the edit")
    return ["edit", target["id"], "--text", "after the edit"]


def build_delete(home: Path, scratch: Path) -> list[str]:
    write("--date", "2026-09-10T09:00", "september")
    target = write("--date", WHEN, "to be deleted")
    write("--date", "2026-10-06T10:00", "october stays")
    return ["delete", target["id"], "--yes"]


def build_import(home: Path, scratch: Path) -> list[str]:
    write("--date", WHEN, "already there")
    entries = [
        entry(f"{n:016x}", day, f"imported {n}")
        for n, day in enumerate(
            ["2026-09-01", "2026-09-02", "2026-10-01", "2026-10-02", "2026-11-01", "2026-11-02"]
        )
    ]
    source = scratch / "export.json"
    export = {
        "format": "leadjournal",
        "version": 1,
        "exported_at": "2026-11-20T10:00:00+00:00",
        "entries": entries,
    }
    source.write_text(json.dumps(export), "utf-8")
    return ["import", str(source)]


SYNCTHING = "2026-11.sync-conflict-20261106-101010-ABCDEFG.json"


def build_doctor_fix(home: Path, scratch: Path) -> list[str]:
    main = {
        "format": "leadjournal",
        "version": 1,
        "entries": [
            entry("aaaaaaaaaaaaaaaa", "2026-11-05", "a: main"),
            entry("bbbbbbbbbbbbbbbb", "2026-11-06", "b: main"),
        ],
        "tombstones": [],
    }
    copy = {
        "format": "leadjournal",
        "version": 1,
        "entries": [
            entry(
                "aaaaaaaaaaaaaaaa",
                "2026-11-05",
                "a: newer on the laptop",
                "2026-11-07T00:00:00+00:00",
            ),
            entry("cccccccccccccccc", "2026-11-07", "c: only on the laptop"),
        ],
        "tombstones": [{"id": "bbbbbbbbbbbbbbbb", "deleted_at": "2026-11-08T00:00:00+00:00"}],
    }
    write("--date", "2026-10-05T10:00", "october")  # makes the folders with their modes
    folder = home / "entries" / "2026"
    for name, data in (("2026-11.json", main), (SYNCTHING, copy)):
        (folder / name).write_text(json.dumps(data, indent=2), "utf-8")
        (folder / name).chmod(0o600)
    return ["doctor", "--fix"]


def commit(*args: str) -> dict[str, Any]:
    result = cli("commit", "--json", *args)
    assert result.code == 0, result
    data: dict[str, Any] = result.json()
    return data


def warm_caches(home: Path) -> None:
    """Build the derived indexes (the commitments index is made by a read, then kept in step
    by every save), so that the save under test also updates them."""
    for args in (["commitments", "--status", "all", "--json"], ["today"], ["list", "--json"]):
        assert cli(*args).code == 0, args
    assert (home / "cache" / "commitments.json").exists()


def build_commit(home: Path, scratch: Path) -> list[str]:
    write("--date", "2026-09-10T09:00", "september")
    write("--date", WHEN, "october one")
    commit("already promised", "--date", WHEN, "--due", "2026-10-09")
    warm_caches(home)
    return ["commit", "Call Sam", "--date", "2026-10-07T10:00", "--due", "2026-10-14"]


def build_write_with_commit(home: Path, scratch: Path) -> list[str]:
    write("--date", "2026-09-10T09:00", "september")
    commit("already promised", "--date", WHEN, "--due", "2026-10-09")
    warm_caches(home)
    return ["write", "--free", "--date", "2026-10-07T10:00", "the new entry", "--commit", "a step"]


def build_resolve(home: Path, scratch: Path) -> list[str]:
    write("--date", WHEN, "october one")
    target = commit(
        "to be kept", "--date", WHEN, "--due", "2026-10-09", "--theme", "responsibility"
    )
    commit("stays open", "--date", "2026-10-06T10:00", "--due", "2026-10-12")
    warm_caches(home)
    return ["resolve", target["id"], "kept", "--note", "it went well"]


def build_delete_commitment(home: Path, scratch: Path) -> list[str]:
    entry_id = write("--date", WHEN, "october one")["id"]
    target = commit("to be deleted", "--date", WHEN, "--entry", entry_id)
    commit("stays", "--date", "2026-10-06T10:00", "--due", "2026-10-12")
    warm_caches(home)
    return ["delete", target["id"], "--yes"]


def build_delete_entry_linked_elsewhere(home: Path, scratch: Path) -> list[str]:
    """An entry in September with a commitment linked to it made in October (and one made
    with it in September): deleting the entry rewrites both months in one staged commit."""
    write("--date", "2026-09-09T09:00", "september stays")
    target = cli(
        "write",
        "--free",
        "--json",
        "--date",
        "2026-09-10T09:00",
        "to be deleted",
        "--commit",
        "made with it",
    )
    assert target.code == 0, target
    entry_id = target.json()["id"]
    commit("made later about it", "--date", WHEN, "--entry", entry_id, "--due", "2026-10-20")
    commit("october stays", "--date", "2026-10-06T10:00", "--due", "2026-10-12")
    warm_caches(home)
    return ["delete", entry_id, "--yes"]


def build_encrypt(home: Path, scratch: Path) -> list[str]:
    """Three months, a commitment and a sync-conflict copy, then `encrypt` (on the
    encrypted form: `encrypt` again, which re-encrypts every file)."""
    write("--date", "2026-09-10T09:00", "september")
    write("--date", WHEN, "october one")
    commit("promised", "--date", WHEN, "--due", "2026-10-09")
    write("--date", "2026-11-02T09:00", "november")
    folder = home / "entries" / "2026"
    shutil.copy(folder / "2026-11.json", folder / SYNCTHING)
    return ["encrypt"]


def build_move(home: Path, scratch: Path) -> list[str]:
    """An entry moved from October to November with `edit --date`: both months in one
    staged commit (DESIGN.md section 18)."""
    write("--date", "2026-09-10T09:00", "september")
    target = write("--date", WHEN, "moved to november")
    write("--date", "2026-10-06T10:00", "october stays")
    write("--date", "2026-11-02T10:00", "november was there")
    warm_caches(home)
    return ["edit", target["id"], "--date", "2026-11-03T08:00"]


def build_doctor_move(home: Path, scratch: Path) -> list[str]:
    """doctor's move: an entry in the wrong month, and an id in two month files (the newer
    copy in the wrong one), left once each, in their months (two staged commits: the
    records placed, then the other copies taken out)."""
    october = {
        "format": "leadjournal",
        "version": 1,
        "entries": [
            entry("aaaaaaaaaaaaaaaa", "2026-10-05", "a: october"),
            entry("bbbbbbbbbbbbbbbb", "2026-11-06", "b: dated november, filed in october"),
        ],
        "tombstones": [],
    }
    november = {
        "format": "leadjournal",
        "version": 1,
        "entries": [
            entry("cccccccccccccccc", "2026-11-07", "c: november"),
            entry(
                "aaaaaaaaaaaaaaaa",
                "2026-10-05",
                "a: newer, filed in november",
                "2026-11-08T00:00:00+00:00",
            ),
        ],
        "tombstones": [],
    }
    write("--date", "2026-09-05T10:00", "september")  # makes the folders with their modes
    folder = home / "entries" / "2026"
    for name, data in (("2026-10.json", october), ("2026-11.json", november)):
        (folder / name).write_text(json.dumps(data, indent=2), "utf-8")
        (folder / name).chmod(0o600)
    return ["doctor", "--fix"]


def ids_per_file(home: Path) -> dict[str, list[str]]:
    """Every live id, and the month files holding it (named as plain files: an encrypted
    month is decrypted with the journal's identity)."""
    found: dict[str, list[str]] = {}
    files = [p for p in (home / "entries").glob("*/*.json*") if p.name.endswith((".json", ".age"))]
    for path in sorted(files):
        data = path.read_bytes()
        if path.name.endswith(".age"):
            import pyrage

            lines = (home / "identity.txt").read_text().splitlines()
            secret = next(line for line in lines if line.startswith("AGE-SECRET-KEY-1"))
            data = pyrage.decrypt(data, [pyrage.x25519.Identity.from_str(secret)])
        for record in json.loads(data)["entries"]:
            found.setdefault(record["id"], []).append(path.name.removesuffix(".age"))
    return found


SCENARIOS = {
    "move-to-another-month": Scenario(build_move, many_files=True),
    "doctor-fix-move": Scenario(build_doctor_move, many_files=True),
    "write-into-existing-month": Scenario(build_write_existing),
    "write-into-new-year": Scenario(build_write_new_year),
    "edit-text": Scenario(build_edit),
    "delete": Scenario(build_delete),
    "commit": Scenario(build_commit),
    "write-with-commit": Scenario(build_write_with_commit),
    "resolve": Scenario(build_resolve),
    "delete-commitment": Scenario(build_delete_commitment),
    "delete-entry-with-a-commitment-in-another-month": Scenario(
        build_delete_entry_linked_elsewhere, many_files=True
    ),
    "import-three-months": Scenario(build_import, many_files=True),
    "doctor-fix-conflict-copy": Scenario(build_doctor_fix, many_files=True),
    "encrypt": Scenario(build_encrypt, many_files=True),
}


def view() -> list[tuple[Any, ...]]:
    """What `list --json` and `commitments --status all --json` show, without what a save
    stamps anew (ids of new records, updated_at, resolved_at's time): one tuple per entry,
    then one per commitment (its link named by the linked entry's text, or "missing" when
    that entry is not in the journal)."""
    shown = cli("list", "--json")
    assert shown.code == 0, shown
    assert UNEXPECTED not in shown.stderr, shown
    entries: list[dict[str, Any]] = shown.json()
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids)), f"an entry is listed twice: {ids}"
    text_of = {e["id"]: e["text"] for e in entries}
    promised = cli("commitments", "--status", "all", "--json")
    assert promised.code == 0, promised
    assert UNEXPECTED not in promised.stderr, promised
    commitments: list[dict[str, Any]] = promised.json()
    commitment_ids = [c["id"] for c in commitments]
    assert len(commitment_ids) == len(set(commitment_ids)), f"listed twice: {commitment_ids}"
    entry_rows = sorted(
        (e["created_at"], e["text"], e["theme"], e["prompt_id"], tuple(e["tags"])) for e in entries
    )
    commitment_rows = sorted(
        (
            "commitment",
            c["created_at"],
            c["text"],
            c["due"],
            c["theme"],
            None if c["entry_id"] is None else text_of.get(c["entry_id"], "missing"),
            c["status"],
            c["resolved_at"] is not None,
            c["note"],
        )
        for c in commitments
    )
    return entry_rows + commitment_rows


def temp_files(home: Path) -> list[Path]:
    return sorted(home.rglob("*.tmp"))


def backed_up(home: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted((home / "backups").rglob("*")) if p.is_file()]


def plain_records(home: Path) -> list[str]:
    """Files under `home` holding a record in plain JSON (none may, in an encrypted
    journal: months, copies, temp files, backups and caches are all sealed)."""
    return sorted(
        str(p)
        for p in home.rglob("*")
        if p.is_file() and not p.is_symlink() and b'"created_at"' in p.read_bytes()
    )


class Lab:
    """A scenario's journal built once in a template, copied afresh for every run; with
    `encrypted`, the template is encrypted (`leadjournal encrypt`) once built."""

    def __init__(
        self, name: str, tmp_path: Path, patch: pytest.MonkeyPatch, *, encrypted: bool = False
    ) -> None:
        self.name = name
        self.tmp = tmp_path
        self.patch = patch
        self.template = tmp_path / "template"
        self.runs = 0
        self.encrypted = encrypted
        self.use(self.template)
        self.args = SCENARIOS[name].build(self.template, tmp_path)
        if encrypted:
            assert cli("encrypt").code == 0
            warm_caches(self.template)
            assert plain_records(self.template) == []
        self.before = snapshot(self.template)

    def use(self, home: Path) -> None:
        self.patch.setenv("LEADJOURNAL_HOME", str(home))

    def fresh(self) -> Path:
        self.runs += 1
        home = self.tmp / f"run{self.runs}"
        shutil.copytree(self.template, home, symlinks=True)
        self.use(home)
        return home

    def run(self, fail_at: int = 0, code: int = errno.EIO) -> tuple[Path, Disk, Result]:
        """The command in a fresh copy of the journal, the `fail_at`-th disk call failing."""
        home = self.fresh()
        disk = Disk(home, fail_at, code)
        with self.patch.context() as inner:
            disk.install(inner)
            result = cli(*self.args)
        if self.encrypted:
            assert plain_records(home) == [], f"plain text after call {fail_at} failed"
            written = [c for c in disk.calls if c.name == "write" and b'"created_at"' in c.data]
            assert written == [], f"a record written in plain text: {written[0]}"
        return home, disk, result


def assert_no_traceback(result: Result, context: str) -> None:
    assert "Traceback" not in result.stderr + result.stdout, context
    assert UNEXPECTED not in result.stderr, context


def assert_clean_failure(result: Result, code: int, context: str) -> None:
    assert result.code == 1, context
    assert result.stderr.startswith("Error: "), context
    assert os.strerror(code) in result.stderr, context
    assert_no_traceback(result, context)


# ---------------------------------------------------------------------------------------
# 1. The disk failing at every step of a save


@pytest.fixture(params=FORMS)
def form(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def lab(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str
) -> Lab:
    return Lab(request.param, tmp_path, monkeypatch, encrypted=form == "encrypted")


def reference(lab: Lab) -> tuple[Disk, list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The command once with a healthy disk: the calls it makes, the view before and after."""
    lab.fresh()
    before = view()
    _, disk, result = lab.run()
    assert result.code == 0, result
    after = view()
    assert after != before
    assert disk.committed() >= 1, [str(c) for c in disk.calls]
    return disk, before, after


@pytest.mark.parametrize(
    "lab", [n for n, s in SCENARIOS.items() if not s.many_files], indirect=True
)
@CODES
def test_a_save_failing_at_any_disk_call_changes_nothing_or_says_it_was_written(
    lab: Lab, code: int
) -> None:
    """For k = 1..N, the k-th open/write/fsync/replace under the home fails: before the
    rename, exit 1 and every journal file byte-identical, no temp file; a cache call
    failing never fails the save; after the rename (the folder's fsync) the change is there
    and an error says it was written."""
    healthy, before, after = reference(lab)
    seen: dict[str, int] = {"before the rename": 0, "after the rename": 0}
    for k in range(1, len(healthy.calls) + 1):
        home, disk, result = lab.run(k, code)
        failed = disk.failed
        assert failed is not None, f"call {k} never came: {[str(c) for c in disk.calls]}"
        context = f"{lab.name}: call {k} of {len(healthy.calls)}, {failed} failing: {result}"
        assert temp_files(home) == [], context
        if disk.under(failed.target, "cache"):  # derived data: best effort
            assert result.code == 0, context
            assert view() == after, context
        elif disk.committed() == 0:
            seen["before the rename"] += 1
            assert_clean_failure(result, code, context)
            assert snapshot(home) == lab.before, context
            assert view() == before, context
        else:  # the new file is in place; only its folder's fsync is left
            seen["after the rename"] += 1
            assert view() == after, context
            assert failed.name in ("open", "fsync"), context
            assert Path(failed.target).is_dir(), context
            assert_no_traceback(result, context)
            if result.code != 0:
                assert result.code == 1, context
                assert "was written" in result.stderr, context
                assert "nothing was changed" not in result.stderr.lower(), context
    assert seen["before the rename"] and seen["after the rename"], seen  # both were reached
    kinds = {c.name for c in healthy.calls}
    assert {"open", "write", "fsync", "replace"} <= kinds, [str(c) for c in healthy.calls]


@pytest.mark.parametrize("lab", ["import-three-months"], indirect=True)
@CODES
def test_an_import_failing_at_any_disk_call_is_completed_by_running_it_again(
    lab: Lab, code: int
) -> None:
    """Staging fails: nothing changed. A rename fails: some months may be done, and the same
    import run again completes it with nothing lost and nothing twice (DESIGN.md section 6)."""
    healthy, before, after = reference(lab)
    months = healthy.committed()
    assert months == 3, [str(c) for c in healthy.calls]
    seen = {"staging": 0, "between the renames": 0, "after the renames": 0}
    for k in range(1, len(healthy.calls) + 1):
        home, disk, result = lab.run(k, code)
        failed = disk.failed
        assert failed is not None, f"call {k} never came"
        context = f"call {k} of {len(healthy.calls)}, {failed} failing: {result}"
        assert temp_files(home) == [], context
        assert_no_traceback(result, context)
        done = disk.committed()
        if disk.under(failed.target, "cache"):
            assert result.code == 0, context
        elif done == 0:
            seen["staging"] += 1
            assert_clean_failure(result, code, context)
            assert snapshot(home) == lab.before, context
            assert view() == before, context
        elif done < months:  # some months renamed, the rest not
            seen["between the renames"] += 1
            assert result.code == 1, context
            assert result.stderr.startswith("Error: "), context
            assert set(before) < set(view()) < set(after), context
        else:
            seen["after the renames"] += 1
            assert view() == after, context
            if result.code != 0:
                assert "was written" in result.stderr, context
        again = cli(*lab.args)
        assert again.code == 0, f"{context}; again: {again}"
        assert view() == after, context
        assert temp_files(home) == [], context
    assert all(seen.values()), seen  # every phase was reached


@pytest.mark.parametrize("lab", ["doctor-fix-conflict-copy"], indirect=True)
@CODES
def test_doctor_fix_failing_at_any_disk_call_loses_nothing(lab: Lab, code: int) -> None:
    """Every entry stays in view (main file and copy are read together until merged); the
    copy and the replaced main file are either where they were or in backups/; running
    doctor --fix again finishes the merge."""
    suffix = ".age" if lab.encrypted else ""
    copy = Path("entries", "2026", SYNCTHING + suffix)
    main = Path("entries", "2026", "2026-11.json" + suffix)
    lab.fresh()
    merged = view()
    healthy_home, healthy, result = lab.run()
    assert result.code == 0, result
    assert view() == merged
    assert not (healthy_home / copy).exists()
    assert healthy.committed() == 1
    for k in range(1, len(healthy.calls) + 1):
        home, disk, result = lab.run(k, code)
        failed = disk.failed
        assert failed is not None, f"call {k} never came"
        context = f"call {k} of {len(healthy.calls)}, {failed} failing: {result}"
        assert_no_traceback(result, context)
        assert result.code in (0, 1), context
        if result.code == 1:
            assert result.stderr.startswith("Error: "), context
        if disk.committed() == 0 and not disk.under(failed.target, "cache"):
            assert snapshot(home) == lab.before, context
        assert view() == merged, context
        kept = backed_up(home)
        for path in (copy, main):
            in_place = (home / path).exists() and (home / path).read_bytes() == lab.before[
                str(path)
            ]
            assert in_place or lab.before[str(path)] in kept, f"{context}: {path} is lost"
        assert temp_files(home) == [], context
        again = cli("doctor", "--fix")
        assert again.code == 0, f"{context}; again: {again}"
        assert not (home / copy).exists(), context
        assert view() == merged, context


@pytest.mark.parametrize("lab", ["delete-entry-with-a-commitment-in-another-month"], indirect=True)
@CODES
def test_deleting_an_entry_with_linked_commitments_failing_at_any_disk_call_loses_nothing(
    lab: Lab, code: int
) -> None:
    """The entry's month and the linked commitment's month go in one staged commit. For
    k = 1..N, the k-th disk call fails. Staging fails: exit 1, every journal file as it was.
    A rename fails after another was done: exit 1, the error does not say nothing was
    changed, and `delete` of the same id run again finishes the job (the hint says so).
    After the renames: the view is the healthy one. Catches a delete that renames one
    month before the other is staged, a message that hides a half-done delete, and a
    half-done delete that cannot be completed (a commitment left linked to a deleted
    entry)."""
    healthy, before, after = reference(lab)
    assert healthy.committed() == 2, [str(c) for c in healthy.calls]
    kept = [row[2] for row in after if row[0] == "commitment"]
    assert kept == ["october stays"], after  # both linked commitments went with the entry
    seen = {"staging": 0, "between the renames": 0, "after the renames": 0}
    for k in range(1, len(healthy.calls) + 1):
        home, disk, result = lab.run(k, code)
        failed = disk.failed
        assert failed is not None, f"call {k} never came"
        context = f"call {k} of {len(healthy.calls)}, {failed} failing: {result}"
        assert temp_files(home) == [], context
        assert_no_traceback(result, context)
        done = disk.committed()
        if disk.under(failed.target, "cache"):
            assert result.code == 0, context
            assert view() == after, context
            continue
        if done == 0:
            seen["staging"] += 1
            assert_clean_failure(result, code, context)
            assert snapshot(home) == lab.before, context
            assert view() == before, context
            continue
        if done < 2:
            seen["between the renames"] += 1
            assert result.code == 1, context
            assert result.stderr.startswith("Error: "), context
            assert "nothing was changed" not in result.stderr.lower(), context
            again = cli(*lab.args)
            assert again.code == 0, f"{context}; the same delete again: {again}"
        else:
            seen["after the renames"] += 1
            if result.code != 0:
                assert "was written" in result.stderr, context
        assert view() == after, context
        assert temp_files(home) == [], context
    assert all(seen.values()), seen  # every phase was reached


@pytest.mark.parametrize("lab", ["move-to-another-month"], indirect=True)
@CODES
def test_a_move_between_months_failing_at_any_disk_call_shows_the_entry_once(
    lab: Lab, code: int
) -> None:
    """`edit --date` into another month, the k-th disk call failing. Staging either file
    fails: exit 1, "Nothing was changed" is true (every journal file byte-identical). A
    rename fails after the other landed: exit 1, the message does not say nothing changed,
    and the entry is shown once, moved (the new month is renamed first, and readers show
    the newer copy of an id found in two files); `doctor --fix` then leaves it in one file.
    `view` itself fails on any id listed twice."""
    healthy, before, after = reference(lab)
    assert healthy.committed() == 2, [str(c) for c in healthy.calls]
    seen = {"staging": 0, "between the renames": 0, "after the renames": 0}
    for k in range(1, len(healthy.calls) + 1):
        home, disk, result = lab.run(k, code)
        failed = disk.failed
        assert failed is not None, f"call {k} never came"
        context = f"call {k} of {len(healthy.calls)}, {failed} failing: {result}"
        assert temp_files(home) == [], context
        assert_no_traceback(result, context)
        done = disk.committed()
        if disk.under(failed.target, "cache"):
            assert result.code == 0, context
            assert view() == after, context
            continue
        if done == 0:
            seen["staging"] += 1
            assert_clean_failure(result, code, context)
            assert snapshot(home) == lab.before, context
            assert view() == before, context
            continue
        if done < 2:
            seen["between the renames"] += 1
            assert result.code == 1, context
            assert "nothing was changed" not in result.stderr.lower(), context
            assert view() == after, context
            assert cli("doctor", "--fix").code == 0, context
        else:
            seen["after the renames"] += 1
            if result.code != 0:
                assert "was written" in result.stderr, context
        assert view() == after, context
        assert all(len(files) == 1 for files in ids_per_file(home).values()), context
    assert all(seen.values()), seen  # every phase was reached


@pytest.mark.parametrize("lab", ["doctor-fix-move"], indirect=True)
@CODES
def test_doctor_moving_records_failing_at_any_disk_call_loses_nothing(lab: Lab, code: int) -> None:
    """doctor --fix moving a misplaced entry and resolving an id found in two months, the
    k-th disk call failing: every command shows each id once, the same view, all along;
    nothing is lost (each replaced file is where it was or in backups/); no month is left
    unreadable; doctor --fix run again leaves each id once, in the month of its day."""
    lab.fresh()
    shown = view()
    healthy_home, healthy, result = lab.run()
    assert result.code == 0, result
    assert view() == shown
    assert ids_per_file(healthy_home) == {
        "aaaaaaaaaaaaaaaa": ["2026-10.json"],
        "bbbbbbbbbbbbbbbb": ["2026-11.json"],
        "cccccccccccccccc": ["2026-11.json"],
        **{i: f for i, f in ids_per_file(healthy_home).items() if len(set(i)) > 1},
    }
    assert healthy.committed() == 4  # two commits of both months: placed, then cleared
    for k in range(1, len(healthy.calls) + 1):
        home, disk, result = lab.run(k, code)
        failed = disk.failed
        assert failed is not None, f"call {k} never came"
        context = f"call {k} of {len(healthy.calls)}, {failed} failing: {result}"
        assert_no_traceback(result, context)
        assert result.code in (0, 1), context
        if disk.committed() == 0 and not disk.under(failed.target, "cache"):
            assert snapshot(home) == lab.before, context
        assert view() == shown, context
        suffix = ".age" if lab.encrypted else ""
        for name in ("2026-10.json", "2026-11.json"):
            path = Path("entries", "2026", name + suffix)
            in_place = (home / path).read_bytes() == lab.before[str(path)]
            assert in_place or lab.before[str(path)] in backed_up(home), f"{context}: {path}"
        assert temp_files(home) == [], context
        again = cli("doctor", "--fix")
        assert again.code == 0, f"{context}; again: {again}"
        assert ids_per_file(home) == ids_per_file(healthy_home), context
        assert view() == shown, context


@pytest.mark.parametrize("lab", ["encrypt"], indirect=True)
@CODES
def test_encrypt_failing_at_any_disk_call_loses_nothing_and_running_it_again_finishes(
    lab: Lab, code: int
) -> None:
    """`encrypt` converts one file at a time and removes a plain file only after its
    encrypted form is durable. For k = 1..N, the k-th disk call fails: exit 1 or 0, no
    traceback, every record still in view, and `encrypt` run again leaves every month
    encrypted, no plain record on disk and the same view (DESIGN.md section 12)."""
    lab.fresh()
    before = view()
    _, healthy, result = lab.run()
    assert result.code == 0, result
    assert view() == before
    for k in range(1, len(healthy.calls) + 1):
        home, disk, result = lab.run(k, code)
        failed = disk.failed
        assert failed is not None, f"call {k} never came"
        context = f"call {k} of {len(healthy.calls)}, {failed} failing: {result}"
        assert_no_traceback(result, context)
        assert result.code in (0, 1), context
        if result.code == 1:
            assert result.stderr.startswith("Error: "), context
        assert view() == before, context
        again = cli("encrypt")
        assert again.code == 0, f"{context}; again: {again}"
        assert view() == before, context
        assert not list((home / "entries").rglob("*.json")), context
        assert plain_records(home) == [], context


def test_an_import_whose_second_rename_fails_does_not_claim_nothing_was_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once one month is renamed into place the journal has changed: the message must not
    say "Nothing was changed" (a person would then not run the import again)."""
    lab = Lab("import-three-months", tmp_path, monkeypatch)
    healthy, _, _ = reference(lab)
    renames = [k for k, c in enumerate(healthy.calls, 1) if c.name == "replace"]
    _, disk, result = lab.run(renames[1], errno.EIO)
    assert disk.committed() == 1
    assert result.code == 1, result
    assert "nothing was changed" not in result.stderr.lower(), result


# ---------------------------------------------------------------------------------------
# 2. The order of a save


def test_a_save_writes_and_fsyncs_a_hidden_temp_file_then_renames_it_then_fsyncs_the_folder(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("--date", WHEN, "the first entry")
    month = home / "entries" / "2026" / "2026-10.json"
    folder = str(month.parent.resolve())
    inode = month.stat().st_ino
    disk = Disk(home)
    with monkeypatch.context() as patch:
        disk.install(patch)
        result = cli("write", "--free", "--date", WHEN, "the second entry")
    assert result.code == 0, result
    calls = [c for c in disk.calls if disk.under(c.target, "entries")]
    order = [str(c) for c in calls]

    (tmp_open,) = [c for c in calls if c.name == "open" and c.target != folder]
    tmp = Path(tmp_open.target)
    assert tmp.parent == month.parent.resolve(), order
    assert tmp.name.startswith("."), order
    assert TEMP_NAME.fullmatch(tmp.name), order
    assert tmp_open.flags & (os.O_CREAT | os.O_EXCL) == os.O_CREAT | os.O_EXCL, order
    writes = [i for i, c in enumerate(calls) if c.name == "write" and c.fd == tmp_open.fd]
    assert writes, order
    assert b"".join(calls[i].data for i in writes) == month.read_bytes(), order
    (tmp_fsync,) = [i for i, c in enumerate(calls) if c.name == "fsync" and c.target == str(tmp)]
    (rename,) = [i for i, c in enumerate(calls) if c.name in ("replace", "rename")]
    assert calls[rename].source == str(tmp), order
    assert calls[rename].target == str(month.resolve()), order
    assert max(writes) < tmp_fsync < rename, order
    folder_syncs = [i for i, c in enumerate(calls) if c.name == "fsync" and c.target == folder]
    assert folder_syncs, order
    assert min(folder_syncs) > rename, order
    written = os.O_WRONLY | os.O_RDWR | os.O_TRUNC | os.O_APPEND
    assert not [c for c in calls if c.target == str(month.resolve()) and c.flags & written], order
    assert month.stat().st_ino != inode, "the month file was rewritten in place"


def test_a_new_year_folder_is_made_durable_before_the_save_is_reported(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("--date", WHEN, "the first entry")
    disk = Disk(home)
    with monkeypatch.context() as patch:
        disk.install(patch)
        result = cli("write", "--free", "--date", "2027-01-05T10:00", "a new year")
    assert result.code == 0, result
    entries = str((home / "entries").resolve())
    assert any(c.name == "fsync" and c.target == entries for c in disk.calls), [
        str(c) for c in disk.calls
    ]


def test_a_folder_that_cannot_be_opened_for_its_fsync_is_not_reported_as_saved(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("--date", WHEN, "the first entry")
    folder = str((home / "entries" / "2026").resolve())
    healthy = Disk(home)
    with monkeypatch.context() as patch:
        healthy.install(patch)
        assert cli("write", "--free", "--date", WHEN, "probe").code == 0
    (k,) = [k for k, c in enumerate(healthy.calls, 1) if c.name == "open" and c.target == folder]
    disk = Disk(home, k, errno.EIO)
    with monkeypatch.context() as patch:
        disk.install(patch)
        result = cli("write", "--free", "--date", WHEN, "the third entry")
    assert disk.failed is not None
    assert result.code == 1, result
    assert "was written" in result.stderr, result


def test_doctor_fix_makes_the_backup_durable_before_replacing_the_main_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lab = Lab("doctor-fix-conflict-copy", tmp_path, monkeypatch)
    home, disk, result = lab.run()
    assert result.code == 0, result
    main = str((home / "entries" / "2026" / "2026-11.json").resolve())
    (rename,) = [i for i, c in enumerate(disk.calls) if c.name == "replace" and c.target == main]
    (backup,) = (home / "backups").rglob("2026-11.json")
    synced = [
        i
        for i, c in enumerate(disk.calls)
        if c.name == "fsync" and c.target == str(backup.resolve())
    ]
    assert synced and min(synced) < rename, [str(c) for c in disk.calls]


# ---------------------------------------------------------------------------------------
# 3. Concurrent writers, and a negative control without the lock

WRITERS = 4
WRITES = 15

# Prepended to the writer in the control (WITHOUT_LOCK): the child replaces the lock with a
# no-op before it calls main(), so the source is unchanged and only the protection is gone.


def run_writers(go: Path, script: str) -> list[str]:
    """WRITERS real processes, each saving WRITES entries into one month, all started at once.
    Returns the texts every writer was told were saved (all of them: each exits 0)."""
    run_writers_at_once(go, script, writers=WRITERS, writes=WRITES, when=WHEN)
    return [f"w{n} entry {i}" for n in range(WRITERS) for i in range(WRITES)]


def lost_entries(acknowledged: list[str]) -> list[str]:
    """The loss detector: entries a writer was told were saved that the journal lacks."""
    shown = cli("list", "--json")
    assert shown.code == 0, shown
    texts = [e["text"] for e in shown.json()]
    assert len(texts) == len(set(texts)), "an entry was stored twice"
    return sorted(set(acknowledged) - set(texts))


@pytest.mark.slow
@pytest.mark.parametrize("locked", [True, False], ids=["with-lock", "control-without-lock"])
def test_concurrent_writers_lose_nothing_and_the_check_catches_a_missing_lock(
    home: Path, tmp_path: Path, locked: bool
) -> None:
    script = CONCURRENT_WRITER if locked else WITHOUT_LOCK + CONCURRENT_WRITER
    acknowledged = run_writers(tmp_path / "go", script)
    lost = lost_entries(acknowledged)
    if locked:
        assert lost == [], f"{len(lost)} of {len(acknowledged)} saved entries were lost"
        return
    # The control: without the lock, writers racing must lose something. A lost update
    # needs two writers to overlap, which a fast save on an idle machine can escape in one
    # round; so up to three rounds, each on a fresh journal: one loss shows the detector works.
    for attempt in range(2):
        if lost:
            break
        shutil.rmtree(home / "entries")
        lost = lost_entries(run_writers(tmp_path / f"go-again-{attempt}", script))
    assert lost, "without the lock no entry was lost: this test could not catch a missing lock"


# ---------------------------------------------------------------------------------------
# 4. Corrupt month files

PRIVATE = "confidential-note-about-Dana-9c1e"
OCTOBER = Path("entries", "2026", "2026-10.json")


def utf16(data: bytes) -> bytes:
    return data.decode("utf-8").encode("utf-16")


def as_list(data: bytes) -> bytes:
    return json.dumps(json.loads(data)["entries"]).encode()


def with_key(key: str, value: object) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        doc = json.loads(data)
        doc[key] = value
        return json.dumps(doc, indent=2).encode()

    return change


def lone_surrogate(data: bytes) -> bytes:
    changed = data.replace(f'{PRIVATE} one"'.encode(), f'{PRIVATE} one \\ud800"'.encode())
    assert changed != data
    return changed


def duplicate_ids(data: bytes) -> bytes:
    doc = json.loads(data)
    first, second = doc["entries"]
    doc["entries"] = [first, dict(second, id=first["id"])]
    return json.dumps(doc, indent=2).encode()


CORRUPTIONS: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda data: b"",
    "truncated": lambda data: data[: len(data) // 2],
    "nul-bytes": lambda data: b"\0" * len(data),
    "utf8-bom": lambda data: b"\xef\xbb\xbf" + data,
    "utf16": utf16,
    "top-level-list": as_list,
    "version-99": with_key("version", 99),
    "wrong-format": with_key("format", "jrnl"),
    "lone-surrogate-escape": lone_surrogate,
    "duplicate-ids": duplicate_ids,
}


@pytest.fixture(params=list(CORRUPTIONS))
def corrupt(request: pytest.FixtureRequest, home: Path) -> Iterator[Path]:
    """September fine; October (two entries) damaged one way. Yields October's path."""
    write("--date", "2026-09-10T09:00", "september entry")
    write("--date", WHEN, f"{PRIVATE} one")
    write("--date", "2026-10-06T10:00", f"{PRIVATE} two")
    path = home / OCTOBER
    path.write_bytes(CORRUPTIONS[request.param](path.read_bytes()))
    yield path


def test_a_write_into_a_corrupt_month_fails_naming_it_and_leaves_it_as_it_was(
    corrupt: Path,
) -> None:
    data = corrupt.read_bytes()
    result = cli("write", "--free", "--date", "2026-10-07T10:00", "new")
    assert result.code == 1, result
    assert result.stderr.startswith("Error: "), result
    assert str(corrupt) in result.stderr, result
    assert corrupt.read_bytes() == data
    assert_no_traceback(result, str(result))


def test_list_warns_naming_a_corrupt_month_and_still_lists_the_others(corrupt: Path) -> None:
    result = cli("list")
    assert result.code == 0, result
    assert "Warning:" in result.stderr, result
    assert str(corrupt) in result.stderr, result
    assert "september entry" in result.stdout, result
    assert [e["text"] for e in cli("list", "--json").json()] == ["september entry"]


def test_doctor_names_a_corrupt_month_and_exits_1(corrupt: Path) -> None:
    result = cli("doctor")
    assert result.code == 1, result
    assert str(corrupt) in result.stdout, result
    report = cli("doctor", "--json").json()
    assert {"kind": "unreadable", "path": str(corrupt)} in [
        {"kind": p["kind"], "path": p["path"]} for p in report["problems"]
    ]


def test_doctor_fix_never_rewrites_a_corrupt_month(corrupt: Path, home: Path) -> None:
    before = snapshot(home)
    result = cli("doctor", "--fix")
    assert result.code == 1, result
    assert snapshot(home) == before
    assert_no_traceback(result, str(result))


def test_no_message_about_a_corrupt_month_quotes_its_entries(corrupt: Path) -> None:
    for args in (
        ["write", "--free", "--date", "2026-10-07T10:00", "new"],
        ["list"],
        ["doctor"],
        ["doctor", "--fix"],
        ["doctor", "--json"],
    ):
        result = cli(*args)
        assert PRIVATE not in result.stderr, (args, result)
        if args[0] == "doctor":
            assert PRIVATE not in result.stdout, (args, result)


# ---------------------------------------------------------------------------------------
# 5. Derived data: the caches under <home>/cache/ may vanish or rot at any time


def answers() -> list[str]:
    """What the commands that read caches answer (the prompt of a day, a list, a summary)."""
    outputs = []
    for args in (
        ["prompt", "--json", "--date", "2026-10-20"],
        ["list", "--json"],
        ["summary", "--json", "--week", "2026-W41"],
    ):
        result = cli(*args)
        assert result.code == 0, result
        assert UNEXPECTED not in result.stderr, result
        outputs.append(result.stdout)
    return outputs


def remove_cache(cache: Path) -> None:
    shutil.rmtree(cache)


def garbage_in_cache(cache: Path) -> None:
    for path in cache.iterdir():
        path.write_bytes(b"\0{not json")


def empty_cache(cache: Path) -> None:
    for path in cache.iterdir():
        path.write_bytes(b"")


@pytest.mark.parametrize("damage", [remove_cache, garbage_in_cache, empty_cache])
def test_a_deleted_or_damaged_cache_changes_no_answer_and_is_rebuilt(
    home: Path, damage: Callable[[Path], None]
) -> None:
    write("--date", "2026-10-05T10:00", "free writing")
    assert cli("write", "--date", "2026-10-06T10:00", "an answer").code == 0
    expected = answers()
    cache = home / "cache"
    names = sorted(p.name for p in cache.iterdir())
    assert "history.json" in names
    before = snapshot(home)
    damage(cache)
    assert answers() == expected
    assert snapshot(home) == before
    assert sorted(p.name for p in cache.iterdir()) == names
    for path in cache.iterdir():
        json.loads(path.read_bytes())  # rebuilt whole


def test_doctor_rebuilds_a_stale_history_index_and_counts_no_problem(home: Path) -> None:
    recent = recent_day()
    assert cli("write", "--date", f"{recent}T10:00", "an answer").code == 0
    month = home / "entries" / f"{recent:%Y}" / f"{recent:%Y-%m}.json"
    document = json.loads(month.read_bytes())
    document["entries"].append(dict(document["entries"][0], id="0123456789abcdef"))
    month.write_text(json.dumps(document), "utf-8")  # behind the program's back: stale index
    result = cli("doctor", "--json")
    assert result.code == 0, result
    assert [(p["kind"], p["fixed"]) for p in result.json()["problems"]] == [("index", True)]
    assert cli("doctor", "--json").json()["problems"] == []


# The commitments index: derived files under cache/ that `commitments`, `summary`, `show`,
# `resolve` and `export` read instead of every month file.
COMMITMENT_INDEX = [
    "commitments.json",
    "commitments-days.json",
    "commitments-ids.json",
    "commitments-month-2026-10.json",
    "commitments-open.json",
    "commitments-tally.json",
]


def commitment_answers() -> list[Any]:
    """What the commands that read the commitments index answer (export without its
    exported_at stamp)."""
    outputs: list[Any] = []
    for args in (
        ["commitments", "--status", "all", "--json"],
        ["commitments", "--json"],
        ["summary", "--json", "--week", "2026-W41"],
        ["export", "--format", "json"],
    ):
        result = cli(*args)
        assert result.code == 0, result
        assert UNEXPECTED not in result.stderr, result
        data = result.json()
        if args[0] == "export":
            data.pop("exported_at")
        outputs.append(data)
    return outputs


def build_commitments(home: Path) -> dict[str, list[str]]:
    """An entry with a linked commitment and a standalone one in October, the index warm;
    the saves to run against it."""
    entry_id = write("--date", WHEN, "october one")["id"]
    linked = commit("linked", "--date", WHEN, "--entry", entry_id, "--due", "2026-10-09")
    alone = commit("alone", "--date", "2026-10-06T10:00", "--due", "2026-10-12")
    commitment_answers()  # builds the index
    assert (home / "cache" / "commitments.json").exists()
    return {
        "commit": ["commit", "Call Sam", "--date", "2026-10-07T10:00", "--due", "2026-10-14"],
        "write-commit": ["write", "--free", "--date", "2026-10-07T10:00", "x", "--commit", "y"],
        "resolve": ["resolve", linked["id"], "kept", "--note", "it went well"],
        "delete-commitment": ["delete", alone["id"], "--yes"],
        "delete-entry": ["delete", entry_id, "--yes"],
    }


@pytest.mark.parametrize(
    "save", ["commit", "write-commit", "resolve", "delete-commitment", "delete-entry"]
)
@pytest.mark.parametrize("name", COMMITMENT_INDEX)
def test_a_commitments_index_file_a_save_could_not_write_never_gives_a_stale_answer(
    home: Path, monkeypatch: pytest.MonkeyPatch, name: str, save: str
) -> None:
    """A save whose update of one index file fails (the disk refuses the temp file) still
    succeeds, and afterwards every answer that reads the index equals the answer from the
    month files alone (the index deleted and rebuilt). Catches an index that records a
    month as up to date while one of its derived files still holds the old commitments:
    `commitments` showing a resolved one as open, `summary` miscounting, an `export` (a
    backup) without a commitment."""
    args = build_commitments(home)[save]

    def refuse(path: Any, flags: int, *rest: Any, **kwargs: Any) -> int:
        if Path(os.fsdecode(path)).name.startswith(f".{name}."):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return int(REAL["open"](path, flags, *rest, **kwargs))

    with monkeypatch.context() as patch:
        patch.setattr(os, "open", refuse)
        result = cli(*args)
    assert result.code == 0, result
    answered = commitment_answers()
    shutil.rmtree(home / "cache")
    assert answered == commitment_answers(), f"{name} not written during {args[0]}: stale"
