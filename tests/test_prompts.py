"""The prompt set and the prompt of the day (DESIGN.md sections 1 and 4). What the built-in
questions must be (section 15) is tested in test_question_bank.py, the role in test_role.py."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from leadjournal.prompts.load import load_prompt_set
from tests.helpers import cli, month_files, run

# ---------------------------------------------------------------------------------------
# Rule 1: stable for the day


def prompt_on(day: str, *extra: str) -> dict[str, str]:
    result = cli("prompt", "--date", day, "--json", *extra)
    assert result.code == 0, result
    data = result.json()
    assert isinstance(data, dict)
    return data


def test_prompt_for_a_date_does_not_change_with_entries_written_on_or_after_it() -> None:
    cli("write", "--free", "--theme", "direction", "--date", "2026-03-01", "before")
    first = prompt_on("2026-03-10")
    again = prompt_on("2026-03-10")
    assert first == again
    for day in ("2026-03-10", "2026-03-11", "2026-04-02"):
        assert cli("write", "--date", day, "an answer").code == 0
        assert cli("write", "--free", "--theme", first["theme"], "--date", day, "x").code == 0
    assert prompt_on("2026-03-10") == first
    assert prompt_on("2026-03-10", "--another") == prompt_on("2026-03-10", "--another")


def test_todays_prompt_is_what_write_answers_and_stays_after_writing() -> None:
    before = cli("prompt", "--json").json()
    entry = cli("write", "--json", "my answer").json()
    assert entry["prompt_id"] == before["id"]
    assert cli("prompt", "--json").json() == before


# Rule 2: the least-reflected theme first


def test_a_theme_with_no_entries_in_the_last_14_days_is_chosen() -> None:
    themes = [t["id"] for t in cli("themes", "--json").json()]
    neglected = themes[4]
    day = date(2026, 5, 20)
    for i, theme in enumerate(t for t in themes if t != neglected):
        when = (day - timedelta(days=1 + i)).isoformat()
        assert cli("write", "--free", "--theme", theme, "--date", when, "x").code == 0
    # an entry on the neglected theme 15 days before does not count
    old = (day - timedelta(days=15)).isoformat()
    assert cli("write", "--free", "--theme", neglected, "--date", old, "x").code == 0
    assert prompt_on(day.isoformat())["theme"] == neglected


def test_why_explains_the_choice_in_one_line() -> None:
    result = cli("prompt", "--date", "2026-05-20", "--why")
    assert result.code == 0
    assert "Why this one:" in result.stdout
    why = [line for line in result.stdout.splitlines() if line.startswith("Why this one:")]
    assert len(why) == 1


@pytest.mark.parametrize("extra", [(), ("--another",), ("--theme", "learning-to-lead")])
def test_why_shows_the_idea_the_prompt_applies_with_the_reason(extra: tuple[str, ...]) -> None:
    shown = prompt_on("2026-12-07", *extra)
    prompt = load_prompt_set().prompt(shown["id"])
    result = cli("prompt", "--date", "2026-12-07", "--why", *extra)
    assert result.code == 0
    lines = result.stdout.splitlines()
    assert lines[1] == prompt.text
    assert f"Then: {prompt.follow_up}" in lines
    reason = next(i for i, line in enumerate(lines) if line.startswith("Why this one: "))
    assert lines[reason + 1] == f"The idea: {prompt.idea}"
    plain = cli("prompt", "--date", "2026-12-07", *extra).stdout
    assert "The idea:" not in plain  # only when asked why


# Rule 3: no repeat until the theme is exhausted


def test_an_answered_prompt_is_not_offered_again_until_its_theme_is_exhausted() -> None:
    theme = "leading-change"
    count = len(cli("prompts", "--theme", theme, "--json").json())
    start = date(2026, 1, 1)
    seen: list[str] = []
    for i in range(count):
        day = (start + timedelta(days=i)).isoformat()
        entry = cli("write", "--theme", theme, "--date", day, "--json", "a").json()
        seen.append(entry["prompt_id"])
    assert len(set(seen)) == count  # every prompt once before any repeats
    # then the cycle starts again with the least recently answered
    day = (start + timedelta(days=count)).isoformat()
    again = cli("write", "--theme", theme, "--date", day, "--json", "a").json()
    assert again["prompt_id"] == seen[0]


# Rule 4: rotation on an empty journal


def test_an_empty_journal_meets_seven_themes_in_seven_days() -> None:
    start = date(2026, 7, 1)
    themes = {prompt_on((start + timedelta(days=i)).isoformat())["theme"] for i in range(7)}
    assert len(themes) == 7


def test_another_gives_a_different_prompt() -> None:
    first = prompt_on("2026-02-02")
    other = prompt_on("2026-02-02", "--another")
    assert other["id"] != first["id"]


# Rule 5: the user's prompts.yaml


USER_FILE = """\
version: 1
themes:
  - id: lead-yourself
    prompts:
      - id: my-own-question
        text: What did you learn from your first meeting today?
  - id: listening
    name: Listening
    description: Hearing people out before deciding.
    prompts:
      - id: listening-silence
        text: Where could a longer silence have helped a conversation?
