"""Hypothesis properties of the pure chooser, and of the index that feeds it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leadjournal.prompts.choose import Answer, choose
from leadjournal.prompts.load import load_prompt_set
from leadjournal.prompts.promptset import Prompt, PromptSet, Theme


def small_set(sizes: list[int]) -> PromptSet:
    themes = tuple(
        Theme(
            id=f"t{i}",
            name=f"Theme {i}",
            description="",
            prompts=tuple(Prompt(id=f"t{i}-p{j}", theme=f"t{i}", text="?") for j in range(n)),
        )
        for i, n in enumerate(sizes)
    )
    return PromptSet(themes=themes)


START = date(2026, 1, 1)
sizes_st = st.lists(st.integers(1, 5), min_size=1, max_size=7)


@st.composite
def journals(draw: st.DrawFn) -> tuple[PromptSet, list[Answer]]:
    prompt_set = small_set(draw(sizes_st))
    ids = [p.id for t in prompt_set.themes for p in t.prompts]
    rows = draw(
        st.lists(
            st.tuples(st.integers(0, 80), st.integers(0, 86399), st.sampled_from([*ids, None])),
            max_size=60,
        )
    )
    answers = []
    for offset, second, pid in rows:
        day = START + timedelta(days=offset)
        at = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() + second
        theme = prompt_set.by_id[pid].theme if pid else None
        answers.append(Answer(day, at, theme, pid))
    return prompt_set, answers


days_st = st.integers(0, 90).map(lambda n: START + timedelta(days=n))


@given(journals(), days_st)
def test_the_choice_is_deterministic_and_ignores_the_day_itself_and_later(
    journal: tuple[PromptSet, list[Answer]], day: date
) -> None:
    prompt_set, answers = journal
    first = choose(day, prompt_set, answers)
    before = [a for a in answers if a.day < day]
    assert choose(day, prompt_set, list(reversed(answers))) == first
    assert choose(day, prompt_set, before) == first
    assert len(first) == sum(1 for _ in first)  # a full order, no duplicates
    assert len({p.id for p in first}) == len(first)


@given(journals(), days_st)
def test_a_theme_absent_from_the_window_wins_when_all_others_are_present(
    journal: tuple[PromptSet, list[Answer]], day: date
) -> None:
    prompt_set, answers = journal
    window = [a for a in answers if day - timedelta(days=14) <= a.day < day and a.theme]
    present = {a.theme for a in window}
    absent = [t.id for t in prompt_set.themes if t.id not in present]
    if len(absent) == 1 and len(prompt_set.themes) > 1:
        assert choose(day, prompt_set, answers)[0].theme == absent[0]


@given(journals(), days_st)
def test_the_chosen_prompt_is_not_answered_in_its_themes_current_cycle(
    journal: tuple[PromptSet, list[Answer]], day: date
) -> None:
    prompt_set, answers = journal
    chosen = choose(day, prompt_set, answers)[0]
    theme_ids = {p.id for p in prompt_set.theme_by_id[chosen.theme].prompts}
    done: set[str] = set()
    last: dict[str, float] = {}
    for a in sorted((a for a in answers if a.day < day), key=lambda a: (a.day, a.at)):
        if a.prompt_id in theme_ids:
            done.add(a.prompt_id)
            last[a.prompt_id] = a.at
            if done == theme_ids:
                done = set()
    assert chosen.id not in done
    # least recently answered first among the eligible
    eligible = theme_ids - done
    oldest = min(last.get(p, float("-inf")) for p in eligible)
    assert last.get(chosen.id, float("-inf")) == oldest


@given(sizes_st, days_st)
def test_an_empty_journal_rotates_through_the_themes(sizes: list[int], day: date) -> None:
    prompt_set = small_set(sizes)
    week = {choose(day + timedelta(days=i), prompt_set, [])[0].theme for i in range(7)}
    assert len(week) >= min(7, len(prompt_set.themes))


@given(sizes_st, st.integers(10, 40))
def test_always_answering_the_prompt_of_the_day_balances_the_themes(
    sizes: list[int], n_days: int
) -> None:
    """A writer who answers every day's prompt meets every theme, evenly."""
    prompt_set = small_set(sizes)
    answers: list[Answer] = []
    for i in range(n_days):
        day = START + timedelta(days=i)
        prompt = choose(day, prompt_set, answers)[0]
        at = datetime(day.year, day.month, day.day, 9, tzinfo=UTC).timestamp()
        answers.append(Answer(day, at, prompt.theme, prompt.id))
    counts = [sum(1 for a in answers if a.theme == t.id) for t in prompt_set.themes]
    assert max(counts) - min(counts) <= 1


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.integers(0, 120), st.integers(0, 97), st.booleans()),
        min_size=1,
        max_size=25,
    ),
    st.integers(0, 130),
)
def test_the_index_gives_what_the_reference_chooser_gives(
    rows: list[tuple[int, int, bool]], day_offset: int
) -> None:
    """Whatever the history, `prompt --date D` (served from the cached index) equals the
    pure chooser run over every entry."""
    import shutil
    import tempfile

    from tests.helpers import cli

    tmp = tempfile.mkdtemp()
    try:
        import os

        os.environ["LEADJOURNAL_HOME"] = tmp
        prompt_set = load_prompt_set()
        ids = [p.id for t in prompt_set.themes for p in t.prompts]
        base = date(2026, 8, 1)
        answers = []
        for offset, pick, free in rows:
            day = base + timedelta(days=offset)
            args = ["write", "--json", "--date", f"{day.isoformat()}T10:00"]
            args += (
                ["--free", "--theme", prompt_set.themes[pick % 7].id]
                if free
                else [
                    "--prompt",
                    ids[pick % len(ids)],
                ]
            )
            entry = cli(*args, "text").json()
            created = datetime.fromisoformat(entry["created_at"])
            answers.append(
                Answer(created.date(), created.timestamp(), entry["theme"], entry["prompt_id"])
            )
        day = base + timedelta(days=day_offset)
        got = cli("prompt", "--date", day.isoformat(), "--json").json()["id"]
        assert got == choose(day, prompt_set, answers)[0].id
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
