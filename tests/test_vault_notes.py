"""Daily and weekly notes in a real vault (DESIGN.md section 17): a folder that already
holds notes written by a person keeps every byte of theirs."""

from __future__ import annotations

import shutil
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt

from tests.helpers import DATA, cli

START, END = "<!-- leadjournal:start -->", "<!-- leadjournal:end -->"
DAYS = ("2026-11-16", "2026-11-18", "2026-11-20")

# A person's own daily note for 2026-11-18: front matter of their own (with a key
# leadjournal also writes, `tags`), text before, a to-do list, text after.
HUMAN_NOTE = """---
aliases: [Wednesday]
tags:
  - work
mood: 7
---
# Wednesday

- [ ] call the plumber
- [x] book the flight

Some thoughts before the journal part.
"""


def load() -> None:
    result = cli("import", str(DATA / "import-leadjournal.json"))
    assert result.code == 0, result


def export(folder: Path, *args: str) -> Any:
    return cli("export", "--split", "day", "--output", str(folder), *args)


def front(text: str) -> Any:
    assert text.startswith("---\n")
    return yaml.safe_load(text[4:].split("\n---\n", 1)[0])


def outside_block(text: str) -> str:
    """The note without leadjournal's block."""
    if START not in text:
        return text
    before, rest = text.split(START, 1)
    return before + rest.split(END, 1)[1]


def backups(home: Path) -> list[Path]:
    folder = home / "backups" / "notes"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_every_byte_of_a_persons_note_survives_and_a_backup_is_kept(
    home: Path, tmp_path: Path
) -> None:
    load()
    vault = tmp_path / "vault"
    vault.mkdir()
    note = vault / "2026-11-18.md"
    note.write_text(HUMAN_NOTE + "\n" + "And a line after, added later.\n", "utf-8")
    before = note.read_text("utf-8")
    assert export(vault).code == 0
    after = note.read_text("utf-8")
    meta = front(after)
    assert meta["aliases"] == ["Wednesday"]
    assert meta["mood"] == 7
    assert meta["tags"] == ["work", "team", "recognition"]  # the union, theirs first
    assert meta["themes"] == ["inspiring-others"]
    assert str(meta["date"]) == "2026-11-18"
    assert "prompts" in meta
    # Every line of theirs outside the front matter keys leadjournal owns is still there,
    # in order; their front matter lines other than tags too.
    body_before = before.split("\n---\n", 1)[1]
    assert outside_block(after).split("\n---\n", 1)[1].startswith(body_before)
    for line in ("aliases: [Wednesday]", "mood: 7", "  - work"):
        assert line in after.split("\n---\n", 1)[0]
    assert "- [ ] call the plumber" in after
    [backup] = backups(home)
    assert backup.read_text("utf-8") == before
    assert backup.name.startswith("2026-11-18.")


def test_the_block_is_replaced_in_place_and_text_after_it_stays(home: Path, tmp_path: Path) -> None:
    load()
    vault = tmp_path / "vault"
    assert export(vault).code == 0
    note = vault / "2026-11-16.md"
    text = note.read_text("utf-8")
    mine = text.replace(END + "\n", END + "\n\nWritten after the block by me.\n")
    mine = mine.replace(START, "Before the block.\n\n" + START)
    note.write_text(mine, "utf-8")
    assert cli("write", "--free", "--date", "2026-11-16T22:00", "A late one.").code == 0
    assert export(vault).code == 0
    after = note.read_text("utf-8")
    assert "A late one." in after.split(START, 1)[1].split(END, 1)[0]
    assert after.count(START) == 1
    assert outside_block(after) == outside_block(mine)


def test_exporting_twice_changes_nothing_the_second_time(home: Path, tmp_path: Path) -> None:
    load()
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "2026-11-18.md").write_text(HUMAN_NOTE, "utf-8")
    assert export(vault, "--weekly").code == 0
    first = {p.name: p.read_bytes() for p in vault.iterdir()}
    kept = backups(home)
    second = export(vault, "--weekly")
    assert second.code == 0
    assert "all up to date" in second.stdout
    assert {p.name: p.read_bytes() for p in vault.iterdir()} == first
    assert backups(home) == kept


