"""Looking back (DESIGN.md section 14) and tags (section 16), through the CLI: lookback with
its 29 February rules and the same ISO week a year earlier, revisit, today's on-this-day
line, tags and the summary's top tags."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.helpers import cli


def write(day: str, text: str, *args: str) -> dict[str, Any]:
    result = cli("write", "--json", "--free", "--date", day, text, *args)
    assert result.code == 0, result
    data: dict[str, Any] = result.json()
    return data


def lookback(day: str) -> dict[str, Any]:
    result = cli("lookback", "--date", day, "--json")
    assert result.code == 0, result
    data: dict[str, Any] = result.json()
    return data


def days(entries: list[dict[str, Any]]) -> list[str]:
    return [e["text"] for e in entries]


FEBRUARY = [
    "2020-02-28T09:00",
    "2020-02-29T09:00",
    "2020-02-29T08:00",
    "2021-02-28T09:00",
    "2022-02-28T09:00",
    "2023-02-28T09:00",
    "2024-02-28T09:00",
    "2024-02-29T09:00",
    "2025-03-01T09:00",
]


@pytest.fixture
def february() -> None:
    for moment in FEBRUARY:
        write(moment, moment)


@pytest.mark.usefixtures("february")
def test_on_28_february_of_a_common_year_29_february_counts_too() -> None:
    found = lookback("2023-02-28")
    assert days(found["on_this_day"]) == [
        "2022-02-28T09:00",
        "2021-02-28T09:00",
        "2020-02-28T09:00",
        "2020-02-29T08:00",  # chronological within a year
        "2020-02-29T09:00",
    ]
    assert found["date"] == "2023-02-28"


@pytest.mark.usefixtures("february")
def test_on_29_february_28_february_of_common_years_counts_too() -> None:
    assert days(lookback("2024-02-29")["on_this_day"]) == [
        "2023-02-28T09:00",
        "2022-02-28T09:00",
        "2021-02-28T09:00",
        "2020-02-29T08:00",  # a leap year's 28 February is not 29 February's
        "2020-02-29T09:00",
    ]


@pytest.mark.usefixtures("february")
def test_on_28_february_of_a_leap_year_only_28_february_counts() -> None:
    assert days(lookback("2024-02-28")["on_this_day"]) == [
        "2023-02-28T09:00",
        "2022-02-28T09:00",
        "2021-02-28T09:00",
        "2020-02-28T09:00",
    ]


def test_the_week_last_year_is_the_same_iso_week_chronologically() -> None:
    # 2026-11-18 is in ISO week 2026-W47; 2025-W47 runs 17 to 23 November 2025.
    for moment in ("2025-11-23T20:00", "2025-11-17T07:00", "2025-11-16T12:00", "2025-11-24T12:00"):
        write(moment, moment)
    found = lookback("2026-11-18")
    assert days(found["week_last_year"]) == ["2025-11-17T07:00", "2025-11-23T20:00"]
    assert found["on_this_day"] == []


def test_week_53_looks_at_week_52_when_the_year_before_has_none() -> None:
    # 2021-01-01 is in 2020-W53; 2019 has 52 weeks, and 2019-W52 is 23 to 29 December.
    for moment in ("2019-12-23T10:00", "2019-12-29T10:00", "2019-12-30T10:00"):
        write(moment, moment)
    assert days(lookback("2021-01-01")["week_last_year"]) == [
        "2019-12-23T10:00",
        "2019-12-29T10:00",
    ]


def test_an_entry_may_be_in_both_lists() -> None:
    entry = write("2025-11-18T10:00", "both")
    found = lookback("2026-11-18")
    assert [e["id"] for e in found["on_this_day"]] == [entry["id"]]
    assert [e["id"] for e in found["week_last_year"]] == [entry["id"]]
    assert set(found) == {"date", "on_this_day", "week_last_year"}


def test_lookback_in_words_names_the_years_and_the_week() -> None:
    write("2024-11-18T10:00", "two years back")
    result = cli("lookback", "--date", "2026-11-18")
    assert result.code == 0
    assert "2024" in result.stdout
    assert "two years back" in result.stdout
    assert "Nothing that week." in result.stdout


def test_lookback_defaults_to_today() -> None:
    today = date.today()
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # today is 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    write(year_ago.isoformat(), "a year ago")
    found = cli("lookback", "--json").json()
    assert found["date"] == today.isoformat()
    assert days(found["on_this_day"]) == ["a year ago"]


def test_today_adds_a_line_when_there_are_entries_on_this_day_in_earlier_years() -> None:
    today = date.today()
    assert "On this day" not in cli("today").stdout
    write((today - timedelta(days=1)).isoformat(), "yesterday is not this day")
    assert "On this day" not in cli("today").stdout
    try:
        years_ago = today.replace(year=today.year - 2)
    except ValueError:  # today is 29 February: two years back is a common year's 28th
        years_ago = today.replace(year=today.year - 2, day=28)
    write(years_ago.isoformat(), "two years ago")
    out = cli("today").stdout
    assert "On this day in an earlier year" in out


def test_today_counts_each_earlier_year_with_entries_on_this_day_once() -> None:
    """Two entries on this day five years ago count as one year; entries on this day two
    and eleven years ago (the oldest entry of the journal) make three; the day before
    in another year, and this year's entries, do not count."""
    today = date.today()

    def years_back(n: int) -> date:
        try:
            return today.replace(year=today.year - n)
        except ValueError:  # today is 29 February: a common year's 28th
            return today.replace(year=today.year - n, day=28)

    for day, text in (
        (years_back(5), "five years ago"),
        (years_back(5), "five years ago, again"),
        (years_back(2), "two years ago"),
        (years_back(11), "eleven years ago, the first entry"),
        (years_back(7) - timedelta(days=1), "the day before, seven years ago"),
        (today - timedelta(days=1), "yesterday"),
    ):
        write(day.isoformat(), text)
    assert "On this day in 3 earlier years" in cli("today").stdout


