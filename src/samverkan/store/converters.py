"""ORM rows to domain views: the UI and the renderers never see a table row."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from samverkan.domain.model import (
    CodeView,
    NoteKind,
    NoteView,
    OrganisationView,
    PersonView,
    PhaseKind,
    PhaseView,
    Polarity,
    TagView,
)
from samverkan.store import tables as t


def organisation_view(row: t.Organisation) -> OrganisationView:
    return OrganisationView(
        id=row.id, short=row.short, name=row.name, kind=row.kind, position=row.position
    )


def person_view(row: t.Person) -> PersonView:
    return PersonView(id=row.id, name=row.name, organisation_id=row.organisation_id)


def code_view(row: t.Code) -> CodeView:
    return CodeView(
        id=row.id,
        slug=row.slug,
        label=row.label,
        description=row.description,
        dimension=row.dimension,
        polarity=Polarity(row.polarity),
        hotkey=row.hotkey,
        position=row.position,
    )


def phase_view(row: t.Phase) -> PhaseView:
    return PhaseView(
        id=row.id,
        position=row.position,
        kind=PhaseKind(row.kind),
        title=row.title,
        planned_minutes=row.planned_minutes,
        prompts=tuple(row.prompts),
        script=row.script,
        started_at=row.started_at,
        ended_at=row.ended_at,
        covered=tuple(i for i in row.covered if isinstance(i, int)),
    )


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
