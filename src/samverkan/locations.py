"""Where samverkan keeps its files. Functions, not constants: nothing is created at import.

``SAMVERKAN_HOME`` moves data, config and backups together (tests and
portable installs); otherwise platformdirs gives each its usual place.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from samverkan.store.location import ServerURL

APP = "samverkan"


def _home() -> Path | None:
    home = os.environ.get("SAMVERKAN_HOME")
    return Path(home).expanduser() if home else None


def data_dir() -> Path:
    home = _home()
    if home is not None:
        return home / "data"
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    home = _home()
    if home is not None:
        return home / "config"
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP, appauthor=False))


def backups_dir() -> Path:
    return data_dir() / "backups"


def default_db_path() -> Path:
    return data_dir() / "samverkan.db"


def demo_db_path() -> Path:
    """Beside the user's own database, never the same file."""
    return data_dir() / "demo.db"


def config_file() -> Path:
    return config_dir() / "config.toml"


def database_path(cli_db: str | None) -> Path:
    """``--db`` wins, then ``SAMVERKAN_DB``, then the default location."""
    chosen = cli_db or os.environ.get("SAMVERKAN_DB")
    return Path(chosen).expanduser() if chosen else default_db_path()


def database_location(cli_db: str | None) -> Path | ServerURL:
    """``--db``, then ``SAMVERKAN_DB``, then the settings' ``database =``, then the default
    file. Each may be a path or a ``postgresql://`` URL (a team database)."""
    from samverkan.store.location import parse_location

    chosen = cli_db or os.environ.get("SAMVERKAN_DB")
    if not chosen:
        from samverkan.config import load_settings

        chosen = load_settings()[0].database or None
    return parse_location(chosen) if chosen else default_db_path()
