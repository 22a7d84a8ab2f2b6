"""The reference database generator and the benchmark runner, at a small size."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest

from bench import reference_db, run
from samverkan.domain.model import MeetingStatus
from samverkan.services import open_services
from samverkan.services.importing import code_id
from samverkan.store.migrations import HEAD
from samverkan.store.opening import backup_path_for, open_database

Small = tuple[Path, dict[str, Any]]


def size_of(info: dict[str, Any]) -> reference_db.Size:
    return reference_db.Size(**info["size"], seed=info["seed"])


@contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        yield connection


def scalar(connection: sqlite3.Connection, sql: str, *params: Any) -> Any:
    return connection.execute(sql, params).fetchone()[0]


def test_counts_match_the_size(small_db: Small) -> None:
    path, info = small_db
    size = size_of(info)
    with read_only(path) as db:
        assert scalar(db, "SELECT count(*) FROM project") == size.projects
        assert scalar(db, "SELECT count(*) FROM meeting") == size.meetings
        assert scalar(db, "SELECT count(*) FROM note") == size.notes
        assert scalar(db, "SELECT count(*) FROM tag") == size.tags
        assert scalar(db, "SELECT count(DISTINCT observer) FROM tag") == (
            size.projects * size.observers
        )
        per_project_orgs = db.execute(
            "SELECT count(*) FROM organisation GROUP BY project_id"
        ).fetchall()
        assert all(5 <= n <= 6 for (n,) in per_project_orgs)
        # Every note has its "create" revision; ticked-off actions also a "done" one.
        assert (
            scalar(
                db,
                "SELECT count(*) FROM note n JOIN note_revision r "
                "ON r.note_id = n.id AND r.revision = 1 AND r.action = 'create'",
            )
            == size.notes
        )
        done = scalar(db, "SELECT count(*) FROM note WHERE done")
        assert scalar(db, "SELECT count(*) FROM note_revision") == size.notes + done
        assert scalar(db, "SELECT count(DISTINCT kind) FROM note") == 6
        assert scalar(db, "SELECT count(*) FROM note WHERE kind = 'action' AND due IS NULL") == 0
        statuses = dict(db.execute("SELECT status, count(*) FROM meeting GROUP BY status"))
        assert statuses[MeetingStatus.RUNNING] == 1
    assert info["counts"]["note"] == size.notes
    assert info["counts"]["tag"] == size.tags
    assert (
        json.loads(reference_db.sidecar(path).read_text("utf-8"))["big_meeting"]
        == (info["big_meeting"])
    )


def test_the_big_meetings_and_the_order_of_notes(small_db: Small) -> None:
    path, info = small_db
    size = size_of(info)
    with read_only(path) as db:
        counts = dict(db.execute("SELECT meeting_id, count(*) FROM note GROUP BY meeting_id"))
        assert counts[info["big_meeting_id"]] == size.notes // 10 == info["big_meeting_notes"]
        assert counts[info["meeting_5000_id"]] == size.notes // 20
        status = scalar(db, "SELECT status FROM meeting WHERE id = ?", info["big_meeting_id"])
        assert status == MeetingStatus.RUNNING  # notes can still be added to it
        planned = db.execute(
            "SELECT count(*) FROM note n JOIN meeting m ON m.id = n.meeting_id "
            "WHERE m.status = 'planned'"
        ).fetchone()[0]
        assert planned == 0
        # created_at increases within a meeting, in the order the notes were inserted
        for meeting in counts:
            times = [
                row[0]
                for row in db.execute(
                    "SELECT created_at FROM note WHERE meeting_id = ? ORDER BY rowid", (meeting,)
                )
            ]
            assert times == sorted(times)
            assert len(set(times)) == len(times)
            assert all(t.endswith("+00:00") for t in times)


def test_codes_use_the_importers_ids(small_db: Small) -> None:
    path, _info = small_db
    with read_only(path) as db:
        rows = db.execute(
            "SELECT c.id, p.short, c.slug FROM code c JOIN project p ON p.id = c.project_id"
        ).fetchall()
    assert rows
    assert all(cid == code_id(short, slug) for cid, short, slug in rows)


def note_rows(path: Path) -> list[tuple[Any, ...]]:
    with read_only(path) as db:
        return db.execute("SELECT id, text, created_at FROM note ORDER BY rowid").fetchall()


def tag_ids(path: Path) -> list[str]:
    with read_only(path) as db:
        return [row[0] for row in db.execute("SELECT id FROM tag ORDER BY rowid")]


def test_same_seed_same_rows_other_seed_other_rows(small_db: Small, tmp_path: Path) -> None:
    path, info = small_db
    again = tmp_path / "again.db"
    argv = [
        "--out", str(again), "--projects", "3", "--meetings", "6", "--notes", "2000",
        "--tags", "3000", "--observers", "2", "--seed", "1",
    ]  # fmt: skip
    assert reference_db.main(argv) == 0
    assert note_rows(again) == note_rows(path)
    assert tag_ids(again) == tag_ids(path)
    assert reference_db.load_info(again)["big_meeting"] == info["big_meeting"]

    other = tmp_path / "other.db"
    reference_db.build(other, reference_db.Size(3, 6, 2000, 3000, 2, seed=2))
    assert {r[0] for r in note_rows(other)}.isdisjoint({r[0] for r in note_rows(path)})


def test_open_database_finds_it_at_head(small_db: Small) -> None:
    path, _info = small_db
    database = open_database(path)
    try:
        with database.engine.connect() as connection:
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            assert version.scalar() == HEAD
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            assert mode == "wal"
    finally:
        database.dispose()
    assert not backup_path_for(path, HEAD).exists()  # nothing was migrated


def test_list_projects_shows_the_meetings_and_their_notes(small_db: Small) -> None:
    path, info = small_db
    size = size_of(info)
    with read_only(path) as db:
        expected = {
            f"{short}/{number}": count
            for short, number, count in db.execute(
                "SELECT p.short, m.number, count(n.id) FROM meeting m "
                "JOIN project p ON p.id = m.project_id LEFT JOIN note n ON n.meeting_id = m.id "
                "GROUP BY m.id"
            )
        }
    services = open_services(path)
    try:
        projects = services.projects.list_projects()
    finally:
        services.close()
    shown = {m.ref: m.notes for p in projects for m in p.meetings}
    assert shown == expected
    assert shown[info["big_meeting"]] == size.notes // 10
    assert sum(shown.values()) == size.notes
    assert [p.short for p in projects] == ["ref-01", "ref-02", "ref-03"]


def test_too_many_tags_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="tags do not fit"):
        reference_db.build(tmp_path / "x.db", reference_db.Size(1, 2, 10, 10_000, 1))


def test_the_insert_benchmark_runs(small_db: Small, tmp_path: Path) -> None:
    path, info = small_db
    size = size_of(info)
    ctx = run.Context(db=path, info=info, out=tmp_path, counts={"insert": 5, "warmup": 1})
    figures = {f.name: f for f in run.note_insert(ctx)}
    assert figures["service p99"].value > 0
    assert figures["raw sqlite3 p50"].value > 0
    assert figures["service p99"].budget is None  # the budget is bench.budgets' "enter"
    assert figures["service/raw p99"].unit == "x"
    assert not list((tmp_path / "scratch").glob("*.db"))  # scratch copies are removed
    with read_only(path) as db:  # the reference itself is untouched
        assert scalar(db, "SELECT count(*) FROM note") == size.notes


def test_registry_and_table() -> None:
    assert list(run.REGISTRY)[:4] == ["note_insert", "list", "notes_load", "visibility"]
    assert run.percentile([5, 1, 4, 2, 3], 50) == 3
    assert run.percentile(list(range(1, 101)), 99) == 99
    table = run.render(
        {
            "x": {"figures": [run.Figure("p99", 7.0, "ms", 5.0), run.Figure("n", 1.0, "x")]},
            "y": {"error": "RuntimeError: boom"},
        }
    )
    assert "OVER" in table
    assert "RuntimeError: boom" in table
