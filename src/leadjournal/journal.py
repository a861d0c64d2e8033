"""The use cases: what each command does, between the command line and the store.

Each function takes what the command parsed (and the day, the prompt set and `warn`,
passed in, never read from a global), does one job and returns a result object that the
CLI renders as text or JSON. No printing and no argv here. This is the only layer that
wires the store to the derived indexes: every write passes `note_saved` (the history and
commitments indexes) as the store's `on_saved` callback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from leadjournal import commitment_index, daycounts, history, sealed, store
from leadjournal.dayview import prompt_of_day, todays_order
from leadjournal.errors import (
    CorruptFileError,
    JournalError,
    NothingToSaveError,
    UsageError,
    Warn,
)
from leadjournal.text import clean_str

if TYPE_CHECKING:
    from leadjournal.editor import Draft
    from leadjournal.export import Day
    from leadjournal.filters import Filters
    from leadjournal.history import History
    from leadjournal.importers import Parsed, Source
    from leadjournal.journal_types import (
        CommitRequest,
        DeleteResult,
        EditRequest,
        EditResult,
        ExportRequest,
        ExportResult,
        ImportResult,
        Lookback,
        ResolveRequest,
        WeekReview,
    )
    from leadjournal.models import (
        Commitment,
        Entry,
        EntryWithCommitments,
        MonthFile,
        Summary,
        SummaryWeeks,
        TagCount,
    )
    from leadjournal.prompts.promptset import Prompt, PromptSet
    from leadjournal.summary import Period, Review
    from leadjournal.write_types import PromptChoice, WriteRequest, WriteResult

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


def note_saved(path: Path, month: MonthFile) -> None:
    """The store's OnSaved: keep every derived index in step with a month just written."""
    history.note_month(path, month)
    commitment_index.note_month(path, month)
    daycounts.note_month(path, month)


class _CommitmentChange:
    """One commitment changed in place (resolve, reschedule): the month's entries are
    saved as they were read. The signature of the month's files is taken as the store
    reads them, under the lock, so that the history index (which knows no commitment)
    only moves its record of the month to the new signature instead of being rebuilt
    from every month file: resolving a commitment made months ago cost the next `today`
    or `prompt` of a big journal a second."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.before: list[object] | None = None

    def read(self) -> None:
        self.before = store.month_signature(self.path)

    def saved(self, path: Path, month: MonthFile) -> None:
        """note_saved, with the history index told the entries are unchanged."""
        if self.before is None:
            history.note_month(path, month)
        else:
            history.note_same_entries(path, month, self.before)
        commitment_index.note_month(path, month)
        daycounts.note_month(path, month)


# ---------------------------------------------------------------------------------------
# Listing and finding


def select_entries(filters: Filters, warn: Warn, limit: int | None = None) -> list[Entry]:
    """Entries matching the filters, chronological; with `limit`, the most recent ones."""
    if filters.since and filters.until and filters.since > filters.until:
        raise UsageError(
            f"--since {filters.since} is after --until {filters.until}: no day can match."
        )
    if limit is not None:
        return store.latest_entries(limit, filters.matches, filters.since, filters.until, warn)
    return [e for e in store.load_entries(filters.since, filters.until, warn) if filters.matches(e)]


def tag_counts(warn: Warn) -> list[TagCount]:
    """`tags`: every tag with how many entries carry it, most used first (then by name)."""
    from collections import Counter

    from leadjournal.models import TagCount

    counts = Counter(tag for entry in store.load_entries(None, None, warn) for tag in entry.tags)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [TagCount(tag=tag, entries=count) for tag, count in ranked]


def completion_tags() -> list[str]:
    """The journal's tags, most used first, for shell completion (never fails)."""
    from collections import Counter

    counts: Counter[str] = Counter()
    for raw in store.raw_entries_newest_month_first():
        tags = raw.get("tags")
        if isinstance(tags, list):
            counts.update(t for t in tags if isinstance(t, str))
    return [tag for tag, _ in counts.most_common()]


def completion_entry_ids() -> list[tuple[str, str]]:
    """(id, the first words of its text) of every entry, newest first, for completion."""
    rows = [
        (str(raw.get("created_at", "")), str(raw.get("id", "")), str(raw.get("text", "")))
        for raw in store.raw_entries_newest_month_first()
    ]
    rows.sort(key=_instant, reverse=True)
    return [(entry_id, " ".join(text.split())[:50]) for _, entry_id, text in rows if entry_id]


def _instant(row: tuple[str, str, str]) -> float:
    try:
        return datetime.fromisoformat(row[0]).timestamp()
    except ValueError:
        return 0.0


def completion_open_commitments(warn: Warn) -> list[tuple[str, str]]:
    """(id, text) of the open commitments, earliest due first, for completion."""
    return [
        (str(raw["id"]), " ".join(str(raw.get("text", "")).split())[:50])
        for _, raw in commitment_index.open_commitments(warn)
    ]


