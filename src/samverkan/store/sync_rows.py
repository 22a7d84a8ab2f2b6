"""Rows as plain dicts, for sync: read, insert and update any table by its columns.

Sync moves rows between two databases that may run on different engines, so
it speaks SQLAlchemy Core only (no PRAGMA, no rowid, no raw DBAPI). Columns a
database fills in itself (the change sequence's numbers, marked
``info={"set_by_database": True}``) belong to each database alone: they are
never read for comparison, never copied and never part of the canonical dump.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Column, Table, and_, bindparam, select, update
from sqlalchemy.orm import Session
from sqlmodel import SQLModel

from samverkan.store import tables as _tables  # noqa: F401  (registers the tables)
from samverkan.store.raw_insert import RawInsert

Row = dict[str, Any]

# Parent before child: the order rows are inserted in, and the canonical dump's order.
TABLE_ORDER = (
    "project",
    "organisation",
    "person",
    "code",
    "meeting",
    "phase",
    "attendance",
    "meeting_event",
    "note",
    "note_revision",
    "tag",
    "tombstone",
)
# Chunk size for ``IN (...)`` lists: well below SQLite's and PostgreSQL's limits.
CHUNK = 500


def table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def columns(name: str) -> list[Column[Any]]:
    """The columns that travel: all but those the database sets itself."""
    return [c for c in table(name).c if not c.info.get("set_by_database")]


def column_names(name: str) -> tuple[str, ...]:
    return tuple(c.name for c in columns(name))


def fetch(session: Session, name: str, *where: Any, order_by: Sequence[Any] = ()) -> list[Row]:
    query = select(*columns(name))
    if where:
        query = query.where(and_(*where))
    if order_by:
        query = query.order_by(*order_by)
    return rows_of(session, query)


def rows_of(session: Session, query: Any) -> list[Row]:
    """The rows of ``query`` as dicts, fetched in one go (not a round of Python per row)."""
    result = session.connection().execute(query)
    keys = tuple(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result.all()]


# Rows that hang on a note find their meeting through it.
_VIA_NOTE = ("note_revision", "tag")


def in_meeting(name: str, meeting_id: str) -> Any:
    """A query of ``name``'s travelling columns for the rows of one meeting."""
    tbl = table(name)
    query = select(*columns(name))
    if name in _VIA_NOTE:
        note = table("note")
        return query.join_from(tbl, note, note.c.id == tbl.c.note_id).where(
            note.c.meeting_id == meeting_id
        )
    return query.where(tbl.c.meeting_id == meeting_id)


def fetch_in_meeting(
    session: Session, name: str, meeting_id: str, ids: Iterable[str] | None = None, key: str = "id"
) -> list[Row]:
    """The meeting's rows of ``name`` (those whose ``key`` is in ``ids``, when given).

    Many ids are read as the whole meeting in one query and filtered here: a
    thousand ``IN (...)`` chunks cost far more than the rows they leave out.
    Ids the meeting lacks are then looked for everywhere (a split moves notes and
    clock events to another meeting): mostly index probes that find nothing.
    """
    if ids is None:
        return rows_of(session, in_meeting(name, meeting_id))
    wanted = set(ids)
    if len(wanted) <= CHUNK:
        return fetch_by_ids(session, name, wanted, key=key)
    found = [r for r in rows_of(session, in_meeting(name, meeting_id)) if r[key] in wanted]
    missing = wanted.difference(r[key] for r in found)
    tbl = table(name)
    elsewhere: set[str] = set()
    for chunk in chunks(sorted(missing)):
        query = select(tbl.c[key]).where(tbl.c[key].in_(chunk)).distinct()
        elsewhere.update(session.connection().execute(query).scalars().all())
    return found + fetch_by_ids(session, name, elsewhere, key=key) if elsewhere else found


def fetch_by_ids(session: Session, name: str, ids: Iterable[str], key: str = "id") -> list[Row]:
    """Rows whose ``key`` column is one of ``ids``, read in chunks."""
    tbl = table(name)
    found: list[Row] = []
    for chunk in chunks(sorted(set(ids))):
        found.extend(fetch(session, name, tbl.c[key].in_(chunk)))
    return found


def insert_rows(session: Session, name: str, rows: Sequence[Row]) -> None:
    """One ``executemany`` of a prepared INSERT on the DBAPI (psycopg pipelines it):
    the values converted by the columns' own bind processors, as the ORM would."""
    if not rows:
        return
    connection = session.connection()
    inserter = RawInsert(table(name), connection.dialect)
    connection.exec_driver_sql(inserter.sql, [inserter.params(row) for row in rows])


def update_rows(session: Session, name: str, rows: Sequence[Row], fields: Sequence[str]) -> None:
    """Set ``fields`` of each row (found by id); one statement, many parameter sets."""
    if not rows:
        return
    tbl = table(name)
    statement = (
        update(tbl)
        .where(tbl.c.id == bindparam("_id"))
        .values({f: bindparam(f"_v_{f}") for f in fields})
    )
    session.execute(
        statement,
        [{"_id": row["id"], **{f"_v_{f}": row[f] for f in fields}} for row in rows],
    )


def chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def plain(value: Any) -> Any:
    """A value as JSON can hold it, the same whichever engine it came from."""
    if isinstance(value, datetime):
        # In UTC: a server hands times back in its session's time zone.
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def sort_key(row: Row) -> str:
    """A total order on rows of one table, for deterministic tie-breaks."""
    return json.dumps({k: plain(v) for k, v in sorted(row.items())}, ensure_ascii=False)


def canonical_dump(session: Session, project_ids: Iterable[str] | None = None) -> str:
    """Every travelling row of the database (or of some projects), as sorted JSON.

    Two databases hold the same content exactly when their dumps are equal;
    the tests of convergence compare these.
    """
    wanted = None if project_ids is None else set(project_ids)
    dump: dict[str, list[Row]] = {}
    for name in TABLE_ORDER:
        rows = [{k: plain(v) for k, v in row.items()} for row in fetch(session, name)]
        dump[name] = sorted(rows, key=lambda r: r["id"])
    if wanted is not None:
        dump = _only_projects(dump, wanted)
    return json.dumps(dump, ensure_ascii=False, sort_keys=True, indent=0)


def _only_projects(dump: dict[str, list[Row]], wanted: set[str]) -> dict[str, list[Row]]:
    keep: dict[str, set[str]] = {"project": set(wanted)}
    parents = {
        "organisation": ("project_id", "project"),
        "person": ("organisation_id", "organisation"),
        "code": ("project_id", "project"),
        "meeting": ("project_id", "project"),
        "phase": ("meeting_id", "meeting"),
        "attendance": ("meeting_id", "meeting"),
        "meeting_event": ("meeting_id", "meeting"),
        "note": ("meeting_id", "meeting"),
        "note_revision": ("note_id", "note"),
        "tag": ("note_id", "note"),
        "tombstone": ("project_id", "project"),
    }
    result: dict[str, list[Row]] = {"project": [r for r in dump["project"] if r["id"] in wanted]}
    for name in TABLE_ORDER[1:]:
        key, parent = parents[name]
        rows = [r for r in dump[name] if r[key] in keep[parent]]
        keep[name] = {r["id"] for r in rows}
        result[name] = rows
    return result


def bytewise(session: Session, column: Any) -> Any:
    """``column`` compared byte by byte, so min() and max() of ids agree across engines
    (a server's default collation may order the hyphens of a UUID otherwise)."""
    bind = session.get_bind()
    return column.collate("C" if bind.dialect.name == "postgresql" else "BINARY")
