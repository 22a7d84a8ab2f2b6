"""The database file: pragmas, refusal of what is not ours, migrations, backups."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from samverkan.domain.model import new_id
from samverkan.store import tables as t
from samverkan.store.backup import backup_to
from samverkan.store.migrations import HEAD, SCRIPT_LOCATION
from samverkan.store.opening import StoreError, backup_path_for, open_database

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_pragmas_are_on_for_every_connection(db_path: Path) -> None:
    database = open_database(db_path)
    try:
        for _ in range(3):
            with database.read() as session:
                conn = session.connection()
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    finally:
        database.dispose()


def test_foreign_keys_are_enforced(db_path: Path) -> None:
    database = open_database(db_path)
    try:
        with pytest.raises(IntegrityError), database.write() as session:
            session.add(
                t.Organisation(id=new_id(), project_id="no-such-project", short="X", name="X")
            )
    finally:
        database.dispose()


def test_fresh_file_is_created_at_head(db_path: Path) -> None:
    open_database(db_path).dispose()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)
    conn.close()


def test_head_constant_matches_alembic() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD


def test_migrated_schema_matches_the_tables(db_path: Path) -> None:
    """The migrations and the SQLModel tables describe the same schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    database = open_database(db_path)
    try:
        with database.engine.connect() as conn:
            # The change sequence's counter is the engine's own, not a table of ours.
            context = MigrationContext.configure(
                conn, opts={"include_name": lambda name, *_: name != "change_counter"}
            )
            diff = compare_metadata(context, SQLModel.metadata)
        assert diff == []
    finally:
        database.dispose()


def test_non_sqlite_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    content = b"These are my meeting notes, not a database.\n" * 10
    path.write_bytes(content)
    with pytest.raises(StoreError, match="not an SQLite database") as info:
        open_database(path)
    assert str(path) in str(info.value) and "--db" in str(info.value)
    assert path.read_bytes() == content
    assert not (tmp_path / "notes.db-wal").exists()


def test_corrupt_sqlite_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    good = tmp_path / "good.db"
    open_database(good).dispose()
    data = bytearray(good.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as info:
        open_database(path)
    assert str(path) in str(info.value)
    assert path.read_bytes() == bytes(data)


def test_sqlite_file_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="another program"):
        open_database(path)
    assert path.read_bytes() == before


def test_newer_schema_is_refused(db_path: Path) -> None:
    open_database(db_path).dispose()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer version of samverkan"):
        open_database(db_path)


def test_unwritable_folder_gets_one_sentence(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        # root writes everywhere; a path under a regular file cannot be created by anyone.
        blocker = tmp_path / "file"
        blocker.write_text("x")
        target = blocker / "sub" / "samverkan.db"
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = locked / "samverkan.db"
    with pytest.raises(StoreError) as info:
        open_database(target)
    message = str(info.value)
    assert "--db" in message and "\n" not in message


def test_folder_instead_of_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder"):
        open_database(tmp_path)


def test_baseline_fixture_is_migrated_keeping_every_row(tmp_path: Path) -> None:
    """A file made by the first release opens, is backed up, and keeps all rows."""
    source = FIXTURES / "baseline-0001.db"
    path = tmp_path / "old.db"
    path.write_bytes(source.read_bytes())
    before = _row_counts(path)
    assert sum(before.values()) > 0
    database = open_database(path)
    database.dispose()
    after = _row_counts(path)
    assert {k: after[k] for k in before} == before
    revision = sqlite3.connect(path).execute("SELECT version_num FROM alembic_version").fetchone()
    assert revision == (HEAD,)
    if HEAD != "0001":
        backup = backup_path_for(path.resolve(), "0001")
        assert backup.exists() and _row_counts(backup) == before


def _row_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name != 'alembic_version'"
            )
        ]
        return {n: conn.execute(f"SELECT count(*) FROM {n}").fetchone()[0] for n in names}
    finally:
        conn.close()


def test_backup_is_consistent_while_another_connection_writes(tmp_path: Path) -> None:
    path = tmp_path / "live.db"
    database = open_database(path)
    stop = threading.Event()
    written = 0

    def writer() -> None:
        nonlocal written
        conn = sqlite3.connect(path, timeout=10)
        conn.execute("PRAGMA journal_mode=WAL")
        while not stop.is_set():
            with conn:
                conn.execute(
                    "INSERT INTO project (id, short, name, lang, description, facilitator, "
                    "observers, steering_group, source_path, codebook_path, created_at, "
                    "updated_at) VALUES (?, ?, 'x', 'sv', '', '', '[]', '[]', '', '', '', '')",
                    (new_id(), new_id()),
                )
            written += 1
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.2)
        copies = [backup_to(database, tmp_path / f"copy-{i}.db") for i in range(3)]
    finally:
        stop.set()
        thread.join()
        database.dispose()
    assert written > 0
    for copy in copies:
        conn = sqlite3.connect(copy)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM project").fetchone()[0] > 0
        conn.close()
    assert not list(tmp_path.glob(".*.partial"))