def lookback(day: date, warn: Warn) -> Lookback:
    """Look back from `day`, reading only the month files that can hold such entries."""
    from leadjournal.dates import on_this_day, week_a_year_earlier
    from leadjournal.journal_types import Lookback

    months = {day.month} | ({2} if (day.month, day.day) in ((2, 28), (2, 29)) else set())
    # The month and day each entry must have to be on this day (on_this_day decides):
    # looked at first, ~8,000 entries of ten months on the big journal (DESIGN.md 8b).
    leap = ((2, 28), (2, 29))
    wanted = set(leap) if (day.month, day.day) in leap else {(day.month, day.day)}
    found: list[Entry] = []
    read: dict[Path, MonthFile] = {}
    with store.no_gc_pauses():  # ten months of the big journal: ~8,000 entries built
        for path in store.month_paths(None, day, warn):
            year, month = _year_month(path)
            if year is None or year >= day.year or month not in months:
                continue
            try:
                read[path] = store.read_month(path, warn)
            except CorruptFileError as exc:
                warn(store.skipped_message(exc))
                continue
            found.extend(
                e
                for e in read[path].entries
                if (e.created_at.month, e.created_at.day) in wanted and on_this_day(day, e.day)
            )
        found.sort(key=lambda e: (-e.day.year, e.created_at, e.id))
        start, end = week_a_year_earlier(day)
        return Lookback(day, found, _entries_between(start, end, read, warn))


def _entries_between(
    start: date, end: date, read: dict[Path, MonthFile], warn: Warn
) -> list[Entry]:
    """store.load_entries(start, end), taking the months already `read` from there: the
    week a year earlier usually lies in a month the on-this-day loop has just read and
    validated (one month file of the big journal read twice, ~5 ms, DESIGN.md 8b)."""
    paths = store.month_paths(start, end, warn)
    if not all(path in read for path in paths):
        return store.load_entries(start, end, warn)
    entries = store.live_entries([(path, read[path]) for path in paths], start, end)
    entries.sort(key=store.entry_order)
    return entries


def _year_month(path: Path) -> tuple[int | None, int]:
    try:
        year, month = path.stem.split("-")
        return int(year), int(month)
    except ValueError:
        return None, 0


def revisit(prompt_id: str, prompt_set: PromptSet, warn: Warn) -> list[Entry]:
    """Every answer to one prompt, oldest first. An id that is neither a prompt nor the
    prompt_id of any entry is a usage error."""
    answers = [e for e in store.load_entries(None, None, warn) if e.prompt_id == prompt_id]
    if not answers and prompt_id not in prompt_set.by_id:
        prompt_set.prompt(prompt_id)  # raises: there is no such prompt
    return answers


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
    """Text from argv as it is; bytes from standard input (or a draft) decoded, bad bytes
    said once, the editor template's lines removed."""
    if isinstance(text, str):
        return text
    from leadjournal.editor import extract
    from leadjournal.text import decode_bytes

    decoded, replaced = decode_bytes(text)
    _note_replaced(replaced, warn)
    return extract(decoded)  # standard input never saves the template's lines


def choose_for_entry(
    day: date,
    prompt_set: PromptSet,
    today: date,
    warn: Warn,
    *,
    free: bool,
    theme: str | None,
    prompt_id: str | None,
    another: bool = False,
    role: str | None = None,
) -> PromptChoice:
    """`--prompt ID` answers any prompt, whoever it is for; the day's prompt (within a
    theme) follows the role."""
    from leadjournal.write_types import PromptChoice

    if prompt_id is not None and (free or theme is not None):
        raise UsageError("--prompt cannot be combined with --free or --theme.")
    if another and (free or prompt_id is not None):
        raise UsageError("--another answers the day's next choice: not with --free or --prompt.")
    if theme is not None:
        prompt_set.theme(theme)  # unknown theme: a usage error
    if prompt_id is not None:
        prompt = prompt_set.prompt(prompt_id)
        loaded = history.load_history(prompt_set, today, warn)
        return PromptChoice(prompt, prompt.theme, loaded)
    if free:
        return PromptChoice(None, theme, None)
    chosen = todays_order(day, prompt_set, today, warn, theme, role=role)
    picked = chosen.order[1] if another and len(chosen.order) > 1 else chosen.order[0]
    return PromptChoice(picked, picked.theme, chosen.history)


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


def write_entry(
    request: WriteRequest, prompt_set: PromptSet, today: date, warn: Warn, *, role: str | None
) -> WriteResult:
    """Save a new entry. In the editor, what was typed is kept as a draft if the save
    fails (and the message says where); an empty text saves nothing. `role` is
    config.toml's (which prompts the day may offer)."""
    from leadjournal.text import inline_tags, normalize_tag
    from leadjournal.write_types import WriteResult

    tags = [normalize_tag(t) for t in request.tags]
    choice = choose_for_entry(
        request.when.date(),
        prompt_set,
        today,
        warn,
        free=request.free,
        theme=request.theme,
        prompt_id=request.prompt_id,
        another=request.another,
        role=role,
    )
    if request.due is not None and request.commit is None:
        raise UsageError("--due is the due day of a --commit: add --commit TEXT.")
    promise = None
    if request.commit is not None:  # checked before anything is saved or the editor opens
        from leadjournal.dates import parse_due

        promise = (
            _commitment_text(request.commit),
            parse_due(request.due, request.when.date(), today),
        )
    draft = None
    if request.draft is not None:
        if request.text is not None:
            raise UsageError("--draft restores a draft's text: give no TEXT with it.")
        from leadjournal.editor import Draft, read_draft

        draft = Draft(request.draft)
        raw = _decoded(read_draft(request.draft), warn)
    elif request.text is None:
        from leadjournal import fsio

        fsio.check_writable_home()  # fail before the editor opens, not after
        raw, draft = _compose(
            choice.prompt.text if choice.prompt else None, choice.prompt, choice.theme, prompt_set
        )
    else:
        raw = _decoded(request.text, warn)
    with _draft_kept_on_failure(draft, discard_if_empty=request.draft is None):
        body, replaced = prepare_text(raw)
        _note_replaced(replaced, warn)
        entry = new_entry(body, request.when, choice, [*tags, *inline_tags(body)])
        made = []
        if promise is not None:
            made.append(
                new_commitment(
                    promise[0], entry.created_at, promise[1], theme=entry.theme, entry_id=entry.id
                )
            )
        store.add_entry(entry, made, on_saved=note_saved)
    earlier = earlier_answer(entry, choice.history, warn) if request.earlier else None
    return WriteResult(entry, earlier, made)


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
def _draft_kept_on_failure(
    draft: Draft | _DraftOnConflict | None, *, discard_if_empty: bool
) -> Iterator[None]:
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
        from leadjournal.errors import EditConflictError

        conflict = isinstance(exc, EditConflictError)
        if isinstance(draft, _DraftOnConflict) and not conflict:
            raise  # text from the command line: still in the shell's history
        then = f" {exc.hint}" if conflict and exc.hint else ""
        exc.hint = f"What you typed is kept in {draft.path}.{then}"
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


