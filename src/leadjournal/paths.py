"""Where things live: LEADJOURNAL_HOME when set, else platformdirs' user directories.

Read at call time, never cached at import, so tests and scripts can point it anywhere.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "leadjournal"


def home_override() -> Path | None:
    value = os.environ.get("LEADJOURNAL_HOME", "").strip()
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """The directory that holds the journal (entries/, cache/, backups/, the lock)."""
    home = home_override()
    if home is not None:
        return home
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The directory that holds config.toml and the user's prompts.yaml."""
    home = home_override()
    if home is not None:
        return home
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    return config_dir() / "config.toml"


def user_prompts_file() -> Path:
    return config_dir() / "prompts.yaml"


def entries_dir() -> Path:
    return data_dir() / "entries"


def cache_dir() -> Path:
    return data_dir() / "cache"


def backups_dir() -> Path:
    return data_dir() / "backups"


def lock_file() -> Path:
    return data_dir() / ".leadjournal.lock"


def month_file(year: int, month: int) -> Path:
    return entries_dir() / f"{year:04d}" / f"{year:04d}-{month:02d}.json"


def builtin_prompts_file() -> Path:
    """The packaged prompts.yaml: inside the wheel, or the top-level file in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "prompts.yaml"
    if packaged.is_file():
        return packaged
    return here.parent.parent / "prompts.yaml"
