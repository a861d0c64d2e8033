"""Commitments through the CLI (DESIGN.md section 9), with the month files checked on disk."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import DATA, cli, month_files, snapshot

KEYS = {
    "id",
    "created_at",
    "updated_at",
    "text",
    "due",
    "theme",
    "entry_id",
    "status",
    "resolved_at",
    "note",
}


def commit(*args: str) -> dict[str, Any]:
    result = cli("commit", "--json", *args)
    assert result.code == 0, result
    data: dict[str, Any] = result.json()
    return data


def write(*args: str) -> dict[str, Any]:
    result = cli("write", "--json", *args)
    assert result.code == 0, result
    data: dict[str, Any] = result.json()
    return data


def on_disk(home: Path, month: str) -> dict[str, Any]:
    year = month[:4]
    data: dict[str, Any] = json.loads((home / "entries" / year / f"{month}.json").read_bytes())
    return data


def listed(*args: str) -> list[dict[str, Any]]:
    result = cli("commitments", "--json", *args)
    assert result.code == 0, result
    data: list[dict[str, Any]] = result.json()
    return data


# ---------------------------------------------------------------------------------------
# Making commitments


def test_write_commit_saves_the_entry_and_a_linked_commitment_in_one_month_file(
    home: Path,
) -> None:
    entry = write(
        "--theme", "direction", "--date", "2026-10-05T09:30", "Planned the offsite.",
        "--commit", "Send the agenda to Sam", "--due", "+3d",
    )  # fmt: skip
    [made] = entry["commitments"]
    assert set(made) == KEYS
    assert made["entry_id"] == entry["id"]
    assert made["theme"] == entry["theme"] == "direction"
    assert made["created_at"] == entry["created_at"]
    assert made["due"] == "2026-10-08"
    assert made["status"] == "open"
    assert made["resolved_at"] is None
    month = on_disk(home, "2026-10")
    assert month["version"] == 2
    assert [e["id"] for e in month["entries"]] == [entry["id"]]
    assert month["commitments"] == [made]


def test_commit_alone_is_due_seven_days_after_the_day_it_is_made(home: Path) -> None:
    made = commit("Read one chapter", "--date", "2026-10-05T12:00")
    assert made["due"] == "2026-10-12"
    assert made["entry_id"] is None
    assert made["theme"] is None
    assert on_disk(home, "2026-10")["commitments"] == [made]


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("+0d", "2026-10-05"),
        ("+2w", "2026-10-19"),
        ("2026-11-01", "2026-11-01"),
        ("+10D", "2026-10-15"),
    ],
)
def test_due_takes_a_day_or_days_and_weeks_after_the_creation_day(due: str, expected: str) -> None:
    assert commit("x", "--date", "2026-10-05T12:00", "--due", due)["due"] == expected


def test_due_today_is_the_real_day() -> None:
    assert commit("x", "--due", "today")["due"] == date.today().isoformat()


def test_commit_to_an_entry_links_it_and_takes_its_theme_unless_told(home: Path) -> None:
    entry = write("--free", "--theme", "responsibility", "--date", "2026-09-01T08:00", "Owned it.")
    linked = commit("Say sorry to Ana", "--entry", entry["id"][:6], "--date", "2026-10-02T08:00")
    assert linked["entry_id"] == entry["id"]
    assert linked["theme"] == "responsibility"
    other = commit("x", "--entry", entry["id"], "--theme", "direction", "--date", "2026-10-02")
    assert other["theme"] == "direction"
    # Stored in the month it was made, not the entry's.
    assert sorted(c["id"] for c in on_disk(home, "2026-10")["commitments"]) == sorted(
        [linked["id"], other["id"]]
    )
    assert on_disk(home, "2026-09")["commitments"] == []


def test_show_and_write_json_carry_the_linked_commitments_and_list_does_not() -> None:
    entry = write("--free", "--date", "2026-10-05T09:00", "Talked.", "--commit", "Follow up")
    later = commit("And also this", "--entry", entry["id"], "--date", "2026-10-06T09:00")
    shown = cli("show", entry["id"], "--json").json()
    assert [c["id"] for c in shown["commitments"]] == [entry["commitments"][0]["id"], later["id"]]
    [plain] = cli("list", "--json").json()
    assert "commitments" not in plain
    alone = cli("show", later["id"], "--json").json()
    assert alone == later


# ---------------------------------------------------------------------------------------
# Bad input: a clear message, the right exit status, nothing changed


def test_empty_commitment_text_saves_nothing_not_even_the_entry(home: Path) -> None:
    write("--free", "--date", "2026-10-05T09:00", "Already here.")
    before = snapshot(home)
    for args in (("commit", "   "), ("write", "--free", "An entry.", "--commit", " \n ")):
        result = cli(*args)
        assert result.code == 1, result
        assert "empty" in result.stderr
        assert snapshot(home) == before


def test_a_due_day_before_the_creation_day_is_a_usage_error(home: Path) -> None:
    before = snapshot(home)
    entry = ("write", "--free", "--date", "2026-10-05", "An entry.")
    for args in (
        ("commit", "x", "--date", "2026-10-05", "--due", "2026-10-04"),
        (*entry, "--commit", "x", "--due", "2026-01-01"),
    ):
        result = cli(*args)
        assert result.code == 2, result
        assert "before the day" in result.stderr
    assert snapshot(home) == before


@pytest.mark.parametrize("due", ["soon", "+3", "+xd", "2026-13-01", "-3d"])
def test_a_malformed_due_day_is_a_usage_error(home: Path, due: str) -> None:
    result = cli("commit", "x", "--due", due)
    assert result.code == 2, result
    assert "due day" in result.stderr
    assert not (home / "entries").exists()


def test_due_without_commit_is_a_usage_error(home: Path) -> None:
    result = cli("write", "--free", "An entry.", "--due", "+3d")
    assert result.code == 2
    assert "--commit" in result.stderr
    assert not (home / "entries").exists()


def test_resolve_refuses_unknown_ids_outcomes_and_due_with_a_closing_outcome(home: Path) -> None:
    made = commit("x", "--date", "2026-10-05T09:00")
    before = snapshot(home)
    cases = [
        (("resolve", "ffffffffffff", "kept"), 1, "No commitment"),
        (("resolve", "abc", "kept"), 1, "too short"),
        (("resolve", made["id"], "done"), 2, "OUTCOME"),
        (("resolve", made["id"], "kept", "--due", "+3d"), 2, "--due"),
        (("resolve", made["id"], "open", "--due", "2026-10-01"), 2, "before the day"),
        (("commitments", "--status", "late"), 2, "status"),
    ]
    for args, code, words in cases:
        result = cli(*args)
        assert result.code == code, (args, result)
        assert words in result.stderr, (args, result)
    assert snapshot(home) == before


def test_an_entry_id_is_not_a_commitment_for_resolve(home: Path) -> None:
    entry = write("--free", "--date", "2026-10-05T09:00", "An entry.")
    before = snapshot(home)
    result = cli("resolve", entry["id"], "kept")
    assert result.code == 1
    assert "No commitment" in result.stderr
    assert snapshot(home) == before


def test_entries_and_commitments_share_one_id_space_for_prefixes(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = iter(["abcd000000000001", "abcd000000000002"])
    monkeypatch.setattr("leadjournal.store.new_id", lambda: next(ids))
    write("--free", "--date", "2026-10-05T09:00", "An entry.")
    commit("A commitment", "--date", "2026-10-05T10:00")
    result = cli("show", "abcd")
    assert result.code == 1
    assert "matches 2" in result.stderr
    assert cli("show", "abcd000000000002", "--json").json()["text"] == "A commitment"


# ---------------------------------------------------------------------------------------
# Listing


def test_commitments_lists_the_open_ones_earliest_due_first_and_marks_overdue() -> None:
    today = date.today()
    made = today - timedelta(days=20)
    late = commit(
        "Late one", "--date", made.isoformat(), "--due", (today - timedelta(days=3)).isoformat()
    )
    soon = commit("Soon one", "--date", made.isoformat(), "--due", "+30d")
    first = commit("Due first", "--date", made.isoformat(), "--due", "+1d")
    done = commit("Done", "--date", made.isoformat())
    assert cli("resolve", done["id"], "kept").code == 0
    assert [c["id"] for c in listed()] == [first["id"], late["id"], soon["id"]]
    text = cli("commitments").stdout
    assert "OVERDUE by 3 days" in text
    assert text.count("OVERDUE") == 2  # the first one is overdue too
    assert "Done" not in text
    assert "3 commitments, 2 overdue" in text


def test_commitments_filters_by_status_theme_and_due_days() -> None:
    a = commit("a", "--date", "2026-10-01", "--due", "2026-10-03", "--theme", "direction")
    b = commit("b", "--date", "2026-10-01", "--due", "2026-10-10")
    c = commit("c", "--date", "2026-10-01", "--due", "2026-10-20")
    assert cli("resolve", b["id"], "missed").code == 0
    assert cli("resolve", c["id"], "dropped").code == 0
    assert [x["id"] for x in listed("--status", "all")] == [a["id"], b["id"], c["id"]]
    assert [x["id"] for x in listed("--status", "missed")] == [b["id"]]
    assert [x["id"] for x in listed("--status", "dropped")] == [c["id"]]
    assert [x["id"] for x in listed("--theme", "direction")] == [a["id"]]
    window = listed("--status", "all", "--since", "2026-10-05", "--until", "2026-10-10")
    assert [x["id"] for x in window] == [b["id"]]
    assert cli("commitments", "--theme", "nope").code == 2


# ---------------------------------------------------------------------------------------
# Resolving


def test_resolve_sets_status_resolved_at_and_note_and_reopen_clears_them(home: Path) -> None:
    made = commit("Ask for feedback", "--date", "2026-10-05T09:00")
    kept = cli("resolve", made["id"], "kept", "--note", "She liked it", "--json").json()
    assert kept["status"] == "kept"
    assert kept["resolved_at"] is not None
    assert kept["note"] == "She liked it"
    assert kept["updated_at"] > made["updated_at"]
    assert on_disk(home, "2026-10")["commitments"] == [kept]
    again = cli("resolve", made["id"][:8], "missed", "--json").json()
    assert again["note"] == "She liked it"  # without --note the note stays
    reopened = cli("resolve", made["id"], "open", "--due", "+20d", "--note", "", "--json").json()
    assert reopened["status"] == "open"
    assert reopened["resolved_at"] is None
    assert reopened["note"] is None  # --note "" clears it
    assert reopened["due"] == "2026-10-25"  # +20d from the day it was made
    assert on_disk(home, "2026-10")["commitments"] == [reopened]


# ---------------------------------------------------------------------------------------
# Deleting


def test_deleting_a_commitment_leaves_a_tombstone(home: Path) -> None:
    made = commit("x", "--date", "2026-10-05T09:00")
    assert cli("delete", made["id"], "--yes").code == 0
    month = on_disk(home, "2026-10")
    assert month["commitments"] == []
    assert [t["id"] for t in month["tombstones"]] == [made["id"]]
    assert listed("--status", "all") == []


def test_deleting_an_entry_deletes_its_commitments_in_every_month(home: Path) -> None:
    entry = write("--free", "--date", "2026-09-30T09:00", "x", "--commit", "same month")
    later = commit("next month", "--entry", entry["id"], "--date", "2026-10-02T09:00")
    other = commit("unrelated", "--date", "2026-10-02T10:00")
    result = cli("delete", entry["id"], "--yes")
    assert result.code == 0, result
    assert "Also deleted 2 commitments" in result.stdout
    assert [c["id"] for c in listed("--status", "all")] == [other["id"]]
    september, october = on_disk(home, "2026-09"), on_disk(home, "2026-10")
    assert {t["id"] for t in september["tombstones"]} == {
        entry["id"],
        entry["commitments"][0]["id"],
    }
    assert [t["id"] for t in october["tombstones"]] == [later["id"]]


# ---------------------------------------------------------------------------------------
# today and summary


def test_today_names_how_many_are_due_and_the_earliest_one() -> None:
    today = date.today()
    start = (today - timedelta(days=10)).isoformat()
    plain = cli("today").stdout
    assert "due" not in plain
    commit("Later one", "--date", start, "--due", "+30d")
    assert "due" not in cli("today").stdout  # not due yet: no line
    commit("Call the bank", "--date", start, "--due", (today - timedelta(days=2)).isoformat())
    commit("Water plants", "--date", start, "--due", "today")
    out = cli("today").stdout
    assert "2 open commitments are due; the earliest: Call the bank" in out
    prompt = cli("prompt", "--json").json()
    assert set(prompt) == {"date", "id", "theme", "theme_name", "text"}  # unchanged


def test_summary_counts_made_resolved_and_open_due_in_the_period(home: Path) -> None:
    # Made in week 2026-W41 (5-11 Oct), resolved (by resolved_at) now: outside that week.
    kept = commit("k", "--date", "2026-10-05", "--due", "2026-10-06")
    commit("o", "--date", "2026-10-06", "--due", "2026-10-09")
    commit("late", "--date", "2026-10-06", "--due", "2026-10-20")
    assert cli("resolve", kept["id"], "kept").code == 0
    week = cli("summary", "--week", "2026-W41", "--json").json()
    assert week["commitments"] == {"made": 3, "kept": 0, "missed": 0, "dropped": 0, "open_due": 1}
    this_week = cli("summary", "--json").json()
    assert this_week["commitments"]["kept"] == 1  # resolved today
    weeks = cli("summary", "--week", "2026-W42", "--weeks", "2", "--json").json()["weeks"]
    assert [w["commitments"]["made"] for w in weeks] == [3, 0]
    assert [w["commitments"]["open_due"] for w in weeks] == [1, 1]
    later = cli("summary", "--week", "2026-W43", "--json").json()
    assert later["commitments"]["open_due"] == 2  # "late" is due by that week's end
    human = cli("summary").stdout
    assert "Commitments: 0 made, 1 kept, 0 missed, 0 dropped (kept rate 100%)" in human


# ---------------------------------------------------------------------------------------
# Storage: version 1 files, conflict copies, doctor


def test_a_version_1_month_file_is_read_as_it_is_and_saved_as_version_2(home: Path) -> None:
    target = home / "entries" / "2025" / "2025-06.json"
    target.parent.mkdir(parents=True)
    shutil.copy(DATA / "v1-month-2025-06.json", target)
    original = target.read_bytes()
    shown = cli("list", "--json", "--since", "2025-06-01", "--until", "2025-06-30").json()
    assert [e["id"] for e in shown] == ["0f1e2d3c4b5a6978", "0f1e2d3c4b5a6979"]
    assert cli("doctor").code in (0, 1)
    assert target.read_bytes() == original  # reading never rewrites it
    made = commit("After the upgrade", "--date", "2025-06-10T10:00")
    upgraded = json.loads(target.read_bytes())
    assert upgraded["version"] == 2
    assert [e["id"] for e in upgraded["entries"]] == ["0f1e2d3c4b5a6978", "0f1e2d3c4b5a6979"]
    assert upgraded["commitments"] == [made]
    assert [t["id"] for t in upgraded["tombstones"]] == ["0f1e2d3c4b5a6970"]


def test_a_month_file_of_a_newer_version_is_named_as_such_and_left_alone(home: Path) -> None:
    target = home / "entries" / "2026" / "2026-10.json"
    target.parent.mkdir(parents=True)
    target.write_text('{"format": "leadjournal", "version": 3, "entries": []}', "utf-8")
    result = cli("commit", "x", "--date", "2026-10-05")
    assert result.code == 1
    assert "newer leadjournal" in result.stderr
    assert json.loads(target.read_bytes())["version"] == 3


def test_a_sync_conflict_copy_of_commitments_is_merged_newer_update_wins(home: Path) -> None:
    made = commit("Original", "--date", "2026-10-05T09:00")
    other = commit("Only on the laptop", "--date", "2026-10-05T10:00")
    month = home / "entries" / "2026" / "2026-10.json"
    copy = json.loads(month.read_bytes())
    newer = dict(copy["commitments"][0], status="kept", updated_at="2099-01-01T00:00:00+00:00")
    copy["commitments"] = [newer, copy["commitments"][1]]
    main = json.loads(month.read_bytes())
    main["commitments"] = [main["commitments"][0]]  # the laptop's new one is not here
    month.write_text(json.dumps(main), "utf-8")
    month.with_name("2026-10.sync-conflict-20261106-101010-ABCDEFG.json").write_text(
        json.dumps(copy), "utf-8"
    )
    everything = {c["id"]: c for c in listed("--status", "all")}
    assert set(everything) == {made["id"], other["id"]}
    assert everything[made["id"]]["status"] == "kept"


def test_doctor_reports_shared_ids_wrong_months_and_dangling_links(home: Path) -> None:
    entry = write("--free", "--date", "2026-10-05T09:00", "x")
    made = commit("y", "--date", "2026-10-06T09:00", "--entry", entry["id"])
    month = home / "entries" / "2026" / "2026-10.json"
    data = json.loads(month.read_bytes())
    twin = dict(data["commitments"][0], id=entry["id"])  # the entry's id on a commitment
    stray = dict(
        data["commitments"][0], id="5eed00000000beef", created_at="2026-11-02T09:00:00+00:00"
    )
    dangling = dict(data["commitments"][0], id="5eed00000000f00d", entry_id="nope-not-an-entry")
    data["commitments"] += [stray, dangling]
    month.write_text(json.dumps(data), "utf-8")
    november = home / "entries" / "2026" / "2026-11.json"
    november.write_text(
        json.dumps({"format": "leadjournal", "version": 2, "commitments": [twin]}), "utf-8"
    )
    november.chmod(0o600)
    month.chmod(0o600)
    report = cli("doctor", "--json")
    assert report.code == 1
    kinds = sorted(p["kind"] for p in report.json()["problems"])
    assert kinds == ["dangling-link", "duplicate-id", "wrong-month"], report.json()
    assert cli("doctor", "--fix").code == 1  # the shared id and the link remain
    fixed = json.loads(november.read_bytes())
    assert "5eed00000000beef" in [c["id"] for c in fixed["commitments"]]
    assert made["id"] in [c["id"] for c in json.loads(month.read_bytes())["commitments"]]


# ---------------------------------------------------------------------------------------
# Export and import


def test_a_json_export_round_trips_every_commitment_exactly(home: Path, tmp_path: Path) -> None:
    entry = write("--free", "--date", "2026-10-05T09:00", "x", "--commit", "linked", "--due", "+2d")
    alone = commit("alone", "--date", "2026-10-07T09:00")
    assert cli("resolve", alone["id"], "dropped", "--note", "not needed").code == 0
    first = cli("export", "--format", "json").stdout
    exported = json.loads(first)
    assert exported["version"] == 2
    assert len(exported["commitments"]) == 2
    path = tmp_path / "export.json"
    path.write_text(first, "utf-8")
    shutil.rmtree(home)
    report = cli("import", str(path), "--json").json()
    assert report["added"] == 1
    assert report["commitments_added"] == 2
    again = json.loads(cli("export", "--format", "json").stdout)
    assert again["commitments"] == exported["commitments"]
    assert again["entries"] == exported["entries"]
    assert cli("import", str(path), "--json").json()["commitments_added"] == 0
    assert entry["commitments"][0] in again["commitments"]


def test_a_filtered_export_keeps_linked_and_standalone_commitments_of_its_period() -> None:
    entry = write("--free", "--date", "2026-10-05T09:00", "x", "--commit", "linked")
    commit("inside", "--date", "2026-10-06T09:00")
    commit("outside", "--date", "2026-11-06T09:00")
    exported = json.loads(
        cli("export", "--format", "json", "--since", "2026-10-01", "--until", "2026-10-31").stdout
    )
    assert sorted(c["text"] for c in exported["commitments"]) == ["inside", "linked"]
    assert exported["entries"][0]["id"] == entry["id"]


def test_a_version_1_export_still_imports(home: Path) -> None:
    report = cli("import", str(DATA / "import-leadjournal.json"), "--json").json()
    assert report["added"] == 5
    assert report["commitments_added"] == 0
    assert month_files(home)


def test_markdown_export_shows_commitments_under_their_entry_and_day() -> None:
    write(
        "--free",
        "--date",
        "2026-10-05T09:00",
        "Planned.",
        "--commit",
        "Send agenda",
        "--due",
        "+1d",
    )
    alone = commit("Stretch daily", "--date", "2026-10-07T09:00", "--due", "2026-10-08")
    assert cli("resolve", alone["id"], "kept").code == 0
    document = cli("export").stdout
    entry_part = document.split("## 2026-10-05", 1)[1].split("## 2026-10-07", 1)[0]
    assert "Commitments:\n\n- [ ] Send agenda (due 2026-10-06)\n" in entry_part
    day_part = document.split("## 2026-10-07", 1)[1]
    assert "### Commitments" in day_part
    assert "- [x] Stretch daily (due 2026-10-08; kept " in day_part


def test_the_commitments_index_is_a_cache_deleted_or_stale_it_is_rebuilt(home: Path) -> None:
    made = commit("Indexed", "--date", "2026-10-05T09:00", "--due", "2026-10-06")
    assert [c["id"] for c in listed()] == [made["id"]]
    for name in ("commitments.json", "commitments-open.json", "commitments-ids.json"):
        (home / "cache" / name).unlink()
    assert [c["id"] for c in listed()] == [made["id"]]
    # Changed behind the program's back (a sync tool, a git pull): the index follows.
    month = home / "entries" / "2026" / "2026-10.json"
    data = json.loads(month.read_bytes())
    data["commitments"][0]["status"] = "kept"
    month.write_text(json.dumps(data), "utf-8")
    assert listed() == []
    assert cli("summary", "--week", "2026-W41", "--json").json()["commitments"]["open_due"] == 0
    (home / "cache" / "commitments-month-2026-10.json").write_text("{not json", "utf-8")
    assert [c["status"] for c in listed("--status", "all")] == ["kept"]


def index_answers() -> list[Any]:
    """What the commands that read the commitments index answer."""
    outputs: list[Any] = [
        listed("--status", "all"),
        listed(),
        listed("--theme", "direction", "--until", "2026-08-01"),
        today_view(),
        cli("review", "--json", "--week", "2026-W27").json()["due"],
    ]
    for week in ("2026-W02", "2026-W19", "2026-W36", "2026-W49"):
        result = cli("summary", "--json", "--week", week)
        assert result.code == 0, result
        outputs.append(result.json()["commitments"])
    weeks = cli("summary", "--json", "--weeks", "40", "--week", "2026-W38")
    assert weeks.code == 0, weeks
    outputs.append([week["commitments"] for week in weeks.json()["weeks"]])
    return outputs


def today_view() -> str:
    result = cli("today")
    assert result.code == 0, result
    return result.stdout


def test_the_index_kept_by_saves_across_many_months_answers_as_one_rebuilt_from_scratch(
    home: Path,
) -> None:
    """A save writes only its month's part of the index; every few months changed, the
    changes are folded into the aggregate files. Whatever the mix, every answer equals
    the one an index rebuilt from the month files gives."""
    made = [
        commit(
            f"Step {month}",
            "--date",
            f"2026-{month:02d}-0{1 + month % 7}T09:00",
            "--due",
            f"2026-{month:02d}-2{month % 9}",
            "--theme",
            "direction",
        )
        for month in range(1, 10)
    ]
    answers_built = index_answers()  # the index exists; every save below keeps it
    for step, commitment in enumerate(made):
        outcome = ("kept", "missed", "dropped")[step % 3]
        assert cli("resolve", commitment["id"][:8], outcome).code == 0
        assert cli("commit", f"Then {step}", "--date", f"2026-{step + 1:02d}-15T10:00").code == 0
        if step == 4:
            assert cli("resolve", commitment["id"], "open", "--due", "2026-12-01").code == 0
        if step == 6:
            assert cli("delete", made[1]["id"], "--yes").code == 0
        rewrite_head(home)  # read from the files, not from this test process's memory
        answered = index_answers()
        shutil.rmtree(home / "cache")
        assert answered == index_answers(), step
    assert answered != answers_built
    # An id resolved again (no longer open) is found through the ids file.
    assert cli("resolve", made[0]["id"][:6], "missed", "--json").json()["status"] == "missed"


def test_the_index_stays_right_through_import_edit_and_doctor_fix(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saves of many months at once (an import), an entry moved to another month with its
    commitment, and `doctor --fix`: each leaves an index that answers as a rebuilt one."""
    source = tmp_path / "source"
    monkeypatch.setenv("LEADJOURNAL_HOME", str(source))
    for month in range(1, 12):
        write("--date", f"2026-{month:02d}-03T08:00", f"Entry {month}", "--commit", f"Do {month}")
    exported = tmp_path / "export.json"
    exported.write_text(cli("export", "--format", "json").stdout, "utf-8")
    monkeypatch.setenv("LEADJOURNAL_HOME", str(home))
    moved = write("--date", "2026-02-10T09:00", "To be moved", "--commit", "Moves along")
    commit("Already here", "--date", "2026-03-04T09:00", "--due", "2026-03-20")
    index_answers()  # the index exists before each change below
    steps = [
        ["import", str(exported)],
        ["edit", moved["id"], "--date", "2026-08-20T09:00"],
        ["resolve", moved["commitments"][0]["id"], "kept"],
        ["doctor", "--fix"],
    ]
    for argv in steps:
        result = cli(*argv)
        assert result.code == 0, (argv, result)
        rewrite_head(home)
        answered = index_answers()
        shutil.rmtree(home / "cache")
        assert answered == index_answers(), argv
        assert len(listed("--status", "all")) == 13, argv


