"""Notes: the hot path of a meeting.

``add`` is what runs when the facilitator presses Enter, so it is a single
short ``BEGIN IMMEDIATE`` transaction of two Core inserts (the note and its
first revision); the commit is durable (``synchronous=FULL``) before it
returns. Edits, deletes and undos never destroy: each adds a revision, and
undo restores an earlier one as a new revision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import insert
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Dialect
from sqlmodel import Session, col, select

from samverkan.domain.clock import ClockEvent, EventKind, replay
from samverkan.domain.errors import UserError
from samverkan.domain.model import MeetingStatus, NoteKind, NoteView, TagView, new_id
from samverkan.i18n import _
from samverkan.store import tables as t
from samverkan.store.converters import note_view
from samverkan.store.engine import Database
from samverkan.store.raw_insert import RawInsert, driver_sql
from samverkan.store.values import utc

_NOTE_TABLE: Any = t.Note.__table__  # type: ignore[attr-defined]
_REVISION_TABLE: Any = t.NoteRevision.__table__  # type: ignore[attr-defined]


_utc = utc


# The fields a revision snapshots and an undo restores.
_VIEW_COLUMNS = (
    "id",
    "meeting_id",
    "phase_id",
    "organisation_id",
    "person_id",
    "author",
    "kind",
    "text",
    "created_at",
    "offset_seconds",
    "owner_organisation_id",
    "owner_person_id",
    "due",
    "done",
    "revision",
    "deleted",
)
_TRACKED = t.REVISED_FIELDS


@dataclass(frozen=True)
class NoteDraft:
    """What the facilitator typed, already parsed: the note before it has an id."""

    text: str
    kind: NoteKind = NoteKind.NOTE
    organisation_id: str | None = None
    person_id: str | None = None
    phase_id: str | None = None
    owner_organisation_id: str | None = None
    owner_person_id: str | None = None
    due: date | None = None
    # Given when Enter is pressed, so a note kept for recovery is written once only.
    id: str | None = None


@dataclass(frozen=True)
class RevisionView:
    revision: int
    action: str
    at: datetime
    author: str
    kind: NoteKind
    text: str
    deleted: bool


_MEETING_SQL = "SELECT status, started_at FROM meeting WHERE id = ?"
_EVENTS_SQL = (
    "SELECT at, kind, phase_id FROM meeting_event WHERE meeting_id = ? "
    "AND kind != 'floor' ORDER BY at, added_seq"
)


@cache
def _driver_statements(dialect: Dialect) -> tuple[str, str]:
    return driver_sql(_MEETING_SQL, dialect), driver_sql(_EVENTS_SQL, dialect)


class NoteService:
    def __init__(self, database: Database, clock: Callable[[], datetime], author: str) -> None:
        self._db = database
        self._clock = clock
        self.author = author
        self._inserts: tuple[RawInsert, RawInsert] | None = None

    # ------------------------------------------------------------ writing

    def add(
        self,
        meeting_id: str,
        draft: NoteDraft,
        *,
        author: str | None = None,
        wait: bool | float = True,
        typed_at: datetime | None = None,
        shown: bool = False,
    ) -> NoteView:
        """Commit a note. ``wait``: how long another process's write may be waited
        for (True: the busy timeout; False: not at all; or seconds), after which
        :class:`DatabaseBusy` is raised, so the caller can queue it instead of blocking.
        ``typed_at``: when the note was typed, for one written later (recovery).
        ``shown``: the caller shows the returned note itself, so this process's live
        screens need not read it back (see :meth:`Database.driver_write`)."""
        text = draft.text.strip()
        if not text:
            raise UserError(_("the note is empty; type some text before pressing Enter"))
        now = typed_at or self._clock()
        note_id = draft.id or new_id()
        # On the driver's connection: this runs on every Enter, and SQLAlchemy's
        # session and statement machinery would cost more than SQLite does.
        with self._db.driver_write(wait=wait, seen=shown) as (dbapi, dialect):
            sql = _driver_statements(dialect)
            row = dbapi.execute(sql[0], (meeting_id,)).fetchone()
            if row is None:
                raise UserError(_("the meeting no longer exists in this database"))
            if row[0] == MeetingStatus.CLOSED:
                raise UserError(_("the meeting is closed; reopen it to add notes"))
            # The meeting clock (pauses excluded), as the facilitator saw it, and
            # the phase it is in now: a note typed right after ctrl+n or ctrl+s
            # is written after that change (the writes are queued in order), so
            # the log knows the phase better than the screen that queued it.
            events = [
                ClockEvent(_utc(at), EventKind(kind), phase_id)
                for at, kind, phase_id in dbapi.execute(sql[1], (meeting_id,))
            ]
            clock = replay(events, now)
            offset = clock.total
            phase_id = clock.phase_id if clock.running and clock.phase_id else draft.phase_id
            values = {
                "id": note_id,
                "meeting_id": meeting_id,
                "phase_id": phase_id,
                "organisation_id": draft.organisation_id,
                "person_id": draft.person_id,
                "author": self.author if author is None else author,
                "kind": str(draft.kind),
                "text": text,
                "created_at": now,
                "offset_seconds": max(0.0, offset),
                "owner_organisation_id": draft.owner_organisation_id,
                "owner_person_id": draft.owner_person_id,
                "due": draft.due,
                "done": False,
                "done_at": None,
                "deleted": False,
                "revision": 1,
                "updated_at": now,
            }
            note_insert, revision_insert = self._raw_inserts(dialect)
            if dbapi.execute(note_insert.sql, note_insert.params(values)).rowcount == 0:
                # The note is there already: this is a retry of a commit that reached
                # the database but whose answer did not (a server connection lost at
                # that moment). Writing it again would double it; it is done.
                written_before = True
            else:
                written_before = False
                revision = _revision_values(values, "create", now)
                dbapi.execute(revision_insert.sql, revision_insert.params(revision))
        if written_before:
            return self.note(note_id)
        return NoteView(
            id=note_id,
            meeting_id=meeting_id,
            phase_id=phase_id,
            organisation_id=draft.organisation_id,
            person_id=draft.person_id,
            author=str(values["author"]),
            kind=draft.kind,
            text=text,
            created_at=now,
            offset_seconds=float(values["offset_seconds"]),  # type: ignore[arg-type]
            owner_organisation_id=draft.owner_organisation_id,
            owner_person_id=draft.owner_person_id,
            due=draft.due,
        )

    def add_recovered(
        self, meeting_id: str, draft: NoteDraft, *, author: str, typed_at: datetime
    ) -> bool:
        """Write a note kept for recovery unless it is already there (by its id)."""
        if draft.id is not None:
            with self._db.read() as session:
                if session.get(t.Note, draft.id) is not None:
                    return False
        self.add(meeting_id, draft, author=author, typed_at=typed_at)
        return True

    def _raw_inserts(self, dialect: Dialect) -> tuple[RawInsert, RawInsert]:
        if self._inserts is None:
            self._inserts = (
                RawInsert(_NOTE_TABLE, dialect, skip_existing=True),
                RawInsert(_REVISION_TABLE, dialect),
            )
        return self._inserts

    def edit(self, note_id: str, **changes: Any) -> NoteView:
        """Change some of a note's tracked fields; the old state stays in its history."""
        unknown = set(changes) - set(_TRACKED) - {"person_id", "phase_id"}
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        if "text" in changes:
            changes["text"] = str(changes["text"]).strip()
            if not changes["text"]:
                raise UserError(_("a note cannot be empty; delete it instead"))
        if "kind" in changes:
            changes["kind"] = str(changes["kind"])
        return self._change(note_id, "edit", changes)

    def delete(self, note_id: str) -> NoteView:
        return self._change(note_id, "delete", {"deleted": True})

    def set_done(self, note_id: str, done: bool) -> NoteView:
        """Tick an action item done (or open again); allowed in closed meetings too."""
        return self._change(note_id, "done" if done else "reopen", {"done": done}, guard=False)

    def toggle_done(self, note_id: str) -> NoteView:
        """Tick an action item done, or open again, from its stored state."""
        with self._db.read() as session:
            row = session.get(t.Note, note_id)
            if row is None:
                raise UserError(_("the note no longer exists in this database"))
            if row.kind != NoteKind.ACTION:
                raise UserError(_("only an action item can be ticked done"))
        return self._change(note_id, "toggle", {}, guard=False, flip_done=True)

    def reschedule(self, note_id: str, due: date | None) -> NoteView:
        """Carry an action item on with a new due date; allowed in closed meetings too."""
        return self._change(note_id, "reschedule", {"due": due}, guard=False)

    def restore(self, note_id: str, revision: int) -> NoteView:
        """Undo: bring back the note as it was at ``revision``, as a new revision."""
        with self._db.read() as session:
            old = session.exec(
                select(t.NoteRevision).where(
                    t.NoteRevision.note_id == note_id, t.NoteRevision.revision == revision
                )
            ).first()
            if old is None:
                raise UserError(_("that version of the note no longer exists"))
            state = {name: getattr(old, name) for name in _TRACKED}
        return self._change(note_id, "undo", state, guard=False)

    def _change(
        self,
        note_id: str,
        action: str,
        changes: dict[str, Any],
        *,
        guard: bool = True,
        flip_done: bool = False,
    ) -> NoteView:
        with self._db.write() as session:
            # The time of the commit, not of the call: observers poll by updated_at,
            # and a write may have waited its turn.
            now = self._clock()
            row = session.get(t.Note, note_id)
            if row is None:
                raise UserError(_("the note no longer exists in this database"))
            if guard:
                _refuse_if_closed(session, row.meeting_id)
            if flip_done:
                changes = {"done": not row.done}
                action = "done" if changes["done"] else "reopen"
            for name, value in changes.items():
                setattr(row, name, value)
            if "done" in changes:
                row.done_at = now if changes["done"] else None
            row.revision += 1
            row.updated_at = now
            session.add(row)
            session.flush()
            values = row.model_dump()
            session.execute(insert(_REVISION_TABLE), [_revision_values(values, action, now)])
            return note_view(row, _tags_of(session, [note_id]).get(note_id, ()))

    # ------------------------------------------------------------ reading

    def notes(self, meeting_id: str, *, include_deleted: bool = False) -> list[NoteView]:
        # A Core select straight into NoteView: building ORM objects for
        # thousands of notes costs several times the query itself.
        table = _NOTE_TABLE
        query = sa_select(*(table.c[name] for name in _VIEW_COLUMNS)).where(
            table.c.meeting_id == meeting_id
        )
        if not include_deleted:
            query = query.where(table.c.deleted.is_(False))
        # added_seq breaks ties in the order notes were written (ids are random).
        query = query.order_by(table.c.created_at, table.c.added_seq)
        with self._db.read() as session:
            rows = session.execute(query).all()
            tags = _tags_of(session, None, meeting_id=meeting_id)
        empty: tuple[TagView, ...] = ()
        return [note_view(r, tags.get(r.id, empty)) for r in rows]

    def note(self, note_id: str) -> NoteView:
        with self._db.read() as session:
            row = session.get(t.Note, note_id)
            if row is None:
                raise UserError(_("the note no longer exists in this database"))
            return note_view(row, _tags_of(session, [note_id]).get(note_id, ()))

    def history(self, note_id: str) -> list[RevisionView]:
        with self._db.read() as session:
            rows = session.exec(
                select(t.NoteRevision)
                .where(t.NoteRevision.note_id == note_id)
                .order_by(col(t.NoteRevision.revision))
            ).all()
            return [
                RevisionView(
                    r.revision, r.action, r.at, r.author, NoteKind(r.kind), r.text, r.deleted
                )
                for r in rows
            ]

    def open_actions(self, project_id: str, before_number: int) -> list[NoteView]:
        """Action items of the project's earlier meetings that are still open."""
        with self._db.read() as session:
            rows = session.exec(
                select(t.Note)
                .join(t.Meeting, col(t.Meeting.id) == col(t.Note.meeting_id))
                .where(
                    t.Meeting.project_id == project_id,
                    t.Meeting.number < before_number,
                    t.Note.kind == NoteKind.ACTION.value,
                    col(t.Note.done).is_(False),
                    col(t.Note.deleted).is_(False),
                )
                .order_by(col(t.Meeting.number), col(t.Note.created_at), col(t.Note.added_seq))
            ).all()
            return [note_view(r) for r in rows]


