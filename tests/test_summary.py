"""The summary (DESIGN.md section 5): tallies, periods, streaks, and the human view.

Expectations are computed by hand from the entries each test writes. Week 2026-W47 runs
Monday 2026-11-16 to Sunday 2026-11-22 (with week_start = "sunday": Sunday 2026-11-15 to
Saturday 2026-11-21). Snapshots of the human view live in tests/data/summary-*.txt;
LEADJOURNAL_UPDATE_SNAPSHOTS=1 rewrites them.
"""

from __future__ import annotations

import io
import os
import random
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from leadjournal import store
from leadjournal.models import Entry
from leadjournal.prompts.promptset import Prompt, Theme
from leadjournal.render.summary import summary_view
from leadjournal.summary import (
    Period,
    current_streak,
    longest_streak,
    review,
    summarize,
)
from tests.helpers import DATA, cli, run

BUILT_IN_FIRST = ["lead-yourself", "responsibility", "inspiring-others"]
SUMMARY_KEYS = {
    "start",
    "end",
    "entries",
    "days_with_entries",
    "words",
    "themes",
    "unthemed",
    "tags",
    "streak",
    "commitments",
    "ratings",  # DESIGN.md section 11
}
UPDATE = bool(os.environ.get("LEADJOURNAL_UPDATE_SNAPSHOTS"))


# ---------------------------------------------------------------------------------------
# Helpers


def write(when: str, text: str, theme: str | None = None, tags: Iterable[str] = ()) -> None:
    """A free entry at a local date and time ('2026-11-16T23:59')."""
    args = ["write", "--free", "--date", when]
    if theme:
        args += ["--theme", theme]
    for tag in tags:
        args += ["--tag", tag]
    result = cli(*args, text)
    assert result.code == 0, result


def summary_json(*args: str) -> dict[str, Any]:
    result = cli("summary", "--json", *args)
    assert result.code == 0, result
    data = result.json()
    assert isinstance(data, dict)
    return data


def theme_ids() -> list[str]:
    return [t["id"] for t in cli("themes", "--json").json()]


