"""The derived prompt-history index under <home>/cache/: what the chooser needs, kept small.

It holds the chooser's state folded over every entry before a cut-off (a month start some
weeks back) and, month by month, the few facts of each later entry. Each month file is
recorded with its signature (mtime, size, inode): a later month that changed is re-read
alone, an older one triggers a full rebuild. The index is a cache: deleting it is always
safe, and a missing, stale or unreadable one is rebuilt from the month files.
"""

from __future__ import annotations

import json
from contextlib import suppress
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from leadjournal import fsio, paths, store
from leadjournal.errors import CorruptFileError
from leadjournal.prompts.choose import Answer, HistoryState, fold, history_order

if TYPE_CHECKING:
    from leadjournal.errors import Warn
    from leadjournal.models import MonthFile
    from leadjournal.prompts.promptset import PromptSet

INDEX_VERSION = 4  # 4: the base state keeps a cycle of the prompts for everyone
RECENT_DAYS = 45  # backdated writes within this many days update the index in place


def index_path() -> Path:
    return paths.cache_dir() / "history.json"


def _signature(path: Path) -> list[object]:
    return store.month_signature(path)


def _rel(path: Path) -> str:
    return path.relative_to(paths.entries_dir()).as_posix()


def _month_start(rel: str) -> date:
    name = rel.rsplit("/", 1)[-1]
    return date(int(name[:4]), int(name[5:7]), 1)


def answers_of(month: MonthFile) -> list[Answer]:
    return [Answer(e.day, e.created_at.timestamp(), e.theme, e.prompt_id) for e in month.entries]


def _pack(answers: list[Answer]) -> list[list[Any]]:
    return [[a.day.toordinal(), a.at, a.theme, a.prompt_id] for a in answers]


def _unpack(rows: list[list[Any]]) -> list[Answer]:
    days: dict[int, date] = {}  # a day's entries share one date object: fewer to build
    new = tuple.__new__  # Answer's own __new__ is a Python call a row: a third of the time
    answers = []
    for day, at, theme, prompt_id in rows:
        when = days.get(day)
        if when is None:
            when = days[day] = date.fromordinal(day)
        answers.append(new(Answer, (when, at, theme, prompt_id)))
    return answers


class History(NamedTuple):
    """The loaded index: the folded state before `cutoff` and the answers since."""

    cutoff: date
    base: HistoryState
    recent: list[Answer]  # chronological
    base_days: list[int]  # ordinals of the days with entries before the cutoff

    @property
    def days(self) -> list[date]:
        """Every day with at least one entry, in the whole journal, sorted."""
        ordinals = set(self.base_days)
        ordinals.update(map(date.toordinal, {a.day for a in self.recent}))
        return list(map(date.fromordinal, sorted(ordinals)))

    @property
    def day_ordinals(self) -> list[int]:
        """`days` as sorted ordinals, without a date object a day (the streaks)."""
        return sorted(set(self.base_days).union(map(date.toordinal, {a.day for a in self.recent})))

    @property
    def last_day(self) -> date | None:
        if self.recent:
            return max(a.day for a in self.recent)
        return date.fromordinal(self.base_days[-1]) if self.base_days else None


def _read_month_answers(path: Path, warn: Warn) -> tuple[list[Answer], str | None]:
    """The month's answers, and what is wrong with it when it cannot be read."""
    try:
        return answers_of(store.read_month(path, warn)), None
    except CorruptFileError as exc:
        warn(store.skipped_message(exc))
        return [], exc.problem


