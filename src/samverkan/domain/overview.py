"""The projects and their meetings as the home screen and ``samverkan list`` show them,
and the kinds (enumerations) of DESIGN.md's vocabulary.

Apart from :mod:`samverkan.domain.model` (which offers all of these too) because
the app's start imports this before its first frame: each frozen dataclass costs
~0.7 ms to define, and the model's eighteen of them were 13 ms of the start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


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


class MinutesObservation(StrEnum):
    """What the minutes sent to the participants show of the observation (project.md)."""

    ALL = "all"  # the observer's summary with the remarks behind each code, own notes inline
    GROUP = "group"  # codes and counts only: no organisations, no observer's notes
    NONE = "none"  # nothing of the observation


# ---------------------------------------------------------------- views


@dataclass(frozen=True)
class OrganisationView:
    id: str
    short: str
    name: str
    kind: str
    position: int


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
