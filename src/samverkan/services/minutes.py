"""Read everything the minutes of one meeting show, in one read transaction.

One transaction, so the minutes are one consistent snapshot even while the
facilitator keeps writing in another process (WAL readers see a fixed
state). Notes and tags are read as plain rows rather than ORM objects: the
export of a 10,000-note meeting must finish within a second, start-up
included, and building ORM instances would cost most of that.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlmodel import Session, col, select

from samverkan.domain.minutes_data import EarlierAction, MinutesData
from samverkan.domain.model import (
    MeetingSummary,
    MeetingView,
    NoteKind,
    NoteView,
    TagView,
)
from samverkan.domain.observers import distinct, first_spellings
from samverkan.services.meetings import _events
from samverkan.services.projects import meeting_summary, meeting_view
from samverkan.store import tables as t
from samverkan.store.converters import note_view
from samverkan.store.engine import Database
from samverkan.store.values import day, utc


class MinutesService:
    def __init__(self, database: Database) -> None:
        self._db = database

    def load(self, meeting_id: str) -> MinutesData:
        with self._db.read() as session:
            meeting = meeting_view(session, meeting_id)
            earlier = session.exec(
                select(t.Note, t.Meeting.number)
                .join(t.Meeting, col(t.Meeting.id) == col(t.Note.meeting_id))
                .where(
                    t.Meeting.project_id == meeting.project.id,
                    t.Meeting.number < meeting.summary.number,
                    t.Note.kind == NoteKind.ACTION.value,
                    col(t.Note.done).is_(False),
                    col(t.Note.deleted).is_(False),
                )
                .order_by(col(t.Meeting.number), col(t.Note.created_at), col(t.Note.added_seq))
            ).all()
            first_due = _first_due(session, [row.id for row, _number in earlier])
            return MinutesData(
                meeting=meeting,
                notes=_notes(session, meeting_id, meeting.project.id),
                events=tuple(_events(session, meeting_id)),
                earlier_actions=tuple(
                    EarlierAction(number, note_view(row), first_due.get(row.id))
                    for row, number in earlier
                ),
                next_meeting=_next_meeting(session, meeting),
                observers=_observers(session, meeting_id, meeting.project.id),
                done_since=_done_since(session, meeting),
            )


# Plain SQL for the two big reads: the 10,000-note export must finish within a
# second, start-up included, and SQLAlchemy's per-row type processing costs
# more than the query itself. The conversions it would do are done below.
_NOTES_SQL = text(
    "SELECT id, phase_id, organisation_id, person_id, author, kind, text, created_at,"
    " offset_seconds, owner_organisation_id, owner_person_id, due, done, revision"
    " FROM note WHERE meeting_id = :meeting AND NOT deleted"
    " ORDER BY created_at, added_seq"  # ties in the order of writing
)
_TAGS_SQL = text(
    "SELECT tag.note_id, tag.code_id, tag.observer FROM note"
    " JOIN tag ON tag.note_id = note.id"
    " WHERE note.meeting_id = :meeting AND tag.active"
)


def _notes(session: Session, meeting_id: str, project_id: str) -> tuple[NoteView, ...]:
    connection = session.connection()
    codes = {
        code_id: (position, slug)
        for code_id, position, slug in session.exec(
            select(t.Code.id, t.Code.position, t.Code.slug).where(t.Code.project_id == project_id)
        )
    }
    tags: dict[str, list[tuple[int, str, TagView]]] = {}
    # A meeting has thousands of tags but only codes × observers distinct ones.
    shared: dict[tuple[str, str], TagView] = {}
    for note_id, code_id, observer in connection.execute(_TAGS_SQL, {"meeting": meeting_id}):
        tag = shared.get((code_id, observer))
        if tag is None:
            tag = shared[(code_id, observer)] = TagView(code_id, codes[code_id][1], observer)
        tags.setdefault(note_id, []).append((codes[code_id][0], observer, tag))
    kinds = {str(kind): kind for kind in NoteKind}
    return tuple(
        NoteView(
            id=note_id,
            meeting_id=meeting_id,
            phase_id=phase_id,
            organisation_id=organisation_id,
            person_id=person_id,
            author=author,
            kind=kinds[kind],
            text=note_text,
            created_at=_utc(created_at),
            offset_seconds=offset_seconds,
            owner_organisation_id=owner_organisation_id,
            owner_person_id=owner_person_id,
            due=day(due),
            done=bool(done),
            revision=revision,
            # In codebook order, as NoteService gives them.
            tags=tuple(tag for *_key, tag in sorted(tags.get(note_id, ()))),
        )
        for (
            note_id,
            phase_id,
            organisation_id,
            person_id,
            author,
            kind,
            note_text,
            created_at,
            offset_seconds,
            owner_organisation_id,
            owner_person_id,
            due,
            done,
            revision,
        ) in connection.execute(_NOTES_SQL, {"meeting": meeting_id})
    )


_utc = utc


def _first_due(session: Session, note_ids: list[str]) -> dict[str, date]:
    """The due date each action item had first, where it was carried on to another since."""
    if not note_ids:
        return {}
    found: dict[str, date] = {}
    last: dict[str, date | None] = {}
    marks = ", ".join(f":n{i}" for i in range(len(note_ids)))
    rows = session.connection().execute(
        text(
            f"SELECT note_id, due FROM note_revision WHERE note_id IN ({marks})"
            " ORDER BY note_id, revision"
        ),
        {f"n{i}": note_id for i, note_id in enumerate(note_ids)},
    )
    for note_id, stored in rows:
        due = day(stored)
        if due is not None and note_id not in found:
            found[note_id] = due
        last[note_id] = due
    return {n: first for n, first in found.items() if last.get(n) != first}


def _observers(session: Session, meeting_id: str, project_id: str) -> tuple[str, ...]:
    """Who observed this meeting: tagged one of its notes (even if untagged later) or
    wrote an observation; each once, as first written anywhere in the project."""
    connection = session.connection()
    first: dict[str, str] = {}
    here: set[str] = set()
    found = connection.execute(_OBSERVERS_SQL, {"project": project_id, "meeting": meeting_id})
    for name, at, in_meeting in found:
        first[name] = min(first.get(name, at), at)
        if in_meeting:
            here.add(name)
    canonical = first_spellings(first)
    return distinct(canonical[name] for name in sorted(here))


_OBSERVERS_SQL = text(
    "SELECT tag.observer, min(tag.created_at),"
    " max(CASE WHEN note.meeting_id = :meeting THEN 1 ELSE 0 END)"
    " FROM tag JOIN note ON note.id = tag.note_id JOIN meeting ON meeting.id = note.meeting_id"
    " WHERE meeting.project_id = :project GROUP BY tag.observer"
    " UNION ALL"
    " SELECT note.author, min(note.created_at),"
    " max(CASE WHEN note.meeting_id = :meeting THEN 1 ELSE 0 END)"
    " FROM note JOIN meeting ON meeting.id = note.meeting_id"
    " WHERE meeting.project_id = :project AND note.kind = 'observation' AND NOT note.deleted"
    " GROUP BY note.author"
)


def _done_since(session: Session, meeting: MeetingView) -> tuple[EarlierAction, ...]:
    """Earlier meetings' action items ticked done after the previous meeting ended
    (and, for a closed meeting, before this one closed)."""
    number = meeting.summary.number
    previous = session.exec(
        select(t.Meeting)
        .where(
            t.Meeting.project_id == meeting.project.id,
            t.Meeting.number < number,
            col(t.Meeting.started_at).is_not(None),
        )
        .order_by(col(t.Meeting.number).desc())
    ).first()
    if previous is None:
        return ()
    since = previous.closed_at or previous.started_at
    query = (
        select(t.Note, t.Meeting.number)
        .join(t.Meeting, col(t.Meeting.id) == col(t.Note.meeting_id))
        .where(
            t.Meeting.project_id == meeting.project.id,
            t.Meeting.number < number,
            t.Note.kind == NoteKind.ACTION.value,
            col(t.Note.done).is_(True),
            col(t.Note.deleted).is_(False),
            col(t.Note.done_at) > since,
        )
        .order_by(col(t.Note.done_at), col(t.Note.added_seq))
    )
    if meeting.closed_at is not None:
        query = query.where(col(t.Note.done_at) <= meeting.closed_at)
    return tuple(EarlierAction(n, note_view(row)) for row, n in session.exec(query).all())


def _next_meeting(session: Session, meeting: MeetingView) -> MeetingSummary | None:
    project = session.get(t.Project, meeting.project.id)
    assert project is not None
    row = session.exec(
        select(t.Meeting)
        .where(t.Meeting.project_id == project.id, t.Meeting.number > meeting.summary.number)
        .order_by(col(t.Meeting.number))
    ).first()
    if row is None:
        return None
    orgs = {
        o.id: o
        for o in session.exec(select(t.Organisation).where(t.Organisation.project_id == project.id))
    }
    return meeting_summary(project, row, orgs, 0)