# ---------------------------------------------------------------------------------------
# revisit


def prompt_ids() -> list[str]:
    return [p["id"] for p in cli("prompts", "--json").json()]


def test_revisit_lists_every_answer_to_a_prompt_oldest_first() -> None:
    prompt = prompt_ids()[0]
    for day in ("2025-06-01", "2024-06-01", "2026-01-01"):
        assert cli("write", "--prompt", prompt, "--date", day, f"answer of {day}").code == 0
    cli("write", "--prompt", prompt_ids()[1], "--date", "2025-01-01", "other prompt")
    found = cli("revisit", prompt, "--json").json()
    assert days(found) == ["answer of 2024-06-01", "answer of 2025-06-01", "answer of 2026-01-01"]
    human = cli("revisit", prompt).stdout
    assert human.index("2024-06-01") < human.index("2025-06-01") < human.index("2026-01-01")


def test_revisit_of_a_prompt_never_answered_is_an_empty_list_and_says_so() -> None:
    prompt = prompt_ids()[0]
    assert cli("revisit", prompt, "--json").json() == []
    result = cli("revisit", prompt)
    assert result.code == 0
    assert "not answered this prompt yet" in result.stdout


def test_revisit_of_an_unknown_id_is_a_usage_error() -> None:
    result = cli("revisit", "no-such-prompt")
    assert result.code == 2
    assert "no-such-prompt" in result.stderr


# ---------------------------------------------------------------------------------------
# tags


def test_tags_json_counts_every_tag_most_used_first() -> None:
    write("2026-01-01", "one #team", "--tag", "focus")
    write("2026-01-02", "two #team #travel")
    write("2026-01-03", "three", "--tag", "team", "--tag", "focus")
    assert cli("tags", "--json").json() == [
        {"tag": "team", "entries": 3},
        {"tag": "focus", "entries": 2},
        {"tag": "travel", "entries": 1},
    ]
    assert cli("tags").stdout.splitlines() == ["3  #team", "2  #focus", "1  #travel"]


def test_tags_of_an_empty_journal() -> None:
    assert cli("tags", "--json").json() == []
    assert "No tags yet" in cli("tags").stdout


def test_the_human_summary_shows_the_periods_top_tags() -> None:
    today = date.today().isoformat()
    write(today, "a #team")
    write(today, "b #team #plans")
    out = cli("summary").stdout
    assert "Top tags: #team (2), #plans (1)." in out


def test_lookback_in_a_pipe_prints_what_rich_would_print_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In a pipe lookback is written without rich: the same lines rich prints there
    (prompts, themes, years, the first line of each text, accents and wide characters)."""
    from leadjournal import render

    entries = [
        ("2024-11-20T08:00", "--free", "--theme", "direction", "Où aller \u2014 [b]not markup[/b]"),
        ("2023-11-20T21:30", "--free", "\n\n\u65b9\u5411 first line\nsecond line"),
        ("2025-11-18T09:15", "--theme", "lead-yourself", "Kept my promise, #team."),
    ]
    for when, *rest in entries:
        assert cli("write", "--date", when, *rest).code == 0
    plain = cli("lookback", "--date", "2026-11-20")  # CliRunner: not a terminal
    monkeypatch.setattr(render, "_on_terminal", lambda: True)  # rich's path, same stream
    rich = cli("lookback", "--date", "2026-11-20")
    assert plain.code == rich.code == 0
    assert plain.stdout == rich.stdout
    assert "Où aller \u2014 [b]not markup[/b]" in plain.stdout
    assert "\u65b9\u5411 first line" in plain.stdout
