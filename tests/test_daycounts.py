"""The day counts cache (cache/counts/): the human summary's period before, from counts.

Week 2026-W45 runs Monday 2026-11-02 to Sunday 2026-11-08; the week before, 2026-10-26 to
2026-11-01, lies mostly in October, a month only the week before needs: its counts come
from cache/counts/2026-10.json. Every test checks the human view against an oracle that
reads every month in full (`summary --json` of the week and of the week before) and
against the same view with the cache deleted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadjournal.models import Entry
from leadjournal.prompts.promptset import Theme
from leadjournal.summary import Period, count_period, day_counts, summarize
from tests.helpers import cli, git

WEEK = ["--week", "2026-W45"]
BEFORE = ["--since", "2026-10-26", "--until", "2026-11-01"]
OCTOBER = Path("entries/2026/2026-10.json")
COUNTS = Path("cache/counts/2026-10.json")
MARKER = "zebracrossing"  # a word that must never reach a cache


def write(when: str, text: str, *extra: str) -> str:
    result = cli("write", "--free", "--json", "--date", when, *extra, text)
    assert result.code == 0, result
    return str(result.json()["id"])


def journal() -> dict[str, str]:
    """A journal around W45: entries in October (the week before only), on 1 November
    (the week before, in the week's month), and in the week; themes, tags, no theme."""
    return {
        "oct27": write("2026-10-27T09:00", f"october one {MARKER}", "--theme", "lead-yourself"),
        "oct28": write("2026-10-28T09:00", f"october two {MARKER}", "--theme", "responsibility"),
        "oct30": write("2026-10-30T21:00", f"october three {MARKER}", "--tag", "team"),
        "oct20": write("2026-10-20T09:00", f"two weeks before {MARKER}"),
        "nov01": write(
            "2026-11-01T09:00", f"first of november {MARKER}", "--theme", "lead-yourself"
        ),
        "nov03": write("2026-11-03T09:00", f"in the week {MARKER}", "--theme", "responsibility"),
        "nov04": write("2026-11-04T09:00", f"in the week too {MARKER}", "--theme", "lead-yourself"),
    }


def human(*args: str) -> str:
    result = cli("summary", *WEEK, *args)
    assert result.code == 0, result
    return result.stdout


def changes(text: str) -> list[str]:
    """The last column of the tally (vs the week before), row by row."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Theme"))
    rows = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        rows.append(line.split()[-1].replace("\u2212", "-"))
    return rows


def oracle() -> tuple[int, list[str]]:
    """The week before's entries and the change by theme, from --json, which reads every
    month of each period in full."""
    now, before = cli("summary", *WEEK, "--json").json(), cli("summary", *BEFORE, "--json").json()
    pairs = [
        (a["entries"], b["entries"]) for a, b in zip(now["themes"], before["themes"], strict=True)
    ]
    if now["unthemed"]["entries"] or before["unthemed"]["entries"]:
        pairs.append((now["unthemed"]["entries"], before["unthemed"]["entries"]))
    shown = [f"+{a - b}" if a > b else f"-{b - a}" if a < b else "=" for a, b in pairs]
    return before["entries"], shown


def check(home: Path) -> str:
    """The human view agrees with the oracle, and with itself once the cache is deleted."""
    text = human()
    entries, expected = oracle()
    noun = "entry" if entries == 1 else "entries"
    assert re.search(rf"(Last week|The week before): {entries} {noun}\.", text), text
    assert changes(text) == expected, text
    shutil.rmtree(home / "cache" / "counts", ignore_errors=True)
    assert human() == text  # counted again from the months: the same view
    assert human() == text  # and from the counts just kept
    return text


def kept(home: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((home / COUNTS).read_bytes())
    return data


# ---------------------------------------------------------------------------------------
# The counts count what the summary counts

THEMES = (Theme("lead-yourself", "Lead yourself first", "", ()), Theme("direction", "Set", "", ()))
START = date(2026, 11, 2)
OFFSETS = [timezone(timedelta(hours=h)) for h in (-11, 0, 5, 14)]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(-10, 20),  # days after START
            st.integers(0, 23),
            st.sampled_from(OFFSETS),
            st.sampled_from([None, "lead-yourself", "direction", "gone-theme"]),
            st.text(" ab\n\u3000\u00a0", max_size=12),
        ),
        max_size=40,
    ),
    st.integers(0, 8),
    st.integers(0, 8),
)
def test_day_counts_tally_a_period_as_summarize_does(
    rows: list[tuple[int, int, timezone, str | None, str]], first: int, length: int
) -> None:
    entries = [
        Entry(
            id=f"e{i}",
            created_at=(at := datetime.combine(START + timedelta(days=d), time(h), zone)),
            updated_at=at,
            theme=theme,
            text=text or "x",
        )
        for i, (d, h, zone, theme, text) in enumerate(rows)
    ]
    period = Period(START + timedelta(days=first), START + timedelta(days=first + length))
    full = summarize(entries, period, THEMES, frozenset(), START)
    counted = count_period(day_counts(entries), period, THEMES)
    assert (counted.entries, counted.words, counted.days_with_entries) == (
        full.entries,
        full.words,
        full.days_with_entries,
    )
    assert [(t.id, t.entries, t.words) for t in counted.themes] == [
        (t.id, t.entries, t.words) for t in full.themes
    ]
    assert (counted.unthemed.entries, counted.unthemed.words) == (
        full.unthemed.entries,
        full.unthemed.words,
    )


# ---------------------------------------------------------------------------------------
# What is kept, and where


def test_the_week_before_comes_from_the_counts_of_its_month(home: Path) -> None:
    journal()
    text = check(home)
    assert "The week before: 4 entries." in text or "Last week: 4 entries." in text
    assert (home / COUNTS).is_file()
    assert not (home / "cache/counts/2026-11.json").exists()  # the week's month is read


def test_the_counts_hold_only_ids_days_themes_and_numbers(home: Path) -> None:
    ids = journal()
    check(home)
    raw = (home / COUNTS).read_text("utf-8")
    assert MARKER not in raw
    assert "team" not in raw  # tags are text
    data = kept(home)
    assert set(data) == {"version", "sig", "counts", "ids"}
    assert set(data["ids"]) == {ids["oct27"], ids["oct28"], ids["oct30"], ids["oct20"]}
    for day, theme, entries, words in data["counts"]:
        assert isinstance(day, int) and isinstance(entries, int) and isinstance(words, int)
        assert theme in (None, "lead-yourself", "responsibility")


def test_the_counts_are_private_files_in_a_private_folder(home: Path) -> None:
    journal()
    previous = os.umask(0o022)  # a loose umask: the files are private all the same
    try:
        check(home)
    finally:
        os.umask(previous)
    assert stat.S_IMODE((home / COUNTS).stat().st_mode) == 0o600
    assert stat.S_IMODE((home / COUNTS).parent.stat().st_mode) == 0o700


# ---------------------------------------------------------------------------------------
# Kept in step with the months


def test_a_backdated_write_into_the_week_before_is_counted(home: Path) -> None:
    journal()
    check(home)
    write("2026-10-29T09:00", "one more before", "--theme", "direction")
    assert MARKER not in (home / COUNTS).read_text("utf-8")
    assert "4 entries" not in check(home)
    assert changes(human()) == oracle()[1]


def test_an_edit_of_a_theme_in_the_week_before_changes_the_comparison(home: Path) -> None:
    ids = journal()
    before = check(home)
    assert cli("edit", ids["oct27"], "--theme", "responsibility").code == 0
    after = check(home)
    assert changes(after) != changes(before)


def test_a_delete_in_the_week_before_is_counted(home: Path) -> None:
    ids = journal()
    check(home)
    assert cli("delete", ids["oct28"], "--yes").code == 0
    assert re.search(r"(Last week|The week before): 3 entries\.", check(home))


def test_an_entry_moved_out_of_the_week_before_into_the_week_counts_once(home: Path) -> None:
    """The move leaves a tombstone in October and the entry in November: one id in two
    months, so October is read in full and resolved like every reader does."""
    ids = journal()
    check(home)
    assert cli("edit", ids["oct27"], "--date", "2026-11-05").code == 0
    text = check(home)
    assert re.search(r"(Last week|The week before): 3 entries\.", text)
    assert "3 entries on 3 of 7 days" in text


def test_an_id_live_in_two_months_counts_once_where_its_newer_copy_is(home: Path) -> None:
    """Two live copies of one entry (say, a move interrupted on another device, synced):
    the newer wins across months (store.resolve_ids), so October's older copy is not
    counted in the week before."""
    ids = journal()
    check(home)
    october = json.loads((home / OCTOBER).read_bytes())
    moved = dict(next(e for e in october["entries"] if e["id"] == ids["oct27"]))
    moved["created_at"] = moved["created_at"].replace("2026-10-27", "2026-11-05")
    moved["updated_at"] = "2999-01-01T10:00:00+00:00"  # newer than the copy in October
    november = home / "entries/2026/2026-11.json"
    month = json.loads(november.read_bytes())
    month["entries"].append(moved)
    november.write_text(json.dumps(month), "utf-8")
    text = check(home)
    assert re.search(r"(Last week|The week before): 3 entries\.", text)
    assert "3 entries on 3 of 7 days" in text


def test_an_entry_moved_into_the_week_before_counts_there(home: Path) -> None:
    ids = journal()
    check(home)
    assert cli("edit", ids["nov03"], "--date", "2026-10-31").code == 0
    assert re.search(r"(Last week|The week before): 5 entries\.", check(home))


def test_an_entry_of_the_week_kept_in_octobers_file_counts_in_the_week(home: Path) -> None:
    """A month file may hold an entry of another month's day (a hand edit, an old tool):
    every reader of the week's period counts it in the week, so October is read in full."""
    ids = journal()
    check(home)
    october = json.loads((home / OCTOBER).read_bytes())
    entry = next(e for e in october["entries"] if e["id"] == ids["oct28"])
    entry["created_at"] = entry["created_at"].replace("2026-10-28", "2026-11-06")
    (home / OCTOBER).write_text(json.dumps(october), "utf-8")
    text = human()
    assert "3 entries on 3 of 7 days" in text
    assert re.search(r"(Last week|The week before): 3 entries\.", text)
    shutil.rmtree(home / "cache" / "counts")
    assert human() == text
    assert human() == text


def test_an_import_into_the_week_before_is_counted(home: Path, tmp_path: Path) -> None:
    journal()
    check(home)
    export = tmp_path / "export.json"
    other = tmp_path / "other"
    os.environ["LEADJOURNAL_HOME"] = str(other)
    try:
        write("2026-10-29T10:00", "imported one", "--theme", "direction")
        write("2026-10-31T10:00", "imported two")
        assert cli("export", "--format", "json", "--output", str(export)).code == 0
    finally:
        os.environ["LEADJOURNAL_HOME"] = str(home)
    assert cli("import", str(export)).code == 0
    assert re.search(r"(Last week|The week before): 6 entries\.", check(home))


def test_a_month_changed_behind_our_back_is_counted_again(home: Path) -> None:
    journal()
    check(home)
    month = json.loads((home / OCTOBER).read_bytes())
    for entry in month["entries"]:
        entry["theme"] = "leading-change"
    (home / OCTOBER).write_text(json.dumps(month), "utf-8")
    text = check(home)
    assert changes(text) == oracle()[1]


def test_a_sync_conflict_copy_is_read_and_merged_by_doctor_fix(home: Path) -> None:
    ids = journal()
    check(home)
    month = json.loads((home / OCTOBER).read_bytes())
    month["entries"] = [e for e in month["entries"] if e["id"] == ids["oct27"]]
    month["entries"][0]["theme"] = "growing-leaders"
    month["entries"][0]["updated_at"] = "2999-01-01T10:00:00+00:00"
    copy = home / "entries/2026/2026-10.sync-conflict-20261120-100000-ABCDEFG.json"
    copy.write_text(json.dumps(month), "utf-8")
    result = cli("summary", *WEEK)
    assert "sync-conflict copy" in result.stderr  # read, and said, as before
    text = check(home)
    assert cli("doctor", "--fix").code in (0, 1)
    assert not copy.exists()
    assert check(home) == text


# ---------------------------------------------------------------------------------------
# A cache: deleted, damaged or forged, it is rebuilt


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b"[]",
        b'{"version": 1}',
        b'{"version": 1, "sig": [], "counts": [[1, 2]], "ids": []}',
        b"[" * 100_000,
    ],
)
def test_a_damaged_counts_file_is_rebuilt(home: Path, damage: bytes) -> None:
    journal()
    text = check(home)
    (home / COUNTS).write_bytes(damage)
    assert human() == text
    assert kept(home)["version"] == 1  # rebuilt


