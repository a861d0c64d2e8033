"""The use cases: what each command does, between the command line and the store.

Each function takes what the command parsed (and the day, the prompt set and `warn`,
passed in, never read from a global), does one job and returns a result object that the
CLI renders as text or JSON. No printing and no argv here. This is the only layer that
wires the store to the derived indexes: every write passes `history.note_month` as the
store's `on_saved` callback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from leadjournal import history, store
from leadjournal.config import offers_managers_prompts
from leadjournal.errors import JournalError, NothingToSaveError, UsageError, Warn
from leadjournal.prompts.choose import (
    Answer,
    choose,
    explain,
    fold,
    prompt_order,
    window_counts,
    window_start,
)
from leadjournal.text import clean_str

if TYPE_CHECKING:
    from leadjournal.editor import Draft
    from leadjournal.history import History
    from leadjournal.importers import Parsed, Source
    from leadjournal.models import Entry, ImportReport, Summary, SummaryWeeks
    from leadjournal.prompts.promptset import Prompt, PromptSet
    from leadjournal.summary import Period, Review

Advance = Callable[[int], None]


class Progress(Protocol):
    """How a use case shows progress on long work without knowing about terminals: the CLI
    passes render.progress.Shown (a bar on a terminal for long jobs, else nothing)."""

    def bar(
        self, total: int, description: str, *, data_on_stdout: bool = False
    ) -> AbstractContextManager[Advance]:
        """A context yielding `advance(n)` over `total` items."""
        ...

    def working(self, total: int, description: str) -> AbstractContextManager[None]:
        """A spinner for a step over `total` items that cannot count its progress."""
        ...


def _nothing(_: int) -> None:
    return None


class NoProgress:
    """Progress that shows nothing (scripts, tests)."""

    def bar(
        self, total: int, description: str, *, data_on_stdout: bool = False
    ) -> AbstractContextManager[Advance]:
        return nullcontext(_nothing)

    def working(self, total: int, description: str) -> AbstractContextManager[None]:
        return nullcontext()


# ---------------------------------------------------------------------------------------
# The prompt of the day


class DayChoice(NamedTuple):
    """The day's prompts in order of preference, and what they were chosen from."""

    order: list[Prompt]
    counts: dict[str, int]  # entries per theme in the window before the day
    history: History


def todays_order(
    day: date,
    prompt_set: PromptSet,
    today: date,
    warn: Warn,
    theme_id: str | None = None,
    *,
    role: str | None,
) -> DayChoice:
    """The preference order for `day`, from the index when it covers the day's window,
    else from the full history (an old --date). Both give what `choose` gives. `role` is
    config.toml's: with "individual", the prompts for managers are left out."""
    include_managers = offers_managers_prompts(role)
    loaded = history.load_history(prompt_set, today, warn)
    if window_start(day) >= loaded.cutoff:
        before = [a for a in loaded.recent if a.day < day]
        state = fold(loaded.base, before, prompt_set)
        counts = window_counts(before, day)
        order = prompt_order(
            day, prompt_set, state, counts, theme_id, include_managers=include_managers
        )
        return DayChoice(order, counts, loaded)
    answers: list[Answer] = history.all_answers(warn)
    counts = window_counts(answers, day)
    order = choose(day, prompt_set, answers, theme_id, include_managers=include_managers)
    return DayChoice(order, counts, loaded)


@dataclass
class Status:
    entries_this_week: int
    days_since_last: int | None


@dataclass
class TodayView:
    """What `today` shows: the prompt of the day and a line of status."""

    day: date
    prompt: Prompt
    status: Status


def today_view(
    prompt_set: PromptSet, today: date, week_start: str, role: str | None, warn: Warn
) -> TodayView:
    chosen = todays_order(today, prompt_set, today, warn, role=role)
    return TodayView(today, chosen.order[0], status(chosen.history, today, week_start))


def status(loaded: History, today: date, week_start: str) -> Status:
    from leadjournal.dates import week_bounds

    start, end = week_bounds(today, week_start)
    count = sum(1 for a in loaded.recent if start <= a.day <= end)
    since = (today - loaded.last_day).days if loaded.last_day else None
    return Status(count, since)


@dataclass
class PromptOfDay:
    """`prompt`: the prompt offered for a day, and (with --why) why."""

    day: date
    prompt: Prompt
    reason: str | None


