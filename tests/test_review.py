"""The weekly review (DESIGN.md section 10): --json, the weekly note in a vault, and the
ritual in a real pseudo-terminal."""

from __future__ import annotations

import json
import os
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pexpect
import yaml

from tests.helpers import cli, snapshot

WEEK = "2026-W41"  # Monday 5 October to Sunday 11 October 2026


def commit(*args: str) -> dict[str, Any]:
    result = cli("commit", "--json", *args)
    assert result.code == 0, result
    data: dict[str, Any] = result.json()
    return data


def some_week(home: Path) -> dict[str, Any]:
    """Entries and commitments in WEEK: two themed entries, one tagged, one kept and one
    open commitment due in the week, one due later."""
    for args in (
        ("--free", "--theme", "direction", "--tag", "offsite", "--date", "2026-10-05T09:00",
         "Planned the offsite.\nSecond line."),
        ("--free", "--theme", "direction", "--date", "2026-10-06T09:00", "Agenda drafted."),
        ("--free", "--date", "2026-10-07T21:00", "Tired today."),
    ):  # fmt: skip
        assert cli("write", *args).code == 0
    kept = commit("Send the agenda", "--date", "2026-10-05T10:00", "--due", "2026-10-07")
    assert cli("resolve", kept["id"], "kept").code == 0
    due = commit("Book the room", "--date", "2026-10-06T10:00", "--due", "2026-10-09")
    later = commit("Write the summary", "--date", "2026-10-06T11:00", "--due", "2026-10-30")
    return {"kept": kept, "due": due, "later": later}


# ---------------------------------------------------------------------------------------
# review --json


def test_review_json_is_the_week_its_summary_what_is_due_and_a_question(home: Path) -> None:
    made = some_week(home)
    before = snapshot(home)
    result = cli("review", "--week", WEEK, "--json")
    assert result.code == 0, result
    data = result.json()
    assert set(data) == {"week", "start", "end", "summary", "due", "suggestion"}
    assert (data["week"], data["start"], data["end"]) == (WEEK, "2026-10-05", "2026-10-11")
    assert data["summary"] == cli("summary", "--week", WEEK, "--json").json()
    assert [c["id"] for c in data["due"]] == [made["due"]["id"]]
    least = min(data["summary"]["themes"], key=lambda t: t["entries"])["id"]  # built-in order
    assert data["suggestion"] == cli("prompt", "--theme", least, "--json").json()
    assert snapshot(home) == before  # it asks nothing and changes no journal file


def test_review_without_a_terminal_shows_the_week_and_changes_nothing(home: Path) -> None:
    some_week(home)
    before = snapshot(home)
    result = cli("review", "--week", WEEK)
    assert result.code == 0, result
    assert "Week 2026-W41" in result.stdout
    assert "Book the room" in result.stdout
    assert snapshot(home) == before


def test_review_refuses_a_malformed_week(home: Path) -> None:
    result = cli("review", "--week", "2026-W99", "--json")
    assert result.code == 2
    assert not (home / "entries").exists()


# ---------------------------------------------------------------------------------------
# The weekly note


def front_matter(text: str) -> Any:
    assert text.startswith("---\n")
    head = text.split("\n---\n", 1)[0].removeprefix("---\n")
    return yaml.safe_load(head)


