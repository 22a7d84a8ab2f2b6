"""The vocabulary of DESIGN.md as plain Python.

Two families live here: the *specs* parsed from the Markdown files users write
(``ProjectSpec``, ``AgendaSpec``, ``CodebookSpec``) and the *views* that the
services hand to the UI and the renderers (``MeetingView``, ``NoteView`` ...).
Neither knows about the database or Textual, so both can be tested and
rendered anywhere.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

# Rows that travel between databases get UUIDs derived from their natural key,
# so the same meeting imported on two laptops has the same identity.
SAMVERKAN_NAMESPACE = uuid.UUID("6b1f0f0e-4f5e-4a43-9a4e-73616d76726b")


def stable_id(*parts: str) -> str:
    """A UUID that is the same in every database for the same natural key."""
    return str(uuid.uuid5(SAMVERKAN_NAMESPACE, "\x1f".join(parts)))


def new_id() -> str:
    return str(uuid.uuid4())


class PhaseKind(StrEnum):
    HOST = "host"
    DISCUSSION = "discussion"
    OBSERVATION = "observation"
    OTHER = "other"


class NoteKind(StrEnum):
    NOTE = "note"
    DECISION = "decision"
    ACTION = "action"
    QUESTION = "question"
    QUOTE = "quote"
    OBSERVATION = "observation"


class Polarity(StrEnum):
    SUCCESS = "success"
    OBSTACLE = "obstacle"
    AMBIVALENT = "ambivalent"


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    CLOSED = "closed"


class OrganisationKind(StrEnum):
    MUNICIPALITY = "municipality"
    EMPLOYMENT_SERVICE = "employment_service"
    COMPANY = "company"
    REGION = "region"
    ASSOCIATION = "association"
    AGENCY = "agency"
    OTHER = "other"


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


class MinutesObservation(StrEnum):
    """What the minutes sent to the participants show of the observation (project.md)."""

    ALL = "all"  # the observer's summary with the remarks behind each code, own notes inline
    GROUP = "group"  # codes and counts only: no organisations, no observer's notes
    NONE = "none"  # nothing of the observation


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
class OrganisationView:
    id: str
    short: str
    name: str
    kind: str
    position: int


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
class MeetingSummary:
    id: str
    project_short: str
    number: int
    title: str
    date: date | None
    start: str | None
    place: str
    host_short: str
    host_name: str
    status: MeetingStatus
    notes: int

    @property
    def ref(self) -> str:
        return f"{self.project_short}/{self.number}"


@dataclass(frozen=True)
class ProjectSummary:
    id: str
    short: str
    name: str
    lang: str
    description: str
    facilitator: str
    observers: tuple[str, ...]
    steering_group: tuple[str, ...]
    organisations: tuple[OrganisationView, ...]
    meetings: tuple[MeetingSummary, ...] = field(default=())
    minutes_observation: MinutesObservation = MinutesObservation.GROUP


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
