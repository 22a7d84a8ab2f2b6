"""Observers' use cases: write an observation with its tags, follow a meeting live,
export an observer's work to a file and merge such a file back.

One call is one unit of work. ``changes_since`` (in :mod:`.observation_live`)
is what an open observer screen runs twice a second; the file format is
:mod:`samverkan.domain.observation_file`, the merge :mod:`.observation_import`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy import select as core_select
from sqlmodel import SQLModel, col, select

from samverkan.domain.errors import UserError
from samverkan.domain.model import MeetingStatus, NoteKind, NoteView, new_id
from samverkan.domain.observation_file import (
    FileMeeting,
    FileNote,
    FileTag,
    ObservationFile,
    from_json,
    to_json,
)
from samverkan.i18n import _
from samverkan.services.notes import NoteDraft, _revision_values
from samverkan.services.observation_import import ImportSummary, merge
from samverkan.services.observation_live import (
    ChangeCursor,
    Changes,
    current_phase,
    poll_changes,
    read_changes,
    tags_of,
)
from samverkan.services.tags import tag_id
from samverkan.store import tables as t
from samverkan.store.converters import note_view
from samverkan.store.engine import Database

__all__ = ["ChangeCursor", "Changes", "ImportSummary", "ObservationService"]

_NOTE = SQLModel.metadata.tables["note"]
_TAG = SQLModel.metadata.tables["tag"]
_CODE = SQLModel.metadata.tables["code"]
_REVISION = SQLModel.metadata.tables["note_revision"]


class ObservationService:
    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._db = database
        self._clock = clock
        self._closed = False

    def close(self) -> None:
        self._closed = True  # no more shortcut: every later call reads

    # ------------------------------------------------------------ writing

    def add_observation(
        self, meeting_id: str, draft: NoteDraft, observer: str, code_ids: Sequence[str] = ()
    ) -> NoteView:
        """The observer's own remark and its inline tags, committed together."""
        observer, text = observer.strip(), draft.text.strip()
        if not observer:
            raise UserError(_("say who is observing first (--as NAME)"))
        if not text:
            raise UserError(_("the observation is empty; type some text before pressing Enter"))
        now = self._clock()
        note_id = new_id()
        values: dict[str, Any] = {
            "id": note_id, "meeting_id": meeting_id, "phase_id": draft.phase_id,
            "organisation_id": draft.organisation_id, "person_id": None, "author": observer,
            "kind": str(NoteKind.OBSERVATION), "text": text, "created_at": now,
            "offset_seconds": 0.0, "owner_organisation_id": None, "owner_person_id": None,
            "due": None, "done": False, "done_at": None, "deleted": False, "revision": 1,
            "updated_at": now,
        }  # fmt: skip
        with self._db.write() as session:
            meeting = session.get(t.Meeting, meeting_id)
            if meeting is None:
                raise UserError(_("the meeting no longer exists in this database"))
            if meeting.status == MeetingStatus.CLOSED:
                raise UserError(_("the meeting is closed; reopen it to add notes"))
            if meeting.started_at is not None:
                values["offset_seconds"] = max(0.0, (now - meeting.started_at).total_seconds())
            session.execute(insert(_NOTE), [values])
            session.execute(insert(_REVISION), [_revision_values(values, "create", now)])
            unique = list(dict.fromkeys(code_ids))
            if unique:
                session.execute(
                    insert(_TAG),
                    [
                        {
                            "id": tag_id(note_id, code, observer),
                            "note_id": note_id,
                            "code_id": code,
                            "observer": observer,
                            "active": True,
                            "created_at": now,
                            "updated_at": now,
                        }
                        for code in unique
                    ],
                )
            row = session.get(t.Note, note_id)
            assert row is not None
            return note_view(row, tags_of(session, [note_id]).get(note_id, ()))

    # ------------------------------------------------------------ export and import

    def export_observations(self, meeting_id: str, observer: str | None) -> dict[str, Any]:
        """The file's content: ``observer``'s observations and tags (everyone's if None)."""
        return to_json(self.export_file(meeting_id, observer))

    def export_file(self, meeting_id: str, observer: str | None) -> ObservationFile:
        folded = observer.strip().casefold() if observer else None
        with self._db.read() as session:
            meeting = session.get(t.Meeting, meeting_id)
            if meeting is None:
                raise UserError(_("the meeting no longer exists in this database"))
            project = session.get(t.Project, meeting.project_id)
            assert project is not None  # guaranteed by the foreign key
            orgs = {
                o.id: o.short
                for o in session.exec(
                    select(t.Organisation).where(t.Organisation.project_id == project.id)
                )
            }
            phases = {
                p.id: p.position
                for p in session.exec(select(t.Phase).where(t.Phase.meeting_id == meeting_id))
            }
            rows = session.exec(
                select(t.Note)
                .where(t.Note.meeting_id == meeting_id, t.Note.kind == NoteKind.OBSERVATION.value)
                .order_by(col(t.Note.created_at), col(t.Note.id))
            ).all()
            notes = tuple(
                FileNote(
                    id=r.id,
                    text=r.text,
                    kind=NoteKind(r.kind),
                    organisation=orgs.get(r.organisation_id or ""),
                    phase=phases.get(r.phase_id or ""),
                    author=r.author,
                    created_at=r.created_at,
                    updated_at=r.updated_at,
                    offset_seconds=r.offset_seconds,
                    revision=r.revision,
                    deleted=r.deleted,
                )
                for r in rows
                if folded is None or r.author.casefold() == folded
            )
            tags = tuple(
                FileTag(note, slug, who, active, created, updated)
                for note, slug, who, active, created, updated in session.connection().execute(
                    core_select(
                        _TAG.c.note_id,
                        _CODE.c.slug,
                        _TAG.c.observer,
                        _TAG.c.active,
                        _TAG.c.created_at,
                        _TAG.c.updated_at,
                    )
                    .join(_NOTE, _NOTE.c.id == _TAG.c.note_id)
                    .join(_CODE, _CODE.c.id == _TAG.c.code_id)
                    .where(_NOTE.c.meeting_id == meeting_id)
                    .order_by(_TAG.c.created_at, _TAG.c.id)
                )
                if folded is None or who.casefold() == folded
            )
        return ObservationFile(
            exported_at=self._clock(),
            observer=observer.strip() if observer else None,
            meeting=FileMeeting(project.short, meeting.number, meeting.id, meeting.title),
            notes=notes,
            tags=tags,
        )

    def import_observations(self, data: object) -> ImportSummary:
        """Merge a file's content (parsed JSON) in one transaction, or refuse all of it."""
        parsed = data if isinstance(data, ObservationFile) else from_json(data)
        with self._db.write() as session:
            return merge(session, parsed, self._clock())

    # ------------------------------------------------------------ following live

    def changes_since(
        self, meeting_id: str, cursor: ChangeCursor | None, *, first: int | None = None
    ) -> Changes:
        """What changed on the meeting since ``cursor``; everything if it is None, or with
        ``first`` only the newest ``first`` notes of the current phase (of every phase
        when the meeting is closed): what a screen shows first (``complete`` False).

        While no other connection has committed, this is one cheap look and no query.
        """
        # The hint first: a commit it has not heard of yet is then in what is read below.
        hint = None if self._closed else self._db.change_hint()
        version = None if self._closed else self._db.change_token()
        if cursor is not None and version is not None and version == cursor.data_version:
            if cursor.hint != hint:
                cursor = replace(cursor, hint=hint)
            return Changes((), (), (), cursor.phase_id, cursor.status, cursor)
        if cursor is not None:
            with self._db.driver_read() as reader:
                changes = poll_changes(reader, meeting_id, cursor, version)
            return replace(changes, cursor=replace(changes.cursor, hint=hint))
        with self._db.read() as session:
            meeting = session.get(t.Meeting, meeting_id)
            if meeting is None:
                raise UserError(_("the meeting no longer exists in this database"))
            status = MeetingStatus(meeting.status)
            phase = current_phase(session, meeting_id)
            changes = read_changes(session, meeting_id, version, phase, status, first)
        return replace(changes, cursor=replace(changes.cursor, hint=hint))

    def unchanged(self, cursor: ChangeCursor) -> bool:
        """True when nothing was committed since ``cursor``, as far as the database's hint
        tells without a query (a pragma on a file, a notification on a server), so a
        screen can ask this on its own thread as often as it likes."""
        hint = None if self._closed else self._db.change_hint()
        return hint is not None and hint == cursor.hint