def test_the_weekly_note_has_front_matter_a_block_and_links_to_daily_notes(
    home: Path, tmp_path: Path
) -> None:
    some_week(home)
    vault = tmp_path / "vault" / "weekly"  # missing folders are created
    result = cli("review", "--week", WEEK, "--note", str(vault), "--json")
    assert result.code == 0, result
    note = vault / f"{WEEK}.md"
    assert result.json()["note"] == str(note)
    assert oct(note.stat().st_mode & 0o777) == "0o600"
    assert oct(vault.stat().st_mode & 0o777) == "0o700"
    text = note.read_text("utf-8")
    meta = front_matter(text)
    assert meta["week"] == WEEK
    assert meta["start"] == date(2026, 10, 5)
    assert meta["end"] == date(2026, 10, 11)
    assert meta["entries"] == 3
    themes = cli("themes", "--json").json()
    assert list(meta["themes"]) == [t["id"] for t in themes] + ["unthemed"]
    assert meta["themes"]["direction"] == 2
    assert meta["themes"]["unthemed"] == 1
    assert meta["tags"] == ["offsite"]
    assert meta["commitments_kept"] == 0  # kept today, not in that week
    assert meta["commitments_missed"] == 0
    body = text.split("<!-- leadjournal:start -->\n", 1)[1].split("<!-- leadjournal:end -->")[0]
    assert "- Planned the offsite. [[2026-10-05]]" in body
    assert "- Tired today. [[2026-10-07]]" in body
    assert "Book the room (due 2026-10-09)" in body


def test_a_second_run_changes_nothing_and_the_users_text_survives(
    home: Path, tmp_path: Path
) -> None:
    some_week(home)
    vault = tmp_path / "weekly"
    assert cli("review", "--week", WEEK, "--note", str(vault)).code == 0
    note = vault / f"{WEEK}.md"
    first = note.read_bytes()
    assert cli("review", "--week", WEEK, "--note", str(vault)).code == 0
    assert note.read_bytes() == first  # byte-identical
    assert not (home / "backups" / "notes").exists()  # nothing changed, nothing backed up
    # The user adds their own key, a to-do line before the block and a line after it.
    text = first.decode()
    text = text.replace("week: 2026-W41\n", "week: 2026-W41\nmood: calm  # mine\n", 1)
    text = text.replace(
        "<!-- leadjournal:start -->", "- [ ] call mum\n\n<!-- leadjournal:start -->"
    )
    text += "\nMy own closing thought.\n"
    note.write_text(text, "utf-8")
    mine = note.read_bytes()
    assert cli("write", "--free", "--date", "2026-10-08T09:00", "One more.").code == 0
    assert cli("review", "--week", WEEK, "--note", str(vault)).code == 0
    after = note.read_text("utf-8")
    assert "mood: calm  # mine\n" in after
    assert "- [ ] call mum\n\n<!-- leadjournal:start -->" in after
    assert after.endswith("<!-- leadjournal:end -->\n\nMy own closing thought.\n")
    assert front_matter(after)["entries"] == 4  # a count: set, not added up
    assert "- One more. [[2026-10-08]]" in after
    [backup] = (home / "backups" / "notes").iterdir()
    assert backup.read_bytes() == mine


def test_a_note_with_bad_front_matter_is_left_untouched(home: Path, tmp_path: Path) -> None:
    some_week(home)
    vault = tmp_path / "weekly"
    vault.mkdir()
    note = vault / f"{WEEK}.md"
    note.write_text("---\nweek: [unclosed\n---\nMine.\n", "utf-8")
    before = note.read_bytes()
    result = cli("review", "--week", WEEK, "--note", str(vault))
    assert result.code == 1
    assert "left as it was" in result.stderr
    assert note.read_bytes() == before


def test_a_note_without_front_matter_gets_one_and_keeps_its_text(
    home: Path, tmp_path: Path
) -> None:
    vault = tmp_path / "weekly"
    vault.mkdir()
    note = vault / f"{WEEK}.md"
    note.write_text("# My week\n\nNotes of my own.\n", "utf-8")
    assert cli("review", "--week", WEEK, "--note", str(vault)).code == 0
    text = note.read_text("utf-8")
    assert front_matter(text)["week"] == WEEK
    assert "# My week\n\nNotes of my own.\n" in text
    assert text.index("# My week") < text.index("<!-- leadjournal:start -->")


# ---------------------------------------------------------------------------------------
# The ritual, in a real pseudo-terminal


