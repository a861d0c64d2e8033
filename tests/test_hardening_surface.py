"""Issue 18, items 8-13 (DESIGN.md section 18): nothing named like a journal file can hang a
command, every failure names its cause (a save that happened is never called "not
changed"), imported ids are found whatever characters they hold, and no data can control
the terminal.

Every hang test runs the real command in a subprocess with a timeout, so that a regression
fails instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pexpect
import pytest

from tests.helpers import cli, month_files, run, snapshot

HANG = 30  # seconds: far more than any of these commands takes, far less than forever
GENERIC = "something unexpected"
DAY = "2026-11-03"
MONTH = Path("entries/2026/2026-11.json")


def write_one(home: Path, text: str = "An entry.", when: str = DAY) -> str:
    """Save one entry through the CLI; its id."""
    result = cli("write", "--free", "--date", when, "--json", text)
    assert result.code == 0, result
    return str(result.json()["id"])


def stderr_of(done: subprocess.CompletedProcess[bytes]) -> str:
    return done.stderr.decode("utf-8", "replace")


def export_document(
    entries: list[dict[str, Any]], commitments: list[dict[str, Any]] | None = None
) -> str:
    """A leadjournal JSON export holding `entries` (and `commitments`)."""
    return json.dumps(
        {
            "format": "leadjournal",
            "version": 2,
            "exported_at": "2026-11-03T09:00:00+00:00",
            "commitments": commitments or [],
            "entries": entries,
        }
    )


def exported_entry(entry_id: str, text: str = "Imported.", **fields: Any) -> dict[str, Any]:
    stamp = "2026-11-03T09:00:00+00:00"
    return {
        "id": entry_id,
        "created_at": stamp,
        "updated_at": stamp,
        "theme": None,
        "prompt_id": None,
        "prompt": None,
        "text": text,
        "tags": [],
        **fields,
    }


# ---------------------------------------------------------------------------------------
# 8. Only regular files are read: a FIFO or a device never blocks a command


def test_a_fifo_named_like_a_month_file_is_named_by_every_command_and_blocks_none(
    home: Path,
) -> None:
    write_one(home, when="2026-10-05")
    fifo = home / MONTH
    os.mkfifo(fifo)
    listed = run(["list"], timeout=HANG)
    assert listed.returncode == 0
    assert b"An entry." in listed.stdout  # the other months are read
    assert f"Skipped {fifo}: it is a named pipe (FIFO)" in stderr_of(listed)
    written = run(["write", "--free", "--date", DAY, "More."], timeout=HANG)
    assert written.returncode == 1
    assert f"{fifo} cannot be read: it is a named pipe (FIFO)" in stderr_of(written)
    checked = run(["doctor"], timeout=HANG)
    assert checked.returncode == 1
    assert f"{fifo}: cannot be read: it is a named pipe (FIFO)" in checked.stdout.decode()
    shown = run(["show", "last"], timeout=HANG)
    assert shown.returncode == 0
    summary = run(["summary", "--since", "2026-10-01", "--until", "2026-11-30"], timeout=HANG)
    assert summary.returncode == 0
    assert GENERIC not in stderr_of(written) + stderr_of(shown) + stderr_of(summary)


def test_a_fifo_named_like_a_sync_conflict_copy_is_skipped_and_writes_go_on(home: Path) -> None:
    write_one(home)
    copy = home / "entries/2026/2026-11.sync-conflict-20261106-101010-ABCDEFG.json"
    os.mkfifo(copy)
    written = run(["write", "--free", "--date", DAY, "Second."], timeout=HANG)
    assert written.returncode == 0, written
    listed = run(["list"], timeout=HANG)
    assert listed.returncode == 0
    assert b"Second." in listed.stdout
    assert f"sync-conflict copy {copy}: it is a named pipe (FIFO)" in stderr_of(listed)


def test_a_fifo_named_prompts_yaml_is_a_warning_and_the_built_in_prompts_work(
    home: Path,
) -> None:
    home.mkdir()
    os.mkfifo(home / "prompts.yaml")
    shown = run(["prompt"], timeout=HANG)
    assert shown.returncode == 0
    assert shown.stdout.strip()
    assert "prompts.yaml: it is a named pipe (FIFO), not a regular file" in stderr_of(shown)
    checked = run(["doctor"], timeout=HANG)
    assert checked.returncode == 1
    assert "prompts.yaml: is a named pipe (FIFO), not a regular file" in checked.stdout.decode()


def test_a_fifo_named_config_toml_is_a_clear_error_not_a_hang(home: Path) -> None:
    home.mkdir()
    os.mkfifo(home / "config.toml")
    written = run(["write", "--free", "--date", DAY, "Text."], timeout=HANG)
    assert written.returncode == 1
    assert "config.toml: it is a named pipe (FIFO), not a regular file" in stderr_of(written)
    assert not (home / "entries").exists()
    checked = run(["doctor"], timeout=HANG)
    assert checked.returncode == 1
    assert "config.toml: is a named pipe (FIFO), not a regular file" in checked.stdout.decode()


def test_a_month_file_that_is_a_device_is_never_read(home: Path) -> None:
    """A month linked to /dev/zero would be read forever."""
    write_one(home, when="2026-10-05")
    (home / MONTH).symlink_to("/dev/zero")
    listed = run(["list"], timeout=HANG)
    assert listed.returncode == 0
    assert b"An entry." in listed.stdout
    assert str(home / MONTH) in stderr_of(listed)
    checked = run(["doctor"], timeout=HANG)
    assert checked.returncode == 1
    assert str(home / MONTH) in checked.stdout.decode()
    written = run(["write", "--free", "--date", DAY, "More."], timeout=HANG)
    assert written.returncode == 1
    assert str(home / MONTH) in stderr_of(written)
    assert GENERIC not in stderr_of(listed) + stderr_of(written)


def test_a_folder_named_like_a_month_file_is_reported_by_doctor(home: Path) -> None:
    write_one(home, when="2026-10-05")
    (home / MONTH).mkdir()
    checked = run(["doctor"], timeout=HANG)
    assert checked.returncode == 1
    assert f"{home / MONTH}: cannot be read: it is a folder, not a regular file" in (
        checked.stdout.decode()
    )
    listed = run(["list"], timeout=HANG)
    assert listed.returncode == 0
    assert "it is a folder" in stderr_of(listed)


# ---------------------------------------------------------------------------------------
# 9. A save that happened is never called "not changed"


def test_a_save_whose_result_cannot_be_printed_says_it_was_saved(home: Path) -> None:
    """stdout on a full device: the entry is on disk, and the message says so (a user who
    is told nothing changed would write it again)."""
    with Path("/dev/full").open("wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "leadjournal", "write", "--free", "--date", DAY, "Kept."],
            stdout=full,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            timeout=HANG,
            check=False,
        )
    message = done.stderr.decode()
    assert done.returncode == 1
    assert "The change was saved" in message
    assert str(home / MONTH) in message
    assert "printing the result failed (No space left on device)" in message
    assert "not changed" not in message
    assert "Traceback" not in message
    assert [e["text"] for e in cli("list", "--json").json()] == ["Kept."]


def test_an_edit_of_an_id_that_looks_like_markup_is_saved_and_said_so(
    home: Path, tmp_path: Path
) -> None:
    """`abcd[/]` once broke rich's markup after the save, and the message said nothing was
    changed; now the id is printed as data, and the change is on disk."""
    source = tmp_path / "markup.json"
    source.write_text(export_document([exported_entry("abcd[/]", "Markup-like id.")]))
    assert cli("import", str(source)).code == 0
    edited = run(["edit", "abcd[/]", "--tag", "kept"], timeout=HANG)
    assert edited.returncode == 0, edited
    assert b"Updated entry abcd[/]" in edited.stdout
    assert "not changed" not in stderr_of(edited)
    assert cli("list", "--json").json()[0]["tags"] == ["kept"]


def test_a_read_only_command_that_cannot_print_says_nothing_was_changed(home: Path) -> None:
    write_one(home)
    before = snapshot(home)
    with Path("/dev/full").open("wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "leadjournal", "list"],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=HANG,
            check=False,
        )
    message = done.stderr.decode()
    assert done.returncode == 1
    assert "Printing the result failed (No space left on device)" in message
    assert "Your journal files were not changed" in message
    assert GENERIC not in message
    assert snapshot(home) == before


# ---------------------------------------------------------------------------------------
# 10. Each failure names its problem; readers warn and go on


def test_a_year_folder_named_with_a_non_ascii_digit_is_passed_by_and_doctor_names_it(
    home: Path,
) -> None:
    write_one(home)
    odd = home / "entries" / "²"
    odd.mkdir(mode=0o700)
    listed = run(["list"], timeout=HANG)
    assert listed.returncode == 0, listed
    assert b"An entry." in listed.stdout
    checked = run(["doctor"], timeout=HANG)
    assert checked.returncode == 1
    assert f"{odd}: is not named as a year folder" in checked.stdout.decode()
    assert GENERIC not in stderr_of(listed) + stderr_of(checked)


def test_doctor_names_a_copy_another_sync_tool_left_in_a_year_folder(home: Path) -> None:
    """Copies named otherwise than Syncthing's and Dropbox's are not read (out of scope,
    docs/reliability.md), but doctor names them, so a user hears of what they hold."""
    write_one(home)
    [month] = month_files(home)
    year = month.parent
    icloud = year / f"{month.stem} 2.json"  # iCloud Drive's copy
    onedrive = year / f"{month.stem}-DESKTOP-1A2B.json"  # OneDrive's
    syncthing = year / f"{month.stem}.sync-conflict-20261106-101010-ABCDEFG.json"
    for path in (icloud, onedrive, syncthing):
        path.write_bytes(month.read_bytes())
    (year / ".DS_Store").write_bytes(b"\0")
    before = snapshot(home)
    checked = run(["doctor"], timeout=HANG)
    assert checked.returncode == 1, checked
    out = checked.stdout.decode()
    for unknown in (icloud, onedrive):
        assert f"{unknown}: is neither a month file" in out
    assert f"{syncthing}: is neither" not in out  # a copy it reads, and merges with --fix
    assert ".DS_Store" not in out
    fixed = run(["doctor", "--fix"], timeout=HANG)
    assert fixed.returncode == 1
    assert icloud.exists() and onedrive.exists()  # not ours to move or delete
    assert not syncthing.exists()  # merged into its month
    assert snapshot(home).keys() <= before.keys()


def test_a_year_folder_that_is_a_symlink_loop_is_skipped_with_a_warning(home: Path) -> None:
    write_one(home)
    loop = home / "entries" / "2025"
    loop.symlink_to("2025")
    for args in (["list"], ["summary", "--since", "2025-01-01", "--until", "2026-12-31"]):
        done = run(args, timeout=HANG)
        assert done.returncode == 0, done
        assert str(loop) in stderr_of(done)
        assert GENERIC not in stderr_of(done)
    assert b"An entry." in run(["list"], timeout=HANG).stdout
    checked = run(["doctor"], timeout=HANG)
    assert checked.returncode == 1
    assert str(loop) in checked.stdout.decode()  # a link below entries/ is named, not read


def test_a_month_file_that_is_a_symlink_loop_is_named_as_one(home: Path) -> None:
    write_one(home, when="2026-10-05")
    (home / MONTH).symlink_to(MONTH.name)
    listed = run(["list"], timeout=HANG)
    assert listed.returncode == 0
    assert b"An entry." in listed.stdout
    assert f"Skipped {home / MONTH}: it is a symbolic link" in stderr_of(listed)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a folder whatever its mode")
def test_an_unreadable_year_folder_is_skipped_with_a_warning(home: Path) -> None:
    write_one(home)
    locked = home / "entries" / "2025"
    locked.mkdir(mode=0o700)
    locked.chmod(0)
    try:
        done = run(["list"], timeout=HANG)
    finally:
        locked.chmod(0o700)
    assert done.returncode == 0
    assert b"An entry." in done.stdout
    assert f"Skipped {locked}: the folder cannot be read" in stderr_of(done)


@pytest.mark.parametrize("fmt", ["leadjournal", "dayone"])
def test_an_import_holding_a_number_of_a_million_digits_names_it(
    home: Path, tmp_path: Path, fmt: str
) -> None:
    huge = "9" * 1_000_000
    if fmt == "leadjournal":
        data = export_document([exported_entry("aaaa000000000001")])
        data = data.replace('"version": 2', f'"version": {huge}')
    else:
        entry = {"uuid": "DAYONE-1", "creationDate": "2026-11-03T09:00:00Z", "text": "x"}
        data = json.dumps({"metadata": {"version": "1.0"}, "entries": [entry]})
        data = data.replace('"text"', f'"duration": {huge}, "text"')
    source = tmp_path / "huge.json"
    source.write_text(data)
    result = cli("import", str(source))
    assert result.code == 1
    assert "holds a number too large to read (1,000,000 digits); nothing was imported" in (
        result.stderr
    )
    assert not month_files(home)


def test_a_settings_file_holding_an_oversized_number_names_it(home: Path) -> None:
    home.mkdir()
    huge = "1" * 100_000
    (home / "prompts.yaml").write_text(f"version: {huge}\nthemes: []\n")
    shown = cli("prompt")
    assert shown.code == 0
    assert "prompts.yaml holds a number too large to read" in shown.stderr
    (home / "config.toml").write_text(f"week_start = {huge}\n")
    written = cli("write", "--free", "--date", DAY, "Text.")
    assert written.code == 1
    assert "config.toml holds a number too large to read" in written.stderr
    assert GENERIC not in shown.stderr + written.stderr


@pytest.mark.parametrize(
    ("moment", "zone"),
    [("0001-01-01T02:00:00Z", "America/New_York"), ("9999-12-31T20:00:00Z", "Asia/Tokyo")],
)
def test_a_day_one_date_that_its_zone_moves_off_the_calendar_names_the_entry(
    home: Path, tmp_path: Path, moment: str, zone: str
) -> None:
    entry = {"uuid": "DAYONE-EDGE", "creationDate": moment, "timeZone": zone, "text": "x"}
    source = tmp_path / "edge.json"
    source.write_text(json.dumps({"metadata": {"version": "1.0"}, "entries": [entry]}))
    result = cli("import", str(source))
    assert result.code == 1
    assert "the 1st entry (id DAYONE-EDGE)" in result.stderr
    assert "outside the calendar's years 1 to 9999" in result.stderr
    assert GENERIC not in result.stderr
    assert not month_files(home)


def test_a_jrnl_entry_of_year_1_names_the_entry(home: Path, tmp_path: Path) -> None:
    """Midnight of 1 January of year 1, in a zone east of UTC, is before the calendar."""
    entry = {"title": "t", "body": "b", "date": "0001-01-01", "time": "00:00", "tags": []}
    source = tmp_path / "jrnl.json"
    source.write_text(json.dumps({"tags": {}, "entries": [entry]}))
    done = run(["import", str(source)], env={"TZ": "Asia/Tokyo"}, timeout=HANG)
    assert done.returncode == 1
    assert "the 1st entry (0001-01-01)" in stderr_of(done)
    assert "outside the calendar's years 1 to 9999" in stderr_of(done)
    assert not month_files(home)


def test_an_editor_that_deletes_its_draft_is_named_and_the_entry_is_kept(
    home: Path, tmp_path: Path
) -> None:
    entry_id = write_one(home, "Before.")
    editor = tmp_path / "remover"
    editor.write_text('#!/bin/sh\nrm -f "$1"\n')
    editor.chmod(0o700)
    before = snapshot(home)
    done = run(["edit", entry_id], env={"EDITOR": str(editor)}, timeout=HANG)
    assert done.returncode == 1
    assert "removed the file it was editing" in stderr_of(done)
    assert "nothing was saved" in stderr_of(done)
    assert GENERIC not in stderr_of(done)
    assert snapshot(home) == before


# ---------------------------------------------------------------------------------------
# 11. Honest, exact words


def test_a_month_of_a_newer_version_is_called_that_on_every_path(
    home: Path, tmp_path: Path
) -> None:
    write_one(home)
    path = home / MONTH
    data = json.loads(path.read_bytes())
    data["version"] = 99
    path.write_text(json.dumps(data))
    newer = "written by a newer leadjournal (format version 99"
    listed = cli("list")
    assert newer in listed.stderr
    assert "Value error" not in listed.stderr
    written = cli("write", "--free", "--date", DAY, "More.")
    assert written.code == 1
    assert newer in written.stderr
    checked = cli("doctor")
    assert checked.code == 1
    assert newer in checked.stdout
    assert "Value error" not in checked.stdout
    other = tmp_path / "ours.json"
    other.write_bytes(path.read_bytes())
    merged = run(["merge-month", str(other), str(other), str(other)], timeout=HANG)
    assert merged.returncode != 0
    assert newer in stderr_of(merged)
    exported = tmp_path / "export.json"
    exported.write_text(
        export_document([exported_entry("aaaa000000000001")]).replace(
            '"version": 2', '"version": 99'
        )
    )
    imported = cli("import", str(exported))
    assert imported.code == 1
    assert "exported by a newer leadjournal (format version 99)" in imported.stderr


def test_a_theme_defined_twice_in_a_user_file_is_called_that_not_built_in(home: Path) -> None:
    home.mkdir()
    theme = (
        "  - id: {id}\n    name: {name}\n    description: d\n    prompts:\n"
        "      - id: {p}\n        text: What went well?\n"
    )
    (home / "prompts.yaml").write_text(
        "version: 1\nthemes:\n"
        + theme.format(id="mine", name="Mine", p="mine-1")
        + theme.format(id="mine", name="Mine again", p="mine-2")
    )
    result = cli("themes")
    assert "the theme id 'mine' is defined twice" in result.stderr
    assert "built in" not in result.stderr


def test_a_lone_surrogate_in_an_import_is_stored_as_a_replacement_not_a_hex_escape_error(
    home: Path, tmp_path: Path
) -> None:
    source = tmp_path / "lone.json"
    data = export_document([exported_entry("aaaa000000000001", "PLACEHOLDER")])
    source.write_text(data.replace("PLACEHOLDER", "\\ud800 alone"))
    result = cli("import", str(source))
    assert result.code == 0, result
    assert "hex escape" not in result.stderr
    assert cli("list", "--json").json()[0]["text"] == "\ufffd alone"


def test_doctor_counts_in_the_singular_and_the_plural(home: Path) -> None:
    write_one(home)
    (home / MONTH).chmod(0o644)
    out = cli("doctor").stdout
    assert "Checked 1 journal file, 1 entry." in out
    assert "1 problem remains." in out
    write_one(home, "Two.")
    write_one(home, "Three.", when="2026-10-05")
    (home / MONTH).chmod(0o644)
    (home / "entries/2026/2026-10.json").chmod(0o644)
    out = cli("doctor").stdout
    assert "Checked 2 journal files, 3 entries." in out
    assert "2 problems remain." in out


def test_a_draft_left_by_a_failed_editor_session_is_reported_by_doctor(
    home: Path, tmp_path: Path
) -> None:
    entry_id = write_one(home)
    editor = tmp_path / "failing"
    editor.write_text('#!/bin/sh\necho "my words" >> "$1"\nexit 3\n')
    editor.chmod(0o700)
    done = run(["edit", entry_id], env={"EDITOR": str(editor)}, timeout=HANG)
    assert done.returncode == 1
    drafts = list(home.glob(".draft-*.md"))
    assert len(drafts) == 1
    checked = cli("doctor")
    assert checked.code == 1
    assert f"{drafts[0]}: a draft kept after a save failed" in checked.stdout


# ---------------------------------------------------------------------------------------
# 12. Imported ids with '"' or '\' are found


@pytest.mark.parametrize("entry_id", ['quo"te-0001', "back\\slash-0001", 'both\\"-0001'])
def test_an_imported_id_with_json_escaped_characters_is_shown_edited_and_deleted(
    home: Path, tmp_path: Path, entry_id: str
) -> None:
    source = tmp_path / "ids.json"
    source.write_text(export_document([exported_entry(entry_id, "Hard to find.")]))
    assert cli("import", str(source)).code == 0
    shown = cli("show", entry_id)
    assert shown.code == 0, shown
    assert "Hard to find." in shown.stdout
    prefix = cli("show", entry_id[:6])
    assert prefix.code == 0, prefix
    edited = cli("edit", entry_id, "--tag", "found")
    assert edited.code == 0, edited
    assert cli("list", "--json").json()[0]["tags"] == ["found"]
    deleted = cli("delete", entry_id, "--yes")
    assert deleted.code == 0, deleted
    assert cli("list", "--json").json() == []


# ---------------------------------------------------------------------------------------
# 13. Data never controls the terminal

# What a hostile export puts in every field: retitle the window (OSC 0), clear the screen
# (CSI 2J), a C1 CSI, a bell, and a live hyperlink through rich markup.
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m"
LINK = "[link=https://evil.example]click[/link]"
CONTROLS = (b"\x1b]", b"\x1b[2J", b"\x07", "\x9b".encode())


def hostile_export(tmp_path: Path) -> Path:
    now = datetime.now().astimezone().replace(microsecond=0)
    stamp = now.isoformat()
    entry = {
        "id": "abcd[/]" + HOSTILE,
        "created_at": stamp,
        "updated_at": stamp,
        "theme": "direction",
        "prompt_id": None,
        "prompt": "Asked " + HOSTILE,
        "text": f"first {HOSTILE}\nsecond {LINK}",
        "tags": ["t" + HOSTILE],
    }
    try:
        year_ago = now.replace(year=now.year - 1)
    except ValueError:  # 29 February
        year_ago = now.replace(year=now.year - 1, day=28)
    earlier = {
        **entry,
        "id": "0ld" + HOSTILE,
        "created_at": year_ago.isoformat(),
        "updated_at": year_ago.isoformat(),
    }
    commitment = {
        "id": "c0mm" + LINK + HOSTILE,
        "entry_id": None,
        "created_at": stamp,
        "updated_at": stamp,
        "text": "promise " + HOSTILE,
        "due": now.date().isoformat(),  # due today: `today` and `review` show it
        "status": "open",
        "theme": "direction",
    }
    source = tmp_path / "hostile\x1b[2J.json"  # import's messages quote the file's name
    source.write_text(export_document([entry, earlier], [commitment]))
    return source


def on_terminal(home: Path, *args: str) -> bytes:
    """The bytes a command writes to a real pseudo-terminal (colour on); Enter is pressed
    whenever it waits (review's questions)."""
    env = {**os.environ, "LEADJOURNAL_HOME": str(home), "TERM": "xterm", "PAGER": "cat"}
    env.pop("NO_COLOR", None)
    child: pexpect.spawn[bytes] = pexpect.spawn(
        sys.executable, ["-m", "leadjournal", *args], env=env, timeout=HANG, dimensions=(50, 100)
    )
    out = b""
    for _ in range(20):
        try:
            child.expect(pexpect.EOF, timeout=5)
        except pexpect.TIMEOUT:
            out += child.before or b""
            child.sendline("")
            continue
        out += child.before or b""
        break
    child.close()
    assert child.exitstatus is not None, f"{args} did not end"
    return out


def entry_id_month(entry_id: str) -> str:
    """'YYYY/YYYY-MM.json': the month file of the entry `entry_id`."""
    (entry,) = [e for e in cli("list", "--json").json() if e["id"] == entry_id]
    return f"{entry['created_at'][:4]}/{entry['created_at'][:7]}.json"


def test_hostile_imported_fields_never_reach_the_terminal_as_control_characters(
    home: Path, tmp_path: Path
) -> None:
    source = hostile_export(tmp_path)
    imported = on_terminal(home, "import", str(source))
    assert b"Imported 2 entries and 1 commitment" in imported
    entry_id = cli("list", "--json").json()[-1]["id"]
    commitment_id = cli("commitments", "--json").json()[0]["id"]
    commands: list[tuple[str, ...]] = [
        ("list",),
        ("show", entry_id),
        ("show", commitment_id),
        ("summary",),
        ("tags",),
        ("today",),
        ("review",),
        ("commitments",),
        ("lookback",),
        ("export", "--format", "markdown"),
        ("import", str(source)),  # again: every record skipped
    ]
    outputs = [(("import",), imported), *((a, on_terminal(home, *a)) for a in commands)]
    # doctor quotes ids: the month copied into a month file it does not belong to.
    month = home / "entries" / entry_id_month(entry_id)
    stray = home / "entries" / "2020" / "2020-01.json"
    stray.parent.mkdir(mode=0o700)
    stray.write_bytes(month.read_bytes())
    stray.chmod(0o600)
    outputs.append((("doctor",), on_terminal(home, "doctor")))
    for args, shown in outputs:
        found = [code for code in CONTROLS if code in shown]
        assert not found, f"{args[0]} printed {found}: {shown[-300:]!r}"
        assert b"Traceback" not in shown and GENERIC.encode() not in shown, shown
        assert b"pwned" in shown or b"\\x1b[2J" in shown, f"{args[0]} showed no hostile data"
    full = on_terminal(home, "show", entry_id)
    assert b"\\x1b]0;pwned\\x07" in full  # made visible, not dropped silently
    assert LINK.encode() in full  # markup in the text is shown as written
    assert b"abcd[/]" in full  # and an id that looks like markup is not read as it


def test_json_output_keeps_hostile_fields_exactly(home: Path, tmp_path: Path) -> None:
    assert cli("import", str(hostile_export(tmp_path))).code == 0
    entry = cli("list", "--json").json()[-1]
    assert entry["id"] == "abcd[/]" + HOSTILE
    assert entry["text"] == f"first {HOSTILE}\nsecond {LINK}"
    assert entry["tags"] == ["t" + HOSTILE]


def test_a_hostile_day_one_zone_name_is_shown_without_its_control_characters(
    home: Path, tmp_path: Path
) -> None:
    zone = "Etc/\x1b]0;pwned\x07"
    entry = {"uuid": "DAYONE-ZONE", "creationDate": "2026-11-03T09:00:00Z", "timeZone": zone}
    entry["text"] = "Zoned."
    source = tmp_path / "zone.json"
    source.write_text(json.dumps({"metadata": {"version": "1.0"}, "entries": [entry]}))
    done = run(["import", str(source)], timeout=HANG)
    assert done.returncode == 0
    assert b"\x1b" not in done.stderr and b"\x07" not in done.stderr
    assert b"Etc/\\x1b]0;pwned\\x07" in done.stderr


def test_a_hostile_theme_name_in_a_user_prompts_file_is_shown_visibly(home: Path) -> None:
    home.mkdir()
    (home / "prompts.yaml").write_text(
        'version: 1\nthemes:\n  - id: mine\n    name: "Mine \\e]0;pwned\\a"\n'
        '    description: d\n    prompts:\n      - id: mine-1\n        text: "Why \\e[2J?"\n'
    )
    for args in (("prompt", "--theme", "mine"), ("themes",), ("prompts",)):
        shown = on_terminal(home, *args)
        assert b"\x1b]" not in shown and b"\x1b[2J" not in shown and b"\x07" not in shown
        assert b"pwned" in shown or b"2J" in shown, shown


def test_shell_completion_offers_no_value_holding_control_characters(
    home: Path, tmp_path: Path
) -> None:
    assert cli("import", str(hostile_export(tmp_path))).code == 0
    write_one(home, "A plain one.")
    for words in ("leadjournal show ", "leadjournal list --tag "):
        env = {"_LEADJOURNAL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": words}
        done = run([], env=env, timeout=HANG)
        assert done.returncode == 0, done
        assert b"\x1b" not in done.stdout and b"\x07" not in done.stdout, done.stdout
    shown = run(
        [],
        env={"_LEADJOURNAL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "leadjournal show "},
    )
    assert b"last" in shown.stdout  # the rest is still offered