def test_counts_stamped_for_another_version_of_the_month_are_not_trusted(home: Path) -> None:
    journal()
    text = check(home)
    data = kept(home)
    data["counts"] = [[row[0], row[1], row[2] + 50, row[3]] for row in data["counts"]]
    data["sig"][1] += 1  # another mtime: made from another version of the month
    (home / COUNTS).write_text(json.dumps(data), "utf-8")
    assert human() == text


def test_the_whole_cache_folder_may_be_deleted(home: Path) -> None:
    journal()
    text = check(home)
    shutil.rmtree(home / "cache")
    assert human() == text


def test_an_unreadable_month_before_the_week_is_named_every_time(home: Path) -> None:
    journal()
    check(home)
    (home / OCTOBER).write_bytes(b"{broken")
    for _ in range(2):
        result = cli("summary", *WEEK)
        assert result.code == 0, result
        assert result.stderr.count("2026-10.json") == 1, result.stderr
        assert re.search(r"(Last week|The week before): 1 entry\.", result.stdout)


# ---------------------------------------------------------------------------------------
# Equivalence on richer journals


def test_guides_ratings_tags_and_several_weeks_show_the_same_with_and_without_counts(
    home: Path,
) -> None:
    journal()
    for day in ("2026-10-26", "2026-10-29", "2026-11-02", "2026-11-06"):
        result = cli("reflect", "daily-check", "--date", f"{day}T18:00", *answers(day))
        assert result.code == 0, result
    write("2026-10-31T08:00", "inline #tags here and #there")
    check(home)
    for args in (["--weeks", "3"], ["--since", "2026-10-20", "--until", "2026-11-04"]):
        result = cli("summary", *args)
        assert result.code == 0, result
        shutil.rmtree(home / "cache" / "counts", ignore_errors=True)
        again = cli("summary", *args)
        assert again.stdout == result.stdout
        assert cli("summary", *args).stdout == result.stdout


