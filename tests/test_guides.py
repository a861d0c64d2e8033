"""Guided reflections and self-ratings (DESIGN.md section 11): the guides of the prompts
files, `guides`, `reflect` (scripted and in a real pseudo-terminal), the stored `guide` and
`steps`, commitments from commitment steps, and the ratings of the summary."""

from __future__ import annotations

import json
import os
import random
import re
import stat
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pexpect
import pytest

from tests.helpers import cli, month_files

TODAY = date.today()
DAY = TODAY - timedelta(days=3)  # a fixed day relative to now: any date the suite runs on


def reflect(*args: str) -> dict[str, Any]:
    result = cli("reflect", *args, "--json")
    assert result.code == 0, result
    data: dict[str, Any] = result.json()
    return data


def guides() -> list[dict[str, Any]]:
    result = cli("guides", "--json")
    assert result.code == 0, result
    data: list[dict[str, Any]] = result.json()
    return data


def files_state(home: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of the home but the caches and the lock: its bytes and its mtime."""
    return {
        str(p.relative_to(home)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(home.rglob("*"))
        if p.is_file() and "cache" not in p.parts and not p.name.startswith(".leadjournal")
    }


def user_prompts(home: Path, text: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "prompts.yaml"
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


# ---------------------------------------------------------------------------------------
# The built-in guides and `guides --json`


def test_guides_json_lists_the_built_in_guides_with_their_steps() -> None:
    found = {g["id"]: g for g in guides()}
    assert {"after-action", "decision-review", "hard-conversation", "daily-check"} <= set(found)
    themes = {t["id"] for t in cli("themes", "--json").json()}
    for guide in found.values():
        assert set(guide) == {"id", "name", "description", "theme", "steps"}
        assert guide["name"] and guide["description"]
        assert guide["theme"] is None or guide["theme"] in themes
        assert guide["steps"]
        for step in guide["steps"]:
            assert set(step) == {"id", "text", "kind", "theme", "commitment"}
            assert step["kind"] in ("text", "rating")
            assert step["text"].endswith("?")
            assert step["theme"] is None or step["theme"] in themes
            assert step["commitment"] is False or step["kind"] == "text"


def test_the_after_action_review_ends_with_a_commitment_step() -> None:
    [after] = [g for g in guides() if g["id"] == "after-action"]
    assert after["steps"][-1]["commitment"] is True
    assert [s["commitment"] for s in after["steps"][:-1]] == [False] * (len(after["steps"]) - 1)


def test_the_daily_check_rates_at_least_five_habits_over_at_least_four_themes() -> None:
    [check] = [g for g in guides() if g["id"] == "daily-check"]
    ratings = [s for s in check["steps"] if s["kind"] == "rating"]
    assert len(ratings) >= 5
    assert len({s["theme"] for s in ratings}) >= 4


def test_guides_without_json_shows_each_guide_and_numbers_its_steps() -> None:
    result = cli("guides")
    assert result.code == 0, result
    assert "After-action review  after-action" in result.stdout
    assert "  1. What were you trying to bring about" in result.stdout
    assert "(becomes a commitment)" in result.stdout
    assert "(rating 1-10" in result.stdout
    assert "leadjournal reflect GUIDE" in result.stdout


# ---------------------------------------------------------------------------------------
# reflect without a terminal: the --answer values are the reflection


def test_a_reflection_is_one_entry_with_its_guide_every_step_and_markdown_text(
    home: Path,
) -> None:
    entry = reflect(
        "decision-review",
        "--answer",
        "decision=Moving the launch to March, decided in January.",
        "--answer",
        "result=Fine so far.\nMostly luck.",
        "--answer",
        "confidence=6",
        "--date",
        f"{DAY}T18:30",
    )
    [guide] = [g for g in guides() if g["id"] == "decision-review"]
    assert entry["guide"] == "decision-review"
    assert entry["theme"] == guide["theme"]
    assert (entry["prompt_id"], entry["prompt"]) == (None, None)
    assert entry["created_at"].startswith(f"{DAY}T18:30")
    assert [s["id"] for s in entry["steps"]] == [s["id"] for s in guide["steps"]]
    assert [s["text"] for s in entry["steps"]] == [s["text"] for s in guide["steps"]]
    answers = {s["id"]: (s["kind"], s["answer"]) for s in entry["steps"]}
    assert answers["decision"] == ("text", "Moving the launch to March, decided in January.")
    assert answers["result"] == ("text", "Fine so far.\nMostly luck.")
    assert answers["confidence"] == ("rating", 6)
    assert answers["known"] == ("text", None)  # skipped
    text = {s["id"]: s["text"] for s in guide["steps"]}
    assert entry["text"] == (
        f"**{text['decision']}**\n\nMoving the launch to March, decided in January.\n\n"
        f"**{text['result']}**\n\nFine so far.\nMostly luck.\n\n"
        f"**{text['confidence']}**\n\n6"
    )
    assert entry["commitments"] == []
    # The record on disk carries the same keys.
    [path] = month_files(home)
    [stored] = json.loads(path.read_text("utf-8"))["entries"]
    assert stored["guide"] == "decision-review"
    assert stored["steps"] == entry["steps"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert cli("show", entry["id"], "--json").json()["steps"] == entry["steps"]


def test_reflect_without_json_says_what_was_saved() -> None:
    result = cli("reflect", "daily-check", "--answer", "priorities=8")
    assert result.code == 0, result
    assert "Saved reflection" in result.stdout
    assert "Daily self-check, 1 of 7 steps answered" in result.stdout


def test_ordinary_entries_have_no_guide_and_no_steps(home: Path) -> None:
    written = cli("write", "--free", "--json", "Just a note.").json()
    assert (written["guide"], written["steps"]) == (None, [])
    [listed] = cli("list", "--json").json()
    assert (listed["guide"], listed["steps"]) == (None, [])
    [stored] = json.loads(month_files(home)[0].read_text("utf-8"))["entries"]
    assert (stored["guide"], stored["steps"]) == (None, [])


def test_a_month_file_written_before_guides_still_reads(home: Path) -> None:
    """Version 2 files from before section 11 have neither key; they read as ordinary
    entries, and the next save keeps every entry."""
    folder = home / "entries" / f"{DAY:%Y}"
    folder.mkdir(parents=True)
    old = {
        "format": "leadjournal",
        "version": 2,
        "entries": [
            {
                "id": "0123456789abcdef",
                "created_at": f"{DAY}T08:00:00+00:00",
                "updated_at": f"{DAY}T08:00:00+00:00",
                "theme": None,
                "prompt_id": None,
                "prompt": None,
                "text": "Written by an older version.",
                "tags": [],
            }
        ],
        "commitments": [],
        "tombstones": [],
    }
    (folder / f"{DAY:%Y-%m}.json").write_text(json.dumps(old), "utf-8")
    [entry] = cli("list", "--json").json()
    assert (entry["text"], entry["guide"], entry["steps"]) == (
        "Written by an older version.",
        None,
        [],
    )
    assert cli("reflect", "daily-check", "--answer", "growth=5", "--date", str(DAY)).code == 0
    assert cli("list", "--json").json()[0]["text"] == "Written by an older version."
    exported = json.loads(cli("export", "--format", "json").stdout)
    assert [e["guide"] for e in exported["entries"]] == [None, "daily-check"]


def test_a_blank_value_skips_its_step_whatever_its_kind() -> None:
    entry = reflect("daily-check", "--answer", "priorities= ", "--answer", "note=Calm day.")
    answers = {s["id"]: s["answer"] for s in entry["steps"]}
    assert answers["priorities"] is None
    assert answers["note"] == "Calm day."


def test_standard_input_is_not_read_without_a_terminal() -> None:
    result = cli("reflect", "daily-check", "--answer", "growth=4", "--json", input="9\n9\n9\n")
    assert result.code == 0, result
    answered = [s for s in result.json()["steps"] if s["answer"] is not None]
    assert [(s["id"], s["answer"]) for s in answered] == [("growth", 4)]


def test_tags_come_from_tag_and_from_the_answers() -> None:
    entry = reflect(
        "after-action", "--answer", "aim=Ship the #beta", "--tag", "Work", "--tag", "work"
    )
    assert entry["tags"] == ["work", "beta"]


def test_a_commitment_step_creates_a_commitment_linked_to_the_reflection() -> None:
    entry = reflect(
        "after-action",
        "--answer",
        "aim=A calmer release",
        "--answer",
        "change=Write the rollback plan before the release",
        "--date",
        f"{DAY}T17:05",
    )
    [made] = entry["commitments"]
    assert made["text"] == "Write the rollback plan before the release"
    assert made["created_at"] == entry["created_at"]
    assert made["due"] == str(DAY + timedelta(days=7))
    assert made["theme"] == entry["theme"] == "responsibility"
    assert made["entry_id"] == entry["id"]
    assert made["status"] == "open"
    listed = cli("commitments", "--json").json()
    assert [c["id"] for c in listed] == [made["id"]]
    assert cli("show", entry["id"], "--json").json()["commitments"] == [made]


def test_a_skipped_commitment_step_creates_no_commitment() -> None:
    entry = reflect("after-action", "--answer", "aim=Something", "--answer", "change=")
    assert entry["commitments"] == []
    assert cli("commitments", "--json").json() == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("no-such-guide", "--answer", "x=1"), "There is no guide 'no-such-guide'"),
        (("daily-check", "--answer", "nope=5"), "has no step 'nope'"),
        (("daily-check", "--answer", "priorities=0"), "integer from 1 to 10"),
        (("daily-check", "--answer", "priorities=11"), "integer from 1 to 10"),
        (("daily-check", "--answer", "priorities=7.5"), "integer from 1 to 10"),
        (("daily-check", "--answer", "priorities=seven"), "integer from 1 to 10"),
        (("daily-check", "--answer", "priorities=-3"), "integer from 1 to 10"),
        (
            ("daily-check", "--answer", "priorities=5", "--answer", "priorities=6"),
            "twice",
        ),
        (("daily-check", "--answer", "priorities"), "STEP=VALUE"),
        (("daily-check", "--answer", "growth=5", "--date", "2026-13-40"), "date"),
    ],
)
def test_bad_input_is_a_usage_error_and_changes_no_file(
    home: Path, args: tuple[str, ...], words: str
) -> None:
    assert cli("reflect", "after-action", "--answer", "aim=Earlier work").code == 0
    before = files_state(home)
    assert before
    result = cli("reflect", *args)
    assert result.code == 2, result
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert files_state(home) == before


def test_an_answer_given_without_a_step_is_not_repeated_in_the_error() -> None:
    """Entry text never appears in error messages: an --answer without STEP= is refused
    without quoting it."""
    result = cli("reflect", "after-action", "--answer", "I was unfair to Sam in the review")
    assert result.code == 2
    assert "STEP=VALUE" in result.stderr
    assert "unfair" not in result.stderr


def test_no_answer_at_all_saves_nothing_and_exits_1(home: Path) -> None:
    assert cli("write", "--free", "Something else.").code == 0
    before = files_state(home)
    for args in (("daily-check",), ("daily-check", "--answer", "note=  ")):
        result = cli("reflect", *args)
        assert result.code == 1, result
        assert "Nothing to save" in result.stderr
        assert files_state(home) == before


# ---------------------------------------------------------------------------------------
# Like any entry: search, export, summary


def test_a_reflection_is_found_exported_and_counted_like_any_entry() -> None:
    entry = reflect(
        "hard-conversation",
        "--answer",
        "who=Priya, about the missed handover",
        "--answer",
        "hope=We agree on a checklist",
        "--date",
        f"{DAY}T09:00",
    )
    cli("write", "--free", "--date", f"{DAY}T10:00", "Unrelated note.")
    found = cli("list", "--search", "HANDOVER", "--json").json()
    assert [e["id"] for e in found] == [entry["id"]]
    markdown = cli("export", "--since", str(DAY), "--until", str(DAY)).stdout
    assert entry["text"] in markdown
    summary = cli("summary", "--week", str(DAY), "--json").json()
    assert summary["entries"] == 2
    assert summary["words"] == len(entry["text"].split()) + 2
    [theme] = [t for t in summary["themes"] if t["id"] == entry["theme"]]
    assert theme["entries"] == 1
    assert theme["words"] == len(entry["text"].split())


def test_a_reflection_counts_for_the_prompt_of_the_day_by_its_theme(home: Path) -> None:
    """Section 4 rule 2: with an empty window every theme ties; one reflection on the
    day's theme makes another theme (still without entries) the prompt of the day."""
    target = DAY + timedelta(days=1)
    first = cli("prompt", "--date", str(target), "--json").json()["theme"]
    user_prompts(
        home,
        f"""\
        version: 1
        guides:
          - id: on-theme
            name: On the theme
            theme: {first}
            steps:
              - id: one
                text: What happened?
        """,
    )
    assert cli("reflect", "on-theme", "--answer", "one=x", "--date", f"{DAY}T08:00").code == 0
    assert cli("prompt", "--date", str(target), "--json").json()["theme"] != first


# ---------------------------------------------------------------------------------------
# Ratings in the summary


def rate(step: str, value: int, day: date) -> None:
    result = cli("reflect", "daily-check", "--answer", f"{step}={value}", "--date", f"{day}T21:00")
    assert result.code == 0, result


def test_summary_json_has_the_mean_of_each_rating_step_rounded_half_up() -> None:
    monday = DAY - timedelta(days=DAY.weekday())
    for value, offset in ((2, 0), (2, 1), (3, 2), (2, 3)):  # 9 / 4 = 2.25 -> 2.3
        rate("priorities", value, monday + timedelta(days=offset))
    rate("listening", 7, monday)
    rate("listening", 8, monday + timedelta(days=1))  # 7.5
    ratings = cli("summary", "--week", str(monday), "--json").json()["ratings"]
    [check] = [g for g in guides() if g["id"] == "daily-check"]
    steps = {s["id"]: s for s in check["steps"]}
    assert ratings == [
        {
            "id": "daily-check.priorities",
            "guide": "daily-check",
            "step": "priorities",
            "text": steps["priorities"]["text"],
            "theme": steps["priorities"]["theme"],
            "count": 4,
            "mean": 2.3,
        },
        {
            "id": "daily-check.listening",
            "guide": "daily-check",
            "step": "listening",
            "text": steps["listening"]["text"],
            "theme": steps["listening"]["theme"],
            "count": 2,
            "mean": 7.5,
        },
    ]


def test_a_period_without_ratings_has_an_empty_list() -> None:
    cli("reflect", "after-action", "--answer", "aim=Text only", "--date", str(DAY))
    assert cli("summary", "--week", str(DAY), "--json").json()["ratings"] == []


def test_each_week_of_weeks_has_its_own_ratings_and_the_view_shows_a_row_per_step() -> None:
    monday = DAY - timedelta(days=DAY.weekday())
    rate("priorities", 4, monday - timedelta(days=14))
    rate("priorities", 9, monday)
    rate("growth", 6, monday + timedelta(days=1))
    data = cli("summary", "--week", str(monday), "--weeks", "3", "--json").json()
    per_week = [{r["id"]: r["mean"] for r in w["ratings"]} for w in data["weeks"]]
    assert per_week == [
        {"daily-check.priorities": 4.0},
        {},
        {"daily-check.priorities": 9.0, "daily-check.growth": 6.0},
    ]
    shown = cli("summary", "--week", str(monday), "--weeks", "3")
    assert shown.code == 0, shown
    lines = shown.stdout.split("Ratings by week", 1)[1].splitlines()[1:]
    assert len(lines) == 2  # one row per rating step answered
    assert lines[0].split()[-6:] == ["4.0", ".", "9.0", "6.5", "(2", "ratings)"]
    assert lines[1].split()[-6:] == [".", ".", "6.0", "6.0", "(1", "rating)"]
    # Without --weeks, no sparkline rows.
    assert "Ratings by week" not in cli("summary", "--week", str(monday)).stdout


def test_on_a_terminal_the_weekly_means_are_a_sparkline(home: Path) -> None:
    monday = DAY - timedelta(days=DAY.weekday())
    rate("priorities", 1, monday - timedelta(days=7))
    rate("priorities", 10, monday)
    env = {**os.environ, "LEADJOURNAL_HOME": str(home), "COLUMNS": "120"}
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "leadjournal", "summary", "--week", str(monday), "--weeks", "2"],
        env=env,
        encoding="utf-8",
        timeout=90,
        dimensions=(60, 120),
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    text = str(child.before)
    row = text.split("Ratings by week", 1)[1].splitlines()[1]
    assert "▁" in row and "█" in row
    assert row.index("▁") < row.index("█")  # oldest week first