def edit_entry(request: EditRequest, prompt_set: PromptSet, warn: Warn, today: date) -> EditResult:
    """Change an entry's text, theme, tags or moment; in the editor when no option is given.
    Tags written in a changed text ('#word') are added; none is ever taken away by it."""
    from leadjournal.journal_types import EditResult
    from leadjournal.models import now_local
    from leadjournal.text import inline_tags, normalize_tag

    if request.no_theme and request.theme is not None:
        raise UsageError("--no-theme and --theme cannot be combined: choose one.")
    if request.theme is not None:
        prompt_set.theme(request.theme)
    new_tags = [normalize_tag(t) for t in request.tags] if request.tags else None
    _, entry = store.find_entry(request.ref, warn)
    moment = entry.created_at
    if request.when is not None:
        from leadjournal.dates import parse_moved

        moment = parse_moved(request.when, entry.created_at, today)
    draft: Draft | _DraftOnConflict | None = None
    body = entry.text
    if request.text is not None:
        body, replaced = prepare_text(request.text)
        _note_replaced(replaced, warn)
    elif not (
        request.theme is not None
        or new_tags is not None
        or request.no_theme
        or request.no_tags
        or request.when is not None
    ):
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
    tags = [] if request.no_tags else list(entry.tags)
    if new_tags is not None:  # --tag replaces the tags (after --no-tags: sets them)
        tags = list(new_tags)
    if body != entry.text:
        tags += inline_tags(body)
    theme = None if request.no_theme else entry.theme
    changed = entry.model_copy(
        update={
            "text": body,
            "theme": request.theme if request.theme is not None else theme,
            "tags": list(dict.fromkeys(tags)),
            "created_at": moment,
        }
    )
    if changed == entry:
        if draft is not None:
            draft.discard()
        return EditResult(entry, changed=False)
    changed.updated_at = now_local()
    if draft is None and changed.text != entry.text:
        draft = _DraftOnConflict(changed.text)
    with _draft_kept_on_failure(draft, discard_if_empty=False):
        saved = store.update_entry(entry.id, _on_top(entry, changed), on_saved=note_saved)
    return EditResult(saved, changed=True)


# What `edit` can change; a change is applied on top of another terminal's change made
# meanwhile when the two touch different ones (DESIGN.md section 18).
EDITED_FIELDS = ("text", "theme", "tags", "created_at")
_FIELD_NAMES = {
    "text": "its text",
    "theme": "its theme",
    "tags": "its tags",
    "created_at": "its date",
}


def _on_top(base: Entry, ours: Entry) -> Callable[[Entry], Entry]:
    """The change `edit` makes, as a function of the entry as it is on disk under the lock:
    `base` is what the command read (before the editor opened), `ours` what it made of it.
    A field changed by both, to different values, stops the edit (EditConflictError)."""
    mine = [f for f in EDITED_FIELDS if getattr(ours, f) != getattr(base, f)]

    def change(current: Entry) -> Entry:
        theirs = {f for f in EDITED_FIELDS if getattr(current, f) != getattr(base, f)}
        clash = [f for f in mine if f in theirs and getattr(current, f) != getattr(ours, f)]
        if clash:
            from leadjournal.errors import EditConflictError

            what = " and ".join(_FIELD_NAMES[f] for f in clash)
            raise EditConflictError(
                f"Entry {base.id} was changed by another command while this edit was open "
                f"({what}), so your change was not saved.",
                hint="Look at it with 'leadjournal show', then edit it again.",
            )
        update: dict[str, object] = {f: getattr(ours, f) for f in mine}
        update["updated_at"] = ours.updated_at
        return current.model_copy(update=update)

    return change


class _DraftOnConflict:
    """A draft made only if the save stops on a conflicting change (EditConflictError):
    the text given with `edit --text`, kept so that nothing typed is lost. Like
    editor.Draft."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._path: Path | None = None

    @property
    def path(self) -> Path:
        if self._path is None:
            from leadjournal.editor import keep_draft

            try:
                self._path = keep_draft(self.text).path
            except (OSError, JournalError):
                self._path = Path("(no draft: the journal folder cannot be written)")
        return self._path

    def discard(self) -> None:
        if self._path is not None:
            self._path.unlink(missing_ok=True)


def find_record(ref: str, warn: Warn) -> Entry | Commitment:
    """The entry or commitment `ref` names (they share one id space)."""
    return store.find_record(ref, warn)[1]


def delete_record(
    ref: str, confirm: Callable[[Entry | Commitment], bool] | None, warn: Warn
) -> DeleteResult:
    """Delete the entry or commitment `ref` names, leaving a tombstone (an entry takes its
    linked commitments with it); `confirm` (None: --yes) is asked first and may refuse."""
    from leadjournal.journal_types import DeleteResult
    from leadjournal.models import now_local

    path, record = store.find_record(ref, warn)
    if confirm is not None and not confirm(record):
        return DeleteResult(record, deleted=False)
    linked = store.delete_record(path, record.id, now_local(), on_saved=note_saved)
    return DeleteResult(record, deleted=True, linked=linked)


# ---------------------------------------------------------------------------------------
# Commitments (DESIGN.md section 9)


OUTCOMES = ("kept", "missed", "dropped", "open")
STATUS_FILTERS = ("open", "kept", "missed", "dropped", "all")


def _commitment_text(raw: str) -> str:
    """A commitment's text, cleaned; an empty one saves nothing (exit 1)."""
    text, _ = clean_str(raw)
    text = text.strip()
    if not text:
        raise NothingToSaveError("Nothing to save: the commitment's text is empty.")
    return text


