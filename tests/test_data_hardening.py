"""Where version 1 lost data (issue 18, items 1-7; DESIGN.md section 18): edits that race,
one id in two month files, moves between months, links inside the journal, doctor's reach,
tombstones across months, export over a journal file. Each test fails without its fix.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pexpect
import pytest

from tests.helpers import CONCURRENT_COMMANDS, cli, month_files, run, run_at_once, snapshot

NOVEMBER = "2026/2026-11.json"
DECEMBER = "2026/2026-12.json"


def write(text: str, day: str = "2026-11-05T09:00", *tags: str) -> dict[str, Any]:
    args = ["write", "--free", "--json", "--date", day, text]
    for tag in tags:
        args += ["--tag", tag]
    result = cli(*args)
    assert result.code == 0, result
    data: dict[str, Any] = result.json()
    return data


def stored(home: Path, rel: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((home / "entries" / rel).read_text("utf-8"))
    return data


def put(home: Path, rel: str, data: dict[str, Any]) -> None:
    path = home / "entries" / rel
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_text(json.dumps(data, indent=2), "utf-8")
    path.chmod(0o600)


def listed(*args: str) -> list[dict[str, Any]]:
    result = cli("list", "--json", *args)
    assert result.code == 0, result
    entries: list[dict[str, Any]] = result.json()
    return entries


def ids_in_files(home: Path, entry_id: str) -> list[str]:
    """The month files (relative to entries/) holding `entry_id` as a live entry."""
    return [
        str(path.relative_to(home / "entries"))
        for path in month_files(home)
        if any(e["id"] == entry_id for e in json.loads(path.read_text("utf-8"))["entries"])
    ]


def shifted(stamp: str, days: int) -> str:
    from datetime import datetime, timedelta

    return (datetime.fromisoformat(stamp) + timedelta(days=days)).isoformat()


# ---------------------------------------------------------------------------------------
# 1. Two edits of one entry at once


def test_two_processes_editing_one_entry_at_once_lose_no_acknowledged_change(
    tmp_path: Path,
) -> None:
    """One process sets the text again and again while another sets the tags: every
    command is told its change was saved, so the last text and the last tags must both be
    there at the end of every round (26 of 30 rounds lost one before the fix)."""
    entry = write("the start")
    edits = 12
    for round_ in range(6):
        texts = [["edit", entry["id"], "--text", f"round {round_} text {k}"] for k in range(edits)]
        tags = [["edit", entry["id"], "--tag", f"r{round_}t{k}"] for k in range(edits)]
        plans = []
        for name, plan in (("texts", texts), ("tags", tags)):
            path = tmp_path / f"{name}-{round_}.json"
            path.write_text(json.dumps(plan), "utf-8")
            plans.append(path)
        go = tmp_path / f"go-{round_}"
        run_at_once(go, [(CONCURRENT_COMMANDS, str(go), str(plan)) for plan in plans])
        shown = cli("show", "--json", entry["id"]).json()
        assert shown["text"] == f"round {round_} text {edits - 1}", f"round {round_}"
        assert shown["tags"] == [f"r{round_}t{edits - 1}"], f"round {round_}"


# A stand-in editor: says it is open (a file), waits until told to go on (another file),
# then writes what the test asks below the template's marker line.
WAITING_EDITOR = """
import sys, time
from pathlib import Path
draft, opened, go_on, typed = Path(sys.argv[-1]), Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
opened.touch()
while not go_on.exists():
    time.sleep(0.01)
lines = draft.read_text("utf-8").split("\\n")
head = [line for line in lines if line.startswith("%% ")]
draft.write_text("\\n".join(head) + "\\n" + typed + "\\n", "utf-8")
"""


def edit_in_a_terminal_while(
    tmp_path: Path, home: Path, entry_id: str, typed: str, meanwhile: list[str]
) -> tuple[int, str]:
    """`leadjournal edit ID` in a real pseudo-terminal, its editor held open while another
    process runs `meanwhile`; the edit's exit status and what it printed."""
    script = tmp_path / "editor.py"
    script.write_text(WAITING_EDITOR, "utf-8")
    opened, go_on = tmp_path / "opened", tmp_path / "go-on"
    env = dict(os.environ, LEADJOURNAL_HOME=str(home), NO_COLOR="1")
    env["EDITOR"] = f"{sys.executable} {script} {opened} {go_on} '{typed}'"
    child = pexpect.spawn(
        sys.executable,
        ["-m", "leadjournal", "edit", entry_id],
        env=env,
        timeout=60,
        encoding="utf-8",
        codec_errors="replace",
    )
    try:
        deadline = time.monotonic() + 60
        while not opened.exists():
            assert child.isalive(), child.read()
            assert time.monotonic() < deadline, "the editor never opened"
            time.sleep(0.02)
        other = run(meanwhile, env={"LEADJOURNAL_HOME": str(home)})
        assert other.returncode == 0, other.stderr
        go_on.touch()
        child.expect(pexpect.EOF)
        output = str(child.before or "")
    finally:
        child.close()
    assert child.exitstatus is not None
    return child.exitstatus, output