def _rebuild(prompt_set: PromptSet, today: date, warn: Warn) -> dict[str, Any]:
    cutoff = (today - timedelta(days=RECENT_DAYS)).replace(day=1)
    base_answers: list[Answer] = []
    base_months: dict[str, list[object]] = {}
    recent: dict[str, dict[str, Any]] = {}
    corrupt: dict[str, str] = {}
    for path in store.month_paths(warn=warn):
        signature = _signature(path)
        answers, problem = _read_month_answers(path, warn)
        rel = _rel(path)
        if problem is not None:
            corrupt[rel] = problem
        if _month_start(rel) < cutoff:
            base_months[rel] = signature
            base_answers.extend(answers)
        else:
            recent[rel] = {"sig": signature, "answers": _pack(answers), "problem": problem}
    base_answers.sort(key=history_order)
    base = fold(HistoryState(), base_answers, prompt_set)
    return {
        "version": INDEX_VERSION,
        "prompts": prompt_set.signature(),
        "cutoff": cutoff.isoformat(),
        "base": base.to_json(),
        "base_months": base_months,
        "base_days": sorted({a.day.toordinal() for a in base_answers}),
        "base_corrupt": {c: p for c, p in corrupt.items() if _month_start(c) < cutoff},
        "recent": recent,
    }


def _load_raw() -> dict[str, Any] | None:
    try:
        data = json.loads(fsio.read_regular(index_path()))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
        return None
    try:  # a cache of the right version but the wrong shape is as good as none
        date.fromisoformat(data["cutoff"])
        shaped = (
            isinstance(data["prompts"], str)
            and isinstance(data["base_months"], dict)
            and isinstance(data["base_corrupt"], dict)
            and all("sig" in month for month in data["recent"].values())
        )
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None
    return data if shaped else None


def _save_raw(data: dict[str, Any]) -> None:
    payload = json.dumps(data, separators=(",", ":")).encode()
    fsio.write_cache(index_path(), payload)


def _current_signatures() -> dict[str, list[object]]:
    return store.month_signatures()


def load_history(prompt_set: PromptSet, today: date, warn: Warn) -> History:
    """The index, brought up to date with the month files (rebuilding what changed)."""
    current = _current_signatures()
    data = _usable_index(current, prompt_set)
    if data is not None:
        changed = _refresh_recent(data, current, warn)
        changed = _roll_forward(data, prompt_set, today) or changed
        try:
            history = _history_from(data)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            data = None  # a damaged cache: rebuild it
        else:
            if changed:
                _save_raw(data)
            return history
    data = _rebuild(prompt_set, today, warn)
    _save_raw(data)
    return _history_from(data)


def _roll_forward(data: dict[str, Any], prompt_set: PromptSet, today: date) -> bool:
    """Fold recent months that have grown old into the base state, so the part of the
    index read on every call stays a few weeks long however long the journal is used."""
    cutoff = date.fromisoformat(data["cutoff"])
    target = (today - timedelta(days=RECENT_DAYS)).replace(day=1)
    if target <= cutoff:
        return False
    aging = sorted(rel for rel in data["recent"] if _month_start(rel) < target)
    answers = [a for rel in aging for a in _unpack(data["recent"][rel]["answers"])]
    answers.sort(key=history_order)
    base = fold(HistoryState.from_json(data["base"]), answers, prompt_set)
    data["base"] = base.to_json()
    data["base_days"] = sorted(set(data["base_days"]) | {a.day.toordinal() for a in answers})
    for rel in aging:
        month = data["recent"].pop(rel)
        data["base_months"][rel] = month["sig"]
        if month.get("problem"):
            data["base_corrupt"][rel] = month["problem"]
    data["cutoff"] = target.isoformat()
    return True


def _usable_index(current: dict[str, list[object]], prompt_set: PromptSet) -> dict[str, Any] | None:
    """The stored index, unless it was built for other prompts or an older month changed."""
    data = _load_raw()
    if data is None or data.get("prompts") != prompt_set.signature():
        return None
    cutoff = date.fromisoformat(data["cutoff"])
    old = {rel: sig for rel, sig in current.items() if _month_start(rel) < cutoff}
    return data if old == data["base_months"] else None