def new_commitment(
    text: str,
    created: datetime,
    due: date,
    *,
    theme: str | None,
    entry_id: str | None,
) -> Commitment:
    from leadjournal.models import Commitment, now_local

    return Commitment(
        id=store.new_id(),
        created_at=created,
        updated_at=max(now_local(), created),
        text=text,
        due=due,
        theme=theme,
        entry_id=entry_id,
    )


def commit(request: CommitRequest, prompt_set: PromptSet, today: date, warn: Warn) -> Commitment:
    """Save a commitment on its own, or linked to an existing entry (then its theme unless
    one is given)."""
    from leadjournal.dates import parse_due

    text = _commitment_text(request.text)
    due = parse_due(request.due, request.when.date(), today)
    theme = request.theme
    if theme is not None:
        prompt_set.theme(theme)
    entry_id = None
    if request.entry is not None:
        entry = find_entry(request.entry, warn)
        entry_id = entry.id
        if theme is None:
            theme = entry.theme
    commitment = new_commitment(text, request.when, due, theme=theme, entry_id=entry_id)
    store.add_commitment(commitment, on_saved=note_saved)
    return commitment


def _models(raws: list[dict[str, Any]]) -> list[Commitment]:
    from leadjournal.models import Commitment

    if len(raws) < MANY_COMMITMENTS:
        return [Commitment.model_validate(raw) for raw in raws]
    return commitment_index.validator().validate_python(raws)


# From this many on, the commitments are validated as one list: one call into pydantic-core
# instead of one per commitment, 4 ms instead of 6 ms for the 2,000 open ones of the big
# journal (DESIGN.md section 8b); the list's validator costs 0.7 ms to build, so a short
# list is validated one by one.
MANY_COMMITMENTS = 200


def due_order(commitment: Commitment) -> tuple[date, datetime, str]:
    return commitment.due, commitment.created_at, commitment.id


def list_commitments(
    warn: Warn,
    *,
    status: str = "open",
    theme: str | None = None,
    since: date | None = None,
    until: date | None = None,
    prompt_set: PromptSet | None = None,
) -> list[Commitment]:
    """`commitments`: by default the open ones; earliest due first. since/until filter
    by due day (inclusive)."""
    if status not in STATUS_FILTERS:
        raise UsageError(f"Unknown status '{status}'. Use {', '.join(STATUS_FILTERS)}.")
    if theme is not None and prompt_set is not None:
        prompt_set.theme(theme)
    if since and until and since > until:
        raise UsageError(f"--since {since} is after --until {until}: no day can match.")
    if status == "open":
        # Validated straight from the index's bytes, then filtered (DESIGN.md section 8b).
        found = [
            c
            for c in commitment_index.open_models(warn)
            if (theme is None or c.theme == theme)
            and (since is None or c.due >= since)
            and (until is None or c.due <= until)
        ]
        return sorted(found, key=due_order)
    low = since.isoformat() if since else ""
    high = until.isoformat() if until else "9999-99-99"
    raws = [
        c
        for c in commitment_index.all_commitments(warn)
        if (status in ("all", c["status"]))
        and (theme is None or c["theme"] == theme)
        and low <= c["due"] <= high
    ]
    return sorted(_models(raws), key=due_order)


def linked_commitments(entry_id: str, warn: Warn) -> list[Commitment]:
    """The commitments made with or about one entry, by creation."""
    raws = [c for c in commitment_index.all_commitments(warn) if c["entry_id"] == entry_id]
    return sorted(_models(raws), key=lambda c: (c.created_at, c.id))


def with_commitments(entry: Entry, warn: Warn) -> EntryWithCommitments:
    from leadjournal.models import EntryWithCommitments

    return EntryWithCommitments(**dict(entry), commitments=linked_commitments(entry.id, warn))


def find_commitment(ref: str, warn: Warn) -> tuple[Path, Commitment]:
    """The commitment `ref` names (an id or a unique prefix of 4+ characters), found
    through the commitments index so that only its month file is read."""
    from leadjournal.errors import NotFoundError

    ref = ref.strip()
    if len(ref) < store.MIN_PREFIX:
        return store.find_commitment(ref, warn)  # the one wording of "too short"
    where = commitment_index.locate([ref], warn)
    exact = {i: found for i, found in where.items() if i == ref}
    if exact or len(where) == 1:
        path, raw = next(iter((exact or where).values()))
        return path, _models([raw])[0]  # a change is applied to the month as it is on disk
    if not where:
        raise NotFoundError(
            f"No commitment has an id starting with '{ref}'.",
            hint="See 'leadjournal commitments --status all' for the ids.",
        )
    shown = ", ".join(sorted(where)[:10])
    raise NotFoundError(
        f"'{ref}' matches {len(where)} commitments: {shown}.",
        hint="Give more characters of the id.",
    )


