"""Merge an observation file into this database: idempotent, all or nothing.

Notes are matched by UUID (inserted when absent, updated when the file's
version is newer), tags by their derived id (last writer wins on
``updated_at``). Everything is checked before the first row is written, and
all of it happens in the caller's one write transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, SQLModel, col, select

from samverkan.domain.errors import UserError
from samverkan.domain.observation_file import FileNote, FileTag, ObservationFile
from samverkan.i18n import _
from samverkan.services.notes import _revision_values
from samverkan.services.tags import tag_id
from samverkan.store import tables as t

_NOTE_TABLE = SQLModel.metadata.tables["note"]
_REVISION_TABLE = SQLModel.metadata.tables["note_revision"]


@dataclass
class ImportSummary:
    """What one import did; printed by the CLI, asserted on by the tests."""

    meeting: str
    notes_added: int = 0
    notes_updated: int = 0
    notes_unchanged: int = 0
    tags_added: int = 0
    tags_updated: int = 0
    tags_unchanged: int = 0
    # Tags on notes this database does not have (made on a copy of another database).
    tags_skipped: int = 0
    observers: tuple[str, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return bool(self.notes_added or self.notes_updated or self.tags_added or self.tags_updated)


class _Context:
    """The meeting's rows the file refers to, read once."""

    def __init__(self, session: Session, data: ObservationFile) -> None:
        meeting = session.get(t.Meeting, data.meeting.id)
        if meeting is None:
            raise UserError(
                _(
                    "the file is for meeting {ref} ({title}), which is not in this database; "
                    "import its project folder first"
                ).format(ref=data.meeting.ref, title=data.meeting.title)
            )
        self.meeting = meeting
        pid = meeting.project_id
        project = session.get(t.Project, pid)
        self.project_short = project.short if project is not None else data.meeting.project
        self.ref = f"{self.project_short}/{meeting.number}"
        self.orgs = {
            o.short.casefold(): o.id
            for o in session.exec(select(t.Organisation).where(t.Organisation.project_id == pid))
        }
        self.codes = {
            c.slug: c.id for c in session.exec(select(t.Code).where(t.Code.project_id == pid))
        }
        self.phases = {
            p.position: p.id
            for p in session.exec(select(t.Phase).where(t.Phase.meeting_id == meeting.id))
        }
        self.phase_log = [
            (e.at, e.phase_id)
            for e in session.exec(
                select(t.MeetingEvent)
                .where(t.MeetingEvent.meeting_id == meeting.id, t.MeetingEvent.kind == "phase")
                .order_by(col(t.MeetingEvent.at))
            )
        ]

    def organisation_id(self, note: FileNote) -> str | None:
        if note.organisation is None:
            return None
        found = self.orgs.get(note.organisation.casefold())
        if found is None:
            raise UserError(
                _(
                    "the file names organisation {short}, which project {project} does not have; "
                    "nothing was imported"
                ).format(short=note.organisation, project=self.project_short)
            )
        return found

    def phase_id(self, note: FileNote) -> str | None:
        if note.phase is None:
            # Made offline, where the meeting did not run: the facilitator's
            # phase log says which phase was on at that moment.
            current = None
            for at, phase_id in self.phase_log:
                if at > note.created_at:
                    break
                current = phase_id
            return current
        found = self.phases.get(note.phase)
        if found is None:
            raise UserError(
                _(
                    "the file refers to phase {number} of meeting {ref}, which has no such phase; "
                    "nothing was imported"
                ).format(number=note.phase + 1, ref=self.ref)
            )
        return found

    def code_id(self, tag: FileTag) -> str:
        found = self.codes.get(tag.code_slug)
        if found is None:
            raise UserError(
                _(
                    "the file tags with code #{slug}, which is not in the codebook of {project}; "
                    "import the same codebook first"
                ).format(slug=tag.code_slug, project=self.project_short)
            )
        return found

    def offset(self, note: FileNote) -> float:
        started = self.meeting.started_at
        if started is None:
            return note.offset_seconds
        return max(0.0, (note.created_at - started).total_seconds())