def test_an_edit_open_in_the_editor_while_another_terminal_tags_the_entry_keeps_both(
    tmp_path: Path, home: Path
) -> None:
    entry = write("before the meeting")
    code, output = edit_in_a_terminal_while(
        tmp_path, home, entry["id"], "after the meeting", ["edit", entry["id"], "--tag", "1on1"]
    )
    assert code == 0, output
    shown = cli("show", "--json", entry["id"]).json()
    assert shown["text"] == "after the meeting"
    assert shown["tags"] == ["1on1"]  # the tag saved meanwhile is still there


def test_an_edit_whose_text_was_changed_meanwhile_stops_keeps_a_draft_and_says_so(
    tmp_path: Path, home: Path
) -> None:
    entry = write("before the meeting")
    code, output = edit_in_a_terminal_while(
        tmp_path,
        home,
        entry["id"],
        "my version",
        ["edit", entry["id"], "--text", "their version"],
    )
    assert code == 1, output
    assert "changed by another command" in output
    assert "updated" not in output.lower()
    drafts = list(home.glob(".draft-*.md"))
    assert len(drafts) == 1
    assert str(drafts[0]) in " ".join(output.split()) or drafts[0].name in output
    assert "my version" in drafts[0].read_text("utf-8")
    assert stat.S_IMODE(drafts[0].stat().st_mode) == 0o600
    assert cli("show", "--json", entry["id"]).json()["text"] == "their version"


def waiting_for_the_lock(proc: subprocess.Popen[bytes]) -> bool:
    """Whether the process sleeps (filelock polls a held lock with short sleeps; nothing
    before the lock sleeps), so it has read the entry and waits for the lock the test
    holds. Linux's /proc/PID/wchan names the kernel function it sleeps in."""
    try:
        return "nanosleep" in Path(f"/proc/{proc.pid}/wchan").read_text()
    except OSError:
        return False