def resolve(request: ResolveRequest, today: date, warn: Warn) -> Commitment:
    """Close a commitment as kept, missed or dropped, or reopen it (optionally with a new
    due day). Applied to the commitment as it is on disk, under the lock."""
    from leadjournal.dates import parse_due
    from leadjournal.models import now_local

    if request.outcome not in OUTCOMES:
        raise UsageError(f"Unknown outcome '{request.outcome}'. Use {', '.join(OUTCOMES)}.")
    if request.due is not None and request.outcome != "open":
        raise UsageError("--due reschedules a reopened commitment: use it only with 'open'.")
    path, found = find_commitment(request.ref, warn)
    new_due = parse_due(request.due, found.day, today) if request.due is not None else None
    note = None
    if request.note is not None:
        note = clean_str(request.note)[0].strip() or None

    noted = _CommitmentChange(path)

    def change(current: Commitment) -> Commitment:
        noted.read()
        moment = now_local()
        update: dict[str, object] = {"status": request.outcome, "updated_at": moment}
        update["resolved_at"] = None if request.outcome == "open" else moment
        if request.note is not None:
            update["note"] = note
        if new_due is not None:
            update["due"] = new_due
        return current.model_copy(update=update)

    return store.update_commitment(path, found.id, change, on_saved=noted.saved)


def commitment_tally(rows: list[list[Any]], start: date, end: date) -> dict[str, int]:
    """made in [start, end] (by creation day), kept/missed/dropped resolved in it (by
    resolved_at's day), open now and due by `end`. Rows of the index in, counts out."""
    return _tallies(rows, [(start, end)])[0]


def commitment_tallies(rows: list[list[Any]], periods: Sequence[Period]) -> list[dict[str, int]]:
    """commitment_tally for each of several periods (the weeks of --weeks N), from the
    rows sorted once: the cost grows with the rows plus the periods, not with their
    product."""
    return _tallies(rows, [(p.start, p.end) for p in periods])


def _tallies(rows: list[list[Any]], periods: Sequence[tuple[date, date]]) -> list[dict[str, int]]:
    """The counts of commitment_tally for each (start, end), which may overlap: one pass
    puts the rows' days in sorted lists (made, each outcome, the open ones' dues), then
    each count is two bisects."""
    made: list[str] = []
    closed: dict[str, list[str]] = {"kept": [], "missed": [], "dropped": []}
    dues: list[str] = []
    for created, status, resolved, due in rows:
        made.append(created)
        if status == "open":
            dues.append(due)
        elif resolved is not None and status in closed:
            closed[status].append(resolved)
    for days in (made, dues, *closed.values()):
        days.sort()
    return _counted([made, closed["kept"], closed["missed"], closed["dropped"], dues], periods)


def _counted(days: list[list[str]], periods: Sequence[tuple[date, date]]) -> list[dict[str, int]]:
    """commitment_tally's counts from the sorted day lists of the commitments index
    (commitment_index.DAY_LISTS: made, kept, missed, dropped, open_due): no sort here."""
    from bisect import bisect_left, bisect_right

    made, *closed, dues = days
    counts = []
    for start, end in periods:
        low, high = start.isoformat(), end.isoformat()
        tally = {"made": bisect_right(made, high) - bisect_left(made, low)}
        for status, column in zip(("kept", "missed", "dropped"), closed, strict=True):
            tally[status] = bisect_right(column, high) - bisect_left(column, low)
        tally["open_due"] = bisect_right(dues, high)
        counts.append(tally)
    return counts


# ---------------------------------------------------------------------------------------
# The summary


def summary_json(
    period: Period, prompt_set: PromptSet, today: date, warn: Warn, *, by_week: bool
) -> Summary | SummaryWeeks:
    """`summary --json`: the tally of the period, or one per week with --weeks."""
    from leadjournal import summary as core
    from leadjournal.models import SummaryWeeks

    with store.one_scan():  # the history and commitments indexes check the months once
        entries = store.load_entries(period.start, period.end, warn)
        all_days = core.JournalDays(history.load_history(prompt_set, today, warn).day_ordinals)
        commitments = commitment_index.tally_days(warn)
    if not by_week:
        result = core.summarize(
            entries, period, prompt_set.themes, all_days, today, guides=prompt_set.guides
        )
        return _with_tally(result, commitments)
    weeks = core.summarize_weeks(
        entries, period, prompt_set.themes, all_days, today, guides=prompt_set.guides
    )
    _with_tallies(weeks, commitments)
    return SummaryWeeks(weeks=weeks)


def _week_summary(
    period: Period,
    entries: list[Entry],
    prompt_set: PromptSet,
    today: date,
    warn: Warn,
    *,
    loaded: History | None = None,
) -> Summary:
    """summary --week W --json, as a Summary, of the period's entries (`loaded`: the
    history index, when the caller has it already)."""
    from leadjournal import summary as core

    if loaded is None:
        loaded = history.load_history(prompt_set, today, warn)
    all_days = core.JournalDays(loaded.day_ordinals)
    result = core.summarize(
        entries, period, prompt_set.themes, all_days, today, guides=prompt_set.guides
    )
    return _with_tally(result, commitment_index.tally_days(warn))


def _with_tallies(summaries: Sequence[Summary], commitments: list[list[str]]) -> None:
    """Each summary's commitments (the period, the one before, the weeks of --weeks N),
    counted from the sorted day lists of the index."""
    from leadjournal.models import CommitmentTally

    periods = [(summary.start, summary.end) for summary in summaries]
    for summary, tally in zip(summaries, _counted(commitments, periods), strict=True):
        summary.commitments = CommitmentTally(**tally)