def test_summarize_weeks_matches_summarizing_each_week_on_its_own() -> None:
    """The one-pass bucketing of --weeks gives what summarising each week would."""
    from leadjournal.models import Entry, StepAnswer
    from leadjournal.prompts.load import load_prompt_set
    from leadjournal.summary import Period, summarize, summarize_weeks

    prompt_set = load_prompt_set()
    rng = random.Random(12)
    start = date(2026, 1, 5)  # a Monday
    entries = []
    for n in range(400):
        day = start + timedelta(days=rng.randrange(-10, 80))
        when = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        steps = [StepAnswer(id="priorities", text="Q?", kind="rating", answer=rng.randint(1, 10))]
        entries.append(
            Entry(
                id=f"e{n}",
                created_at=when,
                updated_at=when,
                text=" ".join(["word"] * rng.randrange(1, 9)),
                theme=rng.choice([None, "lead-yourself", "direction"]),
                tags=rng.sample(["a", "b", "c"], rng.randrange(0, 3)),
                guide="daily-check" if n % 3 == 0 else None,
                steps=steps if n % 3 == 0 else [],
            )
        )
    period = Period(start, start + timedelta(days=7 * 10 - 1), 10)
    days = frozenset(e.day for e in entries)
    args = (prompt_set.themes, days, date(2026, 6, 1))
    weeks = summarize_weeks(entries, period, *args, guides=prompt_set.guides)
    assert weeks == [
        summarize(entries, week, *args, guides=prompt_set.guides) for week in period.split_weeks()
    ]
    assert sum(w.entries for w in weeks) == sum(1 for e in entries if start <= e.day <= period.end)
    assert any(w.ratings for w in weeks)


