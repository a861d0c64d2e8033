"""doctor, and sync-conflict copies read by every command (DESIGN.md section 7)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import cli, snapshot

SYNCTHING = "2026-11.sync-conflict-20261106-101010-ABCDEFG.json"
DROPBOX = "2026-11 (MacBook's conflicted copy 2026-11-06).json"


def write(text: str, day: str = "2026-11-05T09:00") -> dict[str, Any]:
    result = cli("write", "--free", "--json", "--date", day, text)
    assert result.code == 0, result
    data: dict[str, Any] = result.json()
    return data


def month(home: Path) -> Path:
    return home / "entries" / "2026" / "2026-11.json"


def make_copy(home: Path, name: str, change: Any) -> Path:
    """A copy of November as a sync tool would leave it, changed by `change(data)`."""
    data = json.loads(month(home).read_text("utf-8"))
    change(data)
    path = month(home).parent / name
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), "utf-8")
    path.chmod(0o600)
    return path


def later(stamp: str) -> str:
    """A day after `stamp`: newer than what the program stamped, whatever the real date."""
    return (datetime.fromisoformat(stamp) + timedelta(days=1)).isoformat()


def texts() -> list[str]:
    return [e["text"] for e in cli("list", "--json").json()]


def test_a_clean_journal_has_no_problems(home: Path) -> None:
    write("one")
    result = cli("doctor")
    assert result.code == 0, result
    assert "No problems found" in result.stdout
    report = cli("doctor", "--json").json()
    assert report["ok"] is True
    assert report["files"] == 1
    assert report["entries"] == 1


@pytest.mark.parametrize("name", [SYNCTHING, DROPBOX])
def test_every_command_reads_a_conflict_copy_and_warns(home: Path, name: str) -> None:
    first = write("one")

    def add_laptop_entry(data: dict[str, Any]) -> None:
        extra = dict(data["entries"][0], id="feedfeedfeedfeed", text="written on the laptop")
        data["entries"].append(extra)

    make_copy(home, name, add_laptop_entry)
    result = cli("list", "--json")
    assert sorted(e["text"] for e in result.json()) == ["one", "written on the laptop"]
    assert name in result.stderr
    assert cli("show", "feedfeed", "--json").json()["text"] == "written on the laptop"
    assert cli("show", first["id"], "--json").code == 0


def test_in_a_conflict_the_newer_update_wins_and_a_tie_goes_to_the_main_file(home: Path) -> None:
    a = write("a: original")
    b = write("b: original")

    def edit(data: dict[str, Any]) -> None:
        for entry in data["entries"]:
            if entry["id"] == a["id"]:
                entry["text"] = "a: newer on the laptop"
                entry["updated_at"] = later(entry["updated_at"])
            if entry["id"] == b["id"]:
                entry["text"] = "b: same time on the laptop"  # same updated_at: main wins

    make_copy(home, SYNCTHING, edit)
    assert sorted(texts()) == ["a: newer on the laptop", "b: original"]


def test_a_tombstone_in_a_conflict_copy_keeps_the_entry_deleted(home: Path) -> None:
    a = write("deleted elsewhere")

    def delete(data: dict[str, Any]) -> None:
        data["entries"] = []
        data["tombstones"] = [{"id": a["id"], "deleted_at": later(a["updated_at"])}]

    make_copy(home, DROPBOX, delete)
    assert texts() == []


def test_writes_keep_working_while_a_conflict_copy_is_there(home: Path) -> None:
    write("one")

    def add(data: dict[str, Any]) -> None:
        data["entries"].append(dict(data["entries"][0], id="cafecafecafecafe", text="copy"))

    make_copy(home, SYNCTHING, add)
    write("two", "2026-11-06T10:00")
    assert sorted(texts()) == ["copy", "one", "two"]


def test_doctor_reports_a_conflict_copy_and_fix_merges_it_into_backups(home: Path) -> None:
    write("one")
    main_before = month(home).read_bytes()

    def add(data: dict[str, Any]) -> None:
        data["entries"].append(dict(data["entries"][0], id="cafecafecafecafe", text="copy"))

    copy = make_copy(home, SYNCTHING, add)
    copy_bytes = copy.read_bytes()
    report = cli("doctor")
    assert report.code == 1
    assert SYNCTHING in report.stdout
    assert cli("doctor", "--json").json()["problems"][0]["kind"] == "conflict-copy"
    fixed = cli("doctor", "--fix")
    assert fixed.code == 0, fixed
    assert not copy.exists()
    backups = list((home / "backups").rglob("*.json"))
    kept = {p.name: p.read_bytes() for p in backups}
    assert kept[SYNCTHING] == copy_bytes  # the copy is moved, not deleted
    assert kept["2026-11.json"] == main_before  # the replaced main file is kept too
    stored = json.loads(month(home).read_text("utf-8"))
    assert sorted(e["text"] for e in stored["entries"]) == ["copy", "one"]
    assert cli("doctor").code == 0
    assert sorted(texts()) == ["copy", "one"]


def test_an_unreadable_month_is_reported_and_never_rewritten_even_by_fix(home: Path) -> None:
    write("one")
    data = month(home).read_bytes()
    month(home).write_bytes(data[: len(data) // 2])
    before = snapshot(home)
    result = cli("doctor", "--fix")
    assert result.code == 1
    assert "2026-11.json" in result.stdout
    assert snapshot(home) == before


def test_an_entry_in_the_wrong_month_is_moved_by_fix(home: Path) -> None:
    entry = write("misfiled", "2026-11-05T09:00")
    stored = json.loads(month(home).read_text("utf-8"))
    stored["entries"][0]["created_at"] = "2026-12-01T09:00:00+00:00"
    month(home).write_text(json.dumps(stored), "utf-8")
    report = cli("doctor", "--json")
    assert report.code == 1
    assert [p["kind"] for p in report.json()["problems"]] == ["wrong-month"]
    assert cli("doctor", "--fix").code == 0
    december = home / "entries" / "2026" / "2026-12.json"
    assert [e["id"] for e in json.loads(december.read_text("utf-8"))["entries"]] == [entry["id"]]
    assert json.loads(month(home).read_text("utf-8"))["entries"] == []
    assert cli("list", "--json").json()[0]["id"] == entry["id"]


def test_the_same_id_in_two_month_files_is_reported(home: Path) -> None:
    entry = write("one")
    october = home / "entries" / "2026" / "2026-10.json"
    stored = json.loads(month(home).read_text("utf-8"))
    stored["entries"][0]["created_at"] = "2026-10-05T09:00:00+00:00"
    october.write_text(json.dumps(stored), "utf-8")
    october.chmod(0o600)
    report = cli("doctor", "--json")
    assert report.code == 1
    kinds = [p["kind"] for p in report.json()["problems"]]
    assert "duplicate-id" in kinds
    assert entry["id"] in report.stdout


def test_loose_modes_are_reported_and_tightened_by_fix(home: Path) -> None:
    write("one")
    month(home).chmod(0o644)
    month(home).parent.chmod(0o755)
    report = cli("doctor", "--json")
    assert report.code == 1
    assert {p["kind"] for p in report.json()["problems"]} == {"mode"}
    assert cli("doctor", "--fix").code == 0
    assert month(home).stat().st_mode & 0o777 == 0o600
    assert month(home).parent.stat().st_mode & 0o777 == 0o700


def test_a_stray_temp_file_is_reported_and_moved_aside(home: Path) -> None:
    write("one")
    stray = month(home).parent / ".2026-11.json.0123456789ab.tmp"
    stray.write_bytes(b'{"format": "leadjou')
    stray.chmod(0o600)
    report = cli("doctor")
    assert report.code == 1
    assert stray.name in report.stdout
    assert cli("doctor", "--fix").code == 0
    assert not stray.exists()
    assert [p.read_bytes() for p in (home / "backups").rglob(stray.name)] == [
        b'{"format": "leadjou'
    ]


def test_doctor_on_a_journal_that_does_not_exist_yet_is_fine() -> None:
    result = cli("doctor")
    assert result.code == 0