def _refuse_if_closed(session: Session, meeting_id: str) -> None:
    meeting = session.get(t.Meeting, meeting_id)
    if meeting is not None and meeting.status == MeetingStatus.CLOSED:
        raise UserError(_("the meeting is closed; reopen it to change its notes"))


def _revision_values(note: dict[str, Any], action: str, now: datetime) -> dict[str, Any]:
    return {
        "id": new_id(),
        "note_id": note["id"],
        "revision": note["revision"],
        "action": action,
        "at": now,
        "author": note["author"],
        **{name: note[name] for name in _TRACKED},
    }


def _tags_of(
    session: Session, note_ids: list[str] | None, *, meeting_id: str | None = None
) -> dict[str, tuple[TagView, ...]]:
    query = (
        select(t.Tag.note_id, t.Tag.code_id, t.Code.slug, t.Tag.observer)
        .join(t.Code, col(t.Code.id) == col(t.Tag.code_id))
        .where(col(t.Tag.active).is_(True))
    )
    if note_ids is not None:
        query = query.where(col(t.Tag.note_id).in_(note_ids))
    if meeting_id is not None:
        query = query.join(t.Note, col(t.Note.id) == col(t.Tag.note_id)).where(
            t.Note.meeting_id == meeting_id
        )
    found: dict[str, list[TagView]] = {}
    for note_id, code_id, slug, observer in session.exec(query.order_by(col(t.Code.position))):
        found.setdefault(note_id, []).append(TagView(code_id, slug, observer))
    return {key: tuple(value) for key, value in found.items()}
