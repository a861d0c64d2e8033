"""export: Markdown (one document, daily notes) and lossless JSON; nothing overwritten
without --force; written atomically, never through a planted symlink (DESIGN.md section 6).
"""

from __future__ import annotations

import errno
import json
import os
import pty
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from leadjournal.export import yaml_string
from tests.helpers import DATA, cli, run, snapshot

OURS = DATA / "import-leadjournal.json"
DAYS = ("2026-11-16", "2026-11-18", "2026-11-20")


def load(path: Path = OURS) -> None:
    result = cli("import", str(path))
    assert result.code == 0, result


def export_json(*args: str) -> dict[str, Any]:
    result = cli("export", "--format", "json", *args)
    assert result.code == 0, result
    data = result.json()
    assert isinstance(data, dict)
    return data


def ids(*args: str) -> list[str]:
    return [e["id"] for e in export_json(*args)["entries"]]


def front_matter(text: str) -> Any:
    assert text.startswith("---\n")
    head, _, _ = text[4:].partition("\n---\n")
    return yaml.safe_load(head)


# ---------------------------------------------------------------------------------------
# JSON


def test_json_export_imported_into_an_empty_journal_exports_the_same_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ids, timestamps with their offsets (and microseconds), themes, prompts, tags, text."""
    load(OURS)
    load(DATA / "jrnl-export.json")
    load(DATA / "import-dayone-quirks.json")
    assert cli("write", "--free", "--date", "2026-11-19T06:00", "Edge\r\nof \ud800 night").code == 0
    exported = tmp_path / "journal.json"
    assert cli("export", "--format", "json", "--output", str(exported)).code == 0
    first = json.loads(exported.read_bytes())
    assert first["format"] == "leadjournal"
    assert first["version"] == 2
    assert len(first["entries"]) == 20

    monkeypatch.setenv("LEADJOURNAL_HOME", str(tmp_path / "second-home"))
    report = cli("import", "--json", str(exported)).json()
    assert report == {
        "added": 20,
        "skipped": 0,
        "source_format": "leadjournal",
        "commitments_added": 0,
    }
    second = export_json()
    assert second["entries"] == first["entries"]


def test_json_export_has_the_contract_shape_and_the_entries_of_list(home: Path) -> None:
    load()
    data = export_json()
    assert list(data) == ["format", "version", "exported_at", "commitments", "entries"]
    assert data["exported_at"][-6] in "+-"  # an offset, as every timestamp
    assert data["entries"] == cli("list", "--json").json()


def test_json_export_of_an_empty_journal_has_no_entries() -> None:
    assert export_json()["entries"] == []


# ---------------------------------------------------------------------------------------
# Markdown


def test_markdown_document_matches_the_expected_file_byte_for_byte(tmp_path: Path) -> None:
    """Title with the period, a heading per day and per entry (time, theme name; an unknown
    theme as its id), the prompt quoted, the text verbatim (its own '## Wins' included),
    the tags; chronological, and days in order even across UTC offsets."""
    load()
    expected = (DATA / "export-document.md").read_bytes()
    out = tmp_path / "journal.md"
    result = cli("export", "--output", str(out))
    assert result.code == 0, result
    assert out.read_bytes() == expected
    assert cli("export").stdout.encode("utf-8") == expected


def test_markdown_of_entries_written_with_fixed_dates(home: Path) -> None:
    """Through `write`: the local time of --date is the time in the heading."""
    prompts = home / "prompts.yaml"
    home.mkdir(parents=True, exist_ok=True)
    prompts.write_text(
        "version: 1\nthemes:\n  - id: listening\n    name: Listening\n"
        "    description: Hearing people out.\n    prompts:\n      - id: listening-silence\n"
        "        text: Where could a longer silence have helped?\n",
        "utf-8",
    )
    steps = [
        ("--prompt", "listening-silence", "--date", "2026-03-02T09:05", "--tag", "1on1"),
        ("--free", "--date", "2026-03-01T18:00"),
    ]
    texts = ["In the 1:1 with Sam.\n# Note to self\nWait longer.", "Sunday planning."]
    for options, text in zip(steps, texts, strict=True):
        assert cli("write", *options, text).code == 0
    assert cli("export").stdout == (
        "# Journal · 2026-03-01 to 2026-03-02\n"
        "\n## 2026-03-01 · Sunday\n"
        "\n### 18:00\n\nSunday planning.\n"
        "\n## 2026-03-02 · Monday\n"
        "\n### 09:05 · Listening\n\n> Where could a longer silence have helped?\n\n"
        "In the 1:1 with Sam.\n#### Note to self\nWait longer.\n\nTags: #1on1\n"
    )  # the entry's own heading nests under the entry's (DESIGN.md section 17)


def test_an_empty_export_says_so() -> None:
    assert cli("export").stdout == "# Journal\n\nNo entries.\n"
    assert cli("export", "--since", "2026-01-01", "--until", "2026-01-31").stdout == (
        "# Journal · 2026-01-01 to 2026-01-31\n\nNo entries.\n"
    )


def test_daily_notes_match_the_expected_files_and_have_valid_front_matter(
    tmp_path: Path,
) -> None:
    load()
    notes = tmp_path / "vault" / "daily"
    notes.parent.mkdir()
    result = cli("export", "--split", "day", "--output", str(notes))
    assert result.code == 0, result
    assert "Exported 5 entries as 3 daily notes" in result.stdout
    assert sorted(p.name for p in notes.iterdir()) == [f"{day}.md" for day in DAYS]
    for day in DAYS:
        written = (notes / f"{day}.md").read_bytes()
        assert written == (DATA / f"export-note-{day}.md").read_bytes()
    meta = {day: front_matter((notes / f"{day}.md").read_text("utf-8")) for day in DAYS}
    assert meta["2026-11-16"] == {
        "date": date(2026, 11, 16),
        "themes": ["lead-yourself"],
        "tags": ["health"],
        "prompts": ["ly-kept-promise"],
    }
    assert meta["2026-11-18"]["themes"] == ["inspiring-others"]
    assert meta["2026-11-18"]["tags"] == ["team", "recognition"]
    # Tags YAML would read as a boolean or a comment stay strings; a tag of digits only,
    # which Obsidian rejects, stays in the text only (and is named once on stderr).
    assert meta["2026-11-20"]["tags"] == ["team", "yes", "c#"]
    assert "#2026" in (notes / "2026-11-20.md").read_text("utf-8")
    assert result.stderr.count("#2026") == 1


def test_a_day_without_themes_or_tags_has_empty_lists_in_its_front_matter(
    tmp_path: Path,
) -> None:
    assert cli("write", "--free", "--date", "2026-02-03T10:00", "Plain.").code == 0
    assert cli("export", "--split", "day", "--output", str(tmp_path / "n")).code == 0
    note = (tmp_path / "n" / "2026-02-03.md").read_text("utf-8")
    assert front_matter(note) == {
        "date": date(2026, 2, 3),
        "themes": [],
        "tags": [],
        "prompts": [],
    }


@given(st.text())
def test_any_string_in_front_matter_reads_back_as_itself(value: str) -> None:
    value = value.encode("utf-8", "replace").decode("utf-8")  # stored strings are UTF-8
    assert yaml.safe_load(f"key: {yaml_string(value)}\n") == {"key": value}


# ---------------------------------------------------------------------------------------
# Filters


def test_every_filter_applies_to_export() -> None:
    load()
    assert ids("--since", "2026-11-18") == [
        "a1b2c3d4e5f60003",
        "a1b2c3d4e5f60004",
        "a1b2c3d4e5f60005",
    ]
    assert ids("--until", "2026-11-16") == ["a1b2c3d4e5f60001", "a1b2c3d4e5f60002"]
    assert ids("--theme", "responsibility", "--theme", "lead-yourself") == [
        "a1b2c3d4e5f60001",
        "a1b2c3d4e5f60004",
    ]
    assert ids("--tag", "#Team") == ["a1b2c3d4e5f60003", "a1b2c3d4e5f60004", "a1b2c3d4e5f60005"]
    assert ids("--search", "TOKYO") == ["a1b2c3d4e5f60005"]
    assert ids("--search", "promise to yourself") == ["a1b2c3d4e5f60001"]  # in the prompt
    markdown = cli("export", "--since", "2026-11-18", "--until", "2026-11-18").stdout
    assert markdown.startswith("# Journal · 2026-11-18\n")
    assert markdown.count("\n## ") == 1
    assert "Thanked Priya" in markdown


def test_export_filter_usage_errors_exit_2() -> None:
    assert cli("export", "--since", "someday").code == 2
    assert cli("export", "--theme", "no-such-theme").code == 2
    assert cli("export", "--since", "2026-02-02", "--until", "2026-02-01").code == 2


# ---------------------------------------------------------------------------------------
# Writing files: no overwrite without --force, atomic, private, never through a symlink


def test_export_refuses_to_overwrite_a_file_without_force(tmp_path: Path) -> None:
    load()
    out = tmp_path / "journal.md"
    out.write_text("my own notes", "utf-8")
    result = cli("export", "--output", str(out))
    assert result.code == 1
    assert "already exists" in result.stderr
    assert "--force" in result.stderr
    assert out.read_text("utf-8") == "my own notes"
    assert cli("export", "--output", str(out), "--force").code == 0
    assert out.read_bytes() == (DATA / "export-document.md").read_bytes()


def test_output_files_are_private_and_no_temp_file_is_left(tmp_path: Path) -> None:
    load()
    out = tmp_path / "journal.json"
    assert cli("export", "--format", "json", "--output", str(out)).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert cli("export", "--split", "day", "--output", str(tmp_path / "notes")).code == 0
    assert stat.S_IMODE((tmp_path / "notes").stat().st_mode) == 0o700
    for note in (tmp_path / "notes").iterdir():
        assert stat.S_IMODE(note.stat().st_mode) == 0o600
    leftovers = [p.name for p in tmp_path.rglob("*.tmp")]
    assert leftovers == []


def test_a_symlink_planted_at_the_target_is_replaced_not_followed(tmp_path: Path) -> None:
    load()
    victim = tmp_path / "elsewhere" / "precious.txt"
    victim.parent.mkdir()
    victim.write_text("do not touch", "utf-8")
    out = tmp_path / "journal.md"
    out.symlink_to(victim)
    refused = cli("export", "--output", str(out))
    assert refused.code == 1
    assert out.is_symlink()
    result = cli("export", "--output", str(out), "--force")
    assert result.code == 0, result
    assert not out.is_symlink()
    assert out.read_bytes() == (DATA / "export-document.md").read_bytes()
    assert victim.read_text("utf-8") == "do not touch"


def test_a_symlink_planted_among_daily_notes_is_replaced_not_followed(tmp_path: Path) -> None:
    load()
    notes = tmp_path / "notes"
    notes.mkdir()
    victim = tmp_path / "precious.txt"
    victim.write_text("do not touch", "utf-8")
    (notes / "2026-11-18.md").symlink_to(victim)
    assert cli("export", "--split", "day", "--output", str(notes)).code == 0
    assert not (notes / "2026-11-18.md").is_symlink()
    assert victim.read_text("utf-8") == "do not touch"


def test_a_disk_failure_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load()
    out = tmp_path / "journal.md"
    out.write_text("the previous export", "utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = cli("export", "--output", str(out), "--force")
    assert result.code == 1
    assert "Could not write" in result.stderr
    assert "disk space" in result.stderr
    assert out.read_text("utf-8") == "the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "journal.md"]


def test_a_users_existing_note_is_merged_into_not_refused(home: Path, tmp_path: Path) -> None:
    load()
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "2026-11-18.md").write_text("mine", "utf-8")
    result = cli("export", "--split", "day", "--output", str(notes))
    assert result.code == 0, result
    text = (notes / "2026-11-18.md").read_text("utf-8")
    expected = (DATA / "export-note-2026-11-18.md").read_text("utf-8")
    block = expected[expected.index("<!-- leadjournal:start -->") :]
    front, rest = text.split("\n---\n", 1)
    assert rest == "\nmine\n\n" + block  # the user's text first, our block appended
    assert front + "\n---\n" == expected.split("\n---\n", 1)[0] + "\n---\n"
    assert [p.read_text("utf-8") for p in (home / "backups" / "notes").iterdir()] == ["mine"]


def test_split_needs_an_output_folder_and_markdown(tmp_path: Path) -> None:
    result = cli("export", "--split", "day")
    assert result.code == 2
    assert "--output" in result.stderr
    json_split = cli("export", "--split", "day", "--format", "json", "--output", str(tmp_path))
    assert json_split.code == 2
    assert cli("export", "--split", "week", "--output", str(tmp_path)).code == 2


def test_a_folder_or_a_missing_folder_as_output_file_is_a_clear_error(tmp_path: Path) -> None:
    load()
    folder = cli("export", "--output", str(tmp_path))
    assert folder.code == 1
    assert "is a folder" in folder.stderr
    missing = cli("export", "--output", str(tmp_path / "no" / "such.md"))
    assert missing.code == 1
    assert "does not exist" in missing.stderr


def test_export_changes_no_journal_file(home: Path, tmp_path: Path) -> None:
    load()
    before = snapshot(home)
    assert cli("export", "--output", str(tmp_path / "a.md")).code == 0
    assert cli("export", "--split", "day", "--output", str(tmp_path / "n")).code == 0
    assert cli("export", "--format", "json").code == 0
    assert snapshot(home) == before


# ---------------------------------------------------------------------------------------
# Progress: a bar on a terminal for long jobs, nothing of it in a pipe


def _many(tmp_path: Path, count: int) -> Path:
    entries = [
        {
            "id": f"{i:016x}",
            "created_at": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00+00:00",
            "updated_at": "2026-01-01T00:00:00+00:00",
            "text": f"Entry number {i}.",
            "tags": ["bulk"],
        }
        for i in range(count)
    ]
    path = tmp_path / "many.json"
    document = {
        "format": "leadjournal",
        "version": 1,
        "exported_at": "2026-01-01T00:00:00+00:00",
        "entries": entries,
    }
    path.write_text(json.dumps(document), "utf-8")
    return path


def _with_terminal_stderr(args: list[str]) -> tuple[int, bytes, bytes]:
    """Run the command with standard error on a pseudo-terminal; stdout stays a pipe."""
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "leadjournal", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal is gone once the process has exited
            break
        if not chunk:
            break
        seen += chunk
    assert proc.stdout is not None
    with proc.stdout:
        out = proc.stdout.read()
    os.close(leader)
    return proc.wait(timeout=60), out, seen


@pytest.mark.slow
def test_long_jobs_show_a_progress_bar_on_a_terminal_and_nothing_in_a_pipe(
    tmp_path: Path,
) -> None:
    source = _many(tmp_path, 3500)
    code, _, terminal = _with_terminal_stderr(["import", str(source)])
    assert code == 0
    assert b"Reading" in terminal
    piped = run(["export", "--format", "json"])
    assert piped.returncode == 0
    assert piped.stderr == b""
    assert len(json.loads(piped.stdout)["entries"]) == 3500
    code, _, terminal = _with_terminal_stderr(["export", "--output", str(tmp_path / "all.md")])
    assert code == 0
    assert b"Exporting" in terminal
    small = run(["export", "--until", "2025-01-01"])
    assert small.stderr == b""
    imported = run(["import", str(source)])
    assert imported.stderr == b""
    assert b"skipped 3,500" in imported.stdout
