"""import: leadjournal, jrnl and Day One exports in; all or nothing; idempotent (DESIGN.md
section 6). The jrnl and Day One files in tests/data are real exports (see their README in
the shared fixtures): every title, body, date, time, tag and star is checked here."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import DATA, cli, month_files, snapshot

JRNL = DATA / "jrnl-export.json"
DAYONE = DATA / "dayone-fictional-journal.json"
QUIRKS = DATA / "import-dayone-quirks.json"
OURS = DATA / "import-leadjournal.json"
BAD_ENTRY = DATA / "import-leadjournal-bad-entry.json"


@pytest.fixture
def local_zone() -> Iterator[Any]:
    """Set the machine's time zone (jrnl times are local time of the importing machine)."""
    with pytest.MonkeyPatch.context() as patch:

        def use(name: str) -> None:
            patch.setenv("TZ", name)
            time.tzset()

        yield use
    time.tzset()


def import_json(*args: str) -> dict[str, Any]:
    result = cli("import", "--json", *args)
    assert result.code == 0, result
    data = result.json()
    assert isinstance(data, dict)
    return data


def entries() -> list[dict[str, Any]]:
    listed = cli("list", "--json").json()
    assert isinstance(listed, list)
    return listed


# ---------------------------------------------------------------------------------------
# jrnl

# Every entry of the jrnl fixture: local date and time, the text as jrnl's own journal file
# holds it (title, line break, body), and the tags ('starred' for the star).
JRNL_ENTRIES = [
    (
        "2026-09-07T08:05",
        "Team kickoff.\nExplained why the migration matters before explaining how. @team @vision",
        ["team", "vision"],
    ),
    (
        "2026-09-08T17:40",
        "Gave the newest engineer the lead on the incident review.\n"
        "They ran it better than I would have. @delegation @team",
        ["delegation", "team", "starred"],
    ),
    (
        "2026-09-10T21:15",
        "One-on-ones.\nThe release manager wants more ownership of the release train.\n\n"
        "- Ask for a draft of the checklist\n- Review together Friday @oneonone",
        ["oneonone"],
    ),
    (
        "2026-09-12T12:00",
        "Missed my own deadline for the budget memo.\nOwned it in standup. @accountability",
        ["accountability"],
    ),
    (
        "2026-09-15T19:30",
        "Thanked the support team by name in the all-hands \U0001f64c @recognition",
        ["recognition"],
    ),
    (
        "2026-09-18T07:20",
        "Réunion avec l'équipe à Zürich — naïve optimism about the Q4 plan?\n@planning",
        ["planning"],
    ),
    (
        "2026-09-20T22:45",
        "Weekly review.\n## Wins\n- Hiring plan approved\n\n## Next\n1. Write the vision doc\n"
        "2. Skip-level meetings @review",
        ["review"],
    ),
    ("2026-09-22T10:10", "Title only, no tags", []),
    ("2026-09-25T16:55", "新しいチームリーダーと話した。\nGood energy. @team", ["team"]),
    (
        "2026-09-28T09:00",
        "Are we measuring output or outcomes?\nNeed to decide before the offsite. @vision @Metrics",
        ["vision", "metrics"],
    ),
]


def test_jrnl_export_imports_every_title_body_date_time_tag_and_star(local_zone: Any) -> None:
    local_zone("Europe/Paris")
    report = import_json(str(JRNL))
    assert report == {"added": 10, "skipped": 0, "source_format": "jrnl", "commitments_added": 0}
    got = entries()
    assert len(got) == len(JRNL_ENTRIES)
    for entry, (when, text, tags) in zip(got, JRNL_ENTRIES, strict=True):
        assert entry["created_at"] == f"{when}:00+02:00"  # Paris in September: CEST
        assert entry["updated_at"] == entry["created_at"]
        assert entry["text"] == text
        assert entry["tags"] == tags
        assert entry["theme"] is None
        assert entry["prompt_id"] is None
        assert entry["prompt"] is None
        assert re.fullmatch(r"jrnl-[0-9a-f]{16}", entry["id"])
    assert len({e["id"] for e in got}) == 10


