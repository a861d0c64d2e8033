"""The everyday flow of DESIGN.md section 16, through the CLI: the new date forms, `last`,
inline tags, and editing (clearing the theme and tags, moving an entry in time)."""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import cli, month_files, snapshot


def write(*args: str) -> dict[str, Any]:
    result = cli("write", "--json", "--free", *args)
    assert result.code == 0, result
    data: dict[str, Any] = result.json()
    return data


def day_of(entry: dict[str, Any]) -> date:
    return datetime.fromisoformat(entry["created_at"]).date()


# ---------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize("form", ["{name}", "{short}", "{upper}"])
def test_a_weekday_names_the_most_recent_such_day_before_today(form: str) -> None:
    today = date.today()
    for back in range(1, 8):  # every weekday, today's own name included (a week back)
        day = today - timedelta(days=back)
        name = day.strftime("%A").lower()
        text = form.format(name=name, short=name[:3], upper=name.upper())
        assert day_of(write("--date", text, f"on {text}")) == day


@pytest.mark.parametrize(
    ("text", "back"),
    [("0 days ago", 0), ("1 day ago", 1), ("3 days ago", 3), ("3 DAYS AGO", 3), ("-5d", 5)],
)
def test_days_ago_count_back_from_today(text: str, back: int) -> None:
    assert day_of(write("--date", text, "x")) == date.today() - timedelta(days=back)


def test_the_new_date_forms_work_as_list_filters() -> None:
    write("--date", "-2d", "two days ago")
    write("old", "--date", "-9d")
    listed = cli("list", "--since", "3 days ago", "--json").json()
    assert [e["text"] for e in listed] == ["two days ago"]


def test_a_date_that_is_no_form_is_a_usage_error_naming_the_new_forms() -> None:
    result = cli("write", "--free", "--date", "someday", "x")
    assert result.code == 2
    assert "days ago" in result.stderr
    assert month_files(Path(os.environ["LEADJOURNAL_HOME"])) == []


# ---------------------------------------------------------------------------------------
# last


def test_show_last_names_the_most_recent_entry_by_created_at() -> None:
    newest = write("--date", "yesterday", "newest")
    write("--date", "-3d", "older, written after")
    shown = cli("show", "last", "--json")
    assert shown.code == 0, shown
    assert shown.json()["id"] == newest["id"]


def test_edit_last_and_delete_last_change_the_most_recent_entry() -> None:
    write("--date", "-2d", "first")
    second = write("--date", "yesterday", "second")
    assert cli("edit", "LAST", "--text", "second, edited").code == 0
    assert cli("show", second["id"], "--json").json()["text"] == "second, edited"
    assert cli("delete", "last", "--yes").code == 0
    assert [e["text"] for e in cli("list", "--json").json()] == ["first"]


def test_last_in_an_empty_journal_is_not_found() -> None:
    result = cli("show", "last")
    assert result.code == 1
    assert "no entry" in result.stderr.lower()


# ---------------------------------------------------------------------------------------
# Inline tags


def test_inline_tags_are_added_lowercased_and_the_text_is_kept() -> None:
    entry = write("Talked with #Team about #roadmap-2027, then #team again.")
    assert entry["tags"] == ["team", "roadmap-2027"]
    assert entry["text"] == "Talked with #Team about #roadmap-2027, then #team again."


def test_inline_tags_join_the_given_tags() -> None:
    assert write("--tag", "one", "note #two")["tags"] == ["one", "two"]


@pytest.mark.parametrize(
    "text",
    [
        "See https://example.com/page#section",
        "I write C# and F#",
        "an &#39; entity",
        "# A heading\n\n## Another\n###### Six",
        "issue #42",
        "path a/#b and x#y",
    ],
)
def test_what_is_not_an_inline_tag_adds_none(text: str) -> None:
    assert write(text)["tags"] == []


def test_a_tag_at_a_line_start_counts_but_a_heading_does_not() -> None:
    entry = write("# Monday\n#focus on one thing\n(#Équipe) and _#under")
    assert entry["tags"] == ["focus", "équipe", "under"]