def spawn_review(home: Path) -> pexpect.spawn[str]:
    """`leadjournal review` in a real pseudo-terminal (standard input is a terminal)."""
    env = {**os.environ, "LEADJOURNAL_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "100"}
    return pexpect.spawn(
        sys.executable,
        ["-m", "leadjournal", "review"],
        env=env,
        encoding="utf-8",
        timeout=90,  # a loaded CI machine
        dimensions=(50, 100),
    )


def this_week_commitments() -> tuple[dict[str, Any], dict[str, Any]]:
    today = date.today()
    start = (today - timedelta(days=10)).isoformat()
    first = commit(
        "Call the bank", "--date", start, "--due", (today - timedelta(days=1)).isoformat()
    )
    second = commit("Water the plants", "--date", start, "--due", today.isoformat())
    return first, second


def statuses() -> dict[str, tuple[str, str]]:
    everything = cli("commitments", "--status", "all", "--json").json()
    return {c["text"]: (c["status"], c["due"]) for c in everything}


def test_the_ritual_saves_each_answer_and_enter_skips(home: Path) -> None:
    first, second = this_week_commitments()
    child = spawn_review(home)
    child.expect("1/4")
    child.expect("2/4")
    child.expect("Call the bank")
    child.expect("skip > ")
    child.sendline("x")  # not a choice: asked again
    child.expect("Type k, m, d or n")
    child.sendline("m")
    child.expect("Water the plants")
    child.expect("skip > ")
    child.sendline("")  # Enter: skipped, stays open
    child.expect("3/4")
    child.expect("> ")
    child.sendline("I called on Tuesday.")
    child.sendline("It took ten minutes.")
    child.sendline("")
    child.expect("Saved entry")
    child.expect("4/4")
    child.expect("> ")
    child.sendline("Call the bank on Monday")
    child.expect("Committed")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    now = statuses()
    assert now["Call the bank"][0] == "missed"
    assert now["Water the plants"] == ("open", second["due"])
    monday = date.fromisoformat(cli("review", "--json").json()["end"]) + timedelta(days=7)
    assert now["Call the bank on Monday"] == ("open", monday.isoformat())
    [entry] = cli("list", "--json").json()
    assert entry["text"] == "I called on Tuesday.\nIt took ten minutes."
    assert entry["prompt_id"] is not None
    assert first["id"] != second["id"]


def test_next_week_moves_a_commitment_to_the_same_weekday_a_week_later(home: Path) -> None:
    _, second = this_week_commitments()
    child = spawn_review(home)
    child.expect("Call the bank")
    child.expect("skip > ")
    child.sendline("")
    child.expect("Water the plants")
    child.expect("skip > ")
    child.sendline("n")
    child.expect("3/4")
    child.sendintr()  # Ctrl-C here: what was saved stays saved
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    review = cli("review", "--json").json()
    start = date.fromisoformat(review["start"])
    due = date.fromisoformat(second["due"])
    moved = start + timedelta(days=7 + (due - start).days)
    assert statuses()["Water the plants"] == ("open", moved.isoformat())
    assert cli("list", "--json").json() == []  # nothing half-done


def test_ctrl_c_in_the_middle_keeps_earlier_steps_and_saves_nothing_half_done(
    home: Path,
) -> None:
    this_week_commitments()
    child = spawn_review(home)
    child.expect("Call the bank")
    child.expect("skip > ")
    child.sendline("k")
    child.expect("Water the plants")
    child.expect("skip > ")
    child.sendline("d")
    child.expect("3/4")
    child.expect("> ")
    child.sendline("A half-written answer")  # not finished with an empty line
    child.expect("… ")  # asked for the next line of the answer
    child.sendintr()
    child.expect("Interrupted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    now = statuses()
    assert now["Call the bank"][0] == "kept"
    assert now["Water the plants"][0] == "dropped"
    assert cli("list", "--json").json() == []
    assert json.loads(cli("commitments", "--json").stdout) == []
