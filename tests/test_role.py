"""`role` in config.toml (DESIGN.md section 15): with role = "individual", a prompt for
managers is never the prompt of the day nor `--another`, while section 4's rules hold
within the rest; `write --prompt ID` and `prompts` still cover every prompt."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import cli, run

START = date(2026, 3, 2)
THEME = "lead-and-manage"  # a built-in theme with prompts for managers


def set_role(home: Path, role: str | None) -> None:
    home.mkdir(parents=True, exist_ok=True)
    config = home / "config.toml"
    if role is None:
        config.unlink(missing_ok=True)
    else:
        config.write_text(f'role = "{role}"\n', "utf-8")


def audiences() -> dict[str, str]:
    return {p["id"]: p["audience"] for p in cli("prompts", "--json").json()}


def managers_ids(theme: str | None = None) -> set[str]:
    prompts = cli("prompts", "--json").json()
    return {
        p["id"]
        for p in prompts
        if p["audience"] == "managers" and (theme is None or p["theme"] == theme)
    }


def prompt_json(*args: str) -> dict[str, Any]:
    result = cli("prompt", "--json", *args)
    assert result.code == 0, result
    data = result.json()
    assert isinstance(data, dict)
    return data


def write_json(*args: str) -> dict[str, Any]:
    result = cli("write", "--json", *args, "an answer")
    assert result.code == 0, result
    data = result.json()
    assert isinstance(data, dict)
    return data


def day(n: int) -> str:
    return (START + timedelta(days=n)).isoformat()


def test_an_individual_is_never_offered_a_managers_prompt_over_many_days(home: Path) -> None:
    """Ninety days of answering the prompt of the day, checking it and `--another` each
    day, for every theme and for the theme with the most managers prompts."""
    set_role(home, "individual")
    hidden = managers_ids()
    assert hidden
    for n in range(90):
        offered = [prompt_json("--date", day(n)), prompt_json("--date", day(n), "--another")]
        offered.append(prompt_json("--date", day(n), "--theme", THEME, "--another"))
        assert not {o["id"] for o in offered} & hidden, day(n)
        answered = (
            write_json("--date", day(n))
            if n % 2
            else write_json("--date", day(n), "--theme", THEME)
        )
        assert answered["prompt_id"] not in hidden, day(n)


def test_without_a_role_or_as_a_manager_every_prompt_of_a_theme_comes_round(home: Path) -> None:
    """The same daily answers meet the managers prompts when the role allows them, so
    the test above would see them if the filter failed."""
    for role in (None, "manager"):
        set_role(home, role)
        size = len(cli("prompts", "--theme", THEME, "--json").json())
        offset = 0 if role is None else 100
        seen = {
            write_json("--date", day(offset + n), "--theme", THEME)["prompt_id"]
            for n in range(size)
        }
        assert managers_ids(THEME) <= seen, role


def test_an_individuals_cycle_runs_over_the_prompts_it_is_offered(home: Path) -> None:
    """Rule 3 for an individual: each everyone prompt of the theme once before any comes
    again, least recently answered first; an answer to a managers prompt (`--prompt`) in
    the middle changes nothing. Dropping the role later, the managers prompts not yet
    answered come next: the cycle over the whole theme was kept all along."""
    set_role(home, "individual")
    hidden = managers_ids(THEME)
    everyone = {p["id"] for p in cli("prompts", "--theme", THEME, "--json").json()} - hidden
    answered: list[str] = []
    for n in range(len(everyone)):
        if n == 5:
            extra = write_json("--date", f"{day(n)}T07:00", "--prompt", sorted(hidden)[0])
            assert extra["prompt_id"] == sorted(hidden)[0]
        answered.append(write_json("--date", f"{day(n)}T20:00", "--theme", THEME)["prompt_id"])
    assert set(answered) == everyone  # each once, none for managers
    again = write_json("--date", day(len(everyone)), "--theme", THEME)["prompt_id"]
    assert again == answered[0]  # the new cycle starts with the least recently answered
    set_role(home, "manager")
    after = len(everyone) + 1
    rest = [
        write_json("--date", day(after + n), "--theme", THEME)["prompt_id"]
        for n in range(len(hidden) - 1)
    ]
    assert set(rest) == hidden - {sorted(hidden)[0]}


def test_rule_2_still_picks_the_neglected_theme_for_an_individual(home: Path) -> None:
    set_role(home, "individual")
    themes = [t["id"] for t in cli("themes", "--json").json()]
    target = date(2026, 5, 20)
    for i, theme in enumerate(t for t in themes if t != THEME):
        when = (target - timedelta(days=1 + i)).isoformat()
        assert cli("write", "--free", "--theme", theme, "--date", when, "x").code == 0
    chosen = prompt_json("--date", target.isoformat())
    assert chosen["theme"] == THEME
    assert chosen["id"] not in managers_ids()


def test_write_prompt_and_prompts_still_cover_every_prompt_for_an_individual(home: Path) -> None:
    set_role(home, "individual")
    listed = audiences()
    hidden = sorted(i for i, a in listed.items() if a == "managers")
    assert hidden
    entry = write_json("--prompt", hidden[0], "--date", day(0))
    assert entry["prompt_id"] == hidden[0]
    shown = cli("prompts", "--theme", THEME)
    assert shown.code == 0
    for prompt_id in managers_ids(THEME):
        line = next(line for line in shown.stdout.splitlines() if prompt_id in line)
        assert "(for managers)" in line


USER_THEME = """\
version: 1
themes:
  - id: one-to-ones
    name: One-to-ones
    description: The conversations with the people who report to you.
    prompts:
      - id: oto-listened
        text: What did you hear in your last one-to-one that surprised you?
        audience: managers
      - id: oto-asked
        text: What did you ask in your last one-to-one that you had never asked before?
        audience: managers
"""


def test_a_theme_with_only_managers_prompts_falls_back_to_them(home: Path) -> None:
    """An individual still meets a theme whose prompts are all for managers."""
    set_role(home, "individual")
    (home / "prompts.yaml").write_text(USER_THEME, "utf-8")
    assert prompt_json("--theme", "one-to-ones", "--date", day(0))["id"] in {
        "oto-listened",
        "oto-asked",
    }
    themes = cli("themes", "--json").json()
    daily = {prompt_json("--date", day(n))["theme"] for n in range(len(themes))}
    assert "one-to-ones" in daily


@pytest.mark.parametrize("value", ['"boss"', "3", '["individual"]'])
def test_an_unknown_role_is_a_usage_error_naming_config_toml(home: Path, value: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(f"role = {value}\n", "utf-8")
    for args in (["prompt"], ["today"], ["write", "x"], ["prompt", "--another"]):
        result = cli(*args)
        assert result.code == 2, (args, result)
        assert "config.toml" in result.stderr and "role" in result.stderr
    proc = run(["prompt"])  # the fast path, without Typer, says the same
    assert proc.returncode == 2
    assert b"config.toml" in proc.stderr
    assert b"Traceback" not in proc.stderr
    assert not list((home / "entries").glob("*/*.json"))


def test_why_says_when_the_role_leaves_the_managers_prompts_out(home: Path) -> None:
    set_role(home, "individual")
    why = cli("prompt", "--why", "--date", day(0))
    assert why.code == 0
    assert 'role = "individual"' in why.stdout
    set_role(home, None)
    assert "role" not in cli("prompt", "--why", "--date", day(0)).stdout
