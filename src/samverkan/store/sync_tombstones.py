"""Tombstones are written by the ORM itself: every delete of a row that travels leaves one.

Deleting is rare and deliberate (``import`` drops a phase from a planned agenda
or a planned meeting, ``import --prune`` an organisation, a person or a code),
and always goes through the ORM. A ``before_flush`` hook on every Session
records each such delete, and marks the tombstone inactive again when a row
is created anew under the same id, so no deleting code can forget. Sync's own
deletes and moves are Core statements and leave none.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from samverkan.store import tables as t

# The tables whose deletions travel, and how to find a row's project (and meeting).
KINDS: dict[type[Any], str] = {
    t.Meeting: "meeting",
    t.Phase: "phase",
    t.Attendance: "attendance",
    t.Organisation: "organisation",
    t.Person: "person",
    t.Code: "code",
}


def _scope(session: Session, row: Any) -> tuple[str | None, str | None]:
    """(project id, meeting id) of a row about to be deleted or created."""
    if isinstance(row, (t.Organisation, t.Code)):
        return row.project_id, None
    if isinstance(row, t.Meeting):
        return row.project_id, None
    if isinstance(row, t.Person):
        query = select(t.Organisation.project_id).where(  # type: ignore[call-overload]
            t.Organisation.id == row.organisation_id
        )
        return session.connection().execute(query).scalar(), None
    query = select(t.Meeting.project_id).where(t.Meeting.id == row.meeting_id)  # type: ignore[call-overload]
    return session.connection().execute(query).scalar(), row.meeting_id


def _mark(session: Session, row: Any, *, active: bool, now: datetime) -> None:
    kind = KINDS[type(row)]
    found = session.get(t.Tombstone, row.id)
    if found is not None:
        if found.active != active:
            found.active = active
            found.updated_at = now
        return
    if not active:
        return  # created for the first time: nothing to revive
    project_id, meeting_id = _scope(session, row)
    if project_id is None:
        return
    session.add(
        t.Tombstone(
            id=row.id,
            kind=kind,
            project_id=project_id,
            meeting_id=meeting_id,
            active=True,
            updated_at=now,
        )
    )


@event.listens_for(Session, "before_flush")
def _record(session: Session, _context: Any, _instances: Any) -> None:
    deleted = [row for row in session.deleted if type(row) in KINDS]
    created = [row for row in session.new if type(row) in KINDS]
    if not (deleted or created):
        return
    now = datetime.now(UTC)
    with session.no_autoflush:
        for row in deleted:
            _mark(session, row, active=True, now=now)
        for row in created:
            _mark(session, row, active=False, now=now)
