"""Look at a database file before opening it, with sqlite3 alone (no SQLAlchemy).

Every refusal is a :class:`StoreError` with one sentence that names the path
and the way out; the file itself is never written to before we know it is a
samverkan database we understand. Being light, this runs before the app
starts, so a bad file is reported on the command line, not inside the TUI.
"""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from pathlib import Path

from samverkan.domain.errors import UserError
from samverkan.i18n import _
from samverkan.store.files import private_folder
from samverkan.store.migrations import SCRIPT_LOCATION

SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreError(UserError):
    """A database problem the user can act on; ``str()`` is the sentence to show."""


def _way_out() -> str:
    return _("choose another file with --db PATH or SAMVERKAN_DB")


def _read_only_uri(path: Path) -> str:
    """A URI that reads ``path`` without creating anything beside it.

    Reading a WAL-mode file, even with ``mode=ro``, creates its -wal and -shm;
    a file we go on to refuse must be left as it was. With no -wal beside it no
    one has it open, and nothing is waiting in a log, so it can be read as
    immutable, which touches nothing.
    """
    with path.open("rb") as handle:
        header = handle.read(20)
    wal_mode = len(header) == 20 and header[18:20] == b"\x02\x02"
    quoted = urllib.parse.quote(str(path))
    if wal_mode and not Path(f"{path}-wal").exists():
        return f"file:{quoted}?immutable=1"
    return f"file:{quoted}?mode=ro"


def _busy(path: Path) -> StoreError:
    return StoreError(
        _(
            "{path} is busy: another program is writing to it or upgrading it; "
            "try again in a moment"
        ).format(path=path)
    )


def _inspect(path: Path) -> tuple[set[str], str | None]:
    """Tables and alembic revision of an existing file, read without writing."""
    uri = _read_only_uri(path)
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=10)
        try:
            tables = {
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            return tables, revision
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise _busy(path) from exc
        raise _damaged(path, exc) from exc
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, exc) from exc


def _damaged(path: Path, exc: BaseException) -> StoreError:
    return StoreError(
        _("{path} is damaged or not a database ({reason}); {way_out}").format(
            path=path, reason=exc, way_out=_way_out()
        )
    )


def _check_location(path: Path) -> None:
    if path.is_dir():
        raise StoreError(
            _("{path} is a folder, not a database file; {way_out}").format(
                path=path, way_out=_way_out()
            )
        )
    folder = path.parent
    if not path.exists():
        try:
            private_folder(folder)
        except OSError as exc:
            raise StoreError(
                _("cannot create the folder {folder} ({reason}); {way_out}").format(
                    folder=folder, reason=exc.strerror or exc, way_out=_way_out()
                )
            ) from exc
    # WAL needs to create its -wal and -shm files beside the database.
    if not os.access(folder, os.W_OK | os.X_OK) or (
        path.exists() and not os.access(path, os.R_OK | os.W_OK)
    ):
        raise StoreError(
            _("cannot write to {path}: permission denied; {way_out}").format(
                path=path, way_out=_way_out()
            )
        )
    if path.exists():
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
        if head and head != SQLITE_MAGIC:
            raise StoreError(
                _("{path} is not an SQLite database and was left untouched; {way_out}").format(
                    path=path, way_out=_way_out()
                )
            )


def known_revisions() -> set[str]:
    versions = SCRIPT_LOCATION / "versions"
    return {p.name.split("_", 1)[0] for p in versions.glob("[0-9]*_*.py")}


def check_database(path: Path) -> str | None:
    """The schema revision of the file at ``path`` (None: new or empty), or a StoreError."""
    path = path.expanduser().resolve()
    _check_location(path)
    tables, revision = _inspect(path) if path.exists() else (set(), None)
    if tables and revision is None:
        raise StoreError(
            _(
                "{path} is an SQLite file of another program and was left untouched; {way_out}"
            ).format(path=path, way_out=_way_out())
        )
    if revision is not None and revision not in known_revisions():
        raise StoreError(
            _(
                "{path} was written by a newer version of samverkan (schema {revision}); "
                "update samverkan or {way_out}"
            ).format(path=path, revision=revision, way_out=_way_out())
        )
    return revision


def check_server_revision(location: object, tables: set[str], revision: str | None) -> str | None:
    """The same refusals for a server database (its tables and revision already read)."""
    samverkan_tables = {"project", "meeting", "note"}
    if tables and revision is None and (tables & samverkan_tables or tables - {"alembic_version"}):
        raise StoreError(
            _(
                "the database {url} holds tables of another program and was left untouched; "
                "create an empty database for samverkan"
            ).format(url=location)
        )
    if revision is not None and revision not in known_revisions():
        raise StoreError(
            _(
                "the database {url} was written by a newer version of samverkan "
                "(schema {revision}); update samverkan"
            ).format(url=location, revision=revision)
        )
    return revision
