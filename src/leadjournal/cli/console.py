"""The process's side of every command, with no Typer: warnings said once, the clock, JSON
on standard output, and `guarded`, the one way a failure becomes a message on standard
error and an exit status (for the fast table and the Typer app alike)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from leadjournal.errors import JournalError

if TYPE_CHECKING:
    from pydantic import BaseModel

    from leadjournal.prompts.promptset import PromptSet

_said: set[str] = set()


def reset_warnings() -> None:
    """Start a command with no warnings said yet."""
    _said.clear()


def warn(message: str) -> None:
    """A warning on stderr (plain text: it must never break a pipe on stdout).

    'Skipped <file>: ...' is said once per file per command, although both the month
    reader and the history index may report the same unreadable file.
    """
    key = message.split(": ", 1)[0] if message.startswith("Skipped ") else message
    if key in _said:
        return
    _said.add(key)
    sys.stderr.write(f"Warning: {_visible(message)}\n")


def now() -> datetime:
    from leadjournal.models import now_local

    return now_local()


def today() -> date:
    return datetime.now().astimezone().date()


def load_prompts() -> PromptSet:
    from leadjournal.prompts.load import load_prompt_set

    return load_prompt_set(warn)


def print_json(data: Any) -> None:
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def print_model(model: BaseModel | list[Any], *, exclude: set[str] | None = None) -> None:
    """A model (or a list of models) as --json prints it (`exclude`: top-level keys left
    out, for a key that appears only with an option). pydantic's own serializer: the same
    bytes as json.dumps(indent=2, ensure_ascii=False) of the model's dump (tested), many
    times faster for thousands of records."""
    if isinstance(model, list):
        if not model:
            sys.stdout.write("[]\n")
            return
        from pydantic import TypeAdapter

        adapter: TypeAdapter[list[Any]] = TypeAdapter(list[Any])  # each model by its own schema
        data = adapter.dump_json(model, indent=2)
    else:
        data = model.model_dump_json(indent=2, exclude=exclude).encode()
    sys.stdout.flush()
    sys.stdout.buffer.write(data + b"\n")
    sys.stdout.flush()


def report(message: str) -> None:
    sys.stderr.write(f"Error: {_visible(message)}\n")


def _visible(message: str) -> str:
    """A message as the terminal may show it: a value quoted in it (a file name, an
    imported zone name) cannot control the terminal (text.visible)."""
    if message.isprintable():
        return message
    from leadjournal.text import visible

    return visible(message)


def exit_status(exc: BaseException) -> int:
    """Say what went wrong in plain words and return the exit status: 1 for a failure the
    user can act on, 2 for a usage error, 130 for Ctrl-C. With LEADJOURNAL_DEBUG set, the
    exception is raised again instead, for its traceback."""
    debug = bool(os.environ.get("LEADJOURNAL_DEBUG"))
    if isinstance(exc, KeyboardInterrupt):
        done = _saved_files()
        if done:
            names = ", ".join(sorted({str(path) for path in done}))
            sys.stderr.write(f"Interrupted after the change was saved ({names}).\n")
        else:
            sys.stderr.write("Interrupted; nothing was changed by the interrupted step.\n")
        return 130
    if isinstance(exc, BrokenPipeError):
        _silence_stdout()
        return 1
    if debug:
        raise exc
    if isinstance(exc, JournalError):
        report(str(exc))
        return exc.exit_code
    saved = _saved_files()
    if _is_output_error(exc):
        _silence_stdout()  # what is left in the buffer must not fail again at exit
        assert isinstance(exc, OSError)  # noqa: S101 - _is_output_error checked it
        failed = f"printing the result failed ({exc.strerror or exc})"
        if not saved:
            report(f"{failed[0].upper()}{failed[1:]}. Your journal files were not changed.")
            return 1
    else:
        failed = f"something unexpected went wrong ({type(exc).__name__})"
        if not saved:
            report(
                f"{failed}. Your journal files were not changed by the failed step. Run "
                "again with LEADJOURNAL_DEBUG=1 to see the details, and please report it."
            )
            return 1
    names = ", ".join(sorted({str(path) for path in saved}))
    report(
        f"The change was saved ({names}), but then {failed}. Running the command again "
        "would make the change twice; see the journal as it is now with 'leadjournal list'."
    )
    return 1


def _saved_files() -> list[object]:
    """The files this command replaced before it failed (fsio keeps them; never imported
    here for that alone: a command that did not load fsio saved nothing)."""
    fsio = sys.modules.get("leadjournal.fsio")
    return list(fsio.saved_files()) if fsio is not None else []


def _is_output_error(exc: BaseException) -> bool:
    """An OSError with no file named: the program's own files fail as StorageError or name
    their path, so this one came from writing standard output (a full device, /dev/full)."""
    return isinstance(exc, OSError) and exc.filename is None


def guarded(
    command: Callable[[], object], passthrough: tuple[type[BaseException], ...] = ()
) -> int:
    """Run one command with no warnings said yet; its exit status. Every failure goes
    through exit_status, the CLI's one error path, except the `passthrough` exceptions
    (Click's own exits and usage errors, when Typer runs the command)."""
    reset_warnings()
    fsio = sys.modules.get("leadjournal.fsio")
    if fsio is not None:
        fsio.forget_saves()
    try:
        command()
        sys.stdout.flush()  # a full device fails here, inside the one error path
    except passthrough:
        raise
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - the one error path
        return exit_status(exc)
    return 0


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