def _jrnl_journal_file() -> list[tuple[str, str, bool]]:
    """The entries of jrnl's own journal file: (date time, text, starred)."""
    raw = (DATA / "jrnl-journal.txt").read_text("utf-8")
    parts = re.split(r"^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [AP]M)\] ", raw, flags=re.M)[1:]
    found = []
    for stamp, body in zip(parts[::2], parts[1::2], strict=True):
        first, _, rest = body.strip().partition("\n")
        starred = first.endswith(" *")
        first = first.removesuffix(" *")
        found.append((stamp, f"{first}\n{rest}" if rest else first, starred))
    return found


def test_jrnl_text_is_the_entry_as_jrnls_own_journal_file_holds_it(local_zone: Any) -> None:
    """Title and body rejoined as jrnl writes them: the same text, the same star."""
    local_zone("Europe/Paris")
    import_json(str(JRNL))
    originals = _jrnl_journal_file()
    got = entries()
    assert len(originals) == len(got) == 10
    for entry, (stamp, text, starred) in zip(got, originals, strict=True):
        assert entry["text"] == text
        assert ("starred" in entry["tags"]) == starred
        clock = time.strptime(stamp, "%Y-%m-%d %I:%M:%S %p")
        assert entry["created_at"].startswith(time.strftime("%Y-%m-%dT%H:%M:00", clock))


def test_jrnl_times_are_local_time_of_the_importing_machine(local_zone: Any) -> None:
    """The same file under another time zone: the same wall-clock times with that zone's
    offset, and the same ids (the id does not depend on the machine)."""
    local_zone("Europe/Paris")
    paris = import_json("--dry-run", str(JRNL))
    assert paris["added"] == 10
    import_json(str(JRNL))
    ids = [e["id"] for e in entries()]
    local_zone("America/New_York")
    again = import_json(str(JRNL))
    assert again == {"added": 0, "skipped": 10, "source_format": "jrnl", "commitments_added": 0}
    assert [e["id"] for e in entries()] == ids


def test_jrnl_wall_clock_times_keep_the_offset_of_that_moment(
    tmp_path: Path, local_zone: Any
) -> None:
    local_zone("America/New_York")
    document = {
        "tags": {},
        "entries": [
            {"title": "Winter.", "body": "", "date": "2026-01-15", "time": "09:30", "tags": []},
            {"title": "Summer.", "body": "", "date": "2026-07-15", "time": "09:30", "tags": []},
        ],
    }
    path = tmp_path / "jrnl.json"
    path.write_text(json.dumps(document), "utf-8")
    import_json(str(path))
    assert [e["created_at"] for e in entries()] == [
        "2026-01-15T09:30:00-05:00",
        "2026-07-15T09:30:00-04:00",
    ]


def test_jrnl_tag_order_does_not_depend_on_jrnls_unstable_order(tmp_path: Path) -> None:
    """jrnl builds tag lists from sets: the same journal exported twice may list them in
    another order. The import is the same either way (same tags, same ids)."""
    document = json.loads(JRNL.read_text("utf-8"))
    for entry in document["entries"]:
        entry["tags"].reverse()
    reordered = tmp_path / "reordered.json"
    reordered.write_text(json.dumps(document), "utf-8")
    import_json(str(JRNL))
    first = entries()
    assert import_json(str(reordered))["added"] == 0
    assert entries() == first
    assert first[-1]["tags"] == ["vision", "metrics"]  # as they appear in the text


def test_jrnl_symbol_only_tags_from_markdown_headings_are_dropped() -> None:
    """'## Wins' in a body shows up in jrnl's export as the tag '##'."""
    document = json.loads(JRNL.read_text("utf-8"))
    assert "##" in document["entries"][6]["tags"]
    import_json(str(JRNL))
    weekly = entries()[6]
    assert weekly["tags"] == ["review"]
    assert "## Wins" in weekly["text"]