@pytest.mark.parametrize(
    ("mine", "theirs", "clash"),
    [
        (["--text", "mine"], {"text": "theirs"}, True),
        (["--tag", "mine"], {"tags": ["theirs"]}, True),
        (["--text", "mine"], {"tags": ["theirs"]}, False),
        (["--theme", "direction"], {"text": "theirs"}, False),
        (["--date", "2026-12-02"], {"text": "theirs"}, False),
    ],
)
def test_a_change_saved_while_an_edit_waited_is_kept_or_the_edit_stops_with_a_draft(
    home: Path, mine: list[str], theirs: dict[str, Any], clash: bool
) -> None:
    """Deterministic: the test holds the journal lock while `edit` (a real process) has
    read the entry and waits for it; meanwhile the entry is changed on disk as another
    terminal would have saved it. Different fields: both changes land. The same field:
    exit 1, nothing saved by the edit, its text kept as a draft."""
    from leadjournal import fsio

    entry = write("first")
    with fsio.journal_lock():  # the lock every command takes (flock(2) on POSIX)
        proc = subprocess.Popen(
            [sys.executable, "-m", "leadjournal", "edit", entry["id"], *mine],
            env=dict(os.environ, LEADJOURNAL_LOCK_TIMEOUT="60"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while not (waiting_for_the_lock(proc) and waiting_for_the_lock(proc)):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.01)
        month = stored(home, NOVEMBER)
        month["entries"][0].update(theirs, updated_at=shifted(entry["updated_at"], 1))
        put(home, NOVEMBER, month)
    out, err = proc.communicate(timeout=60)
    shown = listed()[0]
    drafts = list(home.glob(".draft-*.md"))
    if clash:
        assert proc.returncode == 1, err
        assert b"changed by another command" in err and b"updated" not in out.lower()
        for key, value in theirs.items():
            assert shown[key] == value
        if mine[0] == "--text":
            assert [d.read_text("utf-8") for d in drafts] == [mine[1]]
            assert drafts[0].name.encode() in err
    else:
        assert proc.returncode == 0, err
        for key, value in theirs.items():
            assert shown[key] == value
        option, value = mine
        field = {"--text": "text", "--theme": "theme", "--date": "created_at"}[option]
        assert str(shown[field]).startswith(value)
        assert drafts == []


# ---------------------------------------------------------------------------------------
# 2. and 3. One id, one place


def test_doctor_fix_leaves_an_id_found_in_three_month_files_once_in_its_month(
    home: Path,
) -> None:
    entry = write("the one", "2026-11-05T09:00")
    write("a neighbour in december", "2026-12-02T09:00")
    november = stored(home, NOVEMBER)
    newest = dict(
        november["entries"][0], text="the newest", updated_at=shifted(entry["updated_at"], 2)
    )
    older = dict(november["entries"][0], text="older", updated_at=shifted(entry["updated_at"], -1))
    december = stored(home, DECEMBER)
    december["entries"].append(newest)
    put(home, DECEMBER, december)
    put(home, "2026/2026-10.json", dict(november, entries=[older]))
    # Meanwhile every command shows the id once: the newest copy.
    assert [e["text"] for e in listed() if e["id"] == entry["id"]] == ["the newest"]
    report = cli("doctor", "--json")
    assert report.code == 1
    assert "duplicate-id" in {p["kind"] for p in report.json()["problems"]}
    fixed = cli("doctor", "--fix")
    assert fixed.code == 0, fixed
    assert ids_in_files(home, entry["id"]) == [NOVEMBER]  # once, in the month of its day
    assert cli("doctor").code == 0
    for path in month_files(home):  # every month still parses and validates
        assert cli("list", "--json", "--since", "2026-10-01", "--until", "2026-12-31").code == 0
        json.loads(path.read_text("utf-8"))
    assert [e["text"] for e in listed()] == ["the newest", "a neighbour in december"]
    assert list((home / "backups").rglob("2026-12.json"))  # nothing deleted


def test_moving_an_entry_to_another_month_leaves_it_in_one_file(home: Path) -> None:
    entry = write("moved", "2026-11-30T09:00")
    assert cli("edit", entry["id"], "--date", "2026-12-01").code == 0
    assert ids_in_files(home, entry["id"]) == [DECEMBER]
    tombstones = stored(home, NOVEMBER)["tombstones"]
    assert [t["id"] for t in tombstones] == [entry["id"]]
    assert [e["id"] for e in listed()] == [entry["id"]]
    # and back again: the tombstone it left does not hide it
    assert cli("edit", entry["id"], "--date", "2026-11-29").code == 0
    assert ids_in_files(home, entry["id"]) == [NOVEMBER]
    assert [e["created_at"][:10] for e in listed()] == ["2026-11-29"]
    assert cli("doctor").code == 0


def test_a_move_cut_between_its_two_renames_shows_the_entry_once_and_counts_it_once(
    home: Path,
) -> None:
    """A crash between the renames of a move leaves the entry in both month files (issue
    16): the newer copy in the new month, the older in the old one. Readers show it once."""
    entry = write("moved at midnight", "2026-11-30T23:00")
    before = stored(home, NOVEMBER)
    assert cli("edit", entry["id"], "--date", "2026-12-01T00:30").code == 0
    put(home, NOVEMBER, before)  # the old month's rename never happened
    assert len(ids_in_files(home, entry["id"])) == 2
    shown = listed()
    assert [(e["id"], e["created_at"][:10]) for e in shown] == [(entry["id"], "2026-12-01")]
    summary = cli("summary", "--json", "--since", "2026-11-23", "--until", "2026-12-06").json()
    assert summary["entries"] == 1
    assert cli("show", "--json", entry["id"]).json()["created_at"].startswith("2026-12-01")
    assert cli("doctor", "--fix").code == 0
    assert ids_in_files(home, entry["id"]) == [DECEMBER]


def test_editing_an_entry_that_has_a_stale_copy_in_another_month_leaves_one(home: Path) -> None:
    entry = write("here", "2026-11-05T09:00")
    write("december", "2026-12-03T09:00")
    december = stored(home, DECEMBER)
    stale = dict(stored(home, NOVEMBER)["entries"][0], updated_at=shifted(entry["updated_at"], -1))
    december["entries"].append(stale)
    put(home, DECEMBER, december)
    assert cli("edit", entry["id"], "--text", "changed").code == 0
    assert ids_in_files(home, entry["id"]) == [NOVEMBER]
    assert [e["text"] for e in listed()] == ["changed", "december"]
    assert cli("delete", "--yes", entry["id"]).code == 0
    assert ids_in_files(home, entry["id"]) == []
    assert [e["text"] for e in listed()] == ["december"]


# ---------------------------------------------------------------------------------------
# 6. Tombstones win across months


@pytest.mark.parametrize("dated", ["as-it-was", "in-the-other-month"])
def test_a_stale_copy_of_a_deleted_entry_in_another_month_does_not_bring_it_back(
    home: Path, dated: str
) -> None:
    entry = write("deleted on purpose", "2026-11-05T09:00")
    copy = stored(home, NOVEMBER)["entries"][0]
    write("december", "2026-12-03T09:00")
    assert cli("delete", "--yes", entry["id"]).code == 0
    if dated == "in-the-other-month":
        copy["created_at"] = "2026-12-04T09:00:00+00:00"
    december = stored(home, DECEMBER)
    december["entries"].append(copy)
    put(home, DECEMBER, december)
    assert [e["text"] for e in listed()] == ["december"]
    assert cli("show", entry["id"]).code == 1
    assert [e["text"] for e in listed("--since", "2026-11-01", "--until", "2026-12-31")] == [
        "december"
    ]
    summary = cli("summary", "--json", "--since", "2026-11-01", "--until", "2026-12-31").json()
    assert summary["entries"] == 1
    assert cli("doctor").code == 1
    assert cli("doctor", "--fix").code == 0
    assert ids_in_files(home, entry["id"]) == []
    assert cli("doctor").code == 0
    assert [e["text"] for e in listed()] == ["december"]


# ---------------------------------------------------------------------------------------
# 4. Symbolic links inside the home


def test_a_year_folder_that_is_a_link_is_never_followed_written_or_chmodded(
    tmp_path: Path, home: Path
) -> None:
    write("in november")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    elsewhere.chmod(0o755)
    (elsewhere / "2020-03.json").write_bytes(b"not ours")
    (home / "entries" / "2020").symlink_to(elsewhere)
    saved = cli("write", "--free", "--date", "2020-03-01T09:00", "into the link")
    assert saved.code == 1, saved
    assert "symbolic link" in saved.stderr and "2020" in saved.stderr
    assert "Traceback" not in saved.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == ["2020-03.json"]
    assert (elsewhere / "2020-03.json").read_bytes() == b"not ours"
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o755
    shown = cli("list", "--json")
    assert [e["text"] for e in shown.json()] == ["in november"]
    assert "symbolic link" in shown.stderr and "2020" in shown.stderr
    report = cli("doctor", "--json")
    assert report.code == 1
    links = [p for p in report.json()["problems"] if p["kind"] == "symlink"]
    assert [Path(p["path"]).name for p in links] == ["2020"]
    assert cli("doctor", "--fix").code == 1
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o755


def test_a_month_file_that_is_a_link_is_never_read_or_written_through(
    tmp_path: Path, home: Path
) -> None:
    write("in december", "2026-12-03T09:00")
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps(stored(home, DECEMBER)), "utf-8")
    outside.chmod(0o644)
    before = outside.read_bytes()
    link = home / "entries" / NOVEMBER
    link.symlink_to(outside)
    saved = cli("write", "--free", "--date", "2026-11-05T09:00", "through the link")
    assert saved.code == 1, saved
    assert "symbolic link" in saved.stderr
    assert outside.read_bytes() == before
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644
    assert link.is_symlink()
    shown = cli("list", "--json")
    assert [e["text"] for e in shown.json()] == ["in december"]  # the linked copy: not read
    assert "symbolic link" in shown.stderr
    report = cli("doctor", "--json").json()
    assert [p["path"] for p in report["problems"] if p["kind"] == "symlink"] == [str(link)]


