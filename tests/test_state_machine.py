"""A hypothesis state machine drives the real journal (the CLI in-process, real files in a
fresh home per example) through writes, edits, deletes, commitments (made alone, with an
entry or about one; resolved, reopened, deleted), sync-conflict copies and `doctor --fix`,
and checks after every step that `list --json` and `commitments --status all --json` equal
a plain dict model.

The model knows only the rules of DESIGN.md sections 3, 7 and 9: a write rewrites its
month file; a commitment lives in the month of its creation day; deleting an entry
deletes the commitments linked to it, wherever they live; a sync-conflict copy beside a
month file is read with it (union by id, the newer `updated_at` or `deleted_at` wins, on a
tie the main file wins, then the earlier copy); `doctor --fix` merges the copies into the
month file by the same rule. Timestamps the program stamps (updated_at of an edit or a
resolve, resolved_at, deleted_at of a delete) are read back from the month file, never
guessed.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.helpers import cli, local_zone

Record = dict[str, Any]  # an entry, a commitment or a tombstone, as stored
Records = dict[str, Record]  # by id

MONTHS = ["2026-09", "2026-10", "2027-01"]
THEMES = ["lead-yourself", "responsibility"]
OUTCOMES = ["kept", "missed", "dropped", "open"]
TAGS = ["team", "growth", "1on1", "feedback"]
# Any text the program stores verbatim: no surrounding whitespace (it is trimmed), no "\r"
# (line ends become "\n") and no lone surrogates (they become U+FFFD); tests of those
# repairs live in test_reliability.py. No "#": a "#word" in the text is an inline tag
# (section 16), which this model does not derive; test_everyday.py tests those.
TEXTS = (
    st.text(
        st.characters(exclude_categories=["Cs"], exclude_characters="\r#"),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
# How a conflict copy's change is dated against the record it changes: newer, the same
# second, or older. "Newer" is an hour ahead, so that it also beats whatever the program
# stamps later in the example: a second ahead would beat a command run in the same second
# but not one run a second later, and the examples would depend on the clock (hypothesis
# then rightly reports them as flaky).
DELTAS = st.sampled_from([3600, 0, -1])


def stamp(record: Record) -> datetime:
    return datetime.fromisoformat(record.get("updated_at") or record["deleted_at"])


def merge(main: Records, copies: list[Records]) -> Records:
    """DESIGN.md section 7: union by id, the newer stamp wins; ties go to the earlier source."""
    best: Records = {}
    for source in (main, *copies):
        for record_id, record in source.items():
            if record_id not in best or stamp(record) > stamp(best[record_id]):
                best[record_id] = record
    return best


def wins(month: str, record: Record, held_in: str, held: Record) -> bool:
    new, old = stamp(record), stamp(held)
    if new != old:
        return new > old
    live, held_live = "deleted_at" not in record, "deleted_at" not in held
    if live != held_live:
        return live
    return live and record["created_at"][:7] == month and held["created_at"][:7] != held_in


def is_entry(record: Record) -> bool:
    return "deleted_at" not in record and "due" not in record


def is_commitment(record: Record) -> bool:
    return "due" in record


def records_of(document: dict[str, Any]) -> Records:
    records = [*document["entries"], *document.get("commitments", []), *document["tombstones"]]
    return {r["id"]: r for r in records}


def when_of(month: str, day: int, minute: int) -> str:
    return f"{month}-{day:02d}T{minute // 60:02d}:{minute % 60:02d}"


# A commitment's --due, as (what is typed, days after the creation day it means); None:
# no --due (7 days). Typed as +Nd, +Nw or the day itself.
DUES = st.one_of(
    st.none(),
    st.integers(0, 40).map(lambda n: (f"+{n}d", n)),
    st.integers(0, 6).map(lambda n: (f"+{n}w", 7 * n)),
    st.integers(0, 60).map(lambda n: ("day", n)),
)


def due_args(due: tuple[str, int] | None, created: date) -> tuple[list[str], str]:
    """The --due option for `due`, and the due day it must give."""
    if due is None:
        return [], (created + timedelta(days=7)).isoformat()
    typed, days = due
    day = (created + timedelta(days=days)).isoformat()
    return ["--due", day if typed == "day" else typed], day


class JournalMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.previous_home = os.environ.get("LEADJOURNAL_HOME")
        self.root = Path(tempfile.mkdtemp(prefix="leadjournal-machine-"))
        self.home = self.root / "home"
        os.environ["LEADJOURNAL_HOME"] = str(self.home)
        self.main: dict[str, Records] = {}  # "YYYY-MM" -> what its month file holds
        self.copies: dict[str, list[Records]] = {}  # "YYYY-MM" -> its conflict copies, in order
        self.made_copies = 0
        self.moved_copies = 0
        self.edited_meanwhile = False
        self.seen: dict[str, int] = {}  # id -> when the model first saw it: a stable order

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        if self.previous_home is None:
            os.environ.pop("LEADJOURNAL_HOME", None)
        else:
            os.environ["LEADJOURNAL_HOME"] = self.previous_home

    # -- the model ---------------------------------------------------------------------

    def path(self, month: str) -> Path:
        return self.home / "entries" / month[:4] / f"{month}.json"

    def merged(self, month: str) -> Records:
        return merge(self.main.get(month, {}), self.copies.get(month, []))

    def months(self) -> list[str]:
        return sorted(set(self.main) | set(self.copies))

    def resolved(self) -> Records:
        """One id, one place (DESIGN.md section 18): section 7's rule across month files;
        on a tie a live record beats a tombstone (a move leaves one dated like the moved
        record), then the copy in the month of its day, then the earlier month."""
        best: Records = {}
        where: dict[str, str] = {}
        for month in self.months():
            for record_id, record in self.merged(month).items():
                held = best.get(record_id)
                if held is None or wins(month, record, where[record_id], held):
                    best[record_id] = record
                    where[record_id] = month
        return best

    def live_in(self, record_id: str) -> list[str]:
        """The months whose file (with its copies) holds the id as a live record."""
        return [
            m
            for m in self.months()
            if record_id in self.merged(m) and "deleted_at" not in self.merged(m)[record_id]
        ]

    def visible(self) -> list[Record]:
        """What `list --json` must show: chronological, then by id (DESIGN.md section 2)."""
        entries = [r for r in self.resolved().values() if is_entry(r)]
        return sorted(entries, key=lambda e: (datetime.fromisoformat(e["created_at"]), e["id"]))

    def visible_commitments(self) -> list[Record]:
        """What `commitments --status all --json` must show: earliest due first, then by
        creation, then id (DESIGN.md section 9)."""
        found = [r for r in self.resolved().values() if is_commitment(r)]
        return sorted(
            found, key=lambda c: (c["due"], datetime.fromisoformat(c["created_at"]), c["id"])
        )

    def linked(self, entry_id: str) -> list[Record]:
        """The visible commitments linked to an entry, by creation (as `show` lists them)."""
        found = [c for c in self.visible_commitments() if c["entry_id"] == entry_id]
        return sorted(found, key=lambda c: (datetime.fromisoformat(c["created_at"]), c["id"]))

    def pick(self, data: st.DataObject) -> Record:
        """A visible entry, chosen independently of the random ids the program made."""
        return data.draw(st.sampled_from(sorted(self.visible(), key=lambda e: self.seen[e["id"]])))

    def pick_commitment(self, data: st.DataObject) -> Record:
        """A visible commitment, chosen independently of the random ids the program made."""
        ordered = sorted(self.visible_commitments(), key=lambda c: self.seen[c["id"]])
        return data.draw(st.sampled_from(ordered))

    def learn(self, records: Records) -> None:
        for record_id in records:
            self.seen.setdefault(record_id, len(self.seen))

    def known_ids(self) -> set[str]:
        ids = {i for records in self.main.values() for i in records}
        return ids | {i for copies in self.copies.values() for c in copies for i in c}

    def stored(self, month: str, record_id: str) -> Record:
        """The record as the program wrote it into the month file."""
        document = json.loads(self.path(month).read_bytes())
        return records_of(document)[record_id]

    def months_with_records(self) -> list[str]:
        """Months whose file holds a live entry or commitment."""
        return sorted(
            m
            for m, records in self.main.items()
            if any(is_entry(r) or is_commitment(r) for r in records.values())
        )

    def tombstone(self, month: str, record_id: str) -> None:
        """The record deleted: its month rewritten, holding the tombstone the program made."""
        records = self.rewrite(month)
        tombstone = self.stored(month, record_id)
        assert set(tombstone) == {"id", "deleted_at"}, tombstone
        records[record_id] = tombstone

    def rewrite(self, month: str) -> Records:
        """A save reads the month with its copies and writes the result: that is the file."""
        self.main[month] = self.merged(month)
        return self.main[month]

    # -- rules -------------------------------------------------------------------------

    @rule(
        text=TEXTS,
        month=st.sampled_from(MONTHS),
        day=st.integers(1, 28),
        minute=st.integers(0, 24 * 60 - 1),
        tags=st.lists(st.sampled_from(TAGS), max_size=3),
    )
    def add(self, text: str, month: str, day: int, minute: int, tags: list[str]) -> None:
        when = when_of(month, day, minute)
        options = [arg for tag in tags for arg in ("--tag", tag)]
        result = cli("write", "--free", "--json", "--date", when, *options, "--", text)
        assert result.code == 0, result
        entry: Record = result.json()
        assert entry.pop("commitments") == []  # write --json carries the linked ones
        assert (entry["text"], entry["tags"]) == (text, list(dict.fromkeys(tags)))
        assert entry["created_at"].startswith(when)
        self.rewrite(month)[entry["id"]] = entry
        self.learn({entry["id"]: entry})

    @precondition(lambda self: bool(self.visible()))
    @rule(data=st.data(), text=TEXTS.filter(lambda t: "#" not in t))  # no inline #tags
    def edit_text(self, data: st.DataObject, text: str) -> None:
        entry = self.pick(data)
        result = cli("edit", entry["id"], f"--text={text}")
        assert result.code == 0, result
        self.after_edit(entry, {"text": text})

    @precondition(lambda self: bool(self.visible()))
    @rule(data=st.data(), tags=st.lists(st.sampled_from(TAGS), min_size=1, max_size=3))
    def edit_tags(self, data: st.DataObject, tags: list[str]) -> None:
        entry = self.pick(data)
        result = cli("edit", entry["id"], *[arg for tag in tags for arg in ("--tag", tag)])
        assert result.code == 0, result
        self.after_edit(entry, {"tags": list(dict.fromkeys(tags))})

    def after_edit(self, entry: Record, change: Record) -> None:
        if {**entry, **change} == entry:
            return  # "Nothing changed.": nothing is written
        self.land(entry["id"], {**entry, **change}["created_at"][:7])
        written = self.resolved()[entry["id"]]
        assert written == {**entry, **change, "updated_at": written["updated_at"]}, written
        assert stamp(written) > stamp(entry), "an edit must win over what it changed"

    def land(self, entry_id: str, month: str) -> None:
        """An edit saved (DESIGN.md section 18): the entry in the month of its day, every
        other month that held a live copy of it rewritten with a tombstone instead; what
        the program stamped is read back from the files."""
        for other in self.live_in(entry_id):
            if other != month:
                self.tombstone(other, entry_id)
        records = self.rewrite(month)
        records[entry_id] = self.stored(month, entry_id)
        assert is_entry(records[entry_id]), records[entry_id]

    @precondition(lambda self: bool(self.visible()))
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        """Deleting an entry deletes the commitments linked to it, in whatever month."""
        entry = self.pick(data)
        linked = self.linked(entry["id"])
        result = cli("delete", entry["id"], "--yes")
        assert result.code == 0, result
        for month in self.live_in(entry["id"]):
            self.tombstone(month, entry["id"])
        for commitment in linked:
            self.tombstone(commitment["created_at"][:7], commitment["id"])

    @precondition(lambda self: bool(self.visible()))
    @rule(
        data=st.data(),
        month=st.sampled_from(MONTHS),
        day=st.integers(1, 28),
        minute=st.integers(0, 24 * 60 - 1),
    )
    def move(self, data: st.DataObject, month: str, day: int, minute: int) -> None:
        """edit --date into any month (often another one): one staged commit of both files."""
        entry = self.pick(data)
        when = when_of(month, day, minute)
        result = cli("edit", entry["id"], "--date", when)
        assert result.code == 0, result
        created = datetime.fromisoformat(when).astimezone().isoformat()
        self.after_edit(entry, {"created_at": created})

    # At most one per example: each starts two real processes (the editor, the other
    # terminal), which would make the machine several times slower.
    @precondition(lambda self: bool(self.visible()) and not self.edited_meanwhile)
    @rule(
        data=st.data(),
        text=TEXTS,
        tags=st.lists(st.sampled_from(TAGS), min_size=1, max_size=2),
    )
    def edit_while_another_terminal_tags(
        self, data: st.DataObject, text: str, tags: list[str]
    ) -> None:
        """`edit ID` in the editor while another terminal (a real process, run by the
        stand-in editor before it saves) sets the entry's tags: both changes land."""
        self.edited_meanwhile = True
        entry = self.pick(data)
        self.root.joinpath("typed.txt").write_text(text, "utf-8")
        editor = self.root / "editor.py"
        if not editor.exists():
            editor.write_text(TAGGING_EDITOR, "utf-8")
        other = list(tags)  # the editor script passes each as --tag
        command = f"{sys.executable} {editor} {self.root / 'typed.txt'} {entry['id']} " + " ".join(
            other
        )
        os.environ["EDITOR"] = command
        try:
            result = cli("edit", entry["id"])
        finally:
            del os.environ["EDITOR"]
        assert result.code == 0, result
        tagged = {**entry, "tags": list(dict.fromkeys(tags))}
        if tagged != entry:  # the other terminal's save
            self.land(entry["id"], entry["created_at"][:7])
            entry = self.resolved()[entry["id"]]
            assert entry["tags"] == tagged["tags"], entry
        self.after_edit(entry, {"text": text})

    # -- commitments (DESIGN.md section 9) ---------------------------------------------

    @rule(
        text=TEXTS,
        month=st.sampled_from(MONTHS),
        day=st.integers(1, 28),
        minute=st.integers(0, 24 * 60 - 1),
        due=DUES,
    )
    def write_with_commitment(
        self, text: str, month: str, day: int, minute: int, due: tuple[str, int] | None
    ) -> None:
        """write --commit: the entry and its commitment, in one write of the entry's month."""
        when = when_of(month, day, minute)
        options, due_day = due_args(due, date.fromisoformat(when[:10]))
        result = cli(
            "write",
            "--free",
            "--json",
            "--date",
            when,
            f"--commit=next: {text}",
            *options,
            "--",
            text,
        )
        assert result.code == 0, result
        entry: Record = result.json()
        (commitment,) = entry.pop("commitments")
        assert entry["text"] == text and entry["created_at"].startswith(when), entry
        expected = {
            "text": f"next: {text}",
            "due": due_day,
            "theme": entry["theme"],
            "entry_id": entry["id"],
            "created_at": entry["created_at"],
            "status": "open",
            "resolved_at": None,
            "note": None,
        }
        assert {k: commitment[k] for k in expected} == expected, commitment
        records = self.rewrite(month)
        records[entry["id"]] = entry
        records[commitment["id"]] = commitment
        self.learn({entry["id"]: entry, commitment["id"]: commitment})

    @rule(
        data=st.data(),
        text=TEXTS,
        month=st.sampled_from(MONTHS),
        day=st.integers(1, 28),
        minute=st.integers(0, 24 * 60 - 1),
        due=DUES,
        theme=st.none() | st.sampled_from(THEMES),
        link=st.booleans(),
    )
    def commit(
        self,
        *,
        data: st.DataObject,
        text: str,
        month: str,
        day: int,
        minute: int,
        due: tuple[str, int] | None,
        theme: str | None,
        link: bool,
    ) -> None:
        """commit: alone, or about an entry (of any month): it lives in its own month."""
        when = when_of(month, day, minute)
        options, due_day = due_args(due, date.fromisoformat(when[:10]))
        entry = self.pick(data) if link and self.visible() else None
        if entry is not None:
            options += ["--entry", entry["id"]]
        if theme is not None:
            options += ["--theme", theme]
        result = cli("commit", "--json", "--date", when, *options, "--", text)
        assert result.code == 0, result
        commitment: Record = result.json()
        expected = {
            "text": text,
            "due": due_day,
            "theme": theme if theme is not None or entry is None else entry["theme"],
            "entry_id": None if entry is None else entry["id"],
            "status": "open",
            "resolved_at": None,
            "note": None,
        }
        assert {k: commitment[k] for k in expected} == expected, commitment
        assert commitment["created_at"].startswith(when), commitment
        self.rewrite(month)[commitment["id"]] = commitment
        self.learn({commitment["id"]: commitment})

    @rule(
        month=st.sampled_from(MONTHS),
        day=st.integers(2, 28),
        early=st.integers(1, 30),
        text=TEXTS,
        blank=st.sampled_from(["", " ", "\n", " \t "]),
        which=st.sampled_from(["due-before", "blank-commit", "blank-write"]),
    )
    def commit_refused(
        self, *, month: str, day: int, early: int, text: str, blank: str, which: str
    ) -> None:
        """A due day before the creation day (exit 2) or an empty commitment text (exit 1,
        not even the entry of `write --commit`): nothing is saved."""
        when = f"{month}-{day:02d}T10:00"
        before = date.fromisoformat(when[:10]) - timedelta(days=early)
        files = {p: p.read_bytes() for p in self.home.glob("entries/*/*.json")}
        if which == "due-before":
            result = cli("commit", "--date", when, "--due", before.isoformat(), "--", text)
            assert result.code == 2, result
        elif which == "blank-commit":
            result = cli("commit", "--date", when, "--", blank)
            assert result.code == 1, result
        else:
            result = cli("write", "--free", "--date", when, f"--commit={blank}", "--", text)
            assert result.code == 1, result
        assert "Traceback" not in result.stderr, result
        assert {p: p.read_bytes() for p in self.home.glob("entries/*/*.json")} == files

    @precondition(lambda self: bool(self.visible_commitments()))
    @rule(
        data=st.data(),
        outcome=st.sampled_from(OUTCOMES),
        note=st.none() | st.just("") | TEXTS,
        later=st.none() | st.integers(0, 60),
    )
    def resolve(
        self, data: st.DataObject, outcome: str, note: str | None, later: int | None
    ) -> None:
        """resolve: the outcome, the note (unchanged, cleared or set) and, when reopened, a
        new due day; applied to the commitment as it is on disk (copies merged)."""
        commitment = self.pick_commitment(data)
        options = [] if note is None else [f"--note={note}"]
        new_due = None
        if outcome == "open" and later is not None:
            created = date.fromisoformat(commitment["created_at"][:10])
            new_due = (created + timedelta(days=later)).isoformat()
            options += ["--due", new_due]
        result = cli("resolve", commitment["id"], outcome, "--json", *options)
        assert result.code == 0, result
        month = commitment["created_at"][:7]
        records = self.rewrite(month)
        written = self.stored(month, commitment["id"])
        assert result.json() == written
        expected = {
            **commitment,
            "status": outcome,
            "note": commitment["note"] if note is None else (note or None),
            "due": new_due or commitment["due"],
        }
        assert {k: written[k] for k in expected if k not in ("updated_at", "resolved_at")} == {
            k: v for k, v in expected.items() if k not in ("updated_at", "resolved_at")
        }, written
        assert stamp(written) > stamp(commitment), "a resolve must win over what it changed"
        if outcome == "open":
            assert written["resolved_at"] is None, written
        else:
            assert written["resolved_at"] is not None, written
        records[commitment["id"]] = written

    @precondition(lambda self: bool(self.visible_commitments()))
    @rule(data=st.data())
    def delete_commitment(self, data: st.DataObject) -> None:
        """delete of a commitment: a tombstone in its month; its entry stays."""
        commitment = self.pick_commitment(data)
        result = cli("delete", commitment["id"], "--yes")
        assert result.code == 0, result
        self.tombstone(commitment["created_at"][:7], commitment["id"])

    # -- sync conflicts ----------------------------------------------------------------

    @precondition(lambda self: bool(self.months_with_records()))
    @rule(
        data=st.data(),
        kind=st.sampled_from(["edit", "add", "tombstone"]),
        delta=DELTAS,
        text=TEXTS,
    )
    def conflict_copy(self, data: st.DataObject, kind: str, delta: int, text: str) -> None:
        """A sync tool leaves a changed copy of a month file beside it: an entry or a
        commitment edited (a commitment also resolved) or deleted there, or an entry added."""
        month = data.draw(st.sampled_from(self.months_with_records()))
        document = json.loads(self.path(month).read_bytes())
        entries: list[Record] = sorted(document["entries"], key=lambda e: self.seen[e["id"]])
        commitments: list[Record] = sorted(
            document["commitments"], key=lambda c: self.seen[c["id"]]
        )
        document["entries"] = entries
        document["commitments"] = commitments
        if kind != "add" and entries + commitments:
            target = data.draw(st.sampled_from(entries + commitments))
            changed_at = (stamp(target) + timedelta(seconds=delta)).isoformat()
            home = commitments if is_commitment(target) else entries
            home.remove(target)
            if kind == "edit" and is_commitment(target):
                home.append(
                    {
                        **target,
                        "text": text,
                        "status": "kept",
                        "resolved_at": changed_at,
                        "updated_at": changed_at,
                    }
                )
            elif kind == "edit":
                home.append({**target, "text": text, "updated_at": changed_at})
            else:
                document["tombstones"].append({"id": target["id"], "deleted_at": changed_at})
        else:
            new_id = data.draw(
                st.binary(min_size=8, max_size=8)
                .map(bytes.hex)
                .filter(lambda i: i not in self.known_ids())
            )
            day = data.draw(st.integers(1, 28))
            created = f"{month}-{day:02d}T08:00:00+00:00"
            entries.append(
                {
                    "id": new_id,
                    "created_at": created,
                    "updated_at": created,
                    "theme": None,
                    "prompt_id": None,
                    "prompt": None,
                    "text": text,
                    "tags": [],
                    "guide": None,  # an ordinary entry, as this version writes it
                    "steps": [],
                }
            )
        self.made_copies += 1
        name = f"{month}.sync-conflict-20261106-101010-{self.made_copies:07d}.json"
        copy = self.path(month).with_name(name)
        copy.write_text(json.dumps(document, ensure_ascii=False, indent=2), "utf-8")
        copy.chmod(0o600)
        self.copies.setdefault(month, []).append(records_of(document))
        self.learn(records_of(document))

    @precondition(lambda self: any(self.copies.values()))
    @rule()
    def doctor_fix(self) -> None:
        """Merges every copy. What stays is a commitment whose entry a copy deleted: doctor
        names each such dangling link (it keeps the commitment) and exits 1 for them."""
        result = cli("doctor", "--fix", "--json")
        for month, copies in self.copies.items():
            if copies:
                self.moved_copies += len(copies)
                self.rewrite(month)
                copies.clear()
        # One id, one place: an id live in several months, or live where a tombstone in
        # another month wins, is left once: the winner in its month, tombstones elsewhere.
        winners = self.resolved()
        for record_id, winner in winners.items():
            places = self.live_in(record_id)
            home = None if "deleted_at" in winner else winner["created_at"][:7]
            if len(places) > 1 or (places and home not in places):
                for month in sorted({*places, *([home] if home else [])}):
                    self.rewrite(month)[record_id] = self.stored(month, record_id)
                    expected = winner if month == home else {"id": record_id}
                    assert {k: self.main[month][record_id][k] for k in expected} == expected
        entry_ids = {e["id"] for e in self.visible()}
        dangling = [
            c["id"]
            for c in self.visible_commitments()
            if c["entry_id"] is not None and c["entry_id"] not in entry_ids
        ]
        left = [p["kind"] for p in result.json()["problems"] if not p["fixed"]]
        assert left == ["dangling-link"] * len(dangling), result
        assert result.code == (1 if dangling else 0), result
        assert not list(self.home.glob("entries/*/*sync-conflict*")), "a copy was left"
        kept = list(self.home.glob("backups/*/entries/*/*sync-conflict*"))
        assert len(kept) == self.moved_copies, "a conflict copy was deleted, not moved"

    @precondition(lambda self: bool(self.visible()))
    @rule(data=st.data())
    def reload(self, data: st.DataObject) -> None:
        """Read back through the store itself and through `show --json`."""
        from leadjournal import store

        loaded = [e.model_dump(mode="json") for e in store.load_entries()]
        assert loaded == self.visible()
        entry = self.pick(data)
        shown = cli("show", entry["id"], "--json")
        assert shown.code == 0, shown
        assert shown.json() == {**entry, "commitments": self.linked(entry["id"])}
        if self.visible_commitments():
            commitment = self.pick_commitment(data)
            shown = cli("show", commitment["id"], "--json")
            assert shown.code == 0, shown
            assert shown.json() == commitment

    # -- the invariant -----------------------------------------------------------------

    @invariant()
    def list_equals_the_model(self) -> None:
        result = cli("list", "--json")
        assert result.code == 0, result
        assert "Traceback" not in result.stderr
        assert result.json() == self.visible()

    @invariant()
    def commitments_equal_the_model(self) -> None:
        result = cli("commitments", "--status", "all", "--json")
        assert result.code == 0, result
        assert "Traceback" not in result.stderr
        assert result.json() == self.visible_commitments()