def _with_tally(summary: Summary, commitments: list[list[str]]) -> Summary:
    _with_tallies([summary], commitments)
    return summary


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
    """What the human `summary` shows: the period, the one before it for comparison (its
    counts: the months only it needs come from the counts cache), and a prompt from the
    least-reflected theme (the way the prompt of the day would break ties)."""
    from leadjournal import daycounts
    from leadjournal import summary as core

    with store.one_scan():  # the history and commitments indexes check the months once
        entries, before = daycounts.entries_and_counts(
            period.previous().start, period.start, period.end, warn
        )
        loaded = history.load_history(prompt_set, today, warn)
        commitments = commitment_index.tally_days(warn)

    def preference(least: list[str]) -> list[Prompt]:
        """Today's order of the least-reflected themes' prompts: only their answers are
        folded (the chooser's fold was 1 ms of the big journal's summary)."""
        return todays_order(
            today, prompt_set, today, warn, role=role, loaded=loaded, themes=least
        ).order

    review = core.review(
        entries,
        period,
        prompt_set.themes,
        core.JournalDays(loaded.day_ordinals),
        today,
        week_start=week_start,
        by_week=by_week,
        preference=preference,
        guides=prompt_set.guides,
        before=before,
    )
    _with_tallies([review.summary, *review.weeks], commitments)
    return review


# ---------------------------------------------------------------------------------------
# The weekly review (DESIGN.md section 10)


def week_review(
    week: str | None,
    prompt_set: PromptSet,
    today: date,
    week_start: str,
    warn: Warn,
    *,
    role: str | None = None,
) -> WeekReview:
    """The week (default: this one) as the review sees it. Reads only; changes nothing."""
    from leadjournal import summary as core
    from leadjournal.journal_types import WeekReview

    period = core.resolve_period(
        week=week, since=None, until=None, weeks=None, today=today, week_start=week_start
    )
    with store.one_scan():  # the history and commitments indexes check the months once
        entries = store.load_entries(period.start, period.end, warn)
        loaded = history.load_history(prompt_set, today, warn)  # once, for both below
        summary = _week_summary(period, entries, prompt_set, today, warn, loaded=loaded)
        least = core.least_reflected(summary)
        suggestion = prompt_of_day(
            today,
            prompt_set,
            today,
            warn,
            theme=least[0] if least else None,
            role=role,
            loaded=loaded,
        )
        due = list_commitments(warn, until=period.end)
    label = core.week_label(period.start, week_start)
    return WeekReview(label, period, summary, due, suggestion, entries)


def next_week_day(due: date, period: Period) -> date:
    """'Move to next week': the same weekday in the week after the reviewed one."""
    offset = (due - period.start).days % 7
    return period.start + timedelta(days=7 + offset)


def next_week_end(period: Period, today: date) -> date:
    """Due day of the review's new commitment: the last day of the week after the reviewed
    one, or today if that is already past."""
    return max(period.end + timedelta(days=7), today)


def reschedule(commitment_id: str, due: date, warn: Warn) -> Commitment:
    """Keep a commitment open with a new due day (the review's 'move to next week')."""
    from leadjournal.models import now_local

    path, found = find_commitment(commitment_id, warn)
    if due < found.day:
        raise UsageError(f"The due day {due} is before the day the commitment was made.")

    noted = _CommitmentChange(path)

    def change(current: Commitment) -> Commitment:
        noted.read()
        return current.model_copy(
            update={"due": due, "status": "open", "resolved_at": None, "updated_at": now_local()}
        )

    return store.update_commitment(path, found.id, change, on_saved=noted.saved)


def weekly_note_parts(review: WeekReview, prompt_set: PromptSet) -> tuple[dict[str, str], str]:
    """The weekly note's front matter keys (rendered YAML) and the body of its block."""
    from leadjournal.export import yaml_string

    summary = review.summary
    counts = {t.id: t.entries for t in summary.themes}
    themes = "themes:\n" + "".join(f"  {yaml_string(k)}: {v}\n" for k, v in counts.items())
    themes += f"  unthemed: {summary.unthemed.entries}\n"
    tags = sorted(summary.tags.items(), key=lambda item: (-item[1], item[0]))
    tag_lines = (
        "tags:\n" + "".join(f"  - {yaml_string(tag)}\n" for tag, _ in tags)
        if tags
        else "tags: []\n"
    )
    keys = {
        "week": f"week: {review.week}\n",
        "start": f"start: {review.period.start.isoformat()}\n",
        "end": f"end: {review.period.end.isoformat()}\n",
        "entries": f"entries: {summary.entries}\n",
        "themes": themes,
        "tags": tag_lines,
        "commitments_kept": f"commitments_kept: {summary.commitments.kept}\n",
        "commitments_missed": f"commitments_missed: {summary.commitments.missed}\n",
    }
    return keys, _weekly_body(review, prompt_set)


