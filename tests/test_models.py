"""The schema: entries round-trip exactly through the month files and --json."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from leadjournal.models import Entry, MonthFile, StepAnswer
from leadjournal.store import dump_month, parse_month, scrubbed
from tests.helpers import cli, month_files

offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
moments = st.builds(
    lambda s, tz: datetime(2000, 1, 1, tzinfo=UTC).astimezone(tz) + timedelta(seconds=s),
    st.integers(0, 40 * 365 * 86400),
    offsets,
)


# Every code point, lone surrogates included (hypothesis leaves them out by default).
any_char = st.characters(exclude_categories=())


@given(
    text=st.text(any_char, min_size=1),
    tags=st.lists(st.text(any_char, min_size=1, max_size=8), max_size=3),
    created=moments,
)
def test_any_entry_survives_a_month_file_round_trip(
    text: str, tags: list[str], created: datetime
) -> None:
    """Including lone surrogates (stored as U+FFFD) and astral characters (kept)."""
    entry = Entry(id="abc123", created_at=created, updated_at=created, text=text, tags=tags)
    data = dump_month(MonthFile(entries=[entry]))
    data.decode("utf-8")  # always valid UTF-8
    again = parse_month(Path("x.json"), data).entries[0]
    assert again == scrubbed(entry)
    assert again.created_at.utcoffset() == created.utcoffset()
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in text + "".join(tags)):
        assert again == entry  # everything else is kept exactly


@given(
    answers=st.lists(
        st.one_of(st.none(), st.integers(1, 10), st.text(any_char, min_size=1)), max_size=5
    ),
    created=moments,
)
@example(answers=["a\ud800b", 7, None], created=datetime(2026, 1, 1, tzinfo=UTC))
def test_any_reflection_survives_a_month_file_round_trip(
    answers: list[int | str | None], created: datetime
) -> None:
    """A guided reflection's steps (DESIGN.md section 11), text answers with lone
    surrogates included (stored as U+FFFD), keep their kinds and answers."""
    steps = [
        StepAnswer(
            id=f"s{i}",
            text=f"Question {i}?",
            kind="rating" if isinstance(answer, int) else "text",
            answer=answer,
        )
        for i, answer in enumerate(answers)
    ]
    entry = Entry(
        id="abc123", created_at=created, updated_at=created, text="x", guide="g", steps=steps
    )
    data = dump_month(MonthFile(entries=[entry]))
    data.decode("utf-8")
    again = parse_month(Path("x.json"), data).entries[0]
    assert again == scrubbed(entry)
    assert [(s.kind, type(s.answer)) for s in again.steps] == [
        (s.kind, type(s.answer)) for s in steps
    ]
    if not any(isinstance(a, str) and any(0xD800 <= ord(c) <= 0xDFFF for c in a) for a in answers):
        assert again == entry


def test_utc_offsets_are_written_as_plus_zero_not_z() -> None:
    moment = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    entry = Entry(id="a", created_at=moment, updated_at=moment, text="x")
    assert json.loads(entry.model_dump_json())["created_at"] == "2026-01-01T08:00:00+00:00"


def test_a_naive_timestamp_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone"):
        Entry.model_validate(
            {
                "id": "a",
                "created_at": "2026-01-01T08:00:00",
                "updated_at": "2026-01-01T08:00:00+00:00",
                "text": "x",
            }
        )


HARD_TEXTS = {
    "emoji": "Shipped it 🚀🙌🏽 — 👩‍👩‍👧‍👦 family emoji, flags 🇫🇷🇯🇵",
    "cjk": "今日はチームと話した。领导力不是职位。리더십은 책임이다。",
    "rtl": "القيادة مسؤولية וגם אחריות",
    "combining": "e\u0301 a\u0308 n\u0303 — Å vs A\u030a, Z̤̈ͅa̶l̷g̸o",
    "markdown": "# Heading\n\n- item\n> quote\n```\ncode\n```",
    "whitespace inside": "a\tb\n\n\nc  d",
}


@pytest.mark.parametrize("name", sorted(HARD_TEXTS))
def test_hard_texts_round_trip_exactly_through_argument_and_stdin(name: str) -> None:
    text = HARD_TEXTS[name]
    by_arg = cli("write", "--free", "--json", text).json()
    by_stdin = cli("write", "--free", "--json", input=text.encode("utf-8")).json()
    for entry in (by_arg, by_stdin):
        assert entry["text"] == text
        assert cli("show", entry["id"], "--json").json()["text"] == text


def test_a_one_megabyte_entry_round_trips_exactly(home: Path) -> None:
    text = ("Lead yourself first. 领导 🚀 مسؤولية e\u0301\n" * 40_000)[:1_000_000].rstrip()
    entry = cli("write", "--free", "--json", input=text.encode("utf-8")).json()
    assert cli("show", entry["id"], "--json").json()["text"] == text
    [path] = month_files(home)
    assert json.loads(path.read_text("utf-8"))["entries"][0]["text"] == text
    assert len(text.encode("utf-8")) > 1_000_000
