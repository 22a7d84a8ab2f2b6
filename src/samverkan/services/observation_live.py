"""Following a meeting live: what changed since the last look, cheaply.

An open observer screen asks twice a second. First the database's change
token (:meth:`Database.change_token`: SQLite's ``PRAGMA data_version`` on a
dedicated connection, the highest change number on a server) says whether
anything was committed at all, so an idle meeting costs one tiny query. When
something was, the rows whose ``change_seq`` lies between the cursor and the
highest number now committed are read from that column's index: the cost of
a poll follows what changed, not the length of the meeting, and the change
sequence's numbers follow commit order (see :mod:`samverkan.store.change_seq`),
so a row committed late is never skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select as core_select
from sqlmodel import Session, SQLModel, col, select

from samverkan.domain.errors import UserError
from samverkan.domain.model import MeetingStatus, NoteView, TagView
from samverkan.i18n import _
from samverkan.services.meeting_reads import NOTE_COLUMNS, note_view
from samverkan.store import tables as t
from samverkan.store.change_seq import HIGH_WATER_SQL, high_water, highest
from samverkan.store.reading import Reader

_NOTE = SQLModel.metadata.tables["note"]
_TAG = SQLModel.metadata.tables["tag"]
_CODE = SQLModel.metadata.tables["code"]


@dataclass(frozen=True)
class ChangeCursor:
    """Where the last ``changes_since`` left off. Opaque to the UI."""

    data_version: int | None  # the change token when it was read (None: no shortcut)
    seq: int  # every change up to this number has been delivered
    # What the last read found; still true while the change token has not moved.
    phase_id: str | None = None
    status: MeetingStatus = MeetingStatus.PLANNED
    # The database's change hint when it was read (see Database.change_hint): while it
    # has not moved, a screen need not even ask for the token.
    hint: int | None = None


@dataclass(frozen=True)
class Changes:
    notes: tuple[NoteView, ...]  # new or changed (content or tags), with all their tags
    removed: tuple[str, ...]  # ids of notes deleted since
    tags: tuple[tuple[str, TagView, bool], ...]  # (note id, tag, active) rows that changed
    phase_id: str | None  # the meeting's current phase
    status: MeetingStatus
    cursor: ChangeCursor
    # False for a first look (``first``): only the newest notes of what is shown; the
    # rest comes with a look from no cursor, whose cursor polling then starts from.
    complete: bool = True

    @property
    def empty(self) -> bool:
        return not (self.notes or self.removed or self.tags)


def current_phase(session: Session, meeting_id: str) -> str | None:
    return session.exec(
        select(t.MeetingEvent.phase_id)
        .where(t.MeetingEvent.meeting_id == meeting_id, t.MeetingEvent.kind == "phase")
        .order_by(col(t.MeetingEvent.at).desc(), col(t.MeetingEvent.added_seq).desc())
        .limit(1)
    ).first()


def read_changes(
    session: Session,
    meeting_id: str,
    version: int | None,
    phase: str | None,
    status: MeetingStatus,
    first: int | None = None,
) -> Changes:
    """The first look: every note of the meeting, or with ``first`` the newest of what
    is shown. Later looks go through :func:`poll_changes`."""
    connection = session.connection()
    # Read first, then bounded by it: on a server each statement may see a newer
    # snapshot, and what lies above ``upto`` is the next poll's.
    upto = high_water(connection)
    if first is not None:
        shown = None if status == MeetingStatus.CLOSED else phase  # closed: every phase
        notes = _newest(session, meeting_id, shown, first)
        return Changes(
            tuple(notes), (), (), phase, status, ChangeCursor(version, upto, phase, status), False
        )
    notes, removed = _load(session, [], meeting_id)
    return Changes(
        tuple(notes), tuple(removed), (), phase, status, ChangeCursor(version, upto, phase, status)
    )


# The live poll, several times a second on a worker thread, on the driver's own
# connection (Database.driver_read): through SQLAlchemy's session and statements
# the same reads cost 2-3.5 ms of Python, which held the GIL while the facilitator
# typed, and Enter's commit waited for it (most of the slowest Enters in the
# benchmark had a poll running beside them).
_POLL_STATUS = "SELECT status FROM meeting WHERE id = ?"
_POLL_PHASE = (
    "SELECT phase_id FROM meeting_event WHERE meeting_id = ? AND kind = 'phase'"
    " ORDER BY at DESC, added_seq DESC LIMIT 1"
)
# ``meeting_id || ''`` keeps both engines on the change_seq index: with the plain
# column SQLite would walk the meeting's index and every poll would cost as much
# as the meeting is long.
_POLL_NOTES = (
    "SELECT id FROM note WHERE change_seq > ? AND change_seq <= ? AND meeting_id || '' = ?"
)
_POLL_TAGS = (
    "SELECT tag.note_id, tag.code_id, code.slug, tag.observer, tag.active"
    " FROM tag JOIN note ON note.id = tag.note_id JOIN code ON code.id = tag.code_id"
    " WHERE tag.change_seq > ? AND tag.change_seq <= ? AND note.meeting_id || '' = ?"
    " ORDER BY tag.change_seq"
)
_NOTES_BY_ID = f"SELECT {NOTE_COLUMNS} FROM note WHERE note.id IN ({{marks}})"
_TAGS_BY_ID = (
    "SELECT tag.note_id, tag.code_id, code.slug, tag.observer"
    " FROM tag JOIN code ON code.id = tag.code_id"
    " WHERE tag.active = ? AND tag.note_id IN ({marks}) ORDER BY code.position, tag.observer"
)


def poll_changes(
    reader: Reader, meeting_id: str, cursor: ChangeCursor, version: int | None
) -> Changes:
    """What changed on the meeting since ``cursor``, in one read transaction."""
    row = reader.one(_POLL_STATUS, (meeting_id,))
    if row is None:
        raise UserError(_("the meeting no longer exists in this database"))
    status = MeetingStatus(row[0])
    row = reader.one(_POLL_PHASE, (meeting_id,))
    phase = row[0] if row is not None else None
    # Read first, then bounded by it (see read_changes).
    upto = highest(reader.one(HIGH_WATER_SQL))
    bounds = (cursor.seq, upto, meeting_id)
    changed = [row[0] for row in reader.rows(_POLL_NOTES, bounds)]
    tags: list[tuple[str, TagView, bool]] = []
    for note_id, code_id, slug, observer, active in reader.rows(_POLL_TAGS, bounds):
        tags.append((note_id, TagView(code_id, slug, observer), bool(active)))
        changed.append(note_id)
    notes, removed = _load_by_id(reader, list(dict.fromkeys(changed)))
    new_cursor = ChangeCursor(version, max(upto, cursor.seq), phase, status)
    return Changes(tuple(notes), tuple(removed), tuple(tags), phase, status, new_cursor)


def _load_by_id(reader: Reader, note_ids: list[str]) -> tuple[list[NoteView], list[str]]:
    """:func:`_load` by ids, in plain SQL."""
    rows: list[Any] = []
    found: dict[str, list[TagView]] = {}
    for start in range(0, len(note_ids), 500):
        chunk = note_ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        rows.extend(reader.rows(_NOTES_BY_ID.format(marks=marks), chunk))
        for note_id, code_id, slug, observer in reader.rows(
            _TAGS_BY_ID.format(marks=marks), (True, *chunk)
        ):
            found.setdefault(note_id, []).append(TagView(code_id, slug, observer))
    return _note_views(rows, {key: tuple(value) for key, value in found.items()})


def _load(
    session: Session, note_ids: list[str], meeting_id: str | None = None
) -> tuple[list[NoteView], list[str]]:
    """Notes (with their active tags) by id, or every note of ``meeting_id``.

    Core rows straight into views: building 5,000 ORM objects would cost
    more than the whole rest of opening the observer's screen.
    """
    connection = session.connection()
    columns = [_NOTE.c[name] for name in _NOTE_FIELDS]
    if meeting_id is not None:
        queries = [core_select(*columns).where(_NOTE.c.meeting_id == meeting_id)]
        tags = tags_of(session, None, meeting_id=meeting_id)
    elif note_ids:
        queries = [
            core_select(*columns).where(_NOTE.c.id.in_(note_ids[start : start + 500]))
            for start in range(0, len(note_ids), 500)
        ]
        tags = tags_of(session, note_ids)
    else:
        return [], []
    rows: list[Any] = []
    for query in queries:
        rows.extend(connection.execute(query))
    return _note_views(rows, tags)


def _note_views(
    rows: Iterable[Sequence[Any]], tags: dict[str, tuple[TagView, ...]]
) -> tuple[list[NoteView], list[str]]:
    """Rows of :data:`NOTE_COLUMNS` as views in meeting order, and the deleted ones' ids."""
    notes: list[NoteView] = []
    removed: list[str] = []
    for row in rows:
        view = note_view(row, tags.get(row[0], ()))
        if view.deleted:
            removed.append(view.id)
        else:
            notes.append(view)
    notes.sort(key=lambda n: (n.created_at, n.id))
    return notes, removed


