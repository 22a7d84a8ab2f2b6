"""User settings (language, theme, observer name) in a small TOML file.

A damaged settings file must never stop a meeting: it is read as empty and
the problem is reported once; it is rewritten atomically when a setting changes.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from samverkan import locations


@dataclass
class Settings:
    language: str = ""
    theme: str = ""
    observer: str = ""
    sync_with: str = ""  # the database ``samverkan sync`` exchanges with, once given
    # A team database (``postgresql://user@host/db``) or a file; empty: the default file.
    # Keep the password out of it: libpq's ~/.pgpass or a service file hold that.
    database: str = ""


def load_settings(path: Path | None = None) -> tuple[Settings, str | None]:
    """The settings and, if the file could not be read, why."""
    path = path or locations.config_file()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings(), None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Settings(), f"{path}: {exc}"
    known = {f.name for f in fields(Settings)}
    values = {k: str(v) for k, v in raw.items() if k in known and isinstance(v, str)}
    return Settings(**values), None


def save_settings(settings: Settings, path: Path | None = None) -> None:
    import tomli_w

    from samverkan.fileio import write_atomically
    from samverkan.store.files import private_folder

    path = path or locations.config_file()
    private_folder(path.parent)
    # Private (0600) and whole or not at all: the observer's name is personal data.
    write_atomically(path, tomli_w.dumps(asdict(settings)))