def test_an_index_file_of_another_generation_is_never_trusted(home: Path, tmp_path: Path) -> None:
    """The aggregate files carry the generation the head names: one left from an older
    generation (two processes writing at once, a crash between two files) is not
    combined with a newer head; the index is rebuilt."""
    first = commit("Early", "--date", "2026-01-05T09:00", "--due", "2026-01-09")
    assert listed() == [first]
    old = tmp_path / "old-cache"
    shutil.copytree(home / "cache", old)
    for month in range(2, 11):  # more months changed than the head carries: a new base
        commit(f"Later {month}", "--date", f"2026-{month:02d}-05T09:00", "--due", "2026-11-30")
    assert cli("resolve", first["id"], "kept").code == 0
    expected = index_answers()
    for name in ("commitments-open.json", "commitments-days.json", "commitments-ids.json"):
        shutil.copy2(old / name, home / "cache" / name)
        rewrite_head(home)
        assert index_answers() == expected, name
    shutil.copy2(old / "commitments-ids.json", home / "cache" / "commitments-ids.json")
    rewrite_head(home)
    assert cli("resolve", first["id"][:6], "missed").code == 0  # found all the same


def test_an_open_file_of_the_right_generation_with_invalid_records_is_rebuilt(
    home: Path,
) -> None:
    made = commit("Valid", "--date", "2026-10-05T09:00", "--due", "2026-10-06")
    assert listed() == [made]
    head = json.loads((home / "cache" / "commitments.json").read_bytes())
    for records in ('[{"id": 7}]', "[]", '[{"id": "x"}, 3]'):
        damaged = {"gen": head["gen"], "rels": ["2026/2026-10.json"], "open": "@"}
        text = json.dumps(damaged, separators=(",", ":")).replace('"@"', records)
        (home / "cache" / "commitments-open.json").write_text(text, "utf-8")
        rewrite_head(home)
        result = cli("commitments", "--json")
        assert result.code == 0, result
        assert result.json() == [made], records
        head = json.loads((home / "cache" / "commitments.json").read_bytes())
    # A head of this version whose parts are not of the shape it writes.
    for months, dirty in (({"2026/2026-10.json": 3}, {}), ({}, {"2026/2026-10.json": [1]})):
        shape = dict(head, months=months, dirty=dirty)
        for argv in (["today"], ["summary", "--json", "--week", "2026-W41"], ["commitments"]):
            (home / "cache" / "commitments.json").write_text(json.dumps(shape), "utf-8")
            result = cli(*argv)
            assert result.code == 0, (argv, result)
            assert result.stderr == "", (argv, result)
        assert listed() == [made]
    head = json.loads((home / "cache" / "commitments.json").read_bytes())
    # An ids file of the right generation that is not what this version writes.
    ids = {"gen": head["gen"], "months": {"2026/2026-10.json": [made["id"]]}}
    (home / "cache" / "commitments-ids.json").write_text(json.dumps(ids), "utf-8")
    rewrite_head(home)
    assert cli("resolve", made["id"][:5], "kept").code == 0