def test_inline_tags_from_standard_input_count_too() -> None:
    result = cli("write", "--free", "--json", input="from a pipe #piped\n")
    assert result.code == 0, result
    assert result.json()["tags"] == ["piped"]


def test_editing_the_text_adds_its_tags_and_never_removes_one() -> None:
    entry = write("start #alpha")
    assert cli("edit", entry["id"], "--text", "rewritten #beta").code == 0
    assert cli("show", entry["id"], "--json").json()["tags"] == ["alpha", "beta"]


# ---------------------------------------------------------------------------------------
# Editing: clearing, moving


def test_edit_no_theme_clears_the_theme() -> None:
    entry = write("--theme", "responsibility", "x")
    assert cli("edit", entry["id"], "--no-theme").code == 0
    assert cli("show", entry["id"], "--json").json()["theme"] is None


def test_edit_no_theme_with_theme_is_a_usage_error() -> None:
    entry = write("--theme", "responsibility", "x")
    result = cli("edit", entry["id"], "--no-theme", "--theme", "lead-yourself")
    assert result.code == 2
    assert cli("show", entry["id"], "--json").json()["theme"] == "responsibility"


def test_edit_no_tags_clears_the_tags_even_those_in_the_text() -> None:
    entry = write("--tag", "a", "text #b")
    assert cli("edit", entry["id"], "--no-tags").code == 0
    assert cli("show", entry["id"], "--json").json()["tags"] == []


def test_edit_no_tags_with_tag_clears_then_sets() -> None:
    entry = write("--tag", "a", "--tag", "b", "x")
    assert cli("edit", entry["id"], "--no-tags", "--tag", "C").code == 0
    assert cli("show", entry["id"], "--json").json()["tags"] == ["c"]


def test_edit_date_alone_keeps_the_time_of_day() -> None:
    entry = write("--date", "2026-03-10T07:45", "x")
    assert cli("edit", entry["id"], "--date", "2026-03-12").code == 0
    moved = datetime.fromisoformat(cli("show", entry["id"], "--json").json()["created_at"])
    assert (moved.date().isoformat(), moved.strftime("%H:%M")) == ("2026-03-12", "07:45")


def test_edit_date_to_another_month_moves_the_entry_between_files(home: Path) -> None:
    entry = write("--date", "2026-03-31T22:10", "moving")
    keep = write("--date", "2026-03-02", "staying")
    assert cli("edit", entry["id"], "--date", "2026-04-01T08:00").code == 0
    march = json.loads((home / "entries/2026/2026-03.json").read_text())
    april = json.loads((home / "entries/2026/2026-04.json").read_text())
    assert [e["id"] for e in march["entries"]] == [keep["id"]]
    assert entry["id"] in {t["id"] for t in march["tombstones"]}
    assert [(e["id"], e["created_at"][:16]) for e in april["entries"]] == [
        (entry["id"], "2026-04-01T08:00")
    ]
    assert [e["text"] for e in cli("list", "--json").json()] == ["staying", "moving"]


def test_a_move_that_fails_to_save_leaves_both_month_files_as_they_were(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = write("--date", "2026-03-31T22:10", "moving")
    write("--date", "2026-04-20", "april already exists")
    before = snapshot(home)
    # The staged commit renames nothing before every file is staged: a failure while
    # staging the second file leaves the journal untouched. (Two saves in a row would
    # have replaced the first file already.)
    real_fsync = os.fsync
    fsyncs: list[int] = []

    def failing_second_fsync(fd: int) -> None:
        fsyncs.append(fd)
        if len(fsyncs) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_second_fsync)
    result = cli("edit", entry["id"], "--date", "2026-04-01")
    assert result.code == 1
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert snapshot(home) == before
    assert [e["text"] for e in cli("list", "--json").json()] == ["moving", "april already exists"]


def test_edit_date_with_a_bad_date_is_a_usage_error() -> None:
    entry = write("x")
    assert cli("edit", entry["id"], "--date", "the day after").code == 2