def merge(session: Session, data: ObservationFile, now: datetime) -> ImportSummary:
    context = _Context(session, data)
    summary = ImportSummary(
        meeting=context.ref,
        observers=tuple(sorted({g.observer for g in data.tags}, key=str.casefold)),
    )
    # Check everything first, so a refusal leaves nothing half-written.
    note_values = [_note_values(context, n) for n in data.notes]
    tag_codes = [context.code_id(g) for g in data.tags]
    existing = {
        row.id: row
        for row in session.exec(
            select(t.Note).where(col(t.Note.id).in_([n.id for n in data.notes]))
        )
    }
    for row in existing.values():
        if row.meeting_id != context.meeting.id:
            raise UserError(
                _(
                    "the file holds a note of another meeting than {ref}; nothing was imported"
                ).format(ref=summary.meeting)
            )
    for values in note_values:
        _merge_note(session, existing.get(values["id"]), values, now, summary)
    session.flush()
    _merge_tags(session, context, data.tags, tag_codes, summary)
    return summary


def _note_values(context: _Context, note: FileNote) -> dict[str, Any]:
    return {
        "id": note.id,
        "meeting_id": context.meeting.id,
        "phase_id": context.phase_id(note),
        "organisation_id": context.organisation_id(note),
        "person_id": None,
        "author": note.author,
        "kind": str(note.kind),
        "text": note.text,
        "created_at": note.created_at,
        "offset_seconds": context.offset(note),
        "owner_organisation_id": None,
        "owner_person_id": None,
        "due": None,
        "done": False,
        "done_at": None,
        "deleted": note.deleted,
        "revision": note.revision,
        "updated_at": note.updated_at,
    }


_MERGED = ("phase_id", "organisation_id", "kind", "text", "deleted")


def _merge_note(
    session: Session,
    row: t.Note | None,
    values: dict[str, Any],
    now: datetime,
    summary: ImportSummary,
) -> None:
    if row is None:
        session.execute(insert(_NOTE_TABLE), [values])
        session.execute(insert(_REVISION_TABLE), [_revision_values(values, "import", now)])
        summary.notes_added += 1
        return
    if values["updated_at"] <= row.updated_at or all(
        getattr(row, name) == values[name] for name in _MERGED
    ):
        summary.notes_unchanged += 1
        return
    for name in _MERGED:
        setattr(row, name, values[name])
    row.revision += 1
    # The file's time, not ours: a later, older file must still lose.
    row.updated_at = values["updated_at"]
    session.add(row)
    session.flush()
    session.execute(insert(_REVISION_TABLE), [_revision_values(row.model_dump(), "import", now)])
    summary.notes_updated += 1


def _merge_tags(
    session: Session,
    context: _Context,
    tags: tuple[FileTag, ...],
    code_ids: list[str],
    summary: ImportSummary,
) -> None:
    note_ids = sorted({g.note_id for g in tags})
    known = set(
        session.exec(
            select(t.Note.id).where(
                col(t.Note.id).in_(note_ids), t.Note.meeting_id == context.meeting.id
            )
        )
    )
    ids = [tag_id(g.note_id, code, g.observer) for g, code in zip(tags, code_ids, strict=True)]
    rows = {row.id: row for row in session.exec(select(t.Tag).where(col(t.Tag.id).in_(ids)))}
    for tag, code, tid in zip(tags, code_ids, ids, strict=True):
        if tag.note_id not in known:
            summary.tags_skipped += 1
            continue
        row = rows.get(tid)
        if row is None:
            session.add(
                t.Tag(
                    id=tid,
                    note_id=tag.note_id,
                    code_id=code,
                    observer=tag.observer,
                    active=tag.active,
                    created_at=tag.created_at,
                    updated_at=tag.updated_at,
                )
            )
            summary.tags_added += 1
        elif tag.updated_at > row.updated_at and tag.active != row.active:
            row.active = tag.active
            row.updated_at = tag.updated_at
            session.add(row)
            summary.tags_updated += 1
        else:
            summary.tags_unchanged += 1