def test_every_note_parses_and_the_document_outline_nests(tmp_path: Path) -> None:
    load()
    assert cli("write", "--free", "--date", "2026-11-20T12:00", "# Big\n## Smaller\ntext").code == 0
    vault = tmp_path / "vault"
    assert export(vault, "--weekly").code == 0
    for note in vault.iterdir():
        meta = front(note.read_text("utf-8"))
        assert isinstance(meta, dict), note
    document = cli("export").stdout
    levels = [
        int(token.tag[1]) for token in MarkdownIt().parse(document) if token.type == "heading_open"
    ]
    assert levels[0] == 1  # the title
    for previous, level in pairwise(levels):
        assert level <= previous + 1, levels  # never jumps a level
    assert 2 in levels and 3 in levels and 4 in levels and 5 in levels
    assert "\n#### Big\n##### Smaller\n" in document


def test_headings_in_fenced_code_stay_and_none_goes_past_six(tmp_path: Path) -> None:
    text = "##### Deep\n###### Deeper\n```\n# not a heading\n```\n~~~\n## nor this\n~~~"
    assert cli("write", "--free", "--date", "2026-11-21T12:00", text).code == 0
    document = cli("export").stdout
    assert "\n#### Deep\n##### Deeper\n```\n# not a heading\n```\n~~~\n## nor this\n~~~" in document
    assert cli("write", "--free", "--date", "2026-11-22T12:00", "# One\n###### Six").code == 0
    assert "\n#### One\n###### Six\n" in cli("export").stdout
    assert cli("export", "--format", "json").json()["entries"][-1]["text"] == "# One\n###### Six"


def test_a_version_1_note_is_recognised_and_rewritten_whole(home: Path, tmp_path: Path) -> None:
    load()
    vault = tmp_path / "vault"
    vault.mkdir()
    for day in DAYS:
        shutil.copy(DATA / f"v1-note-{day}.md", vault / f"{day}.md")
    result = export(vault)
    assert result.code == 0, result
    for day in DAYS:
        assert (vault / f"{day}.md").read_bytes() == (DATA / f"export-note-{day}.md").read_bytes()
    assert len(backups(home)) == 3
    # A version-1 note the person edited is theirs now: merged, not replaced.
    edited = (DATA / "v1-note-2026-11-16.md").read_text("utf-8") + "My addition.\n"
    (vault / "2026-11-16.md").write_text(edited, "utf-8")
    assert export(vault).code == 0
    assert "My addition." in (vault / "2026-11-16.md").read_text("utf-8")


def test_a_note_with_front_matter_that_cannot_be_parsed_is_left_and_named(
    home: Path, tmp_path: Path
) -> None:
    load()
    vault = tmp_path / "vault"
    vault.mkdir()
    broken = {
        "2026-11-16.md": "---\ntags: [unclosed\n---\nMine.\n",
        "2026-11-18.md": "---\n- a list\n- not keys\n---\nMine.\n",
        "2026-11-20.md": "---\ntitle: never closed\n\nMine.\n",
    }
    for name, text in broken.items():
        (vault / name).write_text(text, "utf-8")
    assert cli("write", "--free", "--date", "2026-11-25T09:00", "Fine.").code == 0
    result = export(vault)
    assert result.code == 1
    for name, text in broken.items():
        assert (vault / name).read_text("utf-8") == text
        assert name in result.stderr
    assert (vault / "2026-11-25.md").exists()  # the rest is written
    assert backups(home) == []


def test_missing_folders_are_made_private_and_weekly_needs_split(tmp_path: Path) -> None:
    load()
    vault = tmp_path / "a" / "b" / "daily"
    assert export(vault).code == 0
    for folder in (tmp_path / "a", tmp_path / "a" / "b", vault):
        assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert cli("export", "--weekly").code == 2
    assert cli("export", "--names", "logseq").code == 2


def test_weekly_notes_sit_beside_the_daily_ones(tmp_path: Path) -> None:
    load()
    vault = tmp_path / "vault"
    result = export(vault, "--weekly")
    assert result.code == 0, result
    assert "1 weekly note" in result.stdout
    week = vault / "2026-W47.md"
    meta = front(week.read_text("utf-8"))
    assert meta["week"] == "2026-W47"
    assert meta["entries"] == 5
    assert "[[2026-11-16]]" in week.read_text("utf-8")


def test_logseq_names_are_its_journal_file_names(tmp_path: Path) -> None:
    load()
    vault = tmp_path / "journals"
    assert export(vault, "--names", "logseq").code == 0
    assert sorted(p.name for p in vault.iterdir()) == [
        "2026_11_16.md",
        "2026_11_18.md",
        "2026_11_20.md",
    ]
