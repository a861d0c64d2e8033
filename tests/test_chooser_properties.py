"""Hypothesis properties of the pure chooser, and of the index that feeds it.

Section 4's rules are checked with the audience filter of section 15 both on and off:
`include_managers=False` is `role = "individual"`, which leaves out the prompts for
managers (a theme with no other prompt falls back to them). The sets drawn here mix
both audiences, themes of managers prompts only included, and the histories answer
hidden prompts too (as `write --prompt ID` does).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from leadjournal.prompts.choose import Answer, choose
from leadjournal.prompts.load import load_prompt_set
from leadjournal.prompts.promptset import EVERYONE, MANAGERS, Prompt, PromptSet, Theme


def small_set(themes: list[list[bool]]) -> PromptSet:
    """One theme per list, one prompt per flag: True is a prompt for managers."""
    return PromptSet(
        themes=tuple(
            Theme(
                id=f"t{i}",
                name=f"Theme {i}",
                description="",
                prompts=tuple(
                    Prompt(
                        id=f"t{i}-p{j}",
                        theme=f"t{i}",
                        text="?",
                        audience=MANAGERS if managers else EVERYONE,
                    )
                    for j, managers in enumerate(flags)
                ),
            )
            for i, flags in enumerate(themes)
        )
    )


def pool(theme: Theme, include_managers: bool) -> set[str]:
    """What the theme may offer, written out from DESIGN.md section 15."""
    everyone = {p.id for p in theme.prompts if p.audience == EVERYONE}
    if include_managers or not everyone:
        return {p.id for p in theme.prompts}
    return everyone


START = date(2026, 1, 1)
sizes_st = st.lists(st.lists(st.booleans(), min_size=1, max_size=5), min_size=1, max_size=7)
managers_st = st.booleans()
# Instants within a day: often the same one, since ties are where the rules are subtle.
seconds_st = st.one_of(st.sampled_from([0, 0, 1, 3600]), st.integers(0, 86399))


@st.composite
def journals(draw: st.DrawFn) -> tuple[PromptSet, list[Answer]]:
    prompt_set = small_set(draw(sizes_st))
    ids = [p.id for t in prompt_set.themes for p in t.prompts]
    rows = draw(
        st.lists(
            st.tuples(st.integers(0, 80), seconds_st, st.sampled_from([*ids, None])),
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


WRITES = ["free", "prompt", "day"]  # write --free, write --prompt ID, plain write
days_st = st.integers(0, 90).map(lambda n: START + timedelta(days=n))


@given(journals(), days_st, managers_st)
def test_the_choice_is_deterministic_and_ignores_the_day_itself_and_later(
    journal: tuple[PromptSet, list[Answer]], day: date, include_managers: bool
) -> None:
    prompt_set, answers = journal
    first = choose(day, prompt_set, answers, include_managers=include_managers)
    before = [a for a in answers if a.day < day]
    reordered = list(reversed(answers))
    assert choose(day, prompt_set, reordered, include_managers=include_managers) == first
    assert choose(day, prompt_set, before, include_managers=include_managers) == first
    assert len({p.id for p in first}) == len(first)  # no prompt twice


@given(journals(), days_st, managers_st)
def test_the_order_holds_exactly_the_prompts_the_role_may_be_offered(
    journal: tuple[PromptSet, list[Answer]], day: date, include_managers: bool
) -> None:
    """The prompt of the day, `--another` and every later choice: for an individual never
    a managers prompt, unless its theme has no other; otherwise any prompt."""
    prompt_set, answers = journal
    order = choose(day, prompt_set, answers, include_managers=include_managers)
    offered = set().union(*(pool(t, include_managers) for t in prompt_set.themes))
    assert {p.id for p in order} <= offered
    assert {p.theme for p in order} == set(prompt_set.theme_by_id)  # every theme has one
    if not include_managers:
        for prompt in order:
            theme = prompt_set.theme_by_id[prompt.theme]
            assert prompt.audience == EVERYONE or all(p.audience == MANAGERS for p in theme.prompts)


@given(journals(), days_st, managers_st)
def test_a_theme_absent_from_the_window_wins_when_all_others_are_present(
    journal: tuple[PromptSet, list[Answer]], day: date, include_managers: bool
) -> None:
    prompt_set, answers = journal
    window = [a for a in answers if day - timedelta(days=14) <= a.day < day and a.theme]
    present = {a.theme for a in window}
    absent = [t.id for t in prompt_set.themes if t.id not in present]
    if len(absent) == 1 and len(prompt_set.themes) > 1:
        chosen = choose(day, prompt_set, answers, include_managers=include_managers)[0]
        assert chosen.theme == absent[0]


def _at(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


# Two prompts for everyone and one for managers: p1, then p0 and p1 at one instant. The
# individual's cycle ended with p0 and began again with p1, so p0 is due; a chooser that
# kept only the cycle over all three prompts would fall back to a tie and offer p1.
SHARED_INSTANT = (
    small_set([[False, False, True]]),
    [
        Answer(START, _at(START), "t0", "t0-p1"),
        Answer(START + timedelta(days=1), _at(START + timedelta(days=1)), "t0", "t0-p0"),
        Answer(START + timedelta(days=1), _at(START + timedelta(days=1)), "t0", "t0-p1"),
    ],
)


@given(journals(), days_st, managers_st)
@example(journal=SHARED_INSTANT, day=START + timedelta(days=3), include_managers=False)
def test_each_themes_choice_is_not_answered_in_the_current_cycle_of_what_it_offers(
    journal: tuple[PromptSet, list[Answer]], day: date, include_managers: bool
) -> None:
    """Rule 3 within what the role is offered: the cycle runs over the prompts a theme may
    offer (answers to hidden prompts do not count towards it), least recently answered
    first. Checked for each theme's first prompt in the order, so for `--another` too."""
    prompt_set, answers = journal
    order = choose(day, prompt_set, answers, include_managers=include_managers)
    firsts: dict[str, Prompt] = {}
    for prompt in order:
        firsts.setdefault(prompt.theme, prompt)
    history = sorted((a for a in answers if a.day < day), key=lambda a: (a.day, a.at))
    for theme_id, chosen in firsts.items():
        ids = pool(prompt_set.theme_by_id[theme_id], include_managers)
        done: set[str] = set()
        last: dict[str, float] = {}
        for a in history:
            if a.prompt_id in ids:
                done.add(a.prompt_id)
                last[a.prompt_id] = a.at
                if done == ids:
                    done = set()
        assert chosen.id not in done
        eligible = ids - done
        oldest = min(last.get(p, float("-inf")) for p in eligible)
        assert last.get(chosen.id, float("-inf")) == oldest