def tally(data: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """theme id -> (entries, words), from a summary object."""
    return {t["id"]: (t["entries"], t["words"]) for t in data["themes"]}


def expected_tally(**counts: tuple[int, int]) -> dict[str, tuple[int, int]]:
    """Every built-in theme at (0, 0) except the ones given (ids with _ for -)."""
    result = dict.fromkeys(theme_ids(), (0, 0))
    for key, value in counts.items():
        result[key.replace("_", "-")] = value
    return result


def sunday_start(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('week_start = "sunday"\n', "utf-8")


def entry(
    when: datetime,
    text: str = "a few words here",
    theme: str | None = None,
    tags: Iterable[str] = (),
    entry_id: str | None = None,
) -> Entry:
    return Entry(
        id=entry_id or f"e{when.isoformat()}",
        created_at=when,
        updated_at=when,
        theme=theme,
        text=text,
        tags=list(tags),
    )


THEMES = (
    Theme("lead-yourself", "Lead yourself first", "", ()),
    Theme("responsibility", "Responsibility over position", "", ()),
    Theme("inspiring-others", "Inspire, don't compel", "", ()),
    Theme("direction", "Set the direction", "", ()),
    Theme("growing-leaders", "Grow leaders around you", "", ()),
    Theme("leading-change", "Lead through change", "", ()),
    Theme("lead-and-manage", "Lead and manage", "", ()),
)
PREFERENCE = [
    Prompt("sd-north-star", "direction", "Where do you want your team to be a year from now?"),
    Prompt(
        "lc-uncertain", "leading-change", "What did you decide this week without all the facts?"
    ),
    Prompt("ly-kept-promise", "lead-yourself", "Which promise to yourself did you keep?"),
    Prompt("io-thanks", "inspiring-others", "Whom did you thank this week, and for what?"),
    Prompt("rs-owned", "responsibility", "What did you own this week that was not yours?"),
    Prompt("gl-chance", "growing-leaders", "Who got a chance to lead because you stepped back?"),
    Prompt("lm-both", "lead-and-manage", "Where did you manage when you needed to lead?"),
]
W47 = Period(date(2026, 11, 16), date(2026, 11, 22), 1)


# ---------------------------------------------------------------------------------------
# The JSON shape and the tallies


def test_summary_json_lists_every_theme_in_built_in_order_with_zeros() -> None:
    data = summary_json("--week", "2026-W47")
    assert set(data) == SUMMARY_KEYS
    assert (data["start"], data["end"]) == ("2026-11-16", "2026-11-22")
    ids = [t["id"] for t in data["themes"]]
    assert ids[:3] == BUILT_IN_FIRST
    assert ids == theme_ids()
    for theme in data["themes"]:
        assert set(theme) == {"id", "name", "entries", "words"}
        assert (theme["entries"], theme["words"]) == (0, 0)
    assert data["themes"][0]["name"] == "Lead yourself first"
    assert data["entries"] == data["days_with_entries"] == data["words"] == 0
    assert data["unthemed"] == {"entries": 0, "words": 0}
    assert data["tags"] == {}
    assert data["streak"] == {"current": 0, "longest": 0}


def test_summary_tallies_entries_words_unthemed_and_tags_of_the_week() -> None:
    write("2026-11-10T09:00", "last week does not count", "lead-yourself", ["team"])
    write("2026-11-16T09:00", "one two three", "lead-yourself", ["team"])
    write("2026-11-17T09:00", "four  five\nsix", "lead-yourself")
    write("2026-11-19T12:00", "seven", "responsibility", ["team", "offsite"])
    write("2026-11-19T18:00", "eight\tnine", None, ["#Offsite"])
    write("2026-11-21T07:00", "ten", None)
    data = summary_json("--week", "2026-W47")
    assert data["entries"] == 5
    assert data["days_with_entries"] == 4  # the 16th, 17th, 19th and 21st
    assert data["words"] == 10  # 3 + 3 + 1 + 2 + 1
    assert tally(data) == expected_tally(lead_yourself=(2, 6), responsibility=(1, 1))
    assert data["unthemed"] == {"entries": 2, "words": 3}
    assert data["tags"] == {"offsite": 2, "team": 2}
    assert list(data["tags"]) == ["offsite", "team"]  # most used first, then by name


def test_a_theme_the_prompt_set_does_not_know_counts_as_unthemed() -> None:
    entries = [
        entry(datetime(2026, 11, 17, 9, tzinfo=UTC), "gone theme words", "retired-theme"),
        entry(datetime(2026, 11, 17, 10, tzinfo=UTC), "known", "direction"),
    ]
    result = summarize(entries, W47, THEMES, frozenset(), date(2026, 11, 22))
    assert result.unthemed.model_dump() == {"entries": 1, "words": 3}
    assert [t.id for t in result.themes] == [t.id for t in THEMES]
    assert {t.id: t.entries for t in result.themes}["direction"] == 1


def test_a_tag_counts_once_per_entry() -> None:
    entries = [entry(datetime(2026, 11, 17, 9, tzinfo=UTC), tags=["team", "team", "ops"])]
    result = summarize(entries, W47, THEMES, frozenset(), date(2026, 11, 22))
    assert result.tags == {"ops": 1, "team": 1}


def test_a_users_own_theme_appears_after_the_built_in_ones(home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "prompts.yaml").write_text(
        "version: 1\nthemes:\n  - id: listening\n    name: Listening\n"
        "    description: Hearing people out.\n    prompts:\n"
        "      - id: listening-silence\n        text: Where could a silence have helped?\n",
        "utf-8",
    )
    write("2026-11-18T08:00", "I let Ana finish.", "listening")
    data = summary_json("--week", "2026-W47")
    ids = [t["id"] for t in data["themes"]]
    assert ids[:3] == BUILT_IN_FIRST
    assert data["themes"][-1] == {"id": "listening", "name": "Listening", "entries": 1, "words": 4}
    assert data["unthemed"] == {"entries": 0, "words": 0}


# ---------------------------------------------------------------------------------------
# Periods: week edges, week starts, custom periods, several weeks


def write_edges() -> None:
    write("2026-11-15T23:59", "sunday before")
    write("2026-11-16T00:00", "monday first minute")
    write("2026-11-22T23:59", "sunday last minute")
    write("2026-11-23T00:00", "next monday")


def test_entries_at_2359_and_0000_count_on_their_own_local_day() -> None:
    write_edges()
    w47 = summary_json("--week", "2026-W47")
    assert (w47["entries"], w47["days_with_entries"], w47["words"]) == (2, 2, 6)
    w46 = summary_json("--week", "2026-W46")
    assert (w46["start"], w46["end"], w46["entries"]) == ("2026-11-09", "2026-11-15", 1)
    w48 = summary_json("--week", "2026-11-23")
    assert (w48["start"], w48["end"], w48["entries"]) == ("2026-11-23", "2026-11-29", 1)


def test_a_date_names_the_week_that_contains_it() -> None:
    for day in ("2026-11-16", "2026-11-19", "2026-11-22"):
        data = summary_json("--week", day)
        assert (data["start"], data["end"]) == ("2026-11-16", "2026-11-22")


def test_week_start_sunday_runs_the_week_sunday_to_saturday(home: Path) -> None:
    sunday_start(home)
    write_edges()
    data = summary_json("--week", "2026-11-18")
    assert (data["start"], data["end"]) == ("2026-11-15", "2026-11-21")
    assert data["entries"] == 2  # Sunday 23:59 and Monday 00:00
    later = summary_json("--week", "2026-11-22")
    assert (later["start"], later["end"], later["entries"]) == ("2026-11-22", "2026-11-28", 2)


def test_an_iso_week_under_sunday_start_begins_the_sunday_before_its_monday(home: Path) -> None:
    sunday_start(home)
    write_edges()
    data = summary_json("--week", "2026-W47")
    assert (data["start"], data["end"], data["entries"]) == ("2026-11-15", "2026-11-21", 2)
    # ISO week 1 of 2026 starts on Monday 2025-12-29, so the Sunday week starts 2025-12-28.
    write("2025-12-28T10:00", "first day of the sunday week")
    write("2026-01-04T10:00", "first day of the next one")
    first = summary_json("--week", "2026-W01")
    assert (first["start"], first["end"], first["entries"]) == ("2025-12-28", "2026-01-03", 1)


def test_the_default_period_is_the_current_week(home: Path) -> None:
    data = summary_json()
    start, end = date.fromisoformat(data["start"]), date.fromisoformat(data["end"])
    assert start.weekday() == 0
    assert end - start == timedelta(days=6)
    assert start <= date.today() <= end
    sunday_start(home)
    data = summary_json()
    assert date.fromisoformat(data["start"]).weekday() == 6


def test_since_and_until_give_any_period() -> None:
    write("2026-11-16T23:59", "one two three", "lead-yourself")
    write("2026-11-17T00:00", "four five", "lead-yourself")
    write("2026-11-19T23:59", "six", "responsibility")
    write("2026-11-20T00:00", "seven", "responsibility")
    data = summary_json("--since", "2026-11-17", "--until", "2026-11-19")
    assert (data["start"], data["end"]) == ("2026-11-17", "2026-11-19")
    assert tally(data) == expected_tally(lead_yourself=(1, 2), responsibility=(1, 1))
    assert (data["entries"], data["days_with_entries"], data["words"]) == (2, 2, 3)


def test_until_alone_starts_on_the_first_day_of_its_week(home: Path) -> None:
    data = summary_json("--until", "2026-11-19")
    assert (data["start"], data["end"]) == ("2026-11-16", "2026-11-19")
    sunday_start(home)
    data = summary_json("--until", "2026-11-19")
    assert (data["start"], data["end"]) == ("2026-11-15", "2026-11-19")


def test_since_alone_ends_today() -> None:
    data = summary_json("--since", "yesterday")
    today = date.today()
    assert (data["start"], data["end"]) == (str(today - timedelta(days=1)), str(today))


def test_weeks_n_gives_the_n_weeks_ending_with_the_chosen_week_oldest_first() -> None:
    write("2026-11-08T23:59", "w45 sunday", "lead-yourself")
    write("2026-11-09T00:00", "w46 monday", "direction")
    write("2026-11-16T08:00", "w47 one", "responsibility", ["team"])
    write("2026-11-22T21:00", "w47 two words", None)
    data = cli("summary", "--weeks", "3", "--week", "2026-W47", "--json").json()
    assert list(data) == ["weeks"]
    weeks = data["weeks"]
    assert [(w["start"], w["end"]) for w in weeks] == [
        ("2026-11-02", "2026-11-08"),
        ("2026-11-09", "2026-11-15"),
        ("2026-11-16", "2026-11-22"),
    ]
    for week in weeks:
        assert set(week) == SUMMARY_KEYS
    assert [w["entries"] for w in weeks] == [1, 1, 2]
    assert tally(weeks[0]) == expected_tally(lead_yourself=(1, 2))
    assert tally(weeks[1]) == expected_tally(direction=(1, 2))
    assert tally(weeks[2]) == expected_tally(responsibility=(1, 2))
    assert weeks[2]["unthemed"] == {"entries": 1, "words": 3}
    assert [w["tags"] for w in weeks] == [{}, {}, {"team": 1}]


def test_weeks_n_follows_the_week_start(home: Path) -> None:
    sunday_start(home)
    write("2026-11-15T00:00", "sunday", "lead-yourself")
    weeks = cli("summary", "--weeks", "2", "--week", "2026-W47", "--json").json()["weeks"]
    assert [(w["start"], w["end"], w["entries"]) for w in weeks] == [
        ("2026-11-08", "2026-11-14", 0),
        ("2026-11-15", "2026-11-21", 1),
    ]


def test_weeks_n_shows_a_week_by_theme_heat_map() -> None:
    write("2026-11-09T10:00", "w46", "direction")
    write("2026-11-16T10:00", "w47", "direction")
    write("2026-11-17T10:00", "w47 again", "direction")
    result = cli("summary", "--weeks", "3", "--week", "2026-W47")
    assert result.code == 0, result
    lines = result.stdout.splitlines()
    head = lines.index("Entries by week (2026-W45 to 2026-W47)")
    assert lines[head + 1].split() == ["W45", "W46", "W47"]
    row = next(line for line in lines[head:] if line.startswith("Set the direction"))
    assert row.split()[-3:] == [".", "1", "2"]
    days = next(line for line in lines[head:] if line.startswith("Days with entries"))
    assert days.split()[-3:] == [".", "1", "2"]


@pytest.mark.parametrize(
    "args",
    [
        ["--weeks", "2", "--since", "2026-11-01"],
        ["--weeks", "2", "--until", "2026-11-01"],
        ["--week", "2026-W47", "--since", "2026-11-01"],
        ["--week", "2026-W47", "--until", "2026-11-30"],
        ["--weeks", "0"],
        ["--since", "2026-11-10", "--until", "2026-11-01"],
        ["--week", "2026-W54"],
        ["--week", "next tuesday"],
        ["--since", "2026-02-30"],
        ["--weeks", "99999999"],
    ],
)
def test_contradictory_or_malformed_options_are_usage_errors(args: list[str]) -> None:
    for extra in ([], ["--json"]):
        result = cli("summary", *args, *extra)
        assert result.code == 2, result
        assert result.stderr.startswith("Error: "), result
        assert result.stdout == ""
        assert "Traceback" not in result.stderr


# ---------------------------------------------------------------------------------------
# Streaks


def days(*spans: tuple[date, int]) -> frozenset[date]:
    """Runs of consecutive days: (first day, length)."""
    return frozenset(first + timedelta(days=i) for first, n in spans for i in range(n))


NOV = date(2026, 11, 1)  # the day the property test counts from


def test_the_current_streak_ends_today_when_today_has_entries() -> None:
    assert current_streak(days((date(2026, 11, 18), 5)), W47.end, date(2026, 11, 22)) == 5


def test_the_current_streak_ends_yesterday_when_today_has_none_yet() -> None:
    assert current_streak(days((date(2026, 11, 19), 3)), W47.end, date(2026, 11, 22)) == 3


def test_the_current_streak_is_zero_when_today_and_yesterday_have_none() -> None:
    assert current_streak(days((date(2026, 11, 19), 2)), W47.end, date(2026, 11, 22)) == 0


def test_the_current_streak_of_a_past_period_ends_on_its_last_day() -> None:
    journal = days((date(2026, 11, 13), 5))  # 13th to 17th
    assert current_streak(journal, date(2026, 11, 15), date(2026, 11, 22)) == 3
    # its last day has no entry: the run ends the day before
    assert current_streak(days((date(2026, 11, 12), 3)), date(2026, 11, 15), W47.end) == 3


def test_the_current_streak_of_a_period_not_over_yet_ends_today() -> None:
    journal = days((date(2026, 11, 20), 3))  # 20th to 22nd
    assert current_streak(journal, date(2026, 11, 29), date(2026, 11, 22)) == 3
    assert current_streak(journal, date(2026, 11, 29), date(2026, 11, 23)) == 3
    assert current_streak(journal, date(2026, 11, 29), date(2026, 11, 24)) == 0


def test_the_longest_streak_is_the_longest_run_in_the_whole_journal() -> None:
    journal = days((date(2025, 12, 30), 4), (date(2024, 2, 27), 6), (date(2026, 11, 20), 3))
    assert longest_streak(journal) == 6  # across 29 February 2024
    assert longest_streak(days((date(2025, 12, 30), 4))) == 4  # across a new year
    assert longest_streak(frozenset()) == 0
    result = summarize([], W47, THEMES, journal, date(2026, 11, 22))
    assert result.streak.model_dump() == {"current": 3, "longest": 6}


@given(st.sets(st.integers(0, 40)), st.integers(0, 45), st.integers(0, 45))
def test_streaks_agree_with_counting_day_by_day(offsets: set[int], end: int, today: int) -> None:
    """The bisecting streaks give what walking back one day at a time gives."""
    journal = frozenset(NOV + timedelta(days=n) for n in offsets)
    anchor = min(end, today)
    if anchor not in offsets:
        anchor -= 1
    walked = 0
    while anchor - walked in offsets:
        walked += 1
    longest = max((next(k for k in range(42) if n + k not in offsets) for n in offsets), default=0)
    assert current_streak(journal, NOV + timedelta(days=end), NOV + timedelta(days=today)) == (
        walked
    )
    assert longest_streak(journal) == longest


def test_the_cli_takes_streaks_from_the_whole_journal() -> None:
    # 2024-W01 is Monday 1 to Sunday 7 January 2024.
    for day in ("2024-01-01", "2024-01-05", "2024-01-06", "2024-01-07"):
        write(f"{day}T12:00", "a day in january")
    for n in range(1, 6):
        write(f"2024-02-0{n}T08:00", "a day in february")
    assert summary_json("--week", "2024-W01")["streak"] == {"current": 3, "longest": 5}
    # 2024-W02 has no entries, nor its last day or the day before it
    assert summary_json("--week", "2024-W02")["streak"] == {"current": 0, "longest": 5}
    # 2024-W05 ends on Sunday 4 February: its run is the 1st to the 4th
    assert summary_json("--week", "2024-W05")["streak"] == {"current": 4, "longest": 5}


# ---------------------------------------------------------------------------------------
# Entries written in other UTC offsets


def test_entries_from_other_offsets_count_on_the_day_they_were_written() -> None:
    # 01:00 in Kolkata on Monday the 23rd is still Sunday the 22nd in UTC; 23:30 in Los
    # Angeles on Sunday the 22nd is already Monday the 23rd in UTC.
    kolkata = run(
        ["write", "--free", "--theme", "direction", "--date", "2026-11-23T01:00", "early"],
        env={"TZ": "Asia/Kolkata"},
    )
    assert kolkata.returncode == 0, kolkata.stderr
    la = run(
        ["write", "--free", "--date", "2026-11-22T23:30", "late one"],
        env={"TZ": "America/Los_Angeles"},
    )
    assert la.returncode == 0, la.stderr
    w47 = summary_json("--week", "2026-W47")
    assert (w47["entries"], w47["words"], w47["unthemed"]["entries"]) == (1, 2, 1)
    w48 = summary_json("--week", "2026-W48")
    assert (w48["entries"], tally(w48)["direction"]) == (1, (1, 1))


def test_the_pure_summary_uses_each_entrys_own_offset() -> None:
    pacific = timezone(timedelta(hours=-8))
    india = timezone(timedelta(hours=5, minutes=30))
    entries = [
        entry(datetime(2026, 11, 22, 23, 30, tzinfo=pacific), "sunday in la"),  # 07:30Z Mon
        entry(datetime(2026, 11, 23, 0, 30, tzinfo=india), "monday in india"),  # 19:00Z Sun
        entry(datetime(2026, 11, 16, 0, 0, tzinfo=india), "monday first minute"),
    ]
    result = summarize(entries, W47, THEMES, frozenset(), date(2026, 11, 22))
    assert (result.entries, result.days_with_entries, result.words) == (2, 2, 6)


# ---------------------------------------------------------------------------------------
# What it reads


def test_a_week_reads_only_its_months_and_the_week_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first summary reads the week's months and the week before's; then the week
    before comes from its counts (cache/counts/), and only the week's own month is read."""
    write("2025-03-10T10:00", "long ago")
    write("2026-10-28T10:00", "the week before")
    write("2026-11-03T10:00", "the week itself")
    assert cli("summary", "--week", "2026-W45").code == 0  # builds the indexes
    read: list[str] = []
    original = store.read_month

    def spy(path: Path, *args: Any, **kwargs: Any) -> Any:
        read.append(path.name)
        return original(path, *args, **kwargs)

    monkeypatch.setattr(store, "read_month", spy)
    result = cli("summary", "--week", "2026-W45")
    assert result.code == 0, result
    assert read == ["2026-11.json"]
    w45 = Period(date(2026, 11, 2), date(2026, 11, 8), 1)
    before = "Last week" if w45.start <= date.today() <= w45.end else "The week before"
    assert f"{before}: 1 entry." in result.stdout
    read.clear()
    assert summary_json("--week", "2026-W45")["entries"] == 1
    assert read == ["2026-11.json"]


def test_an_unreadable_month_is_named_once_and_the_rest_still_counts(home: Path) -> None:
    write("2026-10-30T10:00", "october words")
    write("2026-11-17T10:00", "november")
    assert cli("summary", "--week", "2026-W47").code == 0  # builds the history index
    broken = home / "entries" / "2026" / "2026-10.json"
    broken.write_bytes(b"{not json")
    period = ["--since", "2026-10-26", "--until", "2026-11-22"]
    for extra in ([], ["--json"]):
        result = cli("summary", *period, *extra)
        assert result.code == 0, result
        assert result.stderr.count("2026-10.json") == 1, result.stderr
    assert summary_json(*period)["entries"] == 1
    assert broken.read_bytes() == b"{not json"


# ---------------------------------------------------------------------------------------
# The human view


def plain_console(width: int = 80) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    out = Console(
        file=buffer,
        width=width,
        force_terminal=False,
        no_color=True,
        highlight=False,
        emoji=False,
        soft_wrap=True,
    )
    return out, buffer


def render(entries: list[Entry], period: Period, today: date, **kwargs: Any) -> str:
    all_days = frozenset(e.day for e in entries)
    report = review(
        entries,
        period,
        THEMES,
        all_days,
        today,
        week_start=kwargs.pop("week_start", "monday"),
        by_week=kwargs.pop("by_week", False),
        preference=PREFERENCE,
    )
    out, buffer = plain_console()
    summary_view(report, out)
    return buffer.getvalue()


def check_snapshot(name: str, text: str) -> None:
    path = DATA / f"summary-{name}.txt"
    if UPDATE:
        path.write_text(text, "utf-8", newline="\n")
    assert path.read_bytes() == text.encode("utf-8"), f"{path} differs:\n{text}"


def hundreds(seed: int, first: date, count: int) -> list[Entry]:
    """`count` entries spread over the week starting on `first`, made the same way every run."""
    rng = random.Random(seed)
    vocabulary = ["team", "trust", "goal", "hire", "plan", "feedback", "owner", "risk", "coach"]
    weights = [9, 6, 4, 1, 5, 3, 2, 2]
    themes: list[str | None] = [t.id for t in THEMES] + [None]
    entries = []
    for i in range(count):
        when = datetime.combine(first, datetime.min.time(), UTC) + timedelta(
            minutes=rng.randrange(7 * 24 * 60)
        )
        theme = rng.choices(themes, weights)[0]
        text = " ".join(rng.choices(vocabulary, k=rng.randint(5, 120)))
        tags = rng.sample(["team", "1on1", "offsite", "hiring"], k=rng.randint(0, 2))
        entries.append(entry(when, text, theme, tags, entry_id=f"{seed}-{i:04d}"))
    return entries


def test_the_human_view_of_an_empty_journal() -> None:
    text = render([], W47, date(2026, 11, 19))
    check_snapshot("empty", text)
    assert "No entries this week yet." in text


def test_the_human_view_of_a_week_with_one_entry() -> None:
    one = [
        entry(datetime(2026, 11, 17, 7, 45, tzinfo=UTC), "Owned the late report.", "responsibility")
    ]
    text = render(one, W47, date(2026, 11, 22))
    check_snapshot("one-entry", text)
    assert "1 entry on 1 of 7 days, 4 words." in text


def test_the_human_view_of_a_week_with_hundreds_of_entries() -> None:
    entries = hundreds(47, W47.start, 400) + hundreds(46, date(2026, 11, 9), 250)
    text = render(entries, W47, date(2026, 11, 22))
    check_snapshot("hundreds", text)
    assert "400 entries on 7 of 7 days" in text


def test_the_human_view_of_several_weeks_with_a_heat_map() -> None:
    entries = hundreds(1, date(2026, 10, 26), 12) + hundreds(2, date(2026, 11, 9), 30)
    entries += hundreds(3, W47.start, 3)
    period = Period(date(2026, 10, 26), W47.end, 4)
    text = render(entries, period, date(2026, 11, 22), by_week=True)
    check_snapshot("weeks", text)


def test_a_long_run_of_weeks_wraps_the_heat_map_to_the_width() -> None:
    period = Period(W47.end - timedelta(days=7 * 30 - 1), W47.end, 30)
    text = render(hundreds(5, period.start, 20), period, date(2026, 11, 22), by_week=True)
    assert max(len(line) for line in text.split("Entries by week")[1].splitlines()) <= 80
    assert "Days with entries: " in text


def test_the_view_in_a_pipe_has_no_escape_codes_or_box_characters() -> None:
    write("2026-11-17T09:00", "one two three", "lead-yourself", ["team"])
    write("2026-11-10T09:00", "four", "responsibility")
    for args in (["--week", "2026-W47"], ["--weeks", "4", "--week", "2026-W47"]):
        result = cli("summary", *args)
        assert result.code == 0, result
        assert "\x1b" not in result.stdout
        assert not any(0x2500 <= ord(c) <= 0x259F for c in result.stdout), result.stdout
        assert "Lead yourself first" in result.stdout
        assert all(line == line.rstrip() for line in result.stdout.splitlines())


def test_the_view_on_a_terminal_uses_colour_and_block_bars() -> None:
    entries = [entry(datetime(2026, 11, 17, 9, tzinfo=UTC), "x y", "direction")]
    report = review(
        entries,
        W47,
        THEMES,
        frozenset({date(2026, 11, 17)}),
        date(2026, 11, 22),
        week_start="monday",
        by_week=True,
        preference=PREFERENCE,
    )
    buffer = io.StringIO()
    out = Console(file=buffer, width=80, force_terminal=True, color_system="truecolor")
    summary_view(report, out)
    text = buffer.getvalue()
    assert "\x1b[" in text
    assert "█" in text and "■" in text


def test_the_suggestion_names_the_least_reflected_theme_and_a_prompt_from_it() -> None:
    entries = [
        entry(datetime(2026, 11, 16, 9, tzinfo=UTC), "a", theme.id, entry_id=f"x{i}")
        for i, theme in enumerate(THEMES)
        if theme.id != "growing-leaders"
    ]
    text = render(entries, W47, date(2026, 11, 22))
    assert (
        "Least reflected on this week: Grow leaders around you (no entries); to try next: "
        '"Who got a chance to lead because you stepped back?" '
        "(leadjournal write --prompt gl-chance)"
    ) in text


def test_a_tie_for_least_reflected_goes_the_way_of_the_days_preference() -> None:
    text = render([], W47, date(2026, 11, 22))
    assert "Least reflected on this week: Set the direction (no entries, like 6 other themes)" in (
        text
    )


@pytest.mark.parametrize("columns", [None, "60", "132"])
@pytest.mark.parametrize("by_week", [False, True])
def test_the_summary_in_a_pipe_is_what_rich_would_print_there(
    columns: str | None, by_week: bool, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    """In a pipe the summary is written without rich's console: the same bytes as rich
    prints there, at the width rich would take (COLUMNS, else 80), control codes and
    wide or accented names included."""
    from leadjournal.render.summary import pipe_width

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    themes = (
        Theme("lead-yourself", "Lead yourself first \u2014 \u00e9quipe", "", ()),
        Theme("direction", "\u65b9\u5411\u3092\u793a\u3059 a long name for a theme, cut", "", ()),
        Theme("bell", "Ring\x07 the\r bell", "", ()),
    )
    days = [datetime(2026, 11, d, 9, tzinfo=UTC) for d in (16, 17, 17, 19)]
    entries = [
        entry(day, theme=t, tags=["team", "plan"])
        for day, t in zip(days, ["lead-yourself", "direction", "bell", None], strict=True)
    ]
    period = Period(date(2026, 10, 26), date(2026, 11, 22), 4) if by_week else W47
    report = review(
        entries,
        period,
        themes,
        frozenset(e.day for e in entries),
        date(2026, 11, 22),
        week_start="monday",
        by_week=by_week,
        preference=[Prompt("ly-kept-promise", "lead-yourself", "Which promise did you keep?")],
    )
    summary_view(report)  # capsys: standard output is not a terminal
    written = capsys.readouterr().out
    out, buffer = plain_console(width=pipe_width())
    summary_view(report, out)
    assert written == buffer.getvalue()
    assert pipe_width() == Console(file=io.StringIO(), force_terminal=False).width
    assert "Ring the bell" in written
