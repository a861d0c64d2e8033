"""Read config.toml (keys: editor, week_start, role). A bad file is a clear error naming it."""

from __future__ import annotations

from pathlib import Path

from leadjournal import fsio, paths
from leadjournal.errors import ConfigError, UsageError

WEEK_STARTS = ("monday", "sunday")
INDIVIDUAL = "individual"
ROLES = (INDIVIDUAL, "manager")
SETTINGS = ("editor", "week_start", "role")
_KNOWN = "The settings are 'editor', 'week_start' and 'role'."


class Config:
    """The settings. A plain slotted class, not a dataclass: defining a dataclass compiles
    its generated methods (~0.6 ms of every command), and on the fast path of `today` and
    `prompt`, which import no pydantic, importing dataclasses at all (and inspect with it)
    cost ~7 ms (DESIGN.md sections 8 and 8b)."""

    __slots__ = ("editor", "role", "week_start")

    def __init__(
        self,
        editor: str | None = None,
        week_start: str = "monday",
        role: str | None = None,  # None: no role given (every prompt may be offered)
    ) -> None:
        self.editor = editor
        self.week_start = week_start
        self.role = role

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Config):
            return NotImplemented
        return (self.editor, self.week_start, self.role) == (
            other.editor,
            other.week_start,
            other.role,
        )

    def __hash__(self) -> int:
        return hash((self.editor, self.week_start, self.role))

    def __repr__(self) -> str:
        return f"Config(editor={self.editor!r}, week_start={self.week_start!r}, role={self.role!r})"


def offers_managers_prompts(role: str | None) -> bool:
    """Whether the prompts for managers may be chosen for the day (DESIGN.md section 15):
    not with role = "individual"; with "manager" or no role, they may."""
    return role != INDIVIDUAL


def load_config(path: Path | None = None) -> Config:
    """The user's settings, or the defaults when there is no config.toml."""
    path = path or paths.config_file()
    try:
        raw = fsio.read_regular(path)  # a FIFO named config.toml must not hang us
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise ConfigError(f"Cannot read the config file {path}: {exc.strerror}.") from None
    import tomllib  # only when there is a file: a bare `prompt` has none to parse

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"The config file {path} is not valid TOML: {exc}.",
            hint=f"Fix or remove it. {_KNOWN}",
        ) from None
    except ValueError:  # Python reads no integer of more than 4,300 digits
        raise ConfigError(
            f"The config file {path} holds a number too large to read.",
            hint=f"Fix or remove it. {_KNOWN}",
        ) from None
    unknown = sorted(set(data) - set(SETTINGS))
    if unknown:
        raise ConfigError(
            f"The config file {path} has an unknown setting: {', '.join(unknown)}.",
            hint=_KNOWN,
        )
    editor = data.get("editor")
    if editor is not None and (not isinstance(editor, str) or not editor.strip()):
        raise ConfigError(f"In {path}, 'editor' must be a command, e.g. editor = \"nano\".")
    week_start = data.get("week_start", "monday")
    if week_start not in WEEK_STARTS:
        raise ConfigError(
            f'In {path}, \'week_start\' must be "monday" or "sunday", not {week_start!r}.'
        )
    role = data.get("role")
    if role is not None and role not in ROLES:
        raise UsageError(
            f'In {path}, \'role\' must be "individual" or "manager", not {role!r}.',
            hint='"individual" leaves out the prompts that assume people who report to you; '
            '"manager", or no role, offers them all.',
        )
    return Config(editor=editor, week_start=week_start, role=role)