# ---------------------------------------------------------------------------------------
# Guides of the user's prompts file


USER_GUIDE = """\
version: 1
themes:
  - id: energy
    name: Energy
    description: Looking after the energy you bring to others.
    prompts:
      - id: energy-drain
        text: What drained you most today?
guides:
  - id: evening
    name: Evening wind-down
    description: Three questions before sleep.
    theme: energy
    steps:
      - id: rest
        text: How rested do you feel?
        kind: rating
      - id: focus
        text: How focused were you?
        kind: rating
        theme: lead-yourself
      - id: tomorrow
        text: What is the first thing you will do tomorrow?
        commitment: true
"""


def test_a_user_guide_works_end_to_end(home: Path) -> None:
    user_prompts(home, USER_GUIDE)
    listed = guides()
    assert listed[-1]["id"] == "evening"  # after the built-in ones
    assert [s["theme"] for s in listed[-1]["steps"]] == ["energy", "lead-yourself", "energy"]
    entry = reflect(
        "evening",
        "--answer",
        "rest=3",
        "--answer",
        "focus=8",
        "--answer",
        "tomorrow=Call Dana first thing",
        "--date",
        f"{DAY}T22:00",
    )
    assert entry["theme"] == "energy"
    assert entry["commitments"][0]["text"] == "Call Dana first thing"
    assert entry["commitments"][0]["theme"] == "energy"
    summary = cli("summary", "--week", str(DAY), "--json").json()
    [energy] = [t for t in summary["themes"] if t["id"] == "energy"]
    assert energy["entries"] == 1
    assert [(r["id"], r["theme"], r["mean"]) for r in summary["ratings"]] == [
        ("evening.rest", "energy", 3.0),
        ("evening.focus", "lead-yourself", 8.0),
    ]
    assert cli("list", "--search", "dana", "--json").json()[0]["id"] == entry["id"]
    assert "**What is the first thing you will do tomorrow?**" in cli("export").stdout


