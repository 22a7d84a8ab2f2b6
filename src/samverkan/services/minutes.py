"""Read everything the minutes of one meeting show, in one read transaction.

One transaction, so the minutes are one consistent snapshot even while the
facilitator keeps writing in another process (WAL readers see a fixed
state). Everything is plain SQL on a :class:`~samverkan.store.reading.Reader`:
the export of a 10,000-note meeting must finish within a second, start-up
included, and importing SQLAlchemy's ORM (0.35 s) and its per-row processing
would cost most of that. The app's minutes screen reads the same way, inside
its open database.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from samverkan.domain.clock import ClockEvent, EventKind
from samverkan.domain.minutes_data import EarlierAction, MinutesData
from samverkan.domain.model import MeetingSummary, MeetingView, NoteKind, NoteView, TagView
from samverkan.domain.observers import distinct, first_spellings
from samverkan.services.meeting_reads import (
    MEETING_COLUMNS,
    NOTE_COLUMNS,
    meeting_summary,
    note_view,
    read_meeting_view,
)
from samverkan.store.reading import Reader, reading
from samverkan.store.values import day, utc

if TYPE_CHECKING:
    from samverkan.store.engine import Database


class MinutesService:
    def __init__(self, database: Database) -> None:
        self._db = database

    def load(self, meeting_id: str) -> MinutesData:
        with reading(self._db) as reader:
            return read_minutes(reader, meeting_id)


_EARLIER_ACTIONS_SQL = (
    f"SELECT meeting.number, {NOTE_COLUMNS} FROM note "
    "JOIN meeting ON meeting.id = note.meeting_id "
    "WHERE meeting.project_id = ? AND meeting.number < ? AND note.kind = 'action' "
    "AND NOT note.done AND NOT note.deleted "
    "ORDER BY meeting.number, note.created_at, note.added_seq"
)


def read_minutes(reader: Reader, meeting_id: str) -> MinutesData:
    """Everything the minutes of ``meeting_id`` show."""
    meeting = read_meeting_view(reader, meeting_id)
    project_id, number = meeting.project.id, meeting.summary.number
    earlier = list(reader.rows(_EARLIER_ACTIONS_SQL, (project_id, number)))
    first_due = _first_due(reader, [row[1] for row in earlier])
    return MinutesData(
        meeting=meeting,
        notes=_notes(reader, meeting_id, project_id),
        events=_events(reader, meeting_id),
        earlier_actions=tuple(
            EarlierAction(row[0], note_view(row[1:]), first_due.get(row[1])) for row in earlier
        ),
        next_meeting=_next_meeting(reader, meeting),
        observers=_observers(reader, meeting_id, project_id),
        done_since=_done_since(reader, meeting),
    )


# The two big reads: the 10,000-note export must finish within a second.
_NOTES_SQL = (
    f"SELECT {NOTE_COLUMNS} FROM note WHERE note.meeting_id = ? AND NOT note.deleted "
    "ORDER BY note.created_at, note.added_seq"  # ties in the order of writing
)
_TAGS_SQL = (
    "SELECT tag.note_id, tag.code_id, tag.observer FROM note "
    "JOIN tag ON tag.note_id = note.id "
    "WHERE note.meeting_id = ? AND tag.active"
)


def _notes(reader: Reader, meeting_id: str, project_id: str) -> tuple[NoteView, ...]:
    codes = {
        code_id: (position, slug)
        for code_id, position, slug in reader.rows(
            "SELECT id, position, slug FROM code WHERE project_id = ?", (project_id,)
        )
    }
    tags: dict[str, list[tuple[int, str, TagView]]] = {}
    # A meeting has thousands of tags but only codes × observers distinct ones.
    shared: dict[tuple[str, str], TagView] = {}
    for note_id, code_id, observer in reader.rows(_TAGS_SQL, (meeting_id,)):
        tag = shared.get((code_id, observer))
        if tag is None:
            tag = shared[(code_id, observer)] = TagView(code_id, codes[code_id][1], observer)
        tags.setdefault(note_id, []).append((codes[code_id][0], observer, tag))
    # In codebook order, as NoteService gives them.
    return tuple(
        note_view(row, tuple(tag for *_key, tag in sorted(tags.get(row[0], ()))))
        for row in reader.rows(_NOTES_SQL, (meeting_id,))
    )


def _events(reader: Reader, meeting_id: str) -> tuple[ClockEvent, ...]:
    rows = reader.rows(
        "SELECT at, kind, phase_id, organisation_id FROM meeting_event WHERE meeting_id = ? "
        # added_seq breaks ties: a start and its first phase share one instant.
        "ORDER BY at, added_seq",
        (meeting_id,),
    )
    return tuple(ClockEvent(utc(at), EventKind(kind), phase, org) for at, kind, phase, org in rows)


def _first_due(reader: Reader, note_ids: list[str]) -> dict[str, date]:
    """The due date each action item had first, where it was carried on to another since."""
    if not note_ids:
        return {}
    found: dict[str, date] = {}
    last: dict[str, date | None] = {}
    marks = ", ".join("?" * len(note_ids))
    rows = reader.rows(
        f"SELECT note_id, due FROM note_revision WHERE note_id IN ({marks})"
        " ORDER BY note_id, revision",
        note_ids,
    )
    for note_id, stored in rows:
        due = day(stored)
        if due is not None and note_id not in found:
            found[note_id] = due
        last[note_id] = due
    return {n: first for n, first in found.items() if last.get(n) != first}


def _observers(reader: Reader, meeting_id: str, project_id: str) -> tuple[str, ...]:
    """Who observed this meeting: tagged one of its notes (even if untagged later) or
    wrote an observation; each once, as first written anywhere in the project."""
    first: dict[str, Any] = {}
    here: set[str] = set()
    found = reader.rows(_OBSERVERS_SQL, (meeting_id, project_id, meeting_id, project_id))
    for name, at, in_meeting in found:
        first[name] = min(first.get(name, at), at)
        if in_meeting:
            here.add(name)
    canonical = first_spellings(first)
    return distinct(canonical[name] for name in sorted(here))


_OBSERVERS_SQL = (
    "SELECT tag.observer, min(tag.created_at),"
    " max(CASE WHEN note.meeting_id = ? THEN 1 ELSE 0 END)"
    " FROM tag JOIN note ON note.id = tag.note_id JOIN meeting ON meeting.id = note.meeting_id"
    " WHERE meeting.project_id = ? GROUP BY tag.observer"
    " UNION ALL"
    " SELECT note.author, min(note.created_at),"
    " max(CASE WHEN note.meeting_id = ? THEN 1 ELSE 0 END)"
    " FROM note JOIN meeting ON meeting.id = note.meeting_id"
    f" WHERE meeting.project_id = ? AND note.kind = '{NoteKind.OBSERVATION.value}'"
    " AND NOT note.deleted GROUP BY note.author"
)


def _done_since(reader: Reader, meeting: MeetingView) -> tuple[EarlierAction, ...]:
    """Earlier meetings' action items ticked done after the previous meeting ended
    (and, for a closed meeting, before this one closed)."""
    project_id, number = meeting.project.id, meeting.summary.number
    previous = reader.one(
        "SELECT closed_at, started_at FROM meeting WHERE project_id = ? AND number < ? "
        "AND started_at IS NOT NULL ORDER BY number DESC",
        (project_id, number),
    )
    if previous is None:
        return ()
    since = previous[0] or previous[1]  # as stored: compared as stored
    sql = (
        f"SELECT meeting.number, {NOTE_COLUMNS} FROM note "
        "JOIN meeting ON meeting.id = note.meeting_id "
        "WHERE meeting.project_id = ? AND meeting.number < ? AND note.kind = 'action' "
        "AND note.done AND NOT note.deleted AND note.done_at > ?"
    )
    params: list[Any] = [project_id, number, since]
    if meeting.closed_at is not None:
        sql += " AND note.done_at <= (SELECT closed_at FROM meeting WHERE id = ?)"
        params.append(meeting.id)
    sql += " ORDER BY note.done_at, note.added_seq"
    return tuple(EarlierAction(row[0], note_view(row[1:])) for row in reader.rows(sql, params))


def _next_meeting(reader: Reader, meeting: MeetingView) -> MeetingSummary | None:
    row = reader.one(
        f"SELECT {MEETING_COLUMNS} FROM meeting WHERE project_id = ? AND number > ? "
        "ORDER BY number",
        (meeting.project.id, meeting.summary.number),
    )
    return None if row is None else meeting_summary(meeting.project, row, 0)