def answers(day: str) -> list[str]:
    """--answer values for every step of the built-in daily check (ratings by the day)."""
    guide = next(g for g in cli("guides", "--json").json() if g["id"] == "daily-check")
    values = []
    for step in guide["steps"]:
        value = day[-1] if step["kind"] == "rating" else f"note {MARKER}"
        values += ["--answer", f"{step['id']}={value}"]
    return values


# ---------------------------------------------------------------------------------------
# An encrypted journal


def test_an_encrypted_journal_keeps_counts_without_text(home: Path) -> None:
    journal()
    plain = check(home)
    assert cli("encrypt").code == 0
    assert not (home / OCTOBER).exists()
    assert check(home) == plain
    for path in (home / "cache").rglob("*"):
        if path.is_file():
            assert MARKER.encode() not in path.read_bytes(), path
    assert stat.S_IMODE((home / COUNTS).stat().st_mode) == 0o600


def test_an_encrypted_journal_without_its_identity_still_fails_as_before(home: Path) -> None:
    journal()
    assert cli("encrypt").code == 0
    check(home)
    (home / "identity.txt").rename(home / "elsewhere.txt")
    result = cli("summary", *WEEK)
    assert result.code == 1, result
    assert "identity" in result.stderr


def test_the_age_cli_reads_the_month_the_counts_stand_for(home: Path) -> None:
    """The counts describe the month as the age CLI decrypts it (section 12's interop)."""
    journal()
    assert cli("encrypt").code == 0
    check(home)
    sealed = home / "entries/2026/2026-10.json.age"
    plain = subprocess.run(
        ["/usr/bin/age", "--decrypt", "-i", str(home / "identity.txt"), str(sealed)],
        capture_output=True,
        check=True,
    ).stdout
    month = json.loads(plain)
    assert sorted(kept(home)["ids"]) == sorted(e["id"] for e in month["entries"])


