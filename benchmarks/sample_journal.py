"""A deterministic sample journal for the benchmark, in leadjournal's export format and jrnl's.

The same seed, entry count and end day always give the same entries (ids, timestamps,
themes, prompts, texts, tags). Entries are spread evenly at random over the ten years that
end at the given moment; most answer a prompt from the real prompt set (passed in, as
`leadjournal prompts --json` prints it), some are free writing, some of those with a
theme. Texts are made of ordinary journal sentences, 200-600 bytes, a third of them with
a second paragraph, a few with a Markdown list or heading, a few with non-ASCII letters
or an emoji. Exactly one word, SEARCH_WORD, appears in about one entry in a hundred, so
a search has a known, modest number of hits.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

SEARCH_WORD = "offsite"
YEARS = 10
TEXT_BYTES = (200, 600)
FREE_SHARE = 0.15  # entries that answer no prompt
FREE_WITH_THEME_SHARE = 0.4  # of the free entries, those that still carry a theme
TRAVEL_SHARE = 0.03  # entries written in another UTC offset than the machine's
EDITED_SHARE = 0.05  # entries whose updated_at is later than created_at
SEARCH_SHARE = 0.01

NAMES = (
    "Ana", "Ben", "Chloé", "Dev", "Emeka", "Farah", "Greta", "Hiro", "Inès", "Jonas",
    "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq",
    "Uma", "Viktor", "Wen", "Yusuf", "Zoë",
)  # fmt: skip
TOPICS = (
    "the migration", "the hiring plan", "the quarterly roadmap", "the incident review",
    "the budget memo", "the release train", "the on-call load", "the reorg",
    "a customer escalation", "the design review", "the platform rewrite", "the pricing change",
    "the onboarding guide", "the vendor contract", "the security audit", "the team charter",
)  # fmt: skip
MEETINGS = (
    "standup", "all-hands", "retro", "planning session", "skip-level", "one-on-one",
    "steering meeting", "design review", "town hall", "post-mortem",
)  # fmt: skip
TAGS = (
    "team", "oneonone", "hiring", "feedback", "strategy", "conflict", "delegation", "wins",
    "energy", "planning", "coaching", "recognition",
)  # fmt: skip
TRAVEL_OFFSETS = tuple(timezone(timedelta(minutes=m)) for m in (60, 120, -300, -420, 330, 540))
SENTENCES = (
    "Had a long one-on-one with {name} about {topic}.",
    "I noticed I interrupted {name} twice in the {meeting}.",
    "{name} took the lead on {topic} and did it better than I would have.",
    "I said yes to {topic} too quickly and the team paid for it.",
    "The {meeting} ran over again; I did not protect the time.",
    "I owned the slip on {topic} in front of everyone, which felt uncomfortable but right.",
    "Asked {name} what would make {topic} easier, then mostly listened.",
    "I want to give {name} a real chance to run {topic} next quarter.",
    "Nobody asked me to fix {topic}; I did it because it needed doing.",
    "Thanked {name} by name in the {meeting} for the work on {topic}.",
    "I was short with {name} this morning and should apologise.",
    "We spent the {meeting} on status instead of decisions.",
    "The vision for {topic} is still in my head and not yet on paper.",
    "{name} pushed back on {topic} and was right to.",
    "I kept my promise to leave on time three days out of five.",
    "I caught myself managing the task list instead of leading the people.",
    "Explained why {topic} matters before explaining how.",
    "Energy was low after the {meeting}; I need a better rhythm for the week.",
    "Compliance is not commitment: the team did {topic} but nobody believes in it.",
    "I delegated {topic} to {name} and resisted checking in every hour.",
    "Next time I will write the decision down before the {meeting} ends.",
    "Small win: {name} shipped {topic} without me in the loop.",
    "I am still avoiding the hard conversation with {name}.",
    "The uncertainty around {topic} is making everyone cautious, me included.",
)
SEARCH_SENTENCE = "We agreed to settle {topic} at the {word} next month."
LIST_ITEMS = (
    "Ask {name} for a first draft",
    "Review {topic} together on Friday",
    "Move the {meeting} to the afternoon",
    "Write down what done means for {topic}",
)
FLOURISHES = (" 🙌", " Naïve, maybe.", " Größer denken.", " 次は聞くこと。", " ✅")


def generate_entries(
    count: int, end: datetime, prompts: Sequence[dict[str, Any]], seed: int
) -> list[dict[str, Any]]:
    """`count` entries (as export dicts) spread over the ten years before `end`, oldest first.

    `end` is an aware local datetime; `prompts` are `{"id", "theme", "text"}` dicts.
    """
    rng = random.Random(seed)
    themes = sorted({p["theme"] for p in prompts})
    end_wall = end.replace(tzinfo=None, second=0, microsecond=0)
    start_wall = end_wall.replace(year=end_wall.year - YEARS)
    span_minutes = int((end_wall - start_wall).total_seconds() // 60)
    minutes = sorted(rng.randrange(span_minutes) for _ in range(count))
    entries = []
    for minute in minutes:
        wall = start_wall + timedelta(minutes=minute)
        entries.append(_entry(rng, wall, prompts, themes))
    return entries


def _entry(
    rng: random.Random, wall: datetime, prompts: Sequence[dict[str, Any]], themes: list[str]
) -> dict[str, Any]:
    if rng.random() < TRAVEL_SHARE:
        created = wall.replace(tzinfo=rng.choice(TRAVEL_OFFSETS))
    else:
        local_offset = wall.astimezone().utcoffset() or timedelta(0)
        created = wall.replace(tzinfo=timezone(local_offset))
    updated = created
    if rng.random() < EDITED_SHARE:
        updated = created + timedelta(minutes=rng.randrange(5, 60 * 24 * 30))
    theme = prompt_id = prompt = None
    if rng.random() < FREE_SHARE:
        if rng.random() < FREE_WITH_THEME_SHARE:
            theme = rng.choice(themes)
    else:
        chosen = rng.choice(prompts)
        theme, prompt_id, prompt = chosen["theme"], chosen["id"], chosen["text"]
    tag_count = rng.choices((0, 1, 2, 3), weights=(40, 35, 18, 7))[0]
    return {
        "id": f"{rng.getrandbits(64):016x}",
        "created_at": created.isoformat(),
        "updated_at": updated.isoformat(),
        "theme": theme,
        "prompt_id": prompt_id,
        "prompt": prompt,
        "text": _text(rng),
        "tags": rng.sample(TAGS, tag_count),
    }


def _sentence(rng: random.Random, template: str) -> str:
    return template.format(
        name=rng.choice(NAMES),
        topic=rng.choice(TOPICS),
        meeting=rng.choice(MEETINGS),
        word=SEARCH_WORD,
    )


def _text(rng: random.Random) -> str:
    """A journal text of TEXT_BYTES[0] to TEXT_BYTES[1] bytes of UTF-8."""
    target = rng.randint(*TEXT_BYTES)
    sentences = [_sentence(rng, rng.choice(SENTENCES))]
    if rng.random() < SEARCH_SHARE:
        sentences.append(_sentence(rng, SEARCH_SENTENCE))
    while len(" ".join(sentences).encode()) < target - 40:
        sentences.append(_sentence(rng, rng.choice(SENTENCES)))
    if rng.random() < 0.02:
        sentences[-1] += rng.choice(FLOURISHES)
    shape = rng.random()
    if shape < 0.03 and len(sentences) > 2:
        items = [f"- {_sentence(rng, rng.choice(LIST_ITEMS))}" for _ in range(2)]
        text = " ".join(sentences[:-2]) + "\n\nNext:\n" + "\n".join(items)
    elif shape < 0.05 and len(sentences) > 2:
        text = "## Wins\n" + sentences[0] + "\n\n## Next\n" + " ".join(sentences[1:])
    elif shape < 0.35 and len(sentences) > 2:
        cut = len(sentences) // 2
        text = " ".join(sentences[:cut]) + "\n\n" + " ".join(sentences[cut:])
    else:
        text = " ".join(sentences)
    return _trim(text, TEXT_BYTES[1])


def _trim(text: str, limit: int) -> str:
    """Cut at the last sentence end that keeps the text within `limit` bytes."""
    if len(text.encode()) <= limit:
        return text
    cut = text.encode()[:limit].decode(errors="ignore")
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    return cut[: end + 1] if end > 0 else cut


# Commitments (DESIGN.md section 8b): the big journal holds 5,000 (2,000 open), the small
# one 10 (4 open); most made with an entry, due within a month of the day they are made.
COMMITMENTS = {100_000: (5_000, 2_000), 100: (10, 4)}
LINKED_SHARE = 0.7


def commitment_counts(entries: int) -> tuple[int, int]:
    """(commitments, open ones) for a journal of `entries` (scaled for --quick)."""
    if entries in COMMITMENTS:
        return COMMITMENTS[entries]
    made = max(1, entries // 20)
    return made, max(1, made * 2 // 5)


def generate_commitments(
    entries: Sequence[dict[str, Any]], count: int, open_count: int, seed: int
) -> list[dict[str, Any]]:
    """`count` commitments (export dicts) over the journal's span, `open_count` of them open
    (spread over the whole span, as forgotten ones are), the rest kept, missed or dropped."""
    rng = random.Random(seed)
    chosen = sorted(rng.sample(range(len(entries)), min(count, len(entries))))
    open_ones = set(rng.sample(range(len(chosen)), min(open_count, len(chosen))))
    commitments = []
    for n, index in enumerate(chosen):
        entry = entries[index]
        created = datetime.fromisoformat(entry["created_at"])
        linked = rng.random() < LINKED_SHARE
        if not linked:
            created += timedelta(minutes=rng.randrange(1, 600))
        due = (created + timedelta(days=rng.randrange(0, 31))).date()
        status = "open" if n in open_ones else rng.choice(("kept", "kept", "missed", "dropped"))
        resolved = None
        updated = created
        if status != "open":
            resolved = created + timedelta(days=rng.randrange(0, 40), minutes=rng.randrange(600))
            updated = resolved
        commitments.append(
            {
                "id": f"{rng.getrandbits(64):016x}",
                "created_at": created.isoformat(),
                "updated_at": updated.isoformat(),
                "text": _trim(_sentence(rng, rng.choice(LIST_ITEMS)), 120),
                "due": due.isoformat(),
                "theme": entry["theme"] if linked else None,
                "entry_id": entry["id"] if linked else None,
                "status": status,
                "resolved_at": resolved.isoformat() if resolved else None,
                "note": None,
            }
        )
    return commitments


def write_leadjournal_export(
    entries: Sequence[dict[str, Any]], path: Path, commitments: Sequence[dict[str, Any]] = ()
) -> int:
    """The entries (and commitments) as a leadjournal JSON export file (version 2); returns
    its size in bytes."""
    document = {
        "format": "leadjournal",
        "version": 2,
        "exported_at": datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
        "commitments": list(commitments),
        "entries": list(entries),
    }
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    path.write_bytes(data)
    return len(data)


def write_jrnl_journal(entries: Iterable[dict[str, Any]], path: Path) -> int:
    """The entries as a jrnl plain-text journal (timeformat '%F %r', tags as @tag).

    jrnl has neither prompts, themes nor UTC offsets: an entry keeps its local wall time
    and its text, split as jrnl splits a new entry (the first sentence is the title), with
    its tags appended as @tags. Returns the file size in bytes.
    """
    chunks = []
    for entry in entries:
        stamp = datetime.fromisoformat(entry["created_at"]).strftime("%Y-%m-%d %I:%M:%S %p")
        title, body = _split_title(entry["text"])
        tags = " ".join(f"@{tag}" for tag in entry["tags"])
        if tags:
            body = f"{body} {tags}" if body else tags
        chunks.append(f"[{stamp}] {title}\n{body}\n" if body else f"[{stamp}] {title}\n")
    data = "\n".join(chunks).encode()
    path.write_bytes(data)
    return len(data)


def _split_title(text: str) -> tuple[str, str]:
    """Title up to the end of the first sentence or line, the rest as the body."""
    first_line, _, rest = text.partition("\n")
    for mark in (". ", "? ", "! "):
        at = first_line.find(mark)
        if at > 0:
            title = first_line[: at + 1]
            body = first_line[at + 2 :] + ("\n" + rest if rest else "")
            return title, body.strip("\n")
    return first_line, rest.strip("\n")


def write_sample_files(
    *,
    big: int,
    small: int,
    seed: int,
    end: datetime,
    prompts: Sequence[dict[str, Any]],
    folder: Path,
    jrnl_sizes: Sequence[int],
) -> dict[str, Any]:
    """The big and small exports and the jrnl journals (the first N entries of the big
    one, for each N in `jrnl_sizes`, and the small one's entries in jrnl/small/) in
    `folder`; returns facts about them."""
    entries = generate_entries(big, end, prompts, seed)
    big_commitments = generate_commitments(entries, *commitment_counts(big), seed + 2)
    big_bytes = write_leadjournal_export(entries, folder / "journal-big.json", big_commitments)
    small_entries = generate_entries(small, end, prompts, seed + 1)
    small_commitments = generate_commitments(small_entries, *commitment_counts(small), seed + 3)
    write_leadjournal_export(small_entries, folder / "journal-small.json", small_commitments)
    # The same 100 entries for jrnl: the small-journal rows of DESIGN.md section 8b.
    small_jrnl = folder / "jrnl" / "small" / "journal.txt"
    small_jrnl.parent.mkdir(parents=True, exist_ok=True)
    write_jrnl_journal(small_entries, small_jrnl)
    jrnl_bytes = {}
    for size in jrnl_sizes:
        journal = folder / "jrnl" / str(size) / "journal.txt"
        journal.parent.mkdir(parents=True, exist_ok=True)
        jrnl_bytes[size] = write_jrnl_journal(entries[:size], journal)
    return {
        "big_bytes": big_bytes,
        "commitments": len(big_commitments),
        "open_commitments": sum(c["status"] == "open" for c in big_commitments),
        # One open commitment of each journal, for `resolve` (resolved again each run).
        "resolve_big": next(c["id"] for c in big_commitments if c["status"] == "open"),
        "resolve_small": next(c["id"] for c in small_commitments if c["status"] == "open"),
        "jrnl_bytes": jrnl_bytes.get(big, 0),
        "search_hits": sum(SEARCH_WORD in e["text"].lower() for e in entries),
        "free_entries": sum(e["prompt_id"] is None for e in entries),
        "mean_text_bytes": sum(len(e["text"].encode()) for e in entries) / len(entries),
    }


def month_versions(
    count: int, prompts: Sequence[dict[str, Any]], seed: int
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], int]:
    """Three versions of one month file of `count` entries, as git hands them to its merge
    driver: the common ancestor, and two devices' versions that each edited, added and
    deleted entries since (some of the same entries on both, each device newer for some).
    Returns (base, ours, theirs, entries in their union)."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 1, tzinfo=UTC)
    step = timedelta(days=30) / count
    entries = generate_entries(count, start + timedelta(days=31), prompts, seed)
    for index, entry in enumerate(entries):
        created = start + step * index
        entry["created_at"] = entry["updated_at"] = created.isoformat(timespec="seconds")

    def edited(entry: dict[str, Any], device: str, minutes: int) -> dict[str, Any]:
        stamp = datetime.fromisoformat(entry["created_at"]) + timedelta(days=40, minutes=minutes)
        return {
            **entry,
            "text": f"{entry['text']} (edited on the {device})",
            "updated_at": stamp.isoformat(),
        }

    def device(name: str, edit_every: int, minutes: int, deletes: int, adds: int) -> dict[str, Any]:
        version = [
            edited(e, name, minutes) if i % edit_every == 0 else e for i, e in enumerate(entries)
        ]
        gone = set(rng.sample(range(count), deletes))
        tombstones = [
            {"id": version[i]["id"], "deleted_at": (start + timedelta(days=100)).isoformat()}
            for i in sorted(gone)
        ]
        version = [e for i, e in enumerate(version) if i not in gone]
        for extra in generate_entries(
            adds, start + timedelta(days=31), prompts, rng.getrandbits(32)
        ):
            extra["created_at"] = extra["updated_at"] = (
                start + timedelta(seconds=rng.randrange(30 * 86400))
            ).isoformat()
            version.append(extra)
        return month_document(version, tombstones)

    ours = device("laptop", 10, 5, 20, 60)
    theirs = device("desktop", 15, 10, 20, 60)
    ids = {e["id"] for e in ours["entries"]} | {e["id"] for e in theirs["entries"]}
    deleted = {t["id"] for t in ours["tombstones"]} | {t["id"] for t in theirs["tombstones"]}
    return month_document(entries, []), ours, theirs, len(ids - deleted)


def month_document(
    entries: list[dict[str, Any]], tombstones: list[dict[str, Any]]
) -> dict[str, Any]:
    """A month file as leadjournal writes it (format 1)."""
    return {"format": "leadjournal", "version": 1, "entries": entries, "tombstones": tombstones}


def main() -> None:
    """Run as a separate process by run.py, so that the measuring process stays small.

    (On Linux a child's ru_maxrss starts from the peak memory of the process that
    started it, so the benchmark must never hold the 100,000 entries itself.)
    """
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--big", type=int, required=True)
    parser.add_argument("--small", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--end", type=datetime.fromisoformat, required=True)
    parser.add_argument("--prompts", type=Path, required=True, help="prompts --json output")
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--jrnl-sizes", type=int, nargs="*", default=[])
    args = parser.parse_args()
    facts = write_sample_files(
        big=args.big,
        small=args.small,
        seed=args.seed,
        end=args.end,
        prompts=json.loads(args.prompts.read_text()),
        folder=args.folder,
        jrnl_sizes=args.jrnl_sizes,
    )
    print(json.dumps(facts))


if __name__ == "__main__":
    main()