def test_the_home_and_entries_may_be_links_the_user_made(tmp_path: Path) -> None:
    real_home, real_entries = tmp_path / "real-home", tmp_path / "real-entries"
    real_home.mkdir(mode=0o700)
    real_entries.mkdir(mode=0o700)
    (real_home / "entries").symlink_to(real_entries)
    linked_home = tmp_path / "linked-home"
    linked_home.symlink_to(real_home)
    env = {"LEADJOURNAL_HOME": str(linked_home)}
    saved = run(["write", "--free", "--date", "2026-11-05T09:00", "through the links"], env=env)
    assert saved.returncode == 0, saved.stderr
    assert (real_entries / NOVEMBER).is_file()
    listed_ = run(["list", "--json"], env=env)
    assert [e["text"] for e in json.loads(listed_.stdout)] == ["through the links"]
    assert run(["doctor"], env=env).returncode == 0


# ---------------------------------------------------------------------------------------
# 5. doctor --fix changes only what is the journal's


def test_doctor_fix_leaves_gits_files_other_programs_temp_files_and_stricter_folders(
    home: Path,
) -> None:
    write("one")
    hook = home / ".git" / "hooks" / "post-commit"
    hook.parent.mkdir(parents=True)
    hook.write_text("#!/bin/sh\n", "utf-8")
    hook.chmod(0o755)
    obj = home / ".git" / "objects" / "ab" / "cdef"
    obj.parent.mkdir(parents=True)
    obj.write_bytes(b"x")
    obj.chmod(0o444)
    notes = home / "my-notes.txt"
    notes.write_text("mine", "utf-8")
    notes.chmod(0o644)
    theirs = home / "entries" / "2026" / ".vim-swap.tmp"
    theirs.write_bytes(b"someone else's")
    ours = home / "entries" / "2026" / ".2026-11.json.0123456789ab.tmp"
    ours.write_bytes(b'{"format": "leadjou')
    year = home / "entries" / "2026"
    (home / "entries" / NOVEMBER).chmod(0o644)
    year.chmod(0o550)  # stricter than 0700 for the owner: tightened, never loosened
    try:
        report = cli("doctor", "--json").json()
        flagged = {Path(p["path"]).name for p in report["problems"]}
        assert {"2026-11.json", "2026", ours.name} <= flagged
        assert not flagged & {"post-commit", "cdef", "my-notes.txt", ".vim-swap.tmp"}
        cli("doctor", "--fix")
        assert stat.S_IMODE(year.stat().st_mode) == 0o500
    finally:
        year.chmod(0o700)
    assert stat.S_IMODE(hook.stat().st_mode) == 0o755
    assert stat.S_IMODE(obj.stat().st_mode) == 0o444
    assert stat.S_IMODE(notes.stat().st_mode) == 0o644
    assert theirs.read_bytes() == b"someone else's"
    assert not ours.exists()
    assert [p.name for p in (home / "backups").rglob("*.tmp")] == [ours.name]
    assert stat.S_IMODE((home / "entries" / NOVEMBER).stat().st_mode) == 0o600


