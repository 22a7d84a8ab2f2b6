"""ORM rows to domain views: the UI and the renderers never see a table row."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from samverkan.domain.model import NoteKind, NoteView, TagView


class NoteRow(Protocol):
    """An ORM note or a Core row of the note table: both have these attributes."""

    id: str
    meeting_id: str
    phase_id: str | None
    organisation_id: str | None
    person_id: str | None
    author: str
    kind: str
    text: str
    created_at: datetime
    offset_seconds: float
    owner_organisation_id: str | None
    owner_person_id: str | None
    due: date | None
    done: bool
    revision: int
    deleted: bool


def note_view(row: NoteRow, tags: tuple[TagView, ...] = ()) -> NoteView:
    return NoteView(
        id=row.id,
        meeting_id=row.meeting_id,
        phase_id=row.phase_id,
        organisation_id=row.organisation_id,
        person_id=row.person_id,
        author=row.author,
        kind=NoteKind(row.kind),
        text=row.text,
        created_at=row.created_at,
        offset_seconds=row.offset_seconds,
        owner_organisation_id=row.owner_organisation_id,
        owner_person_id=row.owner_person_id,
        due=row.due,
        done=row.done,
        revision=row.revision,
        tags=tags,
        deleted=row.deleted,
    )
