"""Observer tags: one observer's code on one note, toggled, never deleted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy.engine import Dialect

from samverkan.domain.errors import UserError
from samverkan.domain.model import stable_id
from samverkan.i18n import _
from samverkan.store import tables as t
from samverkan.store.engine import Database
from samverkan.store.raw_insert import RawInsert, RawUpdate, driver_sql


def tag_id(note_id: str, code_id: str, observer: str) -> str:
    # Derived, so the same tag made on two laptops merges into one row.
    return stable_id("tag", note_id, code_id, observer.casefold())


_TAG_TABLE: Any = t.Tag.__table__  # type: ignore[attr-defined]
_NOTE_SQL = "SELECT 1 FROM note WHERE id = ?"
_CODE_SQL = "SELECT 1 FROM code WHERE id = ?"
_ACTIVE_SQL = "SELECT active FROM tag WHERE id = ?"


@dataclass(frozen=True)
class _Statements:
    note: str
    code: str
    active: str
    insert: RawInsert
    update: RawUpdate


@cache
def _statements(dialect: Dialect) -> _Statements:
    return _Statements(
        driver_sql(_NOTE_SQL, dialect),
        driver_sql(_CODE_SQL, dialect),
        driver_sql(_ACTIVE_SQL, dialect),
        RawInsert(_TAG_TABLE, dialect),
        RawUpdate(_TAG_TABLE, dialect, ("active", "updated_at")),
    )


class TagService:
    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._db = database
        self._clock = clock

    def toggle(self, note_id: str, code_id: str, observer: str) -> bool:
        """Switch ``observer``'s code on the note; returns whether it is now on."""
        return self._apply(note_id, code_id, observer, None)

    def set(self, note_id: str, code_id: str, observer: str, active: bool) -> None:
        self._apply(note_id, code_id, observer, active)

    def _apply(self, note_id: str, code_id: str, observer: str, active: bool | None) -> bool:
        observer = observer.strip()
        if not observer:
            raise UserError(_("say who is observing first (--as NAME)"))
        # On the driver's connection: the writers' turn is held for the commit alone
        # (1 ms, against 3.5 through a session), so a facilitator's Enter that meets
        # an observer's tag waits that much less, and meets one that much less often.
        with self._db.driver_write() as (dbapi, dialect):
            sql = _statements(dialect)
            if dbapi.execute(sql.note, (note_id,)).fetchone() is None:
                raise UserError(_("the note no longer exists in this database"))
            if dbapi.execute(sql.code, (code_id,)).fetchone() is None:
                raise UserError(_("that code is not in this project's codebook"))
            now = self._clock()
            tid = tag_id(note_id, code_id, observer)
            row = dbapi.execute(sql.active, (tid,)).fetchone()
            # A new tag starts off: a toggle turns it on, a set makes it what was asked.
            was = bool(row[0]) if row is not None else False
            on = (not was) if active is None else active
            values = {"id": tid, "active": on, "updated_at": now}
            if row is None:
                values |= {
                    "note_id": note_id,
                    "code_id": code_id,
                    "observer": observer,
                    "created_at": now,
                }
                dbapi.execute(sql.insert.sql, sql.insert.params(values))
            else:
                dbapi.execute(sql.update.sql, sql.update.params(values))
        return on