@given(sizes_st, days_st, managers_st)
def test_an_empty_journal_rotates_through_the_themes(
    sizes: list[list[bool]], day: date, include_managers: bool
) -> None:
    prompt_set = small_set(sizes)
    week = {
        choose(day + timedelta(days=i), prompt_set, [], include_managers=include_managers)[0].theme
        for i in range(7)
    }
    assert len(week) >= min(7, len(prompt_set.themes))


@given(sizes_st, st.integers(10, 40), managers_st)
def test_always_answering_the_prompt_of_the_day_balances_the_themes(
    sizes: list[list[bool]], n_days: int, include_managers: bool
) -> None:
    """A writer who answers every day's prompt meets every theme, evenly, and meets each
    prompt it may be offered once before any of them again."""
    prompt_set = small_set(sizes)
    answers: list[Answer] = []
    for i in range(n_days):
        day = START + timedelta(days=i)
        prompt = choose(day, prompt_set, answers, include_managers=include_managers)[0]
        at = datetime(day.year, day.month, day.day, 9, tzinfo=UTC).timestamp()
        answers.append(Answer(day, at, prompt.theme, prompt.id))
    counts = [sum(1 for a in answers if a.theme == t.id) for t in prompt_set.themes]
    assert max(counts) - min(counts) <= 1
    for theme in prompt_set.themes:
        ids = pool(theme, include_managers)
        seen = [a.prompt_id for a in answers if a.theme == theme.id]
        for start in range(0, len(seen), len(ids)):
            cycle = seen[start : start + len(ids)]
            assert len(set(cycle)) == len(cycle), (theme.id, seen)
            assert set(cycle) <= ids


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.integers(0, 120), st.integers(0, 500), st.sampled_from(WRITES)),
        min_size=1,
        max_size=25,
    ),
    st.integers(0, 130),
    st.sampled_from([None, "individual", "manager"]),
)
def test_the_index_gives_what_the_reference_chooser_gives(
    rows: list[tuple[int, int, str]], day_offset: int, role: str | None
) -> None:
    """Whatever the history and the role, `prompt --date D` and `--another` (served from
    the cached index) equal the pure chooser run over every entry. The history mixes free
    entries, `--prompt ID` for any prompt (managers' too) and the day's own prompt."""
    import shutil
    import tempfile
    from pathlib import Path

    from tests.helpers import cli

    tmp = tempfile.mkdtemp()
    try:
        import os

        os.environ["LEADJOURNAL_HOME"] = tmp
        if role is not None:
            Path(tmp, "config.toml").write_text(f'role = "{role}"\n', "utf-8")
        prompt_set = load_prompt_set()
        ids = [p.id for t in prompt_set.themes for p in t.prompts]
        base = date(2026, 8, 1)
        answers = []
        for offset, pick, kind in rows:
            day = base + timedelta(days=offset)
            args = ["write", "--json", "--date", f"{day.isoformat()}T10:00"]
            if kind == "free":
                args += ["--free", "--theme", prompt_set.themes[pick % len(prompt_set.themes)].id]
            elif kind == "prompt":
                args += ["--prompt", ids[pick % len(ids)]]
            entry = cli(*args, "text").json()
            created = datetime.fromisoformat(entry["created_at"])
            answers.append(
                Answer(created.date(), created.timestamp(), entry["theme"], entry["prompt_id"])
            )
        day = base + timedelta(days=day_offset)
        expected = choose(day, prompt_set, answers, include_managers=role != "individual")
        got = cli("prompt", "--date", day.isoformat(), "--json").json()["id"]
        assert got == expected[0].id
        other = cli("prompt", "--date", day.isoformat(), "--another", "--json").json()["id"]
        assert other == expected[1].id
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@given(journals(), days_st, managers_st, st.data())
def test_the_order_of_some_themes_alone_is_their_part_of_the_whole_order(
    journal: tuple[PromptSet, list[Answer]], day: date, include_managers: bool, data: st.DataObject
) -> None:
    """What `summary` asks for its suggestion (dayview.todays_order with `themes`): only the
    answers of the least-reflected themes folded, only their prompts ordered. The result
    is exactly those themes' prompts in the order the whole choice gives them."""
    from leadjournal.prompts.choose import HistoryState, fold, history_order, prompt_order
    from leadjournal.prompts.choose import window_counts as counted

    prompt_set, answers = journal
    ids = [t.id for t in prompt_set.themes]
    some = set(data.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True)))
    before = sorted((a for a in answers if a.day < day), key=history_order)
    counts = counted(before, day)
    whole = prompt_order(
        day, prompt_set, fold(HistoryState(), before, prompt_set), counts,
        include_managers=include_managers,
    )  # fmt: skip
    theirs = [a for a in before if a.prompt_id and prompt_set.by_id[a.prompt_id].theme in some]
    part = prompt_order(
        day, prompt_set, fold(HistoryState(), theirs, prompt_set), counts,
        include_managers=include_managers, only=some,
    )  # fmt: skip
    assert part == [p for p in whole if p.theme in some]