def prompt_of_day(
    day: date,
    prompt_set: PromptSet,
    today: date,
    warn: Warn,
    *,
    theme: str | None = None,
    another: bool = False,
    why: bool = False,
    role: str | None,
) -> PromptOfDay:
    """The prompt of `day` (within a theme), or the day's next choice with `another`."""
    chosen = todays_order(day, prompt_set, today, warn, theme, role=role)
    order = chosen.order
    picked = order[1] if another and len(order) > 1 else order[0]
    reason = None
    if why:
        reason = explain(picked, prompt_set, chosen.counts, theme is not None)
        if another:
            reason = "the day's next choice after " + order[0].id
        if not offers_managers_prompts(role):
            reason += '; prompts for managers are left out (role = "individual")'
    return PromptOfDay(day, picked, reason)


# ---------------------------------------------------------------------------------------
# Listing and finding


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


def find_entry(ref: str, warn: Warn) -> Entry:
    """The entry `ref` names (a full id or a unique prefix of 4+ characters)."""
    return store.find_entry(ref, warn)[1]


# ---------------------------------------------------------------------------------------
# Writing


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


def _note_replaced(count: int, warn: Warn) -> None:
    if count:
        plural = count > 1
        warn(
            f"{count} character{'s' if plural else ''} of the text {'were' if plural else 'was'} "
            "not valid UTF-8 and became \ufffd."
        )


def _decoded(text: str | bytes, warn: Warn) -> str:
    """Text from argv as it is; bytes from standard input decoded, bad bytes said once."""
    if isinstance(text, str):
        return text
    from leadjournal.text import decode_bytes

    decoded, replaced = decode_bytes(text)
    _note_replaced(replaced, warn)
    return decoded


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
    role: str | None,
) -> PromptChoice:
    """`--prompt ID` answers any prompt, whoever it is for; the day's prompt (within a
    theme) follows the role."""
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
    chosen = todays_order(day, prompt_set, today, warn, theme, role=role)
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


@dataclass
class WriteRequest:
    """`write`, as parsed. `text` is TEXT (str), standard input's bytes, or None: open the
    editor on a template that shows the prompt."""

    text: str | bytes | None
    when: datetime
    tags: list[str] = field(default_factory=list)
    free: bool = False
    theme: str | None = None
    prompt_id: str | None = None
    earlier: bool = True  # look up the earlier answer to the same prompt


@dataclass
class WriteResult:
    entry: Entry
    earlier: Entry | None  # the most recent earlier answer to the same prompt


def write_entry(
    request: WriteRequest, prompt_set: PromptSet, today: date, warn: Warn, *, role: str | None
) -> WriteResult:
    """Save a new entry. In the editor, what was typed is kept as a draft if the save
    fails (and the message says where); an empty text saves nothing. `role` is
    config.toml's (which prompts the day may offer)."""
    from leadjournal.text import normalize_tag

    tags = [normalize_tag(t) for t in request.tags]
    choice = choose_for_entry(
        request.when.date(),
        prompt_set,
        today,
        warn,
        free=request.free,
        theme=request.theme,
        prompt_id=request.prompt_id,
        role=role,
    )
    draft = None
    if request.text is None:
        from leadjournal import fsio

        fsio.check_writable_home()  # fail before the editor opens, not after
        raw, draft = _compose(
            choice.prompt.text if choice.prompt else None, choice.prompt, choice.theme, prompt_set
        )
    else:
        raw = _decoded(request.text, warn)
    with _draft_kept_on_failure(draft, discard_if_empty=True):
        body, replaced = prepare_text(raw)
        _note_replaced(replaced, warn)
        entry = new_entry(body, request.when, choice, tags)
        store.add_entry(entry, on_saved=history.note_month)
    earlier = earlier_answer(entry, choice.history, warn) if request.earlier else None
    return WriteResult(entry, earlier)


def _compose(
    text: str | None,
    prompt: Prompt | None,
    theme_id: str | None,
    prompt_set: PromptSet,
    body: str = "",
) -> tuple[str, Draft]:
    """Open the editor on the template (the question as `text` reads, its follow-up, the
    theme and the prompt's idea, or without one what the theme is about); what the writer
    typed, and the draft file."""
    from leadjournal import editor
    from leadjournal.config import load_config

    theme = prompt_set.theme_by_id.get(theme_id or "")
    idea = prompt.idea if prompt is not None else None
    initial = editor.template(
        text,
        theme.name if theme else None,
        idea,
        body,
        follow_up=prompt.follow_up if prompt is not None else None,
        about=theme.description if theme is not None and not idea else None,
    )
    edited, draft = editor.edit_text(initial, load_config().editor)
    return editor.extract(edited), draft


