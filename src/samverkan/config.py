"""User settings (language, theme, observer name, bell, keys) in a small TOML file.

``keys`` remaps keys by binding id, as Textual's keymap does, e.g.::

    [keys]
    next-phase = "ctrl+right"
    close = "f9"


A damaged settings file must never stop a meeting: it is read as empty and
the problem is reported once; it is rewritten atomically when a setting changes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
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
    bell: bool = False
    """Ring the terminal bell once at a phase's 80 % warning and once at its overtime."""
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id → keys (comma-separated), applied with Textual's keymap."""


def load_settings(path: Path | None = None) -> tuple[Settings, str | None]:
    """The settings and, if the file could not be read, why."""
    path = path or locations.config_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), None
    except (OSError, UnicodeDecodeError) as exc:
        return Settings(), f"{path}: {exc}"
    import tomllib  # here: most starts have no file, and the app's start need not pay for it

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Settings(), f"{path}: {exc}"
    settings = Settings()
    for name in ("language", "theme", "observer", "sync_with", "database"):
        if isinstance(raw.get(name), str):
            setattr(settings, name, raw[name])
    settings.bell = raw.get("bell") is True
    keys = raw.get("keys")
    if isinstance(keys, dict):
        settings.keys = {str(k): v for k, v in keys.items() if isinstance(v, str)}
    return settings, None


def save_settings(settings: Settings, path: Path | None = None) -> None:
    import tomli_w

    from samverkan.fileio import write_atomically
    from samverkan.store.files import private_folder

    path = path or locations.config_file()
    private_folder(path.parent)
    # Private (0600) and whole or not at all: the observer's name is personal data.
    write_atomically(path, tomli_w.dumps(asdict(settings)))