def test_jrnl_non_ascii_escapes_arrive_as_the_characters() -> None:
    assert "\\u00e9" in JRNL.read_text("utf-8")  # the file holds escapes ...
    import_json(str(JRNL))
    texts = [e["text"] for e in entries()]
    assert "Réunion avec l'équipe à Zürich" in texts[5]  # ... the journal the characters
    assert "\U0001f64c" in texts[4]
    assert texts[8].startswith("新しいチームリーダー")


# ---------------------------------------------------------------------------------------
# Day One


def test_day_one_export_imports_ids_times_text_tags_and_stars() -> None:
    report = import_json(str(DAYONE))
    assert report == {"added": 3, "skipped": 0, "source_format": "dayone", "commitments_added": 0}
    first, second, third = entries()
    assert first["id"] == "FICTIONAL-SAMPLE-ENTRY-0001"
    assert first["created_at"] == "2031-04-05T14:30:00+00:00"
    assert first["updated_at"] == "2031-04-05T15:00:00+00:00"
    assert first["text"].startswith("# Lantern Garden Notes\n\nThe fictional greenhouse")
    assert first["text"].endswith("attached for media import testing.")
    assert first["tags"] == ["fictional", "sample", "garden", "starred"]
    assert second["id"] == "FICTIONAL-SAMPLE-ENTRY-0002"
    assert second["created_at"] == "2031-04-06T09:15:00+00:00"
    assert second["updated_at"] == "2031-04-06T09:45:00+00:00"
    assert "plain writing: [gallery]." in second["text"]
    assert "<script>makeBelieve()</script>" in second["text"]  # kept as written
    assert second["tags"] == ["fictional", "library", "safety-test"]  # pinned is no star
    assert third["id"] == "FICTIONAL-SAMPLE-ENTRY-0003"
    assert third["created_at"] == "2031-04-07T20:05:00+00:00"
    assert third["updated_at"] == "2031-04-07T20:10:00+00:00"
    assert third["text"] == (
        "Quiet text-only entry for the imaginary mooncake tasting club.\n\nThis entry has no "
        "media and exists only to exercise text-only imports with paragraph breaks."
    )
    assert third["tags"] == ["fictional", "sample", "text-only"]
    for entry in (first, second, third):
        assert entry["theme"] is None
        assert entry["prompt"] is None


def test_day_one_quirks_escapes_time_zones_rich_text_and_empty_entries() -> None:
    result = cli("import", str(QUIRKS))
    assert result.code == 0, result
    assert "Imported 4 entries; skipped 2 (2 with no text)." in result.stdout
    assert "Mars/Olympus_Mons" in result.stderr  # an unknown zone is said, not hidden
    got = {e["id"]: e for e in entries()}
    assert sorted(got) == [
        "DAYONE-QUIRK-0001",
        "DAYONE-QUIRK-0002",
        "DAYONE-QUIRK-0005",
        "DAYONE-QUIRK-0006",
    ]
    escaped = got["DAYONE-QUIRK-0001"]
    assert escaped["text"] == (
        "Budget review. Costs went up 3.5% - again (see notes)!\n\n# Not a heading\n1. first\n"
        "*stars* and _under_ [link] +1 > quote, path C:\\temp"
    )
    assert escaped["created_at"] == "2026-07-14T22:15:00+02:00"  # UTC shown in Paris
    assert escaped["updated_at"] == "2026-07-15T08:00:00+02:00"
    assert escaped["tags"] == ["work-trip", "planning", "starred"]
    rich = got["DAYONE-QUIRK-0002"]
    assert rich["text"] == "Rich text run\nsecond line"
    assert rich["created_at"] == "2026-01-10T04:00:00-05:00"
    assert rich["updated_at"] == rich["created_at"]  # no modifiedDate
    unknown = got["DAYONE-QUIRK-0005"]
    assert unknown["created_at"] == "2026-02-01T12:00:00+00:00"
    assert unknown["updated_at"] == "2026-02-01T12:30:00+00:00"
    kolkata = got["DAYONE-QUIRK-0006"]
    assert kolkata["created_at"] == "2026-05-02T00:00:00+05:30"  # the next day there
    assert kolkata["tags"] == ["india"]
    assert cli("list", "--since", "2026-05-02", "--until", "2026-05-02", "--json").json()[0][
        "id"
    ] == ("DAYONE-QUIRK-0006")