@contextmanager
def _draft_kept_on_failure(draft: Draft | None, *, discard_if_empty: bool) -> Iterator[None]:
    """The life of an editor draft around a save: deleted once the save succeeded; kept
    (and named in the error) when it failed; deleted when there was nothing to save."""
    if draft is None:
        yield
        return
    try:
        yield
    except NothingToSaveError:
        if discard_if_empty:
            draft.discard()
        raise
    except JournalError as exc:
        exc.hint = f"What you typed is kept in {draft.path}."
        raise
    draft.discard()


def earlier_answer(entry: Entry, loaded: History | None, warn: Warn) -> Entry | None:
    """The most recent earlier answer to the same prompt, if there is one.

    The index says when the prompt was last answered; only the month files around that
    instant are read.
    """
    if entry.prompt_id is None or loaded is None:
        return None
    instants = [a.at for a in loaded.recent if a.prompt_id == entry.prompt_id]
    if entry.prompt_id in loaded.base.last:
        instants.append(loaded.base.last[entry.prompt_id])
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


# ---------------------------------------------------------------------------------------
# Editing and deleting


@dataclass
class EditRequest:
    """`edit ID`: with none of text, theme and tags given, the editor opens."""

    ref: str
    text: str | None = None
    theme: str | None = None
    tags: list[str] | None = None


@dataclass
class EditResult:
    entry: Entry  # as saved (or as it was, when nothing changed)
    changed: bool


def edit_entry(request: EditRequest, prompt_set: PromptSet, warn: Warn) -> EditResult:
    """Change an entry's text, theme or tags; in the editor when no option is given."""
    from leadjournal.models import now_local
    from leadjournal.text import normalize_tag

    if request.theme is not None:
        prompt_set.theme(request.theme)
    new_tags = [normalize_tag(t) for t in request.tags] if request.tags else None
    path, entry = store.find_entry(request.ref, warn)
    draft = None
    body = entry.text
    if request.text is not None:
        body, replaced = prepare_text(request.text)
        _note_replaced(replaced, warn)
    elif request.theme is None and new_tags is None:
        answered = prompt_set.by_id.get(entry.prompt_id or "")
        if answered is not None and answered.text != entry.prompt:
            answered = None  # reworded since: its follow-up and idea may not fit the answer
        edited, draft = _compose(entry.prompt, answered, entry.theme, prompt_set, entry.text)
        try:
            body, replaced = prepare_text(edited)
        except JournalError:
            draft.discard()
            raise JournalError(
                "The text is empty, so the entry was left as it was.",
                hint="To remove it, use 'leadjournal delete'.",
            ) from None
        _note_replaced(replaced, warn)
    changed = entry.model_copy(
        update={
            "text": body,
            "theme": request.theme if request.theme is not None else entry.theme,
            "tags": list(dict.fromkeys(new_tags)) if new_tags is not None else entry.tags,
        }
    )
    if changed == entry:
        if draft is not None:
            draft.discard()
        return EditResult(entry, changed=False)
    changed.updated_at = now_local()
    with _draft_kept_on_failure(draft, discard_if_empty=False):
        saved = store.replace_entry(path, changed, on_saved=history.note_month)
    return EditResult(saved, changed=True)


@dataclass
class DeleteResult:
    entry: Entry
    deleted: bool  # False when the user said no


def delete_entry(ref: str, confirm: Callable[[Entry], bool] | None, warn: Warn) -> DeleteResult:
    """Delete the entry `ref` names, leaving a tombstone; `confirm` (None: --yes) is asked
    first and may refuse."""
    from leadjournal.models import now_local

    path, entry = store.find_entry(ref, warn)
    if confirm is not None and not confirm(entry):
        return DeleteResult(entry, deleted=False)
    store.delete_entry(path, entry.id, now_local(), on_saved=history.note_month)
    return DeleteResult(entry, deleted=True)


# ---------------------------------------------------------------------------------------
# The summary


def summary_json(
    period: Period, prompt_set: PromptSet, today: date, warn: Warn, *, by_week: bool
) -> Summary | SummaryWeeks:
    """`summary --json`: the tally of the period, or one per week with --weeks."""
    from leadjournal import summary as core
    from leadjournal.models import SummaryWeeks

    entries = store.load_entries(period.start, period.end, warn)
    all_days = frozenset(history.load_history(prompt_set, today, warn).days)
    if not by_week:
        return core.summarize(entries, period, prompt_set.themes, all_days, today)
    weeks = core.summarize_weeks(entries, period, prompt_set.themes, all_days, today)
    return SummaryWeeks(weeks=weeks)


