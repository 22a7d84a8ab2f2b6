"""Observer tags: one observer's code on one note, toggled, never deleted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from samverkan.domain.errors import UserError
from samverkan.domain.model import stable_id
from samverkan.i18n import _
from samverkan.store import tables as t
from samverkan.store.engine import Database


def tag_id(note_id: str, code_id: str, observer: str) -> str:
    # Derived, so the same tag made on two laptops merges into one row.
    return stable_id("tag", note_id, code_id, observer.casefold())


class TagService:
    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._db = database
        self._clock = clock

    def toggle(self, note_id: str, code_id: str, observer: str) -> bool:
        """Switch ``observer``'s code on the note; returns whether it is now on."""
        with self._db.write() as session:
            return self._apply(session, note_id, code_id, observer, None)

    def set(self, note_id: str, code_id: str, observer: str, active: bool) -> None:
        with self._db.write() as session:
            self._apply(session, note_id, code_id, observer, active)

    def _apply(
        self, session: Session, note_id: str, code_id: str, observer: str, active: bool | None
    ) -> bool:
        observer = observer.strip()
        if not observer:
            raise UserError(_("say who is observing first (--as NAME)"))
        if session.get(t.Note, note_id) is None:
            raise UserError(_("the note no longer exists in this database"))
        if session.get(t.Code, code_id) is None:
            raise UserError(_("that code is not in this project's codebook"))
        now = self._clock()
        tid = tag_id(note_id, code_id, observer)
        row = session.get(t.Tag, tid)
        if row is None:
            row = t.Tag(
                id=tid,
                note_id=note_id,
                code_id=code_id,
                observer=observer,
                active=False,
                created_at=now,
                updated_at=now,
            )
        row.active = (not row.active) if active is None else active
        row.updated_at = now
        session.add(row)
        return row.active