# The same columns as NOTE_COLUMNS, for the queries built with SQLAlchemy.
_NOTE_FIELDS = [name.removeprefix("note.") for name in NOTE_COLUMNS.split(", ")]


def _newest(session: Session, meeting_id: str, phase_id: str | None, count: int) -> list[NoteView]:
    """The newest ``count`` notes of the meeting (of one phase), oldest first.

    What a meeting screen shows first: a 20,000-note meeting then opens as fast as a
    small one, and the rest follows (see :class:`Changes`).
    """
    query = core_select(_NOTE.c.id).where(
        _NOTE.c.meeting_id == meeting_id, _NOTE.c.deleted.is_(False)
    )
    if phase_id is not None:
        query = query.where(_NOTE.c.phase_id == phase_id)
    query = query.order_by(_NOTE.c.created_at.desc(), _NOTE.c.added_seq.desc()).limit(count)
    ids = [row[0] for row in session.connection().execute(query)]
    notes, _removed = _load(session, ids)
    return notes


def tags_of(
    session: Session, note_ids: list[str] | None, *, meeting_id: str | None = None
) -> dict[str, tuple[TagView, ...]]:
    """Active tags of the notes, in codebook order: by ids, or of a whole meeting."""
    base = (
        core_select(_TAG.c.note_id, _TAG.c.code_id, _CODE.c.slug, _TAG.c.observer)
        .join(_CODE, _CODE.c.id == _TAG.c.code_id)
        .where(_TAG.c.active.is_(True))
        .order_by(_CODE.c.position, _TAG.c.observer)
    )
    if meeting_id is not None:
        queries = [
            base.join(_NOTE, _NOTE.c.id == _TAG.c.note_id).where(_NOTE.c.meeting_id == meeting_id)
        ]
    else:
        ids = note_ids or []
        queries = [
            base.where(_TAG.c.note_id.in_(ids[start : start + 500]))
            for start in range(0, len(ids), 500)
        ]
    found: dict[str, list[TagView]] = {}
    connection = session.connection()
    for query in queries:
        for note_id, code_id, slug, observer in connection.execute(query):
            found.setdefault(note_id, []).append(TagView(code_id, slug, observer))
    return {key: tuple(value) for key, value in found.items()}
