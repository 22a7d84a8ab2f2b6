"""The database file under the user's hands: deleted, replaced, moved, damaged, empty,
private, never overwritten by a document or a backup (issue 9)."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from tests.cli_runner import run
from tests.conftest import GRUPP_1

from samverkan.domain.errors import UserError
from samverkan.services import NoteDraft, Services, open_services
from samverkan.store.backup import BackupRefused, backup_to
from samverkan.store.files import DatabaseGone
from samverkan.store.opening import open_database


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def meeting(imported: Services) -> str:
    return imported.projects.resolve_ref("grupp-1/1")


# ------------------------------------------------------------ the file changes under us


def test_a_deleted_database_is_noticed_before_the_next_write(
    imported: Services, meeting: str, db_path: Path
) -> None:
    imported.notes.add(meeting, NoteDraft("before"))
    db_path.unlink()
    with pytest.raises(DatabaseGone) as caught:
        imported.notes.add(meeting, NoteDraft("into the void"))
    message = str(caught.value)
    assert str(db_path) in message and "\n" not in message
    assert not caught.value.retryable  # type: ignore[attr-defined]


def test_a_replaced_database_is_noticed(imported: Services, meeting: str, db_path: Path) -> None:
    other = db_path.with_name("other.db")
    open_services(other).close()
    os.replace(other, db_path)
    with pytest.raises(DatabaseGone):
        imported.notes.add(meeting, NoteDraft("into the old inode"))
    with sqlite3.connect(db_path) as conn:  # the new file was not written to either
        assert conn.execute("SELECT count(*) FROM note").fetchone()[0] == 0


def test_a_moved_database_is_noticed(imported: Services, meeting: str, db_path: Path) -> None:
    db_path.rename(db_path.with_name("moved.db"))
    with pytest.raises(DatabaseGone):
        imported.notes.add(meeting, NoteDraft("after the move"))


def test_the_untouched_file_goes_on_being_written(imported: Services, meeting: str) -> None:
    for n in range(3):
        imported.notes.add(meeting, NoteDraft(f"note {n}"))
    assert len(imported.notes.notes(meeting)) == 3


# ------------------------------------------------------------ private files


def test_everything_created_is_private(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = os.umask(0o022)
    try:
        db = tmp_path / "new" / "deeper" / "samverkan.db"
        assert run(capsys, "--db", str(db), "import", str(GRUPP_1))[0] == 0
        services = open_services(db)
        services.close()
        assert _mode(db) == 0o600
        assert _mode(db.parent) == 0o700 and _mode(db.parent.parent) == 0o700
        for sibling in db.parent.iterdir():  # -wal, -shm, .lock
            assert _mode(sibling) == 0o600, sibling
        backup = tmp_path / "copies" / "copy.db"
        assert run(capsys, "--db", str(db), "backup", "-o", str(backup))[0] == 0
        assert _mode(backup) == 0o600 and _mode(backup.parent) == 0o700
        assert run(capsys, "--db", str(db), "backup")[0] == 0
        (default_backup,) = (Path(os.environ["SAMVERKAN_HOME"]) / "data" / "backups").iterdir()
        assert _mode(default_backup) == 0o600
        assert _mode(default_backup.parent) == 0o700
        minutes = tmp_path / "minutes.md"
        assert run(capsys, "--db", str(db), "export", "grupp-1/1", "-o", str(minutes))[0] == 0
        assert _mode(minutes) == 0o600
    finally:
        os.umask(old)


def test_settings_are_private(tmp_path: Path) -> None:
    from samverkan.config import Settings, save_settings

    old = os.umask(0o022)
    try:
        path = tmp_path / "config" / "config.toml"
        save_settings(Settings(observer="Cecilia"), path)
        assert _mode(path) == 0o600 and _mode(path.parent) == 0o700
    finally:
        os.umask(old)


# ------------------------------------------------------------ backup -o and every -o


def test_backup_refuses_an_existing_file_without_force(
    imported: Services, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "keep.txt"
    target.write_text("mine")
    code, _out, err = run(capsys, "--db", str(db_path), "backup", "-o", str(target))
    assert code == 1 and "--force" in err and target.read_text() == "mine"
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    code, _out, _err = run(capsys, "--db", str(db_path), "backup", "-o", str(target), "--force")
    assert code == 0 and target.read_bytes().startswith(b"SQLite format 3")


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_backup_never_writes_over_its_own_database(
    imported: Services, db_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = db_path.with_name(db_path.name + suffix)
    before = db_path.read_bytes()
    code, _out, err = run(capsys, "--db", str(db_path), "backup", "-o", str(target), "--force")
    assert code == 1 and "database itself" in err
    assert db_path.read_bytes() == before


def test_backup_refuses_the_database_through_another_name(
    imported: Services, db_path: Path, tmp_path: Path
) -> None:
    link = tmp_path / "link.db"
    link.symlink_to(db_path)
    with pytest.raises(BackupRefused):
        backup_to(imported.database, link)


@pytest.mark.parametrize(
    "command",
    [
        ["export", "grupp-1/1"],
        ["report", "grupp-1"],
        ["observations", "export", "grupp-1/1"],
        ["codebook", "export", "grupp-1"],
    ],
)
def test_no_document_is_written_over_the_database(
    imported: Services, db_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    before = db_path.read_bytes()
    code, _out, err = run(capsys, "--db", str(db_path), *command, "-o", str(db_path), "--force")
    assert code == 1, err
    assert "is a database" in err and "Traceback" not in err
    assert db_path.read_bytes() == before


# ------------------------------------------------------------ empty, damaged, WAL, busy


def test_a_reading_command_refuses_an_empty_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    for command in (["list"], ["export", "x/1"], ["backup"]):
        code, _out, err = run(capsys, "--db", str(empty), *command)
        assert code == 1 and "empty file" in err, (command, err)
    assert empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


def _damage(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as handle:
        for offset in range(4096 * 2, size, 4096):
            handle.seek(offset)
            handle.write(b"\xde\xad" * 50)


def _checkpointed(db_path: Path, services: Services) -> None:
    services.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")


def test_backup_of_a_damaged_file_is_refused(
    imported: Services, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _checkpointed(db_path, imported)
    _damage(db_path)
    target = tmp_path / "copy.db"
    code, _out, err = run(capsys, "--db", str(db_path), "backup", "-o", str(target))
    assert code == 1 and "damaged" in err, err
    assert "sqlalchemy" not in err.lower() and "Traceback" not in err
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_errors_on_a_damaged_file_are_one_plain_sentence(
    imported: Services, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _checkpointed(db_path, imported)
    _damage(db_path)
    for command in (["list"], ["export", "grupp-1/1"], ["report", "grupp-1"]):
        code, _out, err = run(capsys, "--db", str(db_path), *command)
        assert code == 1, (command, err)
        assert len(err.strip().splitlines()) == 1, err
        assert "sqlalchemy" not in err.lower() and "[SQL" not in err, err


def test_refusing_a_wal_file_creates_nothing_beside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE theirs (x)")
    conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]
    code, _out, err = run(capsys, "--db", str(other), "list")
    assert code == 1 and "another program" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_long_migration_elsewhere_is_one_sentence(db_path: Path) -> None:
    from samverkan.store.turns import WriteTurns

    open_services(db_path).close()
    with sqlite3.connect(db_path) as conn:  # make the file look old: it must migrate
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    turns = WriteTurns(db_path, timeout=10)
    entered, release = threading.Event(), threading.Event()

    def migrating_elsewhere() -> None:
        with turns.turn():
            entered.set()
            release.wait(30)

    # flock is per open file: a second WriteTurns in this process queues like another process.
    holder = threading.Thread(target=migrating_elsewhere)
    holder.start()
    entered.wait(10)
    try:
        import samverkan.store.opening as opening

        real = opening.Database

        class QuickTurns(real):  # type: ignore[misc, valid-type]
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, **kwargs)
                self.turns._timeout = 0.2

        opening.Database = QuickTurns  # type: ignore[misc]
        try:
            with pytest.raises(UserError) as caught:
                open_database(db_path)
        finally:
            opening.Database = real  # type: ignore[misc]
        assert "busy" in str(caught.value)
    finally:
        release.set()
        holder.join()
        turns.close()


def test_a_killed_backup_leaves_no_partial_behind_for_long(
    imported: Services, tmp_path: Path
) -> None:
    target = tmp_path / "copy.db"
    dead = tmp_path / f".copy.db.{2**22 + 12345}.partial"  # no such process
    dead.write_bytes(b"x" * 1000)
    backup_to(imported.database, target)
    assert not dead.exists() and target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_sqlalchemy_text_never_reaches_the_user() -> None:
    from sqlalchemy.exc import DatabaseError as AlchemyError

    from samverkan.domain.errors import problem_sentence

    wrapped = AlchemyError(
        "SELECT * FROM note", {}, sqlite3.DatabaseError("database disk image is malformed")
    )
    sentence = problem_sentence(wrapped)
    assert sentence.startswith("the database file is damaged (database disk image is malformed)")
    assert "SELECT" not in sentence and "sqlalche" not in sentence.lower()
