"""The benchmark's sample journal (benchmarks/sample_journal.py) is a journal leadjournal
reads: its guided reflections (DESIGN.md section 8b: "some guided reflections") import as
`reflect` would have saved them, and `summary` computes their ratings."""

from __future__ import annotations

import importlib.util
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType

from tests.helpers import cli

SAMPLE = Path(__file__).parent.parent / "benchmarks" / "sample_journal.py"


def sample_journal() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sample_journal", SAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sample_journal_holds_reflections_that_import_and_have_ratings(
    tmp_path: Path,
) -> None:
    sample = sample_journal()
    prompts = cli("prompts", "--json").json()
    guides = cli("guides", "--json").json()
    end = (datetime.now() - timedelta(days=30)).astimezone()  # ten years up to a month ago
    entries = sample.generate_entries(2_000, end, prompts, seed=5, guides=guides)
    guided = [e for e in entries if e.get("guide")]
    assert 10 <= len(guided) <= 80  # about one in fifty
    export = tmp_path / "sample.json"
    sample.write_leadjournal_export(entries, export)

    result = cli("import", str(export), "--json")
    assert result.code == 0, result.stderr
    assert result.json()["added"] == len(entries)

    stored = {e["id"]: e for e in cli("list", "--json").json()}
    reflection = stored[guided[-1]["id"]]
    assert reflection["guide"] == "daily-check"
    assert reflection["prompt_id"] is None
    answered = [s for s in reflection["steps"] if s["answer"] is not None]
    assert answered and all(f"**{s['text']}**" in reflection["text"] for s in answered)

    since, until = (end - timedelta(days=3660)).date(), end.date()
    summary = cli("summary", "--since", since.isoformat(), "--until", until.isoformat(), "--json")
    ratings = summary.json()["ratings"]
    assert {r["guide"] for r in ratings} == {"daily-check"}
    assert sum(r["count"] for r in ratings) >= len(guided)  # several steps each
    assert all(1 <= r["mean"] <= 10 for r in ratings)


def test_without_guides_the_sample_journal_has_no_reflections() -> None:
    sample = sample_journal()
    prompts = cli("prompts", "--json").json()
    entries = sample.generate_entries(500, datetime.now().astimezone(), prompts, seed=5)
    assert not [e for e in entries if e.get("guide")]


def test_hundreds_of_open_commitments_list_as_they_are_stored(tmp_path: Path) -> None:
    """From MANY_COMMITMENTS on, the open commitments are validated as one list (journal.
    _models): `commitments --json` prints every one exactly as imported, earliest due
    first, on either side of that threshold."""
    from leadjournal.journal import MANY_COMMITMENTS

    sample = sample_journal()
    prompts = cli("prompts", "--json").json()
    end = (datetime.now() - timedelta(days=30)).astimezone()
    entries = sample.generate_entries(1_000, end, prompts, seed=9)
    for count in (MANY_COMMITMENTS - 1, MANY_COMMITMENTS + 50):
        commitments = sample.generate_commitments(entries, count + 20, count, seed=count)
        export = tmp_path / f"sample-{count}.json"
        sample.write_leadjournal_export(entries, export, commitments)
        assert cli("import", str(export)).code == 0
        listed = cli("commitments", "--json").json()
        assert len(listed) == count
        mine = {c["id"]: c for c in commitments}
        assert all(c == mine[c["id"]] for c in listed)
        assert [c["due"] for c in listed] == sorted(c["due"] for c in listed)
        for c in listed:  # closed again for the next round
            assert cli("resolve", c["id"], "dropped").code == 0