# ---------------------------------------------------------------------------------------
# today knows; write --another


def test_today_says_the_prompt_is_answered_and_shows_its_follow_up_or_the_next_choice() -> None:
    from leadjournal.prompts.load import load_prompt_set

    before = cli("today").stdout
    assert "Answer it: leadjournal write" in before
    assert "You answered" not in before
    entry = cli("write", "--json", "My answer.").json()
    answered = load_prompt_set().by_id[entry["prompt_id"]]
    after = cli("today")
    assert after.code == 0
    assert f"You answered today's prompt: {answered.text}" in after.stdout
    assert "Answer it: leadjournal write   (" not in after.stdout
    if answered.follow_up:
        assert f"Then: {answered.follow_up}" in after.stdout
    else:
        another = cli("prompt", "--another", "--json").json()
        assert f"Another, if you like: {another['text']}" in after.stdout
        assert "leadjournal write --another" in after.stdout


def test_a_free_entry_does_not_count_as_answering_the_prompt_of_the_day() -> None:
    write("free words")
    assert "You answered" not in cli("today").stdout


def test_write_another_answers_the_days_next_choice() -> None:
    another = cli("prompt", "--another", "--json").json()
    entry = cli("write", "--another", "--json", "The second question.").json()
    assert entry["prompt_id"] == another["id"]
    assert entry["prompt"] == another["text"]


def test_write_another_with_free_or_prompt_is_a_usage_error() -> None:
    assert cli("write", "--another", "--free", "x").code == 2
    assert cli("write", "--another", "--prompt", "ly-kept-promise", "x").code == 2


# ---------------------------------------------------------------------------------------
# Drafts; standard input never saves template lines


def kept_draft(home: Path, typed: str) -> Path:
    """A draft as the editor leaves it after a failed save: the template, then the text."""
    from leadjournal.editor import template

    home.mkdir(parents=True, exist_ok=True)
    draft = home / ".draft-k3pt.md"
    draft.write_text(template("What did you learn?", "Lead yourself", "An idea.") + typed)
    return draft


def test_write_draft_saves_only_what_was_typed_and_deletes_the_draft(home: Path) -> None:
    draft = kept_draft(home, "# Wins\nShipped it. #launch\n")
    result = cli("write", "--draft", str(draft), "--free", "--date", "2026-03-04", "--json")
    assert result.code == 0, result
    entry = result.json()
    assert entry["text"] == "# Wins\nShipped it. #launch"
    assert entry["tags"] == ["launch"]
    assert entry["prompt_id"] is None
    assert entry["created_at"].startswith("2026-03-04T")
    assert not draft.exists()


def test_write_draft_takes_prompt_and_theme_options(home: Path) -> None:
    prompt = cli("prompts", "--json").json()[0]
    draft = kept_draft(home, "An answer.\n")
    entry = cli("write", "--draft", str(draft), "--prompt", prompt["id"], "--json").json()
    assert (entry["prompt_id"], entry["text"]) == (prompt["id"], "An answer.")
    draft = kept_draft(home, "Themed.\n")
    entry = cli("write", "--draft", str(draft), "--theme", "responsibility", "--json").json()
    assert entry["theme"] == "responsibility"
    assert entry["prompt_id"] is not None


def test_a_draft_whose_save_fails_is_kept(home: Path) -> None:
    write("--date", "2026-03-01", "first")
    [month] = month_files(home)
    month.write_text("{ broken")
    draft = kept_draft(home, "Precious words.\n")
    result = cli("write", "--draft", str(draft), "--free", "--date", "2026-03-02")
    assert result.code == 1
    assert str(draft) in result.stderr
    assert draft.exists()


def test_write_draft_with_text_is_a_usage_error_and_keeps_the_draft(home: Path) -> None:
    draft = kept_draft(home, "words\n")
    assert cli("write", "--draft", str(draft), "--free", "other text").code == 2
    assert draft.exists()