def rewrite_head(home: Path) -> None:
    """The head written again, unchanged, as another process would (a new file): what a
    command read of the index earlier in this test process is not reused."""
    head = home / "cache" / "commitments.json"
    fresh = head.with_name("commitments.json.new")
    fresh.write_bytes(head.read_bytes())
    fresh.replace(head)


def prompt_answers() -> list[str]:
    """What the prompt of the day depends on the history index for."""
    return [cli(*argv).stdout for argv in (["prompt", "--json"], ["today"], ["summary"])]


def test_resolving_an_old_commitment_keeps_the_history_index_and_its_answers(home: Path) -> None:
    """A commitment changed in a month older than the history index's recent window
    rewrites that month with the same entries: the history index follows the month's new
    signature instead of being deleted (which made the next `today` or `prompt` of a big
    journal re-read every month), and every answer is the one a rebuilt index gives."""
    old = date.today() - timedelta(days=200)
    write("--date", f"{old}T09:00", "An old answer", "--commit", "Old step")
    write("--date", f"{date.today() - timedelta(days=2)}T09:00", "A recent answer")
    promise = listed("--status", "all")[0]
    assert cli("today").code == 0  # builds the history index
    history = home / "cache" / "history.json"
    for outcome in ("kept", "open"):
        assert cli("resolve", promise["id"], outcome).code == 0
        assert history.exists(), outcome
        answered = prompt_answers()
        shutil.rmtree(home / "cache")
        assert answered == prompt_answers(), outcome
    # An entry added to that month behind the program's back, then a resolve there: the
    # month's signature is not the one the index knew, so it is not trusted.
    month = next(p for p in month_files(home) if p.stem == f"{old:%Y-%m}")
    data = json.loads(month.read_bytes())
    other_day = old.replace(day=2 if old.day == 1 else 1)  # another day, the same month
    stamp = data["entries"][0]["created_at"].replace(f"{old}", f"{other_day}")
    extra = dict(data["entries"][0], id="00aa11bb22cc33dd", text="Added elsewhere")
    extra.update(created_at=stamp, updated_at=stamp)
    data["entries"].append(extra)
    month.write_text(json.dumps(data), "utf-8")
    assert cli("resolve", promise["id"], "dropped").code == 0
    answered = prompt_answers()
    kept = json.loads(history.read_bytes())
    shutil.rmtree(home / "cache")
    assert answered == prompt_answers()
    rebuilt = json.loads(history.read_bytes())  # the day added elsewhere is counted
    assert (kept["base"], kept["base_days"]) == (rebuilt["base"], rebuilt["base_days"])
    assert "Added elsewhere" in cli("show", "00aa11bb").stdout
    assert f"{other_day}" in cli("list", "--json").stdout