def test_the_journal_behaves_like_a_dict_of_entries_through_any_sequence_of_commands() -> None:
    with local_zone("UTC"):  # the same local times on every machine (no DST gaps)
        run_state_machine_as_test(
            JournalMachine,
            settings=settings(
                max_examples=60,
                stateful_step_count=30,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            ),
        )


# The stand-in editor of `edit_while_another_terminal_tags`: runs `leadjournal edit ID
# --tag ...` as a separate process (another terminal saving while the editor is open),
# then writes the typed text below the template's marker.
TAGGING_EDITOR = """
import subprocess, sys
from pathlib import Path
typed, entry_id, *tags, draft = sys.argv[1:]
other = [sys.executable, "-m", "leadjournal", "edit", entry_id]
for tag in tags:
    other += ["--tag", tag]
done = subprocess.run(other, capture_output=True)
if done.returncode != 0:
    sys.exit(done.stderr.decode(errors="replace"))
path = Path(draft)
head = [line for line in path.read_text("utf-8").split("\\n") if line.startswith("%% ")]
path.write_text("\\n".join(head) + "\\n" + Path(typed).read_text("utf-8") + "\\n", "utf-8")
"""


# ---------------------------------------------------------------------------------------
# Found while building the machine: a copy from a device whose clock is ahead.


