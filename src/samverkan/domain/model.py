"""The vocabulary of DESIGN.md as plain Python.

Two families live here: the *specs* parsed from the Markdown files users write
(``ProjectSpec``, ``AgendaSpec``, ``CodebookSpec``) and the *views* that the
services hand to the UI and the renderers (``MeetingView``, ``NoteView`` ...).
Neither knows about the database or Textual, so both can be tested and
rendered anywhere.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

# Defined with the listing the app's start needs; offered here as part of the vocabulary.
from samverkan.domain.overview import (
    MeetingStatus,
    MeetingSummary,
    MinutesObservation,
    NoteKind,
    OrganisationKind,
    OrganisationView,
    PhaseKind,
    Polarity,
    ProjectSummary,
)

__all__ = [
    "MeetingStatus",
    "MeetingSummary",
    "MinutesObservation",
    "NoteKind",
    "OrganisationKind",
    "OrganisationView",
    "PhaseKind",
    "Polarity",
    "ProjectSummary",
]

# Rows that travel between databases get UUIDs derived from their natural key,
# so the same meeting imported on two laptops has the same identity.
SAMVERKAN_NAMESPACE = uuid.UUID("6b1f0f0e-4f5e-4a43-9a4e-73616d76726b")


def stable_id(*parts: str) -> str:
    """A UUID that is the same in every database for the same natural key."""
    return str(uuid.uuid5(SAMVERKAN_NAMESPACE, "\x1f".join(parts)))


def new_id() -> str:
    return str(uuid.uuid4())


# ---------------------------------------------------------------- file specs


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file a user wrote; printed as ``FILE:LINE: message``.

    Line 0 means the path as a whole (a folder, a file that is not there): ``PATH: message``.
    """

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    short: str
    kind: OrganisationKind = OrganisationKind.OTHER
    people: tuple[str, ...] = ()
    # Short codes this organisation had before: a re-import renames it instead of adding one.
    renamed_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProjectSpec:
    path: Path
    name: str
    short: str
    lang: str
    codebook: Path | None
    organisations: tuple[OrganisationSpec, ...]
    steering_group: tuple[str, ...] = ()
    facilitator: str = ""
    observers: tuple[str, ...] = ()
    description: str = ""
    minutes_observation: MinutesObservation = MinutesObservation.GROUP

    def organisation(self, key: str) -> OrganisationSpec | None:
        """Find an organisation by short code or by name, ignoring case."""
        folded = key.strip().casefold()
        for org in self.organisations:
            if folded in (org.short.casefold(), org.name.casefold()):
                return org
        return None


@dataclass(frozen=True)
class PhaseSpec:
    kind: PhaseKind
    title: str
    planned_minutes: int | None
    prompts: tuple[str, ...] = ()
    script: str = ""
    line: int = 0


@dataclass(frozen=True)
class AgendaSpec:
    path: Path
    number: int
    title: str
    date: date | None
    start: str | None
    place: str
    host: str
    intro: str
    phases: tuple[PhaseSpec, ...]
    host_line: int = 1


@dataclass(frozen=True)
class CodeSpec:
    slug: str
    label: str
    description: str
    dimension: str
    polarity: Polarity
    line: int = 0


@dataclass(frozen=True)
class CodebookSpec:
    path: Path
    codes: tuple[CodeSpec, ...]

    @property
    def dimensions(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for code in self.codes:
            seen.setdefault(code.dimension, None)
        return tuple(seen)


# ---------------------------------------------------------------- views


@dataclass(frozen=True)
class PersonView:
    id: str
    name: str
    organisation_id: str


@dataclass(frozen=True)
class CodeView:
    id: str
    slug: str
    label: str
    description: str
    dimension: str
    polarity: Polarity
    hotkey: str
    position: int


@dataclass(frozen=True)
class PhaseView:
    id: str
    position: int
    kind: PhaseKind
    title: str
    planned_minutes: int | None
    prompts: tuple[str, ...]
    script: str
    started_at: datetime | None
    ended_at: datetime | None
    covered: tuple[int, ...] = ()
    """Positions in ``prompts`` the meeting has covered (the minutes list them)."""

    def next_prompt(self) -> int | None:
        """The first prompt not yet covered: the one the facilitator is on."""
        return next((i for i in range(len(self.prompts)) if i not in self.covered), None)


@dataclass(frozen=True)
class TagView:
    code_id: str
    slug: str
    observer: str


@dataclass(frozen=True)
class NoteView:
    id: str
    meeting_id: str
    phase_id: str | None
    organisation_id: str | None
    person_id: str | None
    author: str
    kind: NoteKind
    text: str
    created_at: datetime
    offset_seconds: float
    owner_organisation_id: str | None = None
    owner_person_id: str | None = None
    due: date | None = None
    done: bool = False
    revision: int = 1
    tags: tuple[TagView, ...] = ()
    deleted: bool = False


@dataclass(frozen=True)
class AttendanceView:
    organisation_id: str
    person_id: str | None
    present: bool


@dataclass(frozen=True)
class MeetingView:
    """Everything the meeting and observer screens need, read in one go."""

    summary: MeetingSummary
    project: ProjectSummary
    intro: str
    phases: tuple[PhaseView, ...]
    people: tuple[PersonView, ...]
    attendance: tuple[AttendanceView, ...]
    codes: tuple[CodeView, ...]
    started_at: datetime | None
    closed_at: datetime | None

    @property
    def id(self) -> str:
        return self.summary.id

    @property
    def organisations(self) -> tuple[OrganisationView, ...]:
        return self.project.organisations

    def organisation(self, organisation_id: str | None) -> OrganisationView | None:
        for org in self.project.organisations:
            if org.id == organisation_id:
                return org
        return None

    def phase(self, phase_id: str | None) -> PhaseView | None:
        for phase in self.phases:
            if phase.id == phase_id:
                return phase
        return None


@dataclass(frozen=True)
class ImportLine:
    """One thing ``import`` did: created, updated, unchanged or skipped (with why)."""

    action: str
    what: str
    detail: str = ""