def summary_review(
    period: Period,
    prompt_set: PromptSet,
    today: date,
    warn: Warn,
    *,
    week_start: str,
    by_week: bool,
    role: str | None,
) -> Review:
    """What the human `summary` shows: the period, the one before it for comparison, and
    a prompt from the least-reflected theme (the way the prompt of the day would break ties)."""
    from leadjournal import summary as core

    entries = store.load_entries(period.previous().start, period.end, warn)
    choice = todays_order(today, prompt_set, today, warn, role=role)
    return core.review(
        entries,
        period,
        prompt_set.themes,
        frozenset(choice.history.days),
        today,
        week_start=week_start,
        by_week=by_week,
        preference=choice.order,
    )


# ---------------------------------------------------------------------------------------
# Import and export


@dataclass
class ImportResult:
    """What `import` did (or, with dry_run, would do)."""

    name: str  # the file as named in messages
    detected: bool  # the format was recognised automatically
    dry_run: bool
    duplicates: int
    empty: int
    report: ImportReport  # added, skipped, source_format: the --json output


def import_file(
    file: str,
    fmt: str,
    warn: Warn,
    *,
    dry_run: bool,
    progress: Progress = NoProgress(),
) -> ImportResult:
    """Import FILE ('-': standard input): all or nothing; what is already in the journal
    (same id, deleted ones included) is skipped."""
    from leadjournal import importers
    from leadjournal.models import ImportReport

    data, name = importers.read_source(file)
    with store.no_gc_pauses():
        source: Source = importers.load(data, fmt, name)
        del data
        with progress.bar(source.count, "Reading") as advance:
            parsed: Parsed = source.convert(advance)
        for note in parsed.notes:
            warn(note)
        if dry_run:
            added, duplicates = importers.new_entries(parsed, store.known_ids(warn))
        else:
            with progress.working(source.count, "Saving…"):
                added, duplicates = store.add_entries(parsed.entries, history.note_month)
    report = ImportReport(
        added=added, skipped=duplicates + parsed.empty, source_format=parsed.source_format
    )
    return ImportResult(name, source.detected, dry_run, duplicates, parsed.empty, report)


@dataclass
class ExportRequest:
    """`export`, as parsed. `target` None is standard output."""

    markdown: bool
    target: Path | None
    daily_notes: bool
    force: bool
    filters: Filters


@dataclass
class ExportResult:
    entries: int
    target: Path | None
    notes: int | None = None  # daily notes written (None: not --split day)


def export_entries(
    request: ExportRequest,
    theme_names: dict[str, str],
    now: datetime,
    warn: Warn,
    *,
    progress: Progress = NoProgress(),
) -> ExportResult:
    """Write the entries as one Markdown document, daily notes or lossless JSON; never
    over an existing file without `force`."""
    from leadjournal import export as convert
    from leadjournal import output

    target = request.target
    if target is not None and not request.daily_notes:
        output.check_file_target(target, force=request.force)  # before the work, not after
    with store.no_gc_pauses():
        entries = select_entries(request.filters, warn)
        if target is not None and request.daily_notes:
            days = convert.group_by_day(entries)
            if not days:
                return ExportResult(0, target, notes=0)
            output.prepare_folder(target, [day.filename for day in days], force=request.force)
            with progress.bar(len(entries), "Writing daily notes") as advance:
                for written, day in enumerate(days):
                    output.write_file(
                        target / day.filename,
                        [convert.daily_note(day, theme_names)],
                        force=request.force,
                        wrote_before=written,
                    )
                    advance(len(day.entries))
            return ExportResult(len(entries), target, notes=len(days))
        with progress.bar(len(entries), "Exporting", data_on_stdout=target is None) as advance:
            chunks: Iterator[str] | Iterator[bytes]
            if request.markdown:
                chunks = convert.markdown_document(
                    entries,
                    theme_names,
                    since=request.filters.since,
                    until=request.filters.until,
                    advance=advance,
                )
            else:
                chunks = convert.json_export(entries, now, advance=advance)
            if target is None:
                output.write_stdout(chunks)
            else:
                output.write_file(target, chunks, force=request.force)
    return ExportResult(len(entries), target)
