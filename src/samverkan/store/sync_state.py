"""What two databases knew of each other after their last complete sync.

Each database has an id of its own (``sync_identity``) and keeps, per peer and
project, the change sequence of both sides up to which the project was the
same on both (``sync_peer``). A later sync then only compares the meetings
with a change above those numbers on either side (an index range each), plus
the small rows the sequence does not number (meetings, phases, attendance,
which are read whole). Nothing here travels.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from samverkan.store.change_seq import high_water
from samverkan.store.sync_rows import table


def identity(session: Session) -> str | None:
    found = session.connection().execute(select(table("sync_identity").c.id)).scalars().first()
    return str(found) if found is not None else None


def ensure_identity(session: Session) -> str:
    """This database's id, made on its first sync (in a write transaction)."""
    found = identity(session)
    if found is None:
        found = str(uuid.uuid4())
        session.connection().execute(insert(table("sync_identity")).values(id=found))
    return found


def position(session: Session) -> int:
    """The highest change number in this session's snapshot (every lower one is in it)."""
    return high_water(session.connection())


def recorded(session: Session, peer_id: str, project_id: str) -> tuple[int, int] | None:
    """(this side's, the peer's) change number at the last complete sync of the project."""
    tbl = table("sync_peer")
    query = select(tbl.c.here_seq, tbl.c.peer_seq).where(
        tbl.c.peer_id == peer_id, tbl.c.project_id == project_id
    )
    row = session.connection().execute(query).first()
    return (int(row[0]), int(row[1])) if row is not None else None


def record(session: Session, peer_id: str, project_id: str, here_seq: int, peer_seq: int) -> None:
    if recorded(session, peer_id, project_id) == (here_seq, peer_seq):
        return
    tbl = table("sync_peer")
    connection = session.connection()
    connection.execute(delete(tbl).where(tbl.c.peer_id == peer_id, tbl.c.project_id == project_id))
    connection.execute(
        insert(tbl).values(
            peer_id=peer_id,
            project_id=project_id,
            here_seq=here_seq,
            peer_seq=peer_seq,
            synced_at=datetime.now(UTC),
        )
    )


def changed_meetings(session: Session, since: int) -> set[str]:
    """Meetings with a note, tag or clock event changed after change number ``since``."""
    note, tag, event = table("note"), table("tag"), table("meeting_event")
    # No DISTINCT: without statistics SQLite would then scan by meeting instead of
    # searching the change sequence's index; the rows are the changes, few after a sync.
    queries = (
        select(note.c.meeting_id).where(note.c.change_seq > since),
        select(note.c.meeting_id)
        .join_from(tag, note, note.c.id == tag.c.note_id)
        .where(tag.c.change_seq > since),
        select(event.c.meeting_id).where(event.c.change_seq > since),
    )
    found: set[str] = set()
    for query in queries:
        found.update(session.connection().execute(query).scalars().all())
    return found