"""


def write_user_prompts(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "prompts.yaml").write_text(text, "utf-8")


USER_FILE_V2 = """\
version: 1
themes:
  - id: listening
    name: Listening
    description: Hearing people out before deciding.
    prompts:
      - id: listening-silence
        text: Where could a longer silence have helped a conversation?
        follow_up: Which conversation tomorrow could use one?
        idea: Listening first shows respect.
        audience: everyone
        source: my own notes
      - id: listening-reports
        text: What did you hear from someone who reports to you that you had missed?
        audience: managers
"""


def test_a_user_prompt_may_carry_a_follow_up_an_idea_an_audience_and_a_source(
    home: Path,
) -> None:
    write_user_prompts(home, USER_FILE_V2)
    result = cli("prompts", "--theme", "listening", "--json")
    assert result.code == 0, result
    assert not result.stderr
    assert result.json() == [
        {
            "id": "listening-silence",
            "theme": "listening",
            "text": "Where could a longer silence have helped a conversation?",
            "audience": "everyone",
            "follow_up": "Which conversation tomorrow could use one?",
            "idea": "Listening first shows respect.",
        },
        {
            "id": "listening-reports",
            "theme": "listening",
            "text": "What did you hear from someone who reports to you that you had missed?",
            "audience": "managers",
            "follow_up": None,
            "idea": None,
        },
    ]
    assert load_prompt_set().prompt("listening-silence").source == "my own notes"


def test_the_keys_an_error_names_are_the_keys_of_the_model() -> None:
    from leadjournal.models import PromptSpec
    from leadjournal.prompts.load import PROMPT_KEYS

    assert set(PROMPT_KEYS) == set(PromptSpec.model_fields)


def test_a_user_prompts_file_adds_prompts_and_themes(home: Path) -> None:
    write_user_prompts(home, USER_FILE)
    themes = {t["id"]: t for t in cli("themes", "--json").json()}
    assert themes["listening"]["name"] == "Listening"
    assert themes["listening"]["prompts"] == 1
    ids = [p["id"] for p in cli("prompts", "--theme", "lead-yourself", "--json").json()]
    assert "my-own-question" in ids
    entry = cli("write", "--prompt", "listening-silence", "--json", "x").json()
    assert entry["theme"] == "listening"


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (
            "version: 1\nthemes:\n  - id: x\n    name: X\n    prompts:\n"
            "      - id: p1\n        text: ''\n",
            "p1",
        ),
        (
            "version: 1\nthemes:\n  - id: x\n    name: X\n    colour: red\n    prompts: []\n",
            "colour",
        ),
        (
            "version: 1\nthemes:\n  - id: lead-yourself\n    prompts:\n"
            "      - id: ly-kept-promise\n        text: Dup?\n",
            "ly-kept-promise",
        ),
        (
            "version: 1\nthemes:\n  - id: newtheme\n    prompts:\n"
            "      - id: p2\n        text: Why?\n",
            "newtheme",
        ),
        ("version: 1\nthemes: [\n", "line"),
        (
            "version: 1\nthemes:\n  - id: lead-yourself\n    prompts:\n"
            "      - id: my-q\n        text: What?\n        colour: red\n",
            "my-q > colour: unknown key (a prompt may have id, text, follow_up, idea",
        ),
        (
            "version: 1\nthemes:\n  - id: lead-yourself\n    prompts:\n"
            "      - id: my-q\n        text: What?\n        audience: bosses\n",
            "my-q > audience",
        ),
        (
            "version: 1\nthemes:\n  - id: lead-yourself\n    prompts:\n"
            "      - id: my-q\n        text: What?\n        idea: '  '\n",
            "my-q > idea",
        ),
        ("version: 2\nthemes: []\n", "version"),
        ("!!python/object/apply:os.system ['touch pwned']\n", "prompts"),
    ],
)
def test_a_bad_user_prompts_file_is_reported_and_the_builtins_still_work(
    home: Path, tmp_path: Path, content: str, named: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_user_prompts(home, content)
    result = cli("prompt", "--json")
    assert result.code == 0
    assert "prompts.yaml" in result.stderr
    assert named in result.stderr
    assert result.json()["theme"] in {t.id for t in load_prompt_set().themes}
    assert not (tmp_path / "pwned").exists()


def test_the_prompt_cache_gives_back_every_field_of_every_prompt(home: Path) -> None:
    """Follow-ups, ideas, audiences and sources survive the JSON cache a warm `prompt`
    reads, and `prompt --why` says the same from it as from the YAML."""
    write_user_prompts(home, USER_FILE_V2)
    fresh = load_prompt_set(use_cache=False)  # parsed from YAML, then cached
    cache = home / "cache" / "prompts.json"
    assert b"Listening first shows respect." in cache.read_bytes()
    cached = load_prompt_set()
    assert cached.themes == fresh.themes
    assert cached.prompt("listening-reports").audience == "managers"
    cold = run(["prompt", "--why", "--date", "2026-12-07"])
    warm = run(["prompt", "--why", "--date", "2026-12-07"])
    assert cold.returncode == warm.returncode == 0
    assert warm.stdout == cold.stdout
    assert b"The idea: " in warm.stdout


def test_a_warm_prompt_call_reads_neither_yaml_nor_month_files(home: Path) -> None:
    """The prompt set and the history come from the caches under <home>/cache/."""
    assert cli("write", "--free", "--theme", "direction", "x").code == 0
    assert run(["prompt"]).returncode == 0  # warm the caches
    code = (
        "import sys\n"
        "from leadjournal.cli import main\n"
        "sys.argv = ['leadjournal', 'prompt']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('yaml', 'pydantic', 'rich') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip().splitlines()[-1] == "[]"
    assert month_files(home)


def test_the_history_index_is_rebuilt_when_deleted_or_corrupt(home: Path) -> None:
    assert cli("write", "--free", "--theme", "direction", "x").code == 0
    expected = cli("prompt", "--json").json()
    index = home / "cache" / "history.json"
    assert index.is_file()
    index.write_text("{not json")
    assert cli("prompt", "--json").json() == expected
    index.unlink()
    assert cli("prompt", "--json").json() == expected


def test_an_earlier_answer_to_the_same_prompt_is_shown_after_saving() -> None:
    prompt_id = prompt_on("2026-02-10")["id"]
    first = ("--prompt", prompt_id, "--date", "2026-01-05", "First thoughts here.")
    assert cli("write", *first).code == 0
    result = cli("write", "--prompt", prompt_id, "--date", "2026-02-10", "Second thoughts.")
    assert result.code == 0
    assert "2026-01-05" in result.stdout
    assert "First thoughts here." in result.stdout
    quiet = cli("write", "--prompt", prompt_id, "--date", "2026-02-11", "--json", "Third.")
    assert "First thoughts" not in quiet.stdout


def test_the_index_rolls_old_months_into_its_base_and_still_agrees(home: Path) -> None:
    """As weeks pass, older months are folded into the index's base state; the prompt
    it gives is still what the reference chooser gives over the whole history."""
    import json

    from leadjournal import history
    from leadjournal.dayview import todays_order
    from leadjournal.prompts.choose import choose

    prompt_set = load_prompt_set()
    ids = [p.id for t in prompt_set.themes for p in t.prompts]
    start = date(2026, 1, 3)
    for i in range(0, 150, 3):
        day = (start + timedelta(days=i)).isoformat()
        args = (
            ("--prompt", ids[(i * 7) % len(ids)]) if i % 2 else ("--free", "--theme", "direction")
        )
        assert cli("write", *args, "--date", f"{day}T08:30", "x").code == 0

    def ignore(_: str) -> None:
        return None

    history.load_history(prompt_set, date(2026, 3, 1), ignore)
    first_cutoff = json.loads(history.index_path().read_text())["cutoff"]
    later = date(2026, 7, 1)
    chosen = todays_order(later, prompt_set, later, ignore, role=None)
    rolled = json.loads(history.index_path().read_text())
    assert rolled["cutoff"] > first_cutoff
    assert rolled["cutoff"] == "2026-05-01"  # the month start 45 days or more before
    expected = choose(later, prompt_set, history.all_answers(ignore), include_managers=True)
    assert [p.id for p in chosen.order] == [p.id for p in expected]