def test_json_output_is_byte_for_byte_what_json_dumps_gives() -> None:
    """--json goes through pydantic's serializer for speed; it must print exactly what
    json.dumps(indent=2, ensure_ascii=False) of the model's dump prints."""
    entry = write(
        "--free", "--date", "2026-10-05T09:00", 'Ctl \x1b[1m é 🙌\t"q" \\ \u2028', "--tag", "x"
    )
    shown = cli("show", entry["id"], "--json").stdout
    assert shown == json.dumps(json.loads(shown), ensure_ascii=False, indent=2) + "\n"
    listed_out = cli("list", "--json").stdout
    assert listed_out == json.dumps(json.loads(listed_out), ensure_ascii=False, indent=2) + "\n"
    assert cli("commitments", "--json").stdout == "[]\n"


def test_git_merge_driver_unites_commitments_too(tmp_path: Path) -> None:
    """merge-month (DESIGN.md section 13) merges commitments by id like entries: the
    newer updated_at wins, a tombstone keeps a deleted one deleted."""
    from tests.helpers import run

    def commitment(cid: str, status: str, updated: str) -> dict[str, Any]:
        return {
            "id": cid, "created_at": "2026-11-05T09:00:00+00:00", "updated_at": updated,
            "text": f"step {cid}", "due": "2026-11-12", "theme": None, "entry_id": None,
            "status": status, "resolved_at": None if status == "open" else updated, "note": None,
        }  # fmt: skip

    old, new = "2026-11-05T10:00:00+00:00", "2026-11-06T10:00:00+00:00"
    month = {"format": "leadjournal", "version": 2, "entries": []}
    ours = {
        **month,
        "commitments": [commitment("c-kept-here", "kept", new), commitment("c-gone", "open", old)],
    }
    theirs = {
        **month,
        "commitments": [commitment("c-kept-here", "open", old), commitment("c-new", "open", old)],
        "tombstones": [{"id": "c-gone", "deleted_at": new}],
    }
    paths = {name: tmp_path / f".merge_file_{name}" for name in ("base", "ours", "theirs")}
    paths["base"].write_bytes(b"")
    paths["ours"].write_text(json.dumps(ours), "utf-8")
    paths["theirs"].write_text(json.dumps(theirs), "utf-8")
    proc = run(["merge-month", *(str(paths[n]) for n in ("base", "ours", "theirs"))])
    assert proc.returncode == 0, proc.stderr
    merged = json.loads(paths["ours"].read_bytes())
    assert {c["id"]: c["status"] for c in merged["commitments"]} == {
        "c-kept-here": "kept",
        "c-new": "open",
    }
    assert [t["id"] for t in merged["tombstones"]] == ["c-gone"]