# ---------------------------------------------------------------------------------------
# leadjournal, idempotence, dry run


def test_a_leadjournal_export_imports_exactly() -> None:
    report = import_json(str(OURS))
    assert report == {
        "added": 5,
        "skipped": 0,
        "source_format": "leadjournal",
        "commitments_added": 0,
    }
    original = json.loads(OURS.read_text("utf-8"))["entries"]
    # The sample predates guides (DESIGN.md section 11): its entries read as ordinary ones.
    assert all("guide" not in e and "steps" not in e for e in original)
    expected = [{**e, "guide": None, "steps": []} for e in original]
    assert sorted(entries(), key=lambda e: e["id"]) == expected


@pytest.mark.parametrize(
    ("path", "count"),
    [(JRNL, 10), (DAYONE, 3), (QUIRKS, 6), (OURS, 5)],
    ids=["jrnl", "dayone", "dayone-quirks", "leadjournal"],
)
def test_importing_the_same_file_twice_adds_nothing(home: Path, path: Path, count: int) -> None:
    first = import_json(str(path))
    before = snapshot(home)
    second = import_json(str(path))
    assert second["added"] == 0
    assert second["skipped"] == count
    assert snapshot(home) == before
    assert first["added"] + first["skipped"] == count


def test_auto_detection_is_reported_and_an_explicit_format_is_not_guessed() -> None:
    detected = cli("import", str(JRNL))
    assert "as a jrnl JSON export (recognised automatically)" in detected.stdout
    explicit = cli("import", "--format", "jrnl", str(JRNL))
    assert "as a jrnl JSON export." in explicit.stdout
    assert "Imported 0 entries; skipped 10 (10 already in the journal)." in explicit.stdout


def test_dry_run_reports_what_would_happen_and_changes_nothing(home: Path) -> None:
    import_json(str(OURS))
    before = snapshot(home)
    result = cli("import", "--dry-run", str(QUIRKS))
    assert result.code == 0, result
    assert "would import 4 entries and skip 2" in result.stdout
    assert "Nothing was changed." in result.stdout
    assert snapshot(home) == before
    assert import_json("--dry-run", str(OURS)) == {
        "added": 0,
        "skipped": 5,
        "source_format": "leadjournal",
        "commitments_added": 0,
    }
    assert snapshot(home) == before


def test_dry_run_on_a_new_journal_creates_nothing(home: Path) -> None:
    assert import_json("--dry-run", str(JRNL))["added"] == 10
    assert not (home / "entries").exists()


def test_a_deleted_entry_is_not_brought_back_by_importing_again() -> None:
    import_json(str(DAYONE))
    assert cli("delete", "--yes", "FICTIONAL-SAMPLE-ENTRY-0002").code == 0
    assert import_json("--dry-run", str(DAYONE)) == {
        "added": 0,
        "skipped": 3,
        "source_format": "dayone",
        "commitments_added": 0,
    }
    assert import_json(str(DAYONE))["added"] == 0
    assert [e["id"] for e in entries()] == [
        "FICTIONAL-SAMPLE-ENTRY-0001",
        "FICTIONAL-SAMPLE-ENTRY-0003",
    ]


def test_standard_input_is_read_with_a_dash() -> None:
    result = cli("import", "--json", "-", input=DAYONE.read_bytes())
    assert result.code == 0, result
    assert result.json() == {
        "added": 3,
        "skipped": 0,
        "source_format": "dayone",
        "commitments_added": 0,
    }


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(OURS.read_text("utf-8").encode("utf-16"))
    assert import_json(str(path))["added"] == 5


# ---------------------------------------------------------------------------------------
# Failures change nothing


def seeded(home: Path) -> dict[str, bytes]:
    """A journal with entries in it, and its bytes."""
    import_json(str(OURS))
    before = snapshot(home)
    assert before
    return before