def test_write_draft_of_a_missing_file_fails_and_saves_nothing(home: Path) -> None:
    result = cli("write", "--draft", str(home / ".draft-none.md"), "--free")
    assert result.code == 1
    assert "Cannot read the draft" in result.stderr
    assert month_files(home) == []


def test_standard_input_never_saves_template_lines(home: Path) -> None:
    from leadjournal.editor import template

    piped = template("A question?", "Theme", "Idea.") + "Only this.\n"
    result = cli("write", "--free", "--json", input=piped)
    assert result.code == 0, result
    assert result.json()["text"] == "Only this."
    loose = "%% a template line\nKept line\n%% another\n"
    assert cli("write", "--free", "--json", input=loose).json()["text"] == "Kept line"


def test_doctor_reports_drafts_left_behind(home: Path) -> None:
    write("x")
    draft = kept_draft(home, "left behind\n")
    report = cli("doctor", "--json")
    assert report.code == 1
    drafts = [p for p in report.json()["problems"] if p["kind"] == "draft"]
    assert [p["path"] for p in drafts] == [str(draft)]
    assert "--draft" in cli("doctor").stdout + cli("doctor").stderr
    draft.unlink()
    assert cli("doctor", "--json").code == 0


# ---------------------------------------------------------------------------------------
# Reading: search ignoring case and accents, highlighted on a terminal


def test_search_ignores_case_and_accents_both_ways() -> None:
    write("--date", "2026-01-01T10:00", "Coffee at the Café with Zoë")
    write("--date", "2026-01-01T11:00", "a plain cafe")
    write("--date", "2026-01-01T12:00", "nothing here")
    found = [e["text"] for e in cli("list", "--search", "cafe", "--json").json()]
    assert found == ["Coffee at the Café with Zoë", "a plain cafe"]
    found = [e["text"] for e in cli("list", "--search", "CAFÉ", "--json").json()]
    assert found == ["Coffee at the Café with Zoë", "a plain cafe"]
    assert [e["text"] for e in cli("list", "--search", "zoe", "--json").json()] == [
        "Coffee at the Café with Zoë"
    ]


def test_search_highlights_matches_on_a_terminal_and_not_in_a_pipe(home: Path) -> None:
    import sys

    import pexpect

    write("Coffee at the Café")
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "leadjournal", "list", "--search", "cafe", "--no-pager"],
        env={**env, "LEADJOURNAL_HOME": str(home), "TERM": "xterm"},
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 100),
    )
    out = child.read()
    child.close()
    assert child.exitstatus == 0, out
    assert "\x1b[7mCafé\x1b[0m" in out or "\x1b[7mCafé\x1b[27m" in out, repr(out)
    piped = cli("list", "--search", "cafe").stdout
    assert "\x1b[" not in piped
    assert "Coffee at the Café" in piped


# ---------------------------------------------------------------------------------------
# The pager (a stand-in $PAGER on a real pseudo-terminal) and wrapping


def stand_in_pager(tmp_path: Path) -> str:
    """A $PAGER that frames what it is given, so the test sees it went through it."""
    script = tmp_path / "pager.py"
    script.write_text(
        "import sys\n"
        "data = sys.stdin.read()\n"
        "sys.stdout.write('PAGER-START\\n' + data + 'PAGER-END\\n')\n"
    )
    import sys

    return f"{sys.executable} {script}"


def on_terminal(home: Path, args: list[str], env: dict[str, str], columns: int = 100) -> str:
    import sys

    import pexpect

    child = pexpect.spawn(
        sys.executable,
        ["-m", "leadjournal", *args],
        env={**os.environ, "LEADJOURNAL_HOME": str(home), "TERM": "xterm", **env},
        encoding="utf-8",
        timeout=30,
        dimensions=(40, columns),
    )
    out = child.read()
    child.close()
    assert child.exitstatus == 0, out
    return out.replace("\r\n", "\n")


def test_list_pages_through_the_pager_on_a_terminal(home: Path, tmp_path: Path) -> None:
    write("paged entry")
    out = on_terminal(home, ["list"], {"PAGER": stand_in_pager(tmp_path)})
    assert out.startswith("PAGER-START\n")
    assert "paged entry" in out
    assert out.rstrip().endswith("PAGER-END")