def _refresh_recent(data: dict[str, Any], current: dict[str, list[object]], warn: Warn) -> bool:
    """Re-read the recent months that changed; True when the index changed."""
    cutoff = date.fromisoformat(data["cutoff"])
    recent = data["recent"]
    changed = False
    for rel in [r for r in recent if r not in current]:
        del recent[rel]
        changed = True
    for rel, sig in current.items():
        if _month_start(rel) < cutoff:
            continue
        known = recent.get(rel)
        if known is None or known["sig"] != sig:
            answers, problem = _read_month_answers(paths.entries_dir() / rel, warn)
            recent[rel] = {"sig": sig, "answers": _pack(answers), "problem": problem}
            changed = True
        elif known.get("problem"):
            _warn_unreadable(rel, known["problem"], warn)
    for rel, problem in data["base_corrupt"].items():
        _warn_unreadable(rel, problem, warn)
    return changed


def is_fresh(prompt_set: PromptSet) -> bool:
    """Whether the stored index matches the month files as they are now."""
    current = _current_signatures()
    data = _usable_index(current, prompt_set)
    if data is None:
        return False
    cutoff = date.fromisoformat(data["cutoff"])
    recent = {rel: sig for rel, sig in current.items() if _month_start(rel) >= cutoff}
    return recent == {rel: month["sig"] for rel, month in data["recent"].items()}


def _warn_unreadable(rel: str, problem: str, warn: Warn) -> None:
    warn(store.skipped_text(paths.entries_dir() / rel, problem))


def _history_from(data: dict[str, Any]) -> History:
    recent = [a for month in data["recent"].values() for a in _unpack(month["answers"])]
    recent.sort(key=history_order)
    return History(
        cutoff=date.fromisoformat(data["cutoff"]),
        base=HistoryState.from_json(data["base"]),
        recent=recent,
        base_days=data["base_days"],
    )


def note_month(path: Path, month: MonthFile) -> None:
    """Record a month file just written (the caller holds the journal lock): the store's
    OnSaved callback, passed in by the use cases of journal.py.

    Best effort: the month file is already saved, so nothing here may fail the command.
    If the index cannot be updated, it is removed and rebuilt on the next read.
    """
    try:
        _note_month(path, month)
    except (OSError, ValueError, KeyError, TypeError):
        with suppress(OSError):
            index_path().unlink()


def note_same_entries(path: Path, month: MonthFile, before: list[object]) -> None:
    """note_month for a month rewritten with the entries it was read with (a commitment
    changed in it), `before` the signature of its files when they were read under the
    lock: if the index knew the month at that signature, its answers stand and only the
    signature moves (no rebuild for a month older than the index's cutoff)."""
    try:
        data = _load_raw()
        if data is None:
            return
        rel = _rel(path)
        recent = data["recent"].get(rel)
        if recent is not None and recent["sig"] == before:
            recent["sig"] = _signature(path)
        elif recent is None and data["base_months"].get(rel) == before:
            data["base_months"][rel] = _signature(path)
        else:
            _note_month(path, month)
            return
        _save_raw(data)
    except (OSError, ValueError, KeyError, TypeError):
        with suppress(OSError):
            index_path().unlink()


def _note_month(path: Path, month: MonthFile) -> None:
    data = _load_raw()
    if data is None:
        return
    rel = _rel(path)
    cutoff = date.fromisoformat(data["cutoff"])
    if _month_start(rel) < cutoff:
        # The folded state cannot take back an older answer: rebuild on the next read.
        with suppress(OSError):
            index_path().unlink()
        return
    answers = _pack(answers_of(month))
    data["recent"][rel] = {"sig": _signature(path), "answers": answers, "problem": None}
    _save_raw(data)


def all_answers(warn: Warn) -> list[Answer]:
    """Every entry's answer, read from the month files (for a day before the index's
    window: an old `prompt --date`)."""
    answers: list[Answer] = []
    for path in store.month_paths(warn=warn):
        answers.extend(_read_month_answers(path, warn)[0])
    return answers