def _weekly_body(review: WeekReview, prompt_set: PromptSet) -> str:
    from leadjournal.export import commitment_line

    summary = review.summary
    c = summary.commitments
    names = {t.id: t.name for t in prompt_set.themes}
    out = [f"# Week {review.week} · {review.period.start} to {review.period.end}", ""]
    out.append(
        f"{_count(summary.entries, 'entry', 'entries')} on "
        f"{_count(summary.days_with_entries, 'day', 'days')}, "
        f"{_count(summary.words, 'word', 'words')}."
    )
    out.append("")
    out += [f"- {t.name}: {t.entries}" for t in summary.themes]
    out.append(f"- Unthemed: {summary.unthemed.entries}")
    out += ["", "## Commitments", ""]
    out.append(f"{c.made} made, {c.kept} kept, {c.missed} missed, {c.dropped} dropped this week.")
    low, high = review.period.start, review.period.end
    everything = sorted(
        _models(commitment_index.all_commitments(_quiet)), key=lambda x: (x.created_at, x.id)
    )
    made = [x for x in everything if low <= x.day <= high]
    closed = [
        x
        for x in everything
        if x.status != "open" and x.resolved_at is not None and low <= x.resolved_at.date() <= high
    ]
    for title, group in (("Made", made), ("Resolved", closed), ("Open and due", review.due)):
        if group:
            out += ["", f"### {title}", ""]
            out += [commitment_line(x).rstrip("\n") for x in group]
    out += ["", "## Entries", ""]
    if not review.entries:
        out.append("No entries this week.")
    by_theme: dict[str | None, list[Entry]] = {}
    for entry in review.entries:
        by_theme.setdefault(entry.theme, []).append(entry)
    order: list[str | None] = [t.id for t in prompt_set.themes if t.id in by_theme]
    order += sorted(k for k in by_theme if k is not None and k not in names)
    if None in by_theme:
        order.append(None)
    for index, theme in enumerate(order):
        title = "Unthemed" if theme is None else names.get(theme, theme)
        out += [*([""] if index else []), f"### {title}", ""]
        for entry in by_theme[theme]:
            first = next((line.strip() for line in entry.text.split("\n") if line.strip()), "")
            out.append(f"- {first} [[{entry.day.isoformat()}]]")
    return "\n".join(out) + "\n"


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _quiet(_: str) -> None:
    return None


def write_weekly_note(review: WeekReview, prompt_set: PromptSet, folder: Path) -> tuple[Path, bool]:
    """DIR/YYYY-Www.md, created or updated by the marker-block rules (a backup of the
    previous version first); nothing is written when nothing changed. (path, changed)"""
    from leadjournal import notes

    keys, body = weekly_note_parts(review, prompt_set)
    target = folder / f"{review.week}.md"
    return target, vault_write(target, lambda existing: notes.update_note(existing, keys, body))


def vault_write(target: Path, update: Callable[[str | None], str]) -> bool:
    """Write a note in the user's folder: missing folders created (0700), the previous
    version copied to <home>/backups/notes/ first, atomically, 0600; True if it changed.
    A note whose front matter cannot be parsed is left untouched (NoteFrontMatterError)."""
    from leadjournal import fsio, output, paths
    from leadjournal.notes import NoteFrontMatterError

    output.make_folders(target.parent)
    try:
        # A link planted at the note's name is replaced, never read or written through.
        existing: str | None = None if target.is_symlink() else target.read_text("utf-8")
    except FileNotFoundError:
        existing = None
    except (OSError, UnicodeDecodeError) as exc:
        raise JournalError(
            f"Could not read the note {target}: {exc}; it was left as it was."
        ) from None
    try:
        new = update(existing)
    except NoteFrontMatterError as exc:
        raise NoteFrontMatterError(
            f"The note {target} was left as it was: {exc.message}.",
            hint="Fix its front matter, then run the command again.",
        ) from None
    if existing == new:
        return False
    if existing is not None:
        from leadjournal.models import now_local

        stamp = now_local().strftime("%Y%m%dT%H%M%S")
        backup = paths.backups_dir() / "notes" / f"{target.stem}.{stamp}.{fsio.token(3)}.md"
        data = existing.encode("utf-8")
        keys = sealed.read_recipients()
        if keys:  # an encrypted journal keeps its backups encrypted (section 12)
            backup, data = backup.with_name(backup.name + sealed.SUFFIX), sealed.seal(data, keys)
        fsio.atomic_write(backup, data)
    output.write_file(target, [new], force=True)
    return True


# ---------------------------------------------------------------------------------------
# Import and export


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
    from leadjournal.journal_types import ImportResult
    from leadjournal.models import ImportReport

    data, name = importers.read_source(file)
    with store.no_gc_pauses():
        source: Source = importers.load(data, fmt, name)
        del data
        with progress.bar(source.count, "Reading") as advance:
            parsed: Parsed = source.convert(advance)
        for note in parsed.notes:
            warn(note)
        _add_inline_tags(parsed.entries)
        if dry_run:
            added, duplicates, made, repeated = importers.new_entries(parsed, store.known_ids(warn))
        else:
            result = store.add_records(
                parsed.entries,
                parsed.commitments,
                note_saved,
                saving=lambda: progress.working(source.count, "Saving…"),
            )
            added, duplicates, made = result.entries, result.skipped, result.commitments
            repeated = result.repeated
    report = ImportReport(
        added=added,
        skipped=duplicates + parsed.empty,
        source_format=parsed.source_format,
        commitments_added=made,
    )
    return ImportResult(
        name, source.detected, dry_run, duplicates - repeated, parsed.empty, report, repeated
    )


def _add_inline_tags(entries: list[Entry]) -> None:
    """'#word' in imported text adds the tag, as in text written here."""
    from leadjournal.text import inline_tags

    for entry in entries:
        if "#" in entry.text:
            found = inline_tags(entry.text)
            if found:
                entry.tags = list(dict.fromkeys([*entry.tags, *found]))


def _exported_commitments(filters: Filters, entries: list[Entry], warn: Warn) -> list[Commitment]:
    """Every commitment; with filters, those linked to an exported entry and the
    standalone ones made within --since/--until (DESIGN.md section 9)."""
    every = sorted(
        _models(commitment_index.all_commitments(warn)), key=lambda c: (c.created_at, c.id)
    )
    if not (filters.since or filters.until or filters.themes or filters.tags or filters.search):
        return every
    exported = {e.id for e in entries}
    return [
        c
        for c in every
        if (c.entry_id is not None and c.entry_id in exported)
        or (
            c.entry_id is None
            and (filters.since is None or c.day >= filters.since)
            and (filters.until is None or c.day <= filters.until)
        )
    ]


