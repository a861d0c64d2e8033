"""The everyday commands through the CLI: write, list, show, edit, delete (DESIGN.md section 2)."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from leadjournal.editor import template
from leadjournal.prompts.load import load_prompt_set
from tests.helpers import DATA, cli, month_files, run, snapshot

# A day for tests that answer a prompt but are not about today's: the same prompt every run.
DAY = "2026-11-18"

ENTRY_KEYS = {
    "id",
    "created_at",
    "updated_at",
    "theme",
    "prompt_id",
    "prompt",
    "text",
    "tags",
    "guide",  # DESIGN.md section 11: null and [] for an entry that answers no guide
    "steps",
}


def write_json(*args: str, input: str | None = None) -> dict[str, object]:
    result = cli("write", "--json", *args, input=input)
    assert result.code == 0, result
    data = result.json()
    assert isinstance(data, dict)
    return data


def test_write_with_text_saves_an_entry_answering_the_prompt_of_the_day(home: Path) -> None:
    entry = write_json("I kept my promise to exercise.")
    assert set(entry) == ENTRY_KEYS | {"commitments"}  # write --json adds the linked ones
    assert entry["commitments"] == []
    listed = cli("list", "--json").json()
    assert set(listed[0]) == ENTRY_KEYS  # list --json entries do not carry the key
    prompt = cli("prompt", "--json").json()
    assert entry["prompt_id"] == prompt["id"]
    assert entry["prompt"] == prompt["text"]
    assert entry["theme"] == prompt["theme"]
    assert re.fullmatch(r"[0-9a-f]{16}", str(entry["id"]))
    [path] = month_files(home)
    on_disk = json.loads(path.read_text("utf-8"))
    assert on_disk["format"] == "leadjournal"
    assert on_disk["version"] == 2
    assert on_disk["entries"][0]["text"] == "I kept my promise to exercise."


def test_write_free_saves_an_entry_without_a_prompt() -> None:
    entry = write_json("--free", "--tag", "#Team", "--tag", "team", "Just notes.")
    assert entry["prompt_id"] is None
    assert entry["prompt"] is None
    assert entry["theme"] is None
    assert entry["tags"] == ["team"]


def test_write_free_with_a_theme_keeps_the_theme() -> None:
    entry = write_json("--free", "--theme", "direction", "Where are we going?")
    assert entry["theme"] == "direction"
    assert entry["prompt_id"] is None


def test_write_theme_answers_the_days_prompt_within_that_theme() -> None:
    entry = write_json("--theme", "responsibility", "--date", DAY, "Owned the outage.")
    assert entry["theme"] == "responsibility"
    expected = cli("prompt", "--theme", "responsibility", "--date", DAY, "--json").json()
    assert entry["prompt_id"] == expected["id"]


def test_write_prompt_answers_that_prompt() -> None:
    prompt = cli("prompts", "--theme", "direction", "--json").json()[3]
    entry = write_json("--prompt", prompt["id"], "An answer.")
    assert entry["prompt_id"] == prompt["id"]
    assert entry["theme"] == "direction"


def test_write_reads_standard_input_when_no_text_is_given() -> None:
    entry = write_json("--free", input="line one\r\nline two\n\n")
    assert entry["text"] == "line one\nline two"


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n"])
def test_write_with_empty_text_saves_nothing_and_exits_1(home: Path, text: str) -> None:
    result = cli("write", "--free", text)
    assert result.code == 1
    assert "Nothing to save" in result.stderr
    assert month_files(home) == []


def test_write_with_an_unknown_theme_is_a_usage_error(home: Path) -> None:
    result = cli("write", "--theme", "nope", "text")
    assert result.code == 2
    assert "no theme 'nope'" in result.stderr
    assert month_files(home) == []


def test_write_with_an_unknown_prompt_is_a_usage_error() -> None:
    result = cli("write", "--prompt", "no-such-prompt", "text")
    assert result.code == 2
    assert "no prompt" in result.stderr


def test_write_prompt_and_free_together_is_a_usage_error() -> None:
    prompt_id = cli("prompt", "--date", DAY, "--json").json()["id"]
    result = cli("write", "--free", "--prompt", prompt_id, "text")
    assert result.code == 2


@pytest.mark.parametrize("bad", ["2026-02-30", "tomorrow", "2026/11/20", "2026-11-20T25:00", "x"])
def test_write_with_a_malformed_date_is_a_usage_error(home: Path, bad: str) -> None:
    result = cli("write", "--free", "--date", bad, "text")
    assert result.code == 2
    assert "Error:" in result.stderr
    assert "Traceback" not in result.stderr
    assert month_files(home) == []


def test_write_date_with_time_is_stored_in_local_time(home: Path) -> None:
    entry = write_json("--free", "--date", "2026-03-04T07:05", "Early.")
    assert str(entry["created_at"]).startswith("2026-03-04T07:05:00")
    assert (home / "entries" / "2026" / "2026-03.json").is_file()


def test_created_at_keeps_the_offset_it_was_written_with(home: Path) -> None:
    """Under TZ=Asia/Kolkata, 02:15 on the 10th is still the 9th in UTC: the entry belongs
    to the 10th, in the November file, with +05:30 kept."""
    proc = run(
        ["write", "--free", "--json", "--date", "2026-11-10T02:15", "Late night."],
        env={"TZ": "Asia/Kolkata"},
    )
    assert proc.returncode == 0, proc.stderr
    entry = json.loads(proc.stdout)
    assert entry["created_at"] == "2026-11-10T02:15:00+05:30"
    listed = run(["list", "--since", "2026-11-10", "--until", "2026-11-10", "--json"])
    assert [e["id"] for e in json.loads(listed.stdout)] == [entry["id"]]
    earlier = run(["list", "--until", "2026-11-09", "--json"])
    assert json.loads(earlier.stdout) == []
    stored = json.loads((home / "entries/2026/2026-11.json").read_text("utf-8"))
    assert stored["entries"][0]["created_at"] == "2026-11-10T02:15:00+05:30"


def test_list_is_chronological_and_limit_keeps_the_most_recent() -> None:
    for day in ("2026-05-03", "2026-05-01", "2026-05-02"):
        write_json("--free", "--date", day, f"on {day}")
    listed = cli("list", "--json").json()
    assert [e["text"] for e in listed] == ["on 2026-05-01", "on 2026-05-02", "on 2026-05-03"]
    limited = cli("list", "--limit", "2", "--json").json()
    assert [e["text"] for e in limited] == ["on 2026-05-02", "on 2026-05-03"]


def test_list_filters_by_dates_theme_tag_and_search() -> None:
    write_json("--free", "--date", "2026-06-01", "--theme", "direction", "--tag", "a", "Alpha")
    write_json("--free", "--date", "2026-06-02", "--theme", "leading-change", "Beta BETA")
    write_json("--free", "--date", "2026-06-03", "--tag", "b", "Gamma")

    def texts(*args: str) -> list[str]:
        result = cli("list", "--json", *args)
        assert result.code == 0, result
        return [e["text"] for e in result.json()]

    assert texts("--since", "2026-06-02") == ["Beta BETA", "Gamma"]
    assert texts("--until", "2026-06-02") == ["Alpha", "Beta BETA"]
    assert texts("--theme", "direction", "--theme", "leading-change") == ["Alpha", "Beta BETA"]
    assert texts("--tag", "b") == ["Gamma"]
    assert texts("--search", "beta") == ["Beta BETA"]
    assert texts("--since", "2026-06-02", "--tag", "a") == []


def test_list_search_also_looks_in_the_prompt() -> None:
    entry = write_json("--date", DAY, "Answer text.")
    word = str(entry["prompt"]).split()[-1].strip("?")
    assert [e["id"] for e in cli("list", "--search", word.upper(), "--json").json()] == [
        entry["id"]
    ]


def test_list_human_view_shows_entries_and_is_plain_in_a_pipe() -> None:
    write_json("--free", "--tag", "x", "Hello there.")
    result = cli("list")
    assert result.code == 0
    assert "Hello there." in result.stdout
    assert "#x" in result.stdout
    assert "\x1b[" not in result.stdout


def test_list_on_an_empty_journal_says_so() -> None:
    result = cli("list")
    assert result.code == 0
    assert "No entries" in result.stdout
    assert cli("list", "--json").json() == []


def test_show_finds_an_entry_by_a_unique_prefix() -> None:
    entry = write_json("--free", "Find me.")
    shown = cli("show", str(entry["id"])[:4], "--json")
    assert shown.code == 0
    assert shown.json() == entry
    human = cli("show", str(entry["id"]))
    assert "Find me." in human.stdout


def test_show_with_an_unknown_id_exits_1() -> None:
    result = cli("show", "abcdef")
    assert result.code == 1
    assert "No entry" in result.stderr


def test_show_with_an_ambiguous_prefix_lists_the_candidates(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = iter(["abcd000000000001", "abcd000000000002"])
    monkeypatch.setattr("leadjournal.store.new_id", lambda: next(ids))
    write_json("--free", "one")
    write_json("--free", "two")
    result = cli("show", "abcd")
    assert result.code == 1
    assert "abcd000000000001" in result.stderr
    assert "abcd000000000002" in result.stderr
    assert cli("show", "abcd000000000002", "--json").json()["text"] == "two"


def test_show_with_a_too_short_prefix_exits_1() -> None:
    entry = write_json("--free", "x")
    result = cli("show", str(entry["id"])[:3])
    assert result.code == 1
    assert "at least 4" in result.stderr


def test_edit_text_theme_and_tags_changes_the_entry_and_updated_at(home: Path) -> None:
    entry = write_json("--free", "--date", "2026-01-01T09:00", "Before.")
    result = cli("edit", str(entry["id"]), "--text", "After.", "--theme", "direction", "--tag", "t")
    assert result.code == 0, result
    changed = cli("show", str(entry["id"]), "--json").json()
    assert changed["text"] == "After."
    assert changed["theme"] == "direction"
    assert changed["tags"] == ["t"]
    assert changed["created_at"] == entry["created_at"]
    # Written and edited within one second: the edit is still stamped later.
    assert datetime.fromisoformat(changed["updated_at"]) > datetime.fromisoformat(
        str(entry["updated_at"])
    )
    stored = json.loads((home / "entries/2026/2026-01.json").read_text("utf-8"))
    assert stored["entries"][0]["text"] == "After."


def test_edit_with_empty_text_changes_nothing(home: Path) -> None:
    entry = write_json("--free", "Keep me.")
    before = snapshot(home)
    result = cli("edit", str(entry["id"]), "--text", "  ")
    assert result.code == 1
    assert snapshot(home) == before


def test_delete_without_a_terminal_requires_yes(home: Path) -> None:
    entry = write_json("--free", "Do not delete.")
    before = snapshot(home)
    result = cli("delete", str(entry["id"]))
    assert result.code == 2
    assert "--yes" in result.stderr
    assert snapshot(home) == before


def test_delete_removes_the_entry_and_leaves_a_tombstone(home: Path) -> None:
    entry = write_json("--free", "Delete me.")
    result = cli("delete", str(entry["id"]), "--yes")
    assert result.code == 0
    assert cli("list", "--json").json() == []
    assert cli("show", str(entry["id"])).code == 1
    [path] = month_files(home)
    stored = json.loads(path.read_text("utf-8"))
    assert stored["entries"] == []
    assert [t["id"] for t in stored["tombstones"]] == [entry["id"]]
    assert "deleted_at" in stored["tombstones"][0]


def run_with_terminal_stdin(args: list[str], editor: str) -> subprocess.CompletedProcess[bytes]:
    """The real command with a terminal (a pty) as standard input, so the editor opens."""
    master, slave = os.openpty()
    try:
        return subprocess.run(
            [sys.executable, "-m", "leadjournal", *args],
            stdin=slave,
            capture_output=True,
            env={**os.environ, "EDITOR": editor},
            timeout=60,
        )
    finally:
        os.close(master)
        os.close(slave)


def fake_editor(tmp_path: Path, appended: str) -> str:
    """An $EDITOR that records what it was shown and appends `appended` to the file."""
    script = tmp_path / "fake-editor.py"
    script.write_text(
        "import sys\n"
        "path = sys.argv[1]\n"
        "text = open(path, encoding='utf-8').read()\n"
        "open(path + '.seen', 'w', encoding='utf-8').write(text)\n"
        f"open(path, 'a', encoding='utf-8').write({appended!r})\n",
        encoding="utf-8",
    )
    return f"{sys.executable} {script}"


def test_editor_template_lines_are_removed_and_headings_kept(home: Path, tmp_path: Path) -> None:
    """The editor gets the prompt, its follow-up and its idea above a marker; what the
    writer typed is saved, a Markdown heading included."""
    proc = run_with_terminal_stdin(
        ["write", "--json", "--date", DAY], fake_editor(tmp_path, "# Wins\nShipped it.\n")
    )
    assert proc.returncode == 0, proc.stderr
    entry = json.loads(proc.stdout)
    assert entry["text"] == "# Wins\nShipped it."
    seen = next(home.glob(".draft-*.md.seen")).read_text("utf-8")
    prompt_set = load_prompt_set()
    theme = prompt_set.theme_by_id[str(entry["theme"])]
    prompt = prompt_set.prompt(str(entry["prompt_id"]))
    assert prompt.follow_up and prompt.idea
    # The template wraps long lines, so compare with what the template function gives,
    head = [line.removeprefix("%% ") for line in seen.split("\n") if line.startswith("%% ")]
    assert seen == template(prompt.text, theme.name, prompt.idea, follow_up=prompt.follow_up)
    # and read the lines above the marker again as the writer does.
    unwrapped = " ".join(head)
    for shown in (prompt.text, prompt.follow_up, prompt.idea, theme.name):
        assert shown in unwrapped
    assert list(home.glob(".draft-*.md")) == []  # the draft is removed after saving


def test_a_free_entry_template_shows_what_its_theme_is_about(home: Path, tmp_path: Path) -> None:
    """No prompt, so no follow-up and no idea: the theme and its description, as before."""
    proc = run_with_terminal_stdin(
        ["write", "--free", "--theme", "direction", "--json", "--date", DAY],
        fake_editor(tmp_path, "Drew the map.\n"),
    )
    assert proc.returncode == 0, proc.stderr
    seen = next(home.glob(".draft-*.md.seen")).read_text("utf-8")
    head = " ".join(line.removeprefix("%% ") for line in seen.split("\n") if line.startswith("%% "))
    theme = load_prompt_set().theme_by_id["direction"]
    assert f"Theme: {theme.name} - {theme.description}" in head
    assert "Then:" not in head and "The idea:" not in head


def test_an_untouched_editor_template_saves_nothing(home: Path, tmp_path: Path) -> None:
    proc = run_with_terminal_stdin(["write"], fake_editor(tmp_path, ""))
    assert proc.returncode == 1
    assert b"Nothing to save" in proc.stderr
    assert month_files(home) == []
    assert list(home.glob(".draft-*.md")) == []


def test_a_failing_editor_exits_1_and_saves_nothing(home: Path) -> None:
    proc = run_with_terminal_stdin(["write"], "false")
    assert proc.returncode == 1
    assert b"editor" in proc.stderr
    assert month_files(home) == []


def test_editing_in_the_editor_replaces_the_text(home: Path, tmp_path: Path) -> None:
    entry = write_json("--free", "Old text.")
    proc = run_with_terminal_stdin(["edit", str(entry["id"])], fake_editor(tmp_path, " More."))
    assert proc.returncode == 0, proc.stderr
    assert cli("show", str(entry["id"]), "--json").json()["text"] == "Old text.\n More."


def template_shown(home: Path) -> str:
    """The lines above the marker that the fake editor was shown, unwrapped."""
    seen = next(home.glob(".draft-*.md.seen")).read_text("utf-8")
    return " ".join(line.removeprefix("%% ") for line in seen.split("\n") if line.startswith("%% "))


def test_editing_an_answer_shows_the_question_as_it_read_with_its_follow_up(
    home: Path, tmp_path: Path
) -> None:
    """The follow-up and idea of the prompt are shown while it reads as it did when
    answered; an answer to a question since reworded (this one from the first question
    bank) shows that wording and the theme, not a follow-up written for another text."""
    prompt = load_prompt_set().prompt("ly-kept-promise")
    entry = write_json("--prompt", prompt.id, "Kept it.")
    proc = run_with_terminal_stdin(["edit", str(entry["id"])], fake_editor(tmp_path, ""))
    assert proc.returncode == 0, proc.stderr
    shown = template_shown(home)
    assert f"{prompt.text} Then: {prompt.follow_up}" in shown
    assert f"The idea: {prompt.idea}" in shown
    for draft in home.glob(".draft-*"):
        draft.unlink()
    assert cli("import", str(DATA / "import-leadjournal.json")).code == 0
    old = next(
        e
        for e in cli("list", "--json").json()
        if e["id"] != entry["id"] and e["prompt_id"] == prompt.id
    )
    assert old["prompt"] != prompt.text
    proc = run_with_terminal_stdin(["edit", str(old["id"])], fake_editor(tmp_path, ""))
    assert proc.returncode == 0, proc.stderr
    shown = template_shown(home)
    assert shown.startswith(str(old["prompt"]))
    assert "Then:" not in shown and "The idea:" not in shown
    assert "Theme: Lead yourself first - " in shown


def test_visual_wins_over_editor_and_config_wins_over_both(monkeypatch: pytest.MonkeyPatch) -> None:
    from leadjournal.editor import editor_command

    monkeypatch.setenv("EDITOR", "nano")
    monkeypatch.setenv("VISUAL", "code --wait")
    assert editor_command(None) == ["code", "--wait"]
    assert editor_command("'my editor' -x") == ["my editor", "-x"]


def test_version_and_help() -> None:
    from leadjournal import __version__

    result = cli("--version")
    assert result.code == 0
    assert result.stdout.strip() == f"leadjournal {__version__}"
    for command in (
        "write",
        "list",
        "show",
        "edit",
        "delete",
        "prompt",
        "today",
        "themes",
        "prompts",
    ):
        helped = cli(command, "--help")
        assert helped.code == 0, command
        assert "Usage" in helped.stdout


def test_unknown_option_is_a_usage_error() -> None:
    assert cli("list", "--bogus").code == 2


def test_no_command_shows_todays_prompt() -> None:
    result = cli()
    assert result.code == 0
    prompt = cli("prompt", "--json").json()
    assert prompt["text"] in result.stdout


def test_files_and_folders_are_private(home: Path) -> None:
    write_json("--free", "private")
    for path in [home, *home.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path


@pytest.mark.parametrize(
    "content", ["week_start = 'tuesday'\n", "this is not toml", "colour = 1\n"]
)
def test_a_bad_config_file_is_a_clear_error_naming_it(home: Path, content: str) -> None:
    home.mkdir(parents=True)
    (home / "config.toml").write_text(content)
    result = cli("today")
    assert result.code == 1
    assert "config.toml" in result.stderr
    assert "Traceback" not in result.stderr


def run_on_terminal(args: list[str], env: dict[str, str]) -> bytes:
    """The real command with standard output on a terminal (a pty); what it printed."""
    master, slave = os.openpty()
    try:
        subprocess.run(
            [sys.executable, "-m", "leadjournal", *args],
            stdout=slave,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **env},
            timeout=60,
            check=True,
        )
        os.close(slave)
        slave = -1
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)


def test_colour_appears_only_on_a_terminal_and_never_with_no_color() -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    coloured = run_on_terminal(["prompt"], {**env, "NO_COLOR": ""})
    assert b"\x1b[" in coloured
    plain = run_on_terminal(["prompt"], {"NO_COLOR": "1"})
    assert b"\x1b[" not in plain
    piped = run(["prompt"], env={"NO_COLOR": ""})
    assert b"\x1b[" not in piped.stdout


def test_list_limit_reads_back_only_as_far_as_it_needs(home: Path) -> None:
    """`list --limit N` costs what N needs: an unreadable old month is not even opened."""
    for day in ("2026-01-10", "2026-03-10", "2026-06-10", "2026-06-11"):
        write_json("--free", "--date", day, f"on {day}")
    january = home / "entries" / "2026" / "2026-01.json"
    january.write_bytes(january.read_bytes()[:20])
    result = cli("list", "--limit", "2", "--json")
    assert [e["text"] for e in result.json()] == ["on 2026-06-10", "on 2026-06-11"]
    assert "2026-01.json" not in result.stderr
    everything = cli("list", "--limit", "10", "--json")
    assert [e["text"] for e in everything.json()] == [
        "on 2026-03-10",
        "on 2026-06-10",
        "on 2026-06-11",
    ]
    assert "2026-01.json" in everything.stderr


def test_list_limit_keeps_instant_order_across_a_month_boundary(home: Path) -> None:
    """An entry on 1 July in Tokyo can be earlier than one on 30 June in New York."""
    tokyo = run(
        ["write", "--free", "--json", "--date", "2026-07-01T01:00", "tokyo"],
        env={"TZ": "Asia/Tokyo"},
    )
    york = run(
        ["write", "--free", "--json", "--date", "2026-06-30T20:00", "new york"],
        env={"TZ": "America/New_York"},
    )
    assert tokyo.returncode == 0 and york.returncode == 0
    listed = cli("list", "--limit", "1", "--json").json()
    assert [e["text"] for e in listed] == ["new york"]


def test_list_shows_imported_ids_in_full_and_ours_by_8_characters() -> None:
    """Day One ids share their first characters; shortened they would name nothing."""
    from tests.helpers import DATA

    assert cli("import", str(DATA / "dayone-fictional-journal.json")).code == 0
    ours = write_json("--free", "mine")
    listed = cli("list").stdout
    assert "FICTIONAL-SAMPLE-ENTRY-0001" in listed
    assert f" {str(ours['id'])[:8]}\n" in listed
    assert str(ours["id"]) not in listed
