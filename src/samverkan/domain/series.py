"""A project's series of meetings as plain data: what the analysis starts from.

:class:`samverkan.services.analysis.AnalysisService` reads it in one go; the
analysis, the report and the exports only read it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from samverkan.domain.clock import ClockEvent
from samverkan.domain.model import (
    CodeView,
    MeetingStatus,
    NoteKind,
    OrganisationView,
    PhaseKind,
)
from samverkan.domain.observers import distinct
from samverkan.domain.series_tally import SeriesTally, tally_of


@dataclass(frozen=True, slots=True)
class PhaseInfo:
    id: str
    meeting_id: str
    position: int
    kind: PhaseKind
    title: str


@dataclass(frozen=True, slots=True)
class MeetingInfo:
    id: str
    number: int
    title: str
    date: date | None
    host_organisation_id: str | None
    status: MeetingStatus


@dataclass(slots=True)
class Remark:
    """A note that matters to the analysis: tagged, a decision or an action item.

    Read-only by convention: not frozen, because a frozen dataclass costs ten times
    as much to build, and a series holds up to 100,000 of these.
    """

    id: str
    meeting_id: str
    phase_id: str | None
    organisation_id: str | None
    author: str
    kind: NoteKind
    text: str
    created_at: datetime
    offset_seconds: float
    # (code id, observer), in codebook order, then by observer
    tags: tuple[tuple[str, str], ...] = ()
    owner_organisation_id: str | None = None
    due: date | None = None
    done: bool = False
    owner_person_id: str | None = None

    def observers_of(self, code_id: str) -> tuple[str, ...]:
        return tuple(observer for code, observer in self.tags if code == code_id)

    @property
    def code_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(code for code, _observer in self.tags))


@dataclass(frozen=True)
class Series:
    """A project's whole series of meetings as plain data."""

    project_id: str
    short: str
    name: str
    lang: str
    organisations: tuple[OrganisationView, ...]
    codes: tuple[CodeView, ...]  # codebook order; retired codes still tagged come last
    meetings: tuple[MeetingInfo, ...]  # by number
    phases: Mapping[str, PhaseInfo]
    # by meeting number, then time (then id); every tagged one unless read for the report
    remarks: tuple[Remark, ...]
    # (meeting id, organisation id or None) -> notes (not deleted), tagged or not
    note_counts: Mapping[tuple[str, str | None], int]
    # meeting id -> observers who tagged a note of the facilitator's record there
    # (now or before an untag); names compared without case, as first written
    coders: Mapping[str, frozenset[str]]
    events: Mapping[str, tuple[ClockEvent, ...]]
    retired: frozenset[str] = frozenset()
    # meeting id -> observers' own notes (not deleted): in note_counts, not in the record
    observations: Mapping[str, int] = field(default_factory=dict)
    people: Mapping[str, str] = field(default_factory=dict)  # person id -> name
    # the tagged notes counted as the read passed them (see tally_of otherwise)
    tally: SeriesTally | None = None
    # False: ``remarks`` holds decisions and action items only (the report's read);
    # the tagged notes are only in the tally
    every_tagged: bool = True

    def organisation(self, organisation_id: str | None) -> OrganisationView | None:
        return self._organisations.get(organisation_id or "")

    def meeting(self, meeting_id: str) -> MeetingInfo | None:
        return self._meetings.get(meeting_id)

    def code(self, code_id: str) -> CodeView | None:
        return self._codes.get(code_id)

    def number(self, meeting_id: str) -> int:
        """The meeting's number in the series; 0 for an id not in it."""
        found = self._meetings.get(meeting_id)
        return found.number if found else 0

    @cached_property
    def counted(self) -> SeriesTally:
        """The tally of the tagged remarks: the read's, or counted from ``remarks``."""
        return self.tally or tally_of(self.remarks)

    @property
    def observers(self) -> tuple[str, ...]:
        return distinct(o for names in self.coders.values() for o in names)

    @cached_property
    def _organisations(self) -> dict[str, OrganisationView]:
        return {o.id: o for o in self.organisations}

    @cached_property
    def _meetings(self) -> dict[str, MeetingInfo]:
        return {m.id: m for m in self.meetings}

    @cached_property
    def _codes(self) -> dict[str, CodeView]:
        return {c.id: c for c in self.codes}


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a series is built or analysed.

    Building 100,000 remarks makes the collector walk every object of the process
    many times over (in the TUI, every widget too); the objects made here hold no
    cycles, so the pause frees nothing late and costs no memory.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