def _daily_notes(
    request: ExportRequest,
    folder: Path,
    days: list[Day],
    linked: dict[str, list[Commitment]],
    theme_names: dict[str, str],
    *,
    warn: Warn,
    progress: Progress,
) -> ExportResult:
    """Each day's note in `folder` by the marker-block rules of DESIGN.md section 17: a new
    note for a day without one; in an existing note only leadjournal's block and front
    matter keys change (a backup first); a note of version 1 is rewritten whole. A note
    whose front matter cannot be parsed is left untouched and named (exit 1), after the
    others are written."""
    from leadjournal import export as convert
    from leadjournal import notes, output
    from leadjournal.journal_types import ExportResult
    from leadjournal.notes import NoteFrontMatterError

    output.make_folders(folder)
    for day in days:
        name = convert.note_name(day.day, request.names)
        if (folder / name).is_dir() and not (folder / name).is_symlink():
            raise JournalError(
                f"{folder / name} is a folder, so the daily note of that name cannot be "
                "written; nothing was written."
            )
    refused: list[str] = []
    changed = 0
    digits = sorted(
        {t for d in days for e in d.entries for t in e.tags if not convert.obsidian_tag(t)}
    )
    with progress.bar(sum(len(d.entries) for d in days), "Writing daily notes") as advance:
        for day in days:

            def update(existing: str | None, day: Day = day) -> str:
                if existing is not None and existing == convert.version_1_daily_note(
                    day, theme_names
                ):
                    existing = None  # written by version 1: rewritten whole
                keys = convert.note_front_keys(day, notes.front_values(existing))
                body = convert.daily_note_body(day, theme_names, linked)
                return notes.update_note(existing, keys, body)

            try:
                changed += vault_write(folder / convert.note_name(day.day, request.names), update)
            except NoteFrontMatterError as exc:
                refused.append(exc.message)
            advance(len(day.entries))
    weekly = 0
    if request.weekly:
        weekly, more = _weekly_notes(request, folder, days, warn)
        changed += more
    if digits:
        warn(
            "Obsidian does not take tags of digits only, so these stay in the text and out "
            f"of the notes' tags: {', '.join('#' + t for t in digits)}."
        )
    if refused:
        raise JournalError(
            " ".join(refused),
            hint="The other notes were written. Fix the front matter, then export again.",
        )
    return ExportResult(sum(len(d.entries) for d in days), folder, len(days), changed, weekly)


def _weekly_notes(
    request: ExportRequest, folder: Path, days: list[Day], warn: Warn
) -> tuple[int, int]:
    """The weekly notes (DESIGN.md section 10) of the weeks the days fall in, beside the
    daily ones: (written, changed)."""
    from leadjournal.dates import week_bounds
    from leadjournal.prompts.load import load_prompt_set

    prompt_set = load_prompt_set(warn)
    today = request.today or date.today()  # noqa: DTZ011 - the local day
    starts = sorted({week_bounds(d.day, request.week_start)[0] for d in days})
    if not starts:
        starts = [week_bounds(today, request.week_start)[0]]
    changed = 0
    for start in starts:
        review = week_review(
            start.isoformat(), prompt_set, today, request.week_start, warn, role=request.role
        )
        changed += write_weekly_note(review, prompt_set, folder)[1]
    return len(starts), changed


def refuse_journal_target(target: Path) -> None:
    """No export target may be a journal file, or anything under entries/ (DESIGN.md
    section 18): --force replaces a file, never a month. Links are followed to decide."""
    from leadjournal import paths

    entries = paths.entries_dir()
    try:
        where = target.resolve()
        inside = entries.resolve()
    except (OSError, RuntimeError):
        return  # a path that cannot be resolved cannot be written either: said later
    if where == inside or inside in where.parents:
        raise UsageError(
            f"{target} is inside the journal's entries folder ({entries}); an export "
            "never writes there, so nothing was written.",
            hint="Give --output a path outside the journal.",
        )


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
    from leadjournal.journal_types import ExportResult

    target = request.target
    if target is not None:
        refuse_journal_target(target)
    if target is not None and not request.daily_notes:
        output.check_file_target(target, force=request.force)  # before the work, not after
    with store.no_gc_pauses():
        entries = select_entries(request.filters, warn)
        commitments = _exported_commitments(request.filters, entries, warn)
        if target is not None and request.daily_notes:
            linked, alone = convert.split_commitments(commitments, {e.id for e in entries})
            days = convert.group_by_day(entries, alone)
            if not days and not request.weekly:
                return ExportResult(0, target, notes=0)
            return _daily_notes(
                request, target, days, linked, theme_names, warn=warn, progress=progress
            )
        with progress.bar(len(entries), "Exporting", data_on_stdout=target is None) as advance:
            chunks: Iterator[str] | Iterator[bytes]
            if request.markdown:
                chunks = convert.markdown_document(
                    entries,
                    theme_names,
                    since=request.filters.since,
                    until=request.filters.until,
                    advance=advance,
                    commitments=commitments,
                )
            else:
                chunks = convert.json_export(entries, now, commitments=commitments, advance=advance)
            if target is None:
                output.write_stdout(chunks)
            else:
                output.write_file(target, chunks, force=request.force)
    return ExportResult(len(entries), target)
