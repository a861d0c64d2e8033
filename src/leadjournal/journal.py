"""The journal's use cases: what `write`, `list`, `edit` and `today` do, between the CLI and
the store. No printing here; the CLI renders what these return."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from leadjournal import store
from leadjournal.errors import NothingToSaveError, UsageError
from leadjournal.text import clean_str

if TYPE_CHECKING:
    from leadjournal.history import History
    from leadjournal.models import Entry
    from leadjournal.prompts import Prompt, PromptSet
    from leadjournal.store import Warn


@dataclass
class Filters:
    """FILTERS of DESIGN.md section 2: inclusive local dates, themes, tags, a search text."""

    since: date | None = None
    until: date | None = None
    themes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    search: str | None = None

    def matches(self, entry: Entry) -> bool:
        if self.themes and entry.theme not in self.themes:
            return False
        if self.tags and not set(self.tags) & set(entry.tags):
            return False
        if self.search:
            needle = self.search.casefold()
            if (
                needle not in entry.text.casefold()
                and needle not in (entry.prompt or "").casefold()
            ):
                return False
        return True


def select_entries(filters: Filters, warn: Warn, limit: int | None = None) -> list[Entry]:
    """Entries matching the filters, chronological; with `limit`, the most recent ones."""
    if filters.since and filters.until and filters.since > filters.until:
        raise UsageError(
            f"--since {filters.since} is after --until {filters.until}: no day can match."
        )
    if limit is not None:
        return store.latest_entries(limit, filters.matches, filters.since, filters.until, warn)
    return [e for e in store.load_entries(filters.since, filters.until, warn) if filters.matches(e)]


def prepare_text(raw: str) -> tuple[str, int]:
    """Clean the text and trim blank lines around it; refuse an empty one."""
    text, replaced = clean_str(raw)
    text = text.rstrip()
    while text.startswith("\n"):
        text = text[1:]
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    text = "\n".join(lines)
    if not text.strip():
        raise NothingToSaveError("Nothing to save: the text is empty.")
    return text, replaced


@dataclass
class PromptChoice:
    """What a new entry answers: the day's prompt (optionally within a theme), a given
    prompt, or nothing (free writing, optionally with a theme)."""

    prompt: Prompt | None
    theme: str | None
    history: History | None


def choose_for_entry(
    day: date,
    prompt_set: PromptSet,
    today: date,
    warn: Warn,
    *,
    free: bool,
    theme: str | None,
    prompt_id: str | None,
) -> PromptChoice:
    from leadjournal import history

    if prompt_id is not None and (free or theme is not None):
        raise UsageError("--prompt cannot be combined with --free or --theme.")
    if theme is not None:
        prompt_set.theme(theme)  # unknown theme: a usage error
    if prompt_id is not None:
        prompt = prompt_set.prompt(prompt_id)
        loaded = history.load_history(prompt_set, today, warn)
        return PromptChoice(prompt, prompt.theme, loaded)
    if free:
        return PromptChoice(None, theme, None)
    chosen = history.todays_order(day, prompt_set, today, warn, theme)
    return PromptChoice(chosen.order[0], chosen.order[0].theme, chosen.history)


def new_entry(text: str, when: datetime, choice: PromptChoice, tags: list[str]) -> Entry:
    from leadjournal.models import Entry, now_local

    return Entry(
        id=store.new_id(),
        created_at=when,
        updated_at=now_local(),
        theme=choice.theme,
        prompt_id=choice.prompt.id if choice.prompt else None,
        prompt=choice.prompt.text if choice.prompt else None,
        text=text,
        tags=list(dict.fromkeys(tags)),
    )


def earlier_answer(entry: Entry, history: History | None, warn: Warn) -> Entry | None:
    """The most recent earlier answer to the same prompt, if there is one.

    The index says when the prompt was last answered; only the month files around that
    instant are read.
    """
    if entry.prompt_id is None or history is None:
        return None
    instants = [a.at for a in history.recent if a.prompt_id == entry.prompt_id]
    if entry.prompt_id in history.base.last:
        instants.append(history.base.last[entry.prompt_id])
    mine = entry.created_at.timestamp()
    instants = [at for at in instants if at <= mine]
    if not instants:
        return None
    moment = datetime.fromtimestamp(max(instants)).astimezone()
    candidates = store.load_entries(
        moment.date() - timedelta(days=2), moment.date() + timedelta(days=2), warn
    )
    earlier = [
        e
        for e in candidates
        if e.prompt_id == entry.prompt_id and e.id != entry.id and e.created_at <= entry.created_at
    ]
    return earlier[-1] if earlier else None


@dataclass
class Status:
    entries_this_week: int
    days_since_last: int | None


def status(history: History, today: date, week_start: str) -> Status:
    from leadjournal.dates import week_bounds

    start, end = week_bounds(today, week_start)
    count = sum(1 for a in history.recent if start <= a.day <= end)
    since = (today - history.last_day).days if history.last_day else None
    return Status(count, since)