def test_a_write_into_a_0500_year_folder_does_not_loosen_it(home: Path) -> None:
    write("one")
    year = home / "entries" / "2026"
    before = snapshot(home)
    year.chmod(0o500)
    try:
        result = cli("write", "--free", "--date", "2026-11-06T09:00", "two")
        assert stat.S_IMODE(year.stat().st_mode) == 0o500
    finally:
        year.chmod(0o700)
    if os.geteuid() != 0:  # root writes into a 0500 folder anyway
        assert result.code == 1, result
        assert snapshot(home) == before


# ---------------------------------------------------------------------------------------
# 7. No export target is a journal file


@pytest.mark.parametrize("how", ["month-file", "new-file-in-entries", "link-to-a-month"])
def test_export_never_writes_over_or_into_the_journal(tmp_path: Path, home: Path, how: str) -> None:
    write("keep me")
    target = {
        "month-file": home / "entries" / NOVEMBER,
        "new-file-in-entries": home / "entries" / "export.json",
        "link-to-a-month": tmp_path / "link.json",
    }[how]
    if how == "link-to-a-month":
        target.symlink_to(home / "entries" / NOVEMBER)
    before = snapshot(home)
    result = cli("export", "--format", "json", "--output", str(target), "--force")
    assert result.code == 2, result
    assert "entries folder" in result.stderr and "nothing was written" in result.stderr
    assert snapshot(home) == before
    assert [e["text"] for e in listed()] == ["keep me"]


def test_daily_notes_are_never_written_into_the_entries_folder(home: Path) -> None:
    write("keep me")
    before = snapshot(home)
    result = cli("export", "--split", "day", "--output", str(home / "entries" / "notes"))
    assert result.code == 2, result
    assert snapshot(home) == before
    assert not (home / "entries" / "notes").exists()