@pytest.mark.parametrize(
    ("guide", "problem"),
    [
        (
            """\
  - id: after-action
    name: Mine
    steps:
      - id: one
        text: Mine?
""",
            "is a built-in guide's",
        ),
        (
            """\
  - id: odd
    name: Odd
    colour: blue
    steps:
      - id: one
        text: Odd?
""",
            "colour: unknown key",
        ),
        (
            """\
  - id: odd
    name: Odd
    steps:
      - id: one
        text: Odd?
        kinds: rating
""",
            "kinds: unknown key",
        ),
        (
            """\
  - id: evening
    name: Again
    steps:
      - id: one
        text: Again?
""",
            "the guide id 'evening' is used twice",
        ),
        (
            """\
  - id: odd
    name: Odd
    steps:
      - id: one
        text: Odd?
      - id: one
        text: Odd again?
""",
            "the step id 'one' is used twice",
        ),
        (
            """\
  - id: odd
    name: Odd
    theme: no-such-theme
    steps:
      - id: one
        text: Odd?
""",
            "there is no theme 'no-such-theme'",
        ),
        (
            """\
  - id: odd
    name: Odd
    steps:
      - id: one
        text: Odd?
        kind: rating
        commitment: true
""",
            "cannot be a commitment step",
        ),
    ],
)
def test_a_bad_user_guide_is_reported_and_left_out_and_the_rest_works(
    home: Path, guide: str, problem: str
) -> None:
    path = user_prompts(home, USER_GUIDE + guide)
    result = cli("guides", "--json")
    assert result.code == 0, result
    ids = [g["id"] for g in result.json()]
    assert "evening" in ids  # the good user guide still works
    assert "odd" not in ids
    assert ids.count("after-action") == 1
    assert str(path) in result.stderr
    assert problem in result.stderr
    assert "left out" in result.stderr
    label = (
        "after-action" if "built-in" in problem else ("evening" if "evening" in problem else "odd")
    )
    assert f"guide '{label}'" in result.stderr
    # The user's prompts and the built-in guides are unaffected.
    assert "energy-drain" in [p["id"] for p in cli("prompts", "--json").json()]
    assert cli("reflect", "evening", "--answer", "rest=5").code == 0
    [built_in] = [g for g in guides() if g["id"] == "after-action"]
    assert built_in["name"] == "After-action review"