# ---------------------------------------------------------------------------------------
# Two devices through git


@contextmanager
def device(home: Path) -> Iterator[None]:
    previous = os.environ["LEADJOURNAL_HOME"]
    os.environ["LEADJOURNAL_HOME"] = str(home)
    try:
        yield
    finally:
        os.environ["LEADJOURNAL_HOME"] = previous


@pytest.mark.usefixtures("own_git")
def test_a_sync_merge_into_the_week_before_is_counted(tmp_path: Path) -> None:
    git(tmp_path, "init", "--bare", "--quiet", "remote.git")
    homes = [tmp_path / "laptop", tmp_path / "desktop"]
    for home in homes:
        home.mkdir(mode=0o700)
        git(home, "clone", "--quiet", str(tmp_path / "remote.git"), "entries")
    with device(homes[0]):
        assert cli("sync", "--setup").code == 0
        journal()
        assert cli("sync").code == 0
    with device(homes[1]):
        assert cli("sync", "--setup").code == 0
        assert cli("sync").code == 0
        check(homes[1])
        write("2026-10-29T11:00", "from the desktop", "--theme", "direction")
        assert cli("sync").code == 0
    with device(homes[0]):
        check(homes[0])
        write("2026-10-30T11:00", "from the laptop", "--theme", "leading-change")
        assert cli("sync").code == 0  # merges October: both sides' entries
        assert re.search(r"(Last week|The week before): 6 entries\.", check(homes[0]))
