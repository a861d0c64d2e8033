"""Read config.toml (keys: editor, week_start). A bad file is a clear error naming it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from leadjournal import paths
from leadjournal.errors import ConfigError

WEEK_STARTS = ("monday", "sunday")


@dataclass(frozen=True)
class Config:
    editor: str | None = None
    week_start: str = "monday"


def load_config(path: Path | None = None) -> Config:
    """The user's settings, or the defaults when there is no config.toml."""
    path = path or paths.config_file()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise ConfigError(f"Cannot read the config file {path}: {exc.strerror}.") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"The config file {path} is not valid TOML: {exc}.",
            hint="Fix or remove it; the settings are 'editor' and 'week_start'.",
        ) from None
    unknown = sorted(set(data) - {"editor", "week_start"})
    if unknown:
        raise ConfigError(
            f"The config file {path} has an unknown setting: {', '.join(unknown)}.",
            hint="The settings are 'editor' and 'week_start'.",
        )
    editor = data.get("editor")
    if editor is not None and (not isinstance(editor, str) or not editor.strip()):
        raise ConfigError(f"In {path}, 'editor' must be a command, e.g. editor = \"nano\".")
    week_start = data.get("week_start", "monday")
    if week_start not in WEEK_STARTS:
        raise ConfigError(
            f'In {path}, \'week_start\' must be "monday" or "sunday", not {week_start!r}.'
        )
    return Config(editor=editor, week_start=week_start)