def test_one_bad_entry_imports_nothing_and_names_the_entry_but_not_its_text(home: Path) -> None:
    before = seeded(home)
    result = cli("import", str(BAD_ENTRY))
    assert result.code == 1
    assert "Nothing was imported" in result.stderr
    assert "the 2nd entry (id b0b0b0b0b0b00002)" in result.stderr
    assert "created_at" in result.stderr
    assert "SECRET" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert snapshot(home) == before


def test_one_bad_entry_in_a_day_one_file_imports_nothing(home: Path, tmp_path: Path) -> None:
    before = seeded(home)
    document = json.loads(DAYONE.read_text("utf-8"))
    document["entries"][2]["creationDate"] = "last Tuesday"
    path = tmp_path / "Journal.json"
    path.write_text(json.dumps(document), "utf-8")
    result = cli("import", str(path))
    assert result.code == 1
    assert "the 3rd entry (id FICTIONAL-SAMPLE-ENTRY-0003)" in result.stderr
    assert "creationDate" in result.stderr
    assert "mooncake" not in result.stderr
    assert snapshot(home) == before


def test_one_bad_entry_in_a_jrnl_file_imports_nothing(home: Path, tmp_path: Path) -> None:
    before = seeded(home)
    document = json.loads(JRNL.read_text("utf-8"))
    document["entries"][3]["time"] = "noon"
    path = tmp_path / "jrnl.json"
    path.write_text(json.dumps(document), "utf-8")
    result = cli("import", str(path))
    assert result.code == 1
    assert "the 4th entry (2026-09-12)" in result.stderr
    assert "time" in result.stderr
    assert "budget memo" not in result.stderr
    assert snapshot(home) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"  \n\t\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a text file"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP archive"),
        (b"\xff\xd8\xff\xe0 caf\xe9 latin-1 bytes", "not UTF-8"),
        (b"Dear diary, today I", "not valid JSON"),
        (b'{"entries": [', "not valid JSON"),
        (b"[1, 2, 3]", "not an export leadjournal can read"),
        (b'{"hello": "world"}', "not an export leadjournal can read"),
        (b'{"entries": [1, 2]}', "not an export leadjournal can read"),
        (b'{"format": "leadjournal", "version": 1}', "not a valid leadjournal export"),
        (
            b'{"format": "leadjournal", "version": 1, "exported_at": "2026-01-01T00:00:00Z", '
            b'"entries": {}}',
            "not a valid leadjournal export",
        ),
        (
            b'{"format": "leadjournal", "version": 7, "exported_at": "2026-01-01T00:00:00Z", '
            b'"entries": []}',
            "newer leadjournal",
        ),
    ],
)
def test_empty_binary_and_wrong_shape_files_exit_1_and_change_nothing(
    home: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    before = seeded(home)
    path = tmp_path / "input.json"
    path.write_bytes(content)
    result = cli("import", str(path))
    assert result.code == 1, result
    assert message in result.stderr
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(home) == before


@pytest.mark.parametrize(
    ("fmt", "path", "message"),
    [
        ("jrnl", DAYONE, "has no title (is this a jrnl JSON export?)"),
        ("dayone", JRNL, "has no uuid (is this a Day One JSON export?)"),
        ("leadjournal", JRNL, "not a valid leadjournal export"),
    ],
)
def test_a_file_of_another_format_than_the_one_given_changes_nothing(
    home: Path, fmt: str, path: Path, message: str
) -> None:
    before = seeded(home)
    result = cli("import", "--format", fmt, str(path))
    assert result.code == 1, result
    assert message in result.stderr
    assert snapshot(home) == before


def test_a_missing_file_exits_1_with_a_clear_message(home: Path, tmp_path: Path) -> None:
    """Exit 1, not Typer's 2: the command line is well formed; the file is not there,
    which DESIGN.md section 2 lists among the failures the user can act on."""
    result = cli("import", str(tmp_path / "nope.json"))
    assert result.code == 1
    assert "There is no file" in result.stderr
    assert month_files(home) == []


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    result = cli("import", str(tmp_path))
    assert result.code == 1
    assert "is a folder" in result.stderr


def test_an_unknown_format_is_a_usage_error() -> None:
    assert cli("import", "--format", "evernote", str(JRNL)).code == 2


# ---------------------------------------------------------------------------------------
# The messages (DESIGN.md section 16's issue: what a user found wrong)


def export_file(path: Path, entries: list[dict[str, Any]]) -> Path:
    path.write_text(
        json.dumps(
            {
                "format": "leadjournal",
                "version": 1,
                "exported_at": "2026-11-20T10:00:00+00:00",
                "entries": entries,
            }
        ),
        "utf-8",
    )
    return path


def numbered(count: int, start: int = 0) -> list[dict[str, Any]]:
    base = json.loads(OURS.read_text("utf-8"))["entries"][0]
    return [{**base, "id": f"{start + n:016x}", "tags": []} for n in range(count)]


def test_a_duplicate_inside_the_file_is_not_called_already_in_the_journal(tmp_path: Path) -> None:
    twice = numbered(3) + numbered(1)  # the first entry twice in the file
    result = cli("import", str(export_file(tmp_path / "twice.json", twice)))
    assert result.code == 0, result
    assert "Imported 3 entries; skipped 1 (1 repeated within the file)." in result.stdout
    assert "already in the journal" not in result.stdout
    mixed = numbered(1) + numbered(2, start=10) + numbered(1, start=10)
    dry = cli("import", "--dry-run", str(export_file(tmp_path / "mixed.json", mixed)))
    assert "skip 2 (1 already in the journal, 1 repeated within the file)" in dry.stdout
    again = cli("import", str(tmp_path / "mixed.json"))
    assert (
        "Imported 2 entries; skipped 2 (1 already in the journal, 1 repeated within the file)."
        in again.stdout
    )


def test_day_one_photos_are_named_as_not_imported_and_their_links_reported(
    tmp_path: Path,
) -> None:
    data = {
        "metadata": {"version": "1.0"},
        "entries": [
            {
                "uuid": "PHOTO1",
                "creationDate": "2026-11-02T08:00:00Z",
                "timeZone": "Europe/Paris",
                "text": "Offsite ![](dayone-moment://ABC123)\n",
                "photos": [{"identifier": "ABC123"}, {"identifier": "DEF456"}],
            },
            {
                "uuid": "PLAIN2",
                "creationDate": "2026-11-03T08:00:00Z",
                "timeZone": "Europe/Paris",
                "text": "No photo here.",
            },
        ],
    }
    path = tmp_path / "photos.json"
    path.write_text(json.dumps(data), "utf-8")
    result = cli("import", str(path))
    assert result.code == 0, result
    assert "2 photos were not imported" in result.stderr
    assert "1 entry links to Day One photos (dayone-moment://" in result.stderr


def test_large_counts_have_thousands_separators(tmp_path: Path) -> None:
    result = cli("import", str(export_file(tmp_path / "many.json", numbered(1200))))
    assert result.code == 0, result
    assert "Imported 1,200 entries; skipped 0." in result.stdout


def test_inline_tags_in_imported_text_are_added(tmp_path: Path) -> None:
    [entry] = numbered(1)
    entry["text"] = "Planned with the #Team."
    cli("import", str(export_file(tmp_path / "tagged.json", [entry])))
    assert [e["tags"] for e in entries()] == [["team"]]


def test_nothing_spins_saving_when_nothing_is_saved(home: Path, tmp_path: Path) -> None:
    """On a terminal, a large import shows its progress; the same import again saves
    nothing, and says nothing about saving."""
    import os
    import sys

    import pexpect

    path = export_file(tmp_path / "big.json", numbered(3500))

    def on_terminal() -> str:
        child = pexpect.spawn(
            sys.executable,
            ["-m", "leadjournal", "import", str(path)],
            env={**os.environ, "LEADJOURNAL_HOME": str(home), "TERM": "xterm"},
            encoding="utf-8",
            timeout=60,
            dimensions=(40, 100),
        )
        out = child.read()
        child.close()
        assert child.exitstatus == 0, out
        return out

    first = on_terminal()
    assert "Imported 3,500 entries" in first
    assert "Saving" in first
    second = on_terminal()
    assert "Imported 0 entries; skipped 3,500 (3,500 already in the journal)." in second
    assert "Saving" not in second