def test_a_user_file_with_only_guides_adds_them() -> None:
    home = Path(os.environ["LEADJOURNAL_HOME"])
    user_prompts(
        home,
        """\
        version: 1
        guides:
          - id: weekly-energy
            name: Weekly energy
            steps:
              - id: level
                text: How much energy did you have?
                kind: rating
        """,
    )
    result = cli("guides", "--json")
    assert result.code == 0
    assert result.stderr == ""
    assert result.json()[-1]["id"] == "weekly-energy"
    assert result.json()[-1]["description"] == ""


# ---------------------------------------------------------------------------------------
# The walk-through, in a real pseudo-terminal


def spawn_reflect(home: Path, *args: str, editor: str | None = None) -> pexpect.spawn[str]:
    env = {**os.environ, "LEADJOURNAL_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("VISUAL", None)
    env.pop("EDITOR", None)
    if editor is not None:
        env["EDITOR"] = editor
    return pexpect.spawn(
        sys.executable,
        ["-m", "leadjournal", "reflect", *args],
        env=env,
        encoding="utf-8",
        timeout=90,
        dimensions=(50, 100),
    )


def test_the_walk_through_asks_each_step_in_order_and_saves_the_answers(home: Path) -> None:
    child = spawn_reflect(home, "daily-check", "--answer", "growth=4", "--tag", "evening")
    [check] = [g for g in guides() if g["id"] == "daily-check"]
    steps = check["steps"]
    child.expect("Daily self-check: 7 steps. Enter at once skips a step")
    child.expect("Step 1 of 7")
    child.expect_exact(steps[0]["text"])
    child.expect_exact("Rating 1-10 (Enter skips) > ")
    child.sendline("12")  # out of range: asked again
    child.expect("whole number from 1 to 10")
    child.expect_exact("Rating 1-10 (Enter skips) > ")
    child.sendline("six")  # not a number: asked again
    child.expect("whole number from 1 to 10")
    child.sendline("6")
    child.expect("Step 2 of 7")
    child.expect_exact(steps[1]["text"])
    child.sendline("")  # Enter: skipped
    for position in (3, 4, 5):
        child.expect(f"Step {position} of 7")
        child.expect_exact(steps[position - 1]["text"])
        child.expect_exact("> ")
        child.sendline(str(position + 4))
    child.expect("Step 7 of 7")  # step 6 was given with --answer: not asked
    child.expect_exact(steps[6]["text"])
    child.expect_exact("> ")
    child.sendline("A good day.")
    child.expect_exact("… ")
    child.sendline("Slept well.")
    child.expect_exact("… ")
    child.sendline("")
    child.expect("Saved reflection")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [entry] = cli("list", "--json").json()
    answers = [s["answer"] for s in entry["steps"]]
    assert answers == [6, None, 7, 8, 9, 4, "A good day.\nSlept well."]
    assert entry["tags"] == ["evening"]
    assert "Step 6 of 7" not in (child.before or "")


def test_on_a_narrow_terminal_the_walk_through_wraps_between_words(home: Path) -> None:
    env = {**os.environ, "LEADJOURNAL_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "44"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "leadjournal", "reflect", "after-action"],
        env=env,
        encoding="utf-8",
        timeout=90,
        dimensions=(50, 44),
    )
    [guide] = [g for g in guides() if g["id"] == "after-action"]
    child.expect_exact("> ")
    shown = child.before or ""
    child.sendintr()
    child.expect(pexpect.EOF)
    lines = [line.rstrip() for line in shown.replace("\r", "").split("\n")]
    assert lines and all(len(line) <= 44 for line in lines), lines
    # Broken only between words: joined again, the words are the question's and the help's.
    assert " ".join(" ".join(lines).split()).count(" ".join(guide["steps"][0]["text"].split()))
    assert "Ctrl-C stops and saves nothing." in " ".join(" ".join(lines).split())


def test_ctrl_c_in_the_walk_through_saves_nothing(home: Path) -> None:
    assert cli("write", "--free", "Before.").code == 0
    before = files_state(home)
    child = spawn_reflect(home, "after-action")
    child.expect("Step 1 of 5")
    child.expect_exact("> ")
    child.sendline("A first answer")
    child.expect_exact("… ")
    child.sendline("")
    child.expect("Step 2 of 5")
    child.expect_exact("> ")
    child.sendintr()
    child.expect("Interrupted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert files_state(home) == before
    assert [e["text"] for e in cli("list", "--json").json()] == ["Before."]
    assert cli("commitments", "--json").json() == []


def test_skipping_every_step_saves_nothing(home: Path) -> None:
    child = spawn_reflect(home, "decision-review")
    for position in range(1, 7):
        child.expect(f"Step {position} of 6")
        child.expect_exact("> ")
        child.sendline("")
    child.expect("Nothing to save")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert not month_files(home)


def test_a_text_step_in_the_editor_shows_the_guide_the_step_and_its_position(
    home: Path, tmp_path: Path
) -> None:
    seen = tmp_path / "template.txt"
    script = tmp_path / "editor.py"
    script.write_text(
        "import shutil, sys\n"
        f"shutil.copy(sys.argv[1], {str(seen)!r})\n"
        "with open(sys.argv[1], 'a', encoding='utf-8') as f:\n"
        "    f.write('Written in the editor.\\n')\n",
        "utf-8",
    )
    editor = f"{sys.executable} {script}"
    child = spawn_reflect(home, "after-action", "--answer", "aim=", editor=editor)
    child.expect("After-action review: 5 steps")  # how to answer, before the first asked
    child.expect("Step 2 of 5")
    child.expect_exact("> ")
    child.sendline(":e")
    child.expect("Step 3 of 5")
    child.sendintr()  # a later Ctrl-C: nothing saved, and the draft is gone too
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    template = seen.read_text("utf-8")
    [after] = [g for g in guides() if g["id"] == "after-action"]
    assert "After-action review, step 2 of 5" in template
    assert after["steps"][1]["text"] in template
    assert not list(home.glob(".draft-*"))
    assert not month_files(home)
    # And when the walk-through finishes, the editor's answer is the step's.
    child = spawn_reflect(home, "after-action", "--answer", "aim=", editor=editor)
    child.expect("Step 2 of 5")
    child.expect_exact("> ")
    child.sendline(":e")
    for position in (3, 4, 5):
        child.expect(f"Step {position} of 5")
        child.expect_exact("> ")
        child.sendline("")
    child.expect("Saved reflection")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [entry] = cli("list", "--json").json()
    assert entry["steps"][1]["answer"] == "Written in the editor."
    assert not list(home.glob(".draft-*"))


def test_the_weeks_commitment_counts_in_one_pass_match_counting_each_week() -> None:
    """--weeks N counts the commitments of every week in one pass (DESIGN.md section 8b);
    the counts are what counting each week on its own gives."""
    from leadjournal.journal import commitment_tallies, commitment_tally
    from leadjournal.summary import Period

    rng = random.Random(7)
    start = date(2026, 3, 2)  # a Monday
    rows: list[list[Any]] = []
    for _ in range(600):
        created = start + timedelta(days=rng.randrange(-20, 90))
        status = rng.choice(["open", "kept", "missed", "dropped"])
        resolved = None if status == "open" else created + timedelta(days=rng.randrange(0, 30))
        due = created + timedelta(days=rng.randrange(0, 20))
        rows.append(
            [created.isoformat(), status, resolved and resolved.isoformat(), due.isoformat()]
        )
    weeks = Period(start, start + timedelta(days=7 * 12 - 1), 12).split_weeks()
    expected = [commitment_tally(rows, week.start, week.end) for week in weeks]
    assert commitment_tallies(rows, weeks) == expected
    assert sum(t["made"] for t in expected) > 0 and sum(t["kept"] for t in expected) > 0


def test_the_json_export_keeps_a_reflection_through_a_round_trip(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = reflect(
        "after-action",
        "--answer",
        "aim=Round trip",
        "--answer",
        "change=Check the export",
        "--date",
        f"{DAY}T12:00",
    )
    first = tmp_path / "first.json"
    assert cli("export", "--format", "json", "--output", str(first)).code == 0
    monkeypatch.setenv("LEADJOURNAL_HOME", str(tmp_path / "other"))
    assert cli("import", str(first)).code == 0
    [copied] = cli("list", "--json").json()
    assert copied == {k: v for k, v in entry.items() if k != "commitments"}
    [made] = cli("commitments", "--json").json()
    assert made == entry["commitments"][0]


def test_a_guide_without_a_theme_makes_unthemed_reflections(home: Path) -> None:
    user_prompts(
        home,
        """\
        version: 1
        guides:
          - id: loose
            name: Loose thoughts
            steps:
              - id: thought
                text: What is on your mind?
        """,
    )
    entry = reflect("loose", "--answer", "thought=Three small things", "--date", str(DAY))
    assert entry["theme"] is None
    summary = cli("summary", "--week", str(DAY), "--json").json()
    assert summary["unthemed"]["entries"] == 1
    assert all(t["entries"] == 0 for t in summary["themes"])


def test_the_help_of_guides_and_reflect_says_how_to_use_them() -> None:
    shown = cli("reflect", "--help")
    assert shown.code == 0
    for words in ("GUIDE", "--answer", "STEP=VALUE", "--date", "--tag", "--json", "Ctrl-C"):
        assert words in shown.stdout, words
    assert "--json" in cli("guides", "--help").stdout
    assert "sparkline" in cli("summary", "--help").stdout
    listed = cli("--help").stdout
    assert "guides" in listed and "reflect" in listed


def test_with_json_on_a_terminal_the_questions_go_to_standard_error(
    home: Path, tmp_path: Path
) -> None:
    """Standard output stays the JSON of the entry, even while the steps are asked."""
    out = tmp_path / "out.json"
    env = {**os.environ, "LEADJOURNAL_HOME": str(home), "NO_COLOR": "1"}
    command = f"{sys.executable} -m leadjournal reflect daily-check --json > {out}"
    child = pexpect.spawn(
        "/bin/sh", ["-c", command], env=env, encoding="utf-8", timeout=90, dimensions=(50, 100)
    )
    child.expect("Step 1 of 7")
    child.expect_exact("Rating 1-10 (Enter skips) > ")
    child.sendline("9")
    for position in range(2, 7):
        child.expect(f"Step {position} of 7")
        child.expect_exact("> ")
        child.sendline("")
    child.expect("Step 7 of 7")
    child.expect_exact("> ")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    data = json.loads(out.read_text("utf-8"))
    assert data["guide"] == "daily-check"
    assert data["steps"][0]["answer"] == 9
    assert data["commitments"] == []


def test_an_editor_that_fails_falls_back_to_typing_and_keeps_earlier_answers(
    home: Path,
) -> None:
    child = spawn_reflect(home, "after-action", editor="false")
    child.expect("Step 1 of 5")
    child.expect_exact("> ")
    child.sendline("Kept in memory")
    child.expect_exact("… ")
    child.sendline("")
    child.expect("Step 2 of 5")
    child.expect_exact("> ")
    child.sendline(":e")  # the editor exits 1
    child.expect("exited with status 1")
    child.expect(r"kept in (\S+\.md)")
    match = child.match
    assert isinstance(match, re.Match)
    kept = Path(match.group(1))
    child.expect("Type the answer here instead")
    child.expect_exact("> ")
    child.sendline("Typed after all")
    child.expect_exact("… ")
    child.sendline("")
    for position in (3, 4, 5):
        child.expect(f"Step {position} of 5")
        child.expect_exact("> ")
        child.sendline("")
    child.expect("Saved reflection")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    [entry] = cli("list", "--json").json()
    assert [s["answer"] for s in entry["steps"][:2]] == ["Kept in memory", "Typed after all"]
    # The failed editor's draft stays where the message said, as after any failed edit.
    assert list(home.glob(".draft-*")) == [kept]
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_a_save_that_fails_after_the_walk_through_keeps_the_answers_in_a_draft(
    home: Path,
) -> None:
    folder = home / "entries" / f"{DAY:%Y}"
    folder.mkdir(parents=True)
    broken = folder / f"{DAY:%Y-%m}.json"
    broken.write_text("{ not json", "utf-8")  # a month file that is never rewritten
    child = spawn_reflect(home, "decision-review", "--date", str(DAY))
    child.expect("Step 1 of 6")
    child.expect_exact("> ")
    child.sendline("Hiring Lee")
    child.expect_exact("… ")
    child.sendline("")
    for position in range(2, 7):
        child.expect(f"Step {position} of 6")
        child.expect_exact("> ")
        child.sendline("7" if position == 6 else "")
    child.expect(r"Your answers are kept in (\S+\.md)")
    match = child.match
    assert isinstance(match, re.Match)
    draft = Path(match.group(1))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert broken.read_text("utf-8") == "{ not json"
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    text = draft.read_text("utf-8")
    assert "Hiring Lee" in text
    assert text.endswith("\n\n7")
    broken.unlink()  # once the month is repaired, the draft restores as an entry
    restored = cli("write", "--free", "--draft", str(draft), "--date", str(DAY), "--json")
    assert restored.code == 0, restored
    assert restored.json()["text"] == text
    assert not draft.exists()


def test_a_guide_cannot_control_the_terminal(home: Path) -> None:
    """Section 18: control characters of a user's guide are shown, never sent."""
    user_prompts(
        home,
        """\
        version: 1
        guides:
          - id: odd
            name: "Odd\\e[31m name"
            description: "Red\\e[0m text"
            steps:
              - id: one
                text: "Which\\e]0;title\\a one?"
        """,
    )
    shown = cli("guides")
    assert shown.code == 0, shown
    assert "\x1b" not in shown.stdout and "\x07" not in shown.stdout
    assert "Odd\\x1b[31m name" in shown.stdout
    saved = cli("reflect", "odd", "--answer", "one=x")
    assert saved.code == 0, saved
    assert "\x1b" not in saved.stdout