@pytest.mark.parametrize(("args", "env"), [(["--no-pager"], {}), ([], {"TERM": "dumb"})])
def test_no_pager_and_a_dumb_terminal_never_page(
    home: Path, tmp_path: Path, args: list[str], env: dict[str, str]
) -> None:
    write("not paged")
    out = on_terminal(home, ["list", *args], {"PAGER": stand_in_pager(tmp_path), **env})
    assert "PAGER-START" not in out
    assert "not paged" in out


def test_a_pipe_never_pages(home: Path, tmp_path: Path) -> None:
    from tests.helpers import run

    write("piped")
    proc = run(["list"], env={"PAGER": stand_in_pager(tmp_path)})
    assert proc.returncode == 0
    assert b"PAGER-START" not in proc.stdout
    assert b"piped" in proc.stdout


LONG = (
    "Told Sam the quarterly review was late because I had not blocked the time, and "
    "asked what would help the team most next quarter before the planning offsite."
)


@pytest.mark.parametrize("columns", [50, 80, 120])
def test_list_bodies_wrap_between_words_with_a_hanging_indent(home: Path, columns: int) -> None:
    prompt = cli("prompts", "--json").json()[0]
    cli("write", "--prompt", prompt["id"], "--date", "2026-03-04T09:30", LONG)
    out = on_terminal(home, ["list", "--no-pager"], {"NO_COLOR": "1"}, columns)
    lines = out.splitlines()
    assert all(len(line) <= columns for line in lines), out
    start = next(n for n, line in enumerate(lines) if line.startswith("  > "))
    body = lines[start:-1]
    assert [line for line in body if line.startswith("  > ")] == body[:1]  # the rest hangs
    assert all(line.startswith("  ") for line in body)
    words = " ".join(line.strip().removeprefix("> ") for line in body).split()
    assert words == (prompt["text"] + " " + LONG).split()  # broken between words only
    check_snapshot(f"list-{columns}", _without_id(out))


def _without_id(out: str) -> str:
    """The output with the random entry id replaced, for a snapshot."""
    import re

    return re.sub(r"\b[0-9a-f]{8}\b", "ID", out)


def check_snapshot(name: str, text: str) -> None:
    from tests.helpers import DATA

    path = DATA / f"snapshot-{name}.txt"
    if os.environ.get("LEADJOURNAL_UPDATE_SNAPSHOTS"):
        path.write_text(text, "utf-8")
    assert path.read_text("utf-8") == text, f"{path} differs:\n{text}"


@pytest.mark.parametrize("columns", [50, 80, 120])
def test_the_prompt_screen_and_why_wrap_between_words_with_a_hanging_indent(
    home: Path, columns: int
) -> None:
    """prompt --why on a terminal: every line fits the width, continuation lines hang
    under their text (two spaces under the question, a label's width under `Then: `,
    `Why this one: ` and `The idea: `), and no word is broken."""
    out = on_terminal(home, ["prompt", "--why", "--date", "2026-12-07"], {"NO_COLOR": "1"}, columns)
    lines = out.splitlines()
    assert all(len(line) <= columns for line in lines), out
    piped = cli("prompt", "--why", "--date", "2026-12-07").stdout.splitlines()
    assert len(piped) == 5  # in a pipe: one line each, unwrapped

    def words(text: list[str]) -> list[str]:
        return [w for w in " ".join(text).split() if w != "·"]

    assert words(lines) == words(piped)  # the same words, none broken
    labels = {"Then: ": 6, "Why this one: ": 14, "The idea: ": 10}
    current = 2
    body = lines[2:] if lines[1].startswith("  2026-12-07") else lines[1:]  # a narrow header
    for line in body[1:]:
        label = next((lab for lab in labels if line.startswith(lab)), None)
        if label is not None:
            current = labels[label]
        else:
            assert line.startswith(" " * current) and line[current] != " ", out
    check_snapshot(f"prompt-why-{columns}", out)
