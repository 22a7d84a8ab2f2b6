"""Consistent copies of the database, always as one portable SQLite file.

The backup API copies pages under a read lock and restarts when another
process writes meanwhile, so the copy is always one consistent state even
while a meeting is being recorded. The copy is checked before it is kept: a
damaged database gives a refusal, not a backup that looks fine.
A server database is copied row by row from one snapshot (``REPEATABLE READ``)
into a new samverkan file at the same schema: a copy that ``samverkan --db FILE``
opens on any laptop, without the server.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from samverkan.domain.errors import UserError
from samverkan.i18n import _
from samverkan.store.engine import Database
from samverkan.store.files import create_private_file, private_folder, process_alive


class BackupRefused(UserError):
    """The copy cannot be made as asked; ``str()`` says why in one sentence."""


def database_files(path: Path) -> list[Path]:
    """The database and the files SQLite and samverkan keep beside it."""
    return [path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal", ".lock"))]


def is_database_file(target: Path, database: Path) -> bool:
    """True if ``target`` is the database or one of its companion files."""
    for own in database_files(database):
        try:
            if target.resolve() == own.resolve() or (
                target.exists() and own.exists() and os.path.samefile(target, own)
            ):
                return True
        except OSError:
            continue
    return False


def backup_to(database: Database, target: Path, *, force: bool = True) -> Path:
    """Write a consistent copy of ``database`` to ``target`` atomically.

    Never over the database itself; over an existing file only with ``force``.
    """
    target = target.expanduser()
    source = getattr(database, "path", None)  # a server database has no file
    if isinstance(source, Path) and is_database_file(target, source):
        raise BackupRefused(
            _("{path} is the database itself; choose another file with -o FILE").format(path=target)
        )
    if target.exists() and not force:
        raise BackupRefused(
            _("{path} already exists; add --force to overwrite it or choose another name").format(
                path=target
            )
        )
    private_folder(target.parent)
    _remove_stale_partials(target)
    # Unique per process: two backups to one target never share a half-written file.
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    create_private_file(partial)
    try:
        path = getattr(database, "path", None)
        if isinstance(path, Path):
            _copy(path, partial)
        else:
            partial.unlink()  # the copy is made as a new samverkan file
            _copy_server(database, partial)
            os.chmod(partial, 0o600)
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    return target


def _copy(source_path: Path, partial: Path) -> None:
    try:
        source = sqlite3.connect(source_path, timeout=10)
        try:
            dest = sqlite3.connect(partial)
            try:
                # One step under one read snapshot: in WAL mode writers carry on meanwhile.
                source.backup(dest)
                # The copy is a plain rollback-journal file: one file to mail or archive.
                dest.execute("PRAGMA journal_mode = DELETE")
                problem = _damage(dest)
            finally:
                dest.close()
        finally:
            source.close()
    except sqlite3.OperationalError:
        raise  # locked, full, unreadable: the caller words those
    except sqlite3.DatabaseError as exc:
        problem = str(exc)
    if problem is not None:
        raise BackupRefused(
            _(
                "{path} is damaged ({problem}), so no backup was written; restore an earlier backup"
            ).format(path=source_path, problem=problem)
        )


def _damage(connection: sqlite3.Connection) -> str | None:
    """The first problem ``quick_check`` finds, or None for a sound file."""
    try:
        rows = connection.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    first = str(rows[0][0]) if rows else "ok"
    return None if first == "ok" else first[:120]


def _remove_stale_partials(target: Path) -> None:
    """Half-written copies left by a process that was killed (their pid is gone)."""
    for leftover in target.parent.glob(f".{target.name}.*.partial"):
        pid_text = leftover.name[len(target.name) + 2 : -len(".partial")]
        if pid_text.isdigit() and not process_alive(int(pid_text)):
            with contextlib.suppress(OSError):
                leftover.unlink()


# What a database remembers of its syncs holds for its own change numbers, which
# the copy gives out again (without the server's gaps): kept, it would tell the
# next sync that notes written since were already the same. Without it the copy
# gets an id of its own at its first sync, and is compared in full.
_NOT_COPIED = frozenset({"sync_peer", "sync_identity"})


def _copy_server(database: Database, partial: Path) -> None:
    from sqlmodel import SQLModel

    from samverkan.store import tables  # noqa: F401  (the tables on the metadata)
    from samverkan.store.opening import open_database

    copy = open_database(partial)  # a new file at this program's schema
    try:
        with (
            database.engine.connect().execution_options(
                isolation_level="REPEATABLE READ"
            ) as source,
            copy.engine.begin() as dest,
        ):
            for table in SQLModel.metadata.sorted_tables:
                if table.name in _NOT_COPIED:
                    continue
                query = table.select()
                if "added_seq" in table.c:
                    # In the order of writing: the copy numbers them again, in that order.
                    query = query.order_by(table.c.added_seq)
                result = source.execute(query)
                while batch := result.fetchmany(2000):
                    dest.execute(table.insert(), [row._asdict() for row in batch])
            source.rollback()
    finally:
        copy.dispose()
    # One file to mail or archive, as a file's backup is.
    plain = sqlite3.connect(partial)
    try:
        plain.execute("PRAGMA journal_mode = DELETE")
    finally:
        plain.close()