def clock_ahead_copy(home: Path) -> str:
    """One entry, and a conflict copy that edited it on a device whose clock is an hour ahead."""
    result = cli("write", "--free", "--json", "--date", "2026-10-05T10:00", "original")
    assert result.code == 0, result
    entry = result.json()
    month = home / "entries" / "2026" / "2026-10.json"
    document = json.loads(month.read_bytes())
    ahead = datetime.now().astimezone() + timedelta(hours=1)
    document["entries"][0].update(text="edited on the laptop", updated_at=ahead.isoformat())
    copy = month.with_name("2026-10.sync-conflict-20261106-101010-ABCDEFG.json")
    copy.write_text(json.dumps(document), "utf-8")
    copy.chmod(0o600)
    entry_id: str = entry["id"]
    return entry_id


def test_a_reported_delete_hides_the_entry_even_when_a_copy_is_dated_ahead(home: Path) -> None:
    entry_id = clock_ahead_copy(home)
    result = cli("delete", entry_id, "--yes")
    assert result.code == 0, result
    assert cli("list", "--json").json() == []


def test_a_reported_edit_shows_even_when_a_copy_is_dated_ahead(home: Path) -> None:
    entry_id = clock_ahead_copy(home)
    result = cli("edit", entry_id, "--text", "edited here, now")
    assert result.code == 0, result
    assert [e["text"] for e in cli("list", "--json").json()] == ["edited here, now"]
