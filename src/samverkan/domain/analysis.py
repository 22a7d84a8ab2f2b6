"""Across meetings: which codes recur, where, for whom, and who took part.

Pure functions over a :class:`Series` — a project's meetings, notes, tags and clock
logs read in one go by :class:`samverkan.services.analysis.AnalysisService`. The
analysis screen, the steering-group report and the tag export all start here.

The series' data types live in :mod:`samverkan.domain.series` and are re-exported
here. A remark counts once per code however many observers tagged it (as in the
meeting's tally); who tagged it is kept beside. Totals per dimension and polarity
are sums of the code counts, so a remark with two obstacles counts twice there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cached_property

from samverkan.domain.agreement import Agreement, CodedUnit, agreement
from samverkan.domain.clock import ClockState, replay
from samverkan.domain.model import CodeView, Polarity
from samverkan.domain.series import (
    MeetingInfo,
    PhaseInfo,
    Remark,
    Series,
    paused_gc,
)
from samverkan.domain.tally import POLARITY_ORDER


class View(StrEnum):
    MEETINGS = "meetings"
    ORGANISATIONS = "organisations"


@dataclass(frozen=True)
class Matrix:
    """Tagged remarks per code (rows, codebook order) and meeting or organisation (columns)."""

    view: View
    codes: tuple[CodeView, ...]
    columns: tuple[str | None, ...]  # meeting ids, or organisation ids (None: no organisation)
    counts: Mapping[tuple[str, str | None], int]
    row_totals: Mapping[str, int]

    def count(self, code_id: str, column: str | None) -> int:
        return self.counts.get((code_id, column), 0)

    def row(self, code_id: str) -> tuple[int, ...]:
        return tuple(self.count(code_id, column) for column in self.columns)

    def column_total(self, column: str | None) -> int:
        return sum(self.count(code.id, column) for code in self.codes)

    @property
    def total(self) -> int:
        return sum(self.row_totals.values())


@dataclass(frozen=True)
class PolarityTotal:
    dimension: str
    polarity: Polarity
    count: int  # sum of the code counts
    codes: int  # codes seen at least once


@dataclass(frozen=True)
class Analysis:
    series: Series
    by_meeting: Matrix
    by_organisation: Matrix
    totals: tuple[PolarityTotal, ...]
    # per code, the remarks the report quotes (see SeriesTally), in series order
    quotes: Mapping[str, tuple[Remark, ...]] = field(default_factory=dict)

    @cached_property
    def agreement(self) -> Agreement:
        """Observer agreement, computed on first use (the screen does it after the matrix)."""
        with paused_gc():
            return series_agreement(self.series)

    @cached_property
    def by_code(self) -> Mapping[str, tuple[Remark, ...]]:
        """Remarks per code, by meeting then time (needs a series with every tagged remark)."""
        if not self.series.every_tagged:
            raise ValueError("the series was read without its tagged remarks")
        found: dict[str, list[Remark]] = {code.id: [] for code in self.series.codes}
        codes_of: dict[tuple[tuple[str, str], ...], tuple[str, ...]] = {}  # per tags
        for remark in self.series.remarks:
            if not remark.tags:
                continue
            code_ids = codes_of.get(remark.tags)
            if code_ids is None:
                code_ids = codes_of[remark.tags] = remark.code_ids
            for code_id in code_ids:
                remarks = found.get(code_id)
                if remarks is not None:
                    remarks.append(remark)
        return {code_id: tuple(remarks) for code_id, remarks in found.items()}

    def matrix(self, view: View) -> Matrix:
        return self.by_meeting if view is View.MEETINGS else self.by_organisation

    def trend(self, code_id: str) -> tuple[int, ...]:
        """The code's remarks per meeting, in meeting order."""
        return self.by_meeting.row(code_id)

    def remarks_behind(
        self, code_id: str, view: View | None = None, column: str | None = None
    ) -> tuple[Remark, ...]:
        """The remarks behind one cell; without ``view``, behind the code's whole row."""
        remarks = self.by_code.get(code_id, ())
        if view is View.MEETINGS:
            return tuple(r for r in remarks if r.meeting_id == column)
        if view is View.ORGANISATIONS:
            return tuple(r for r in remarks if r.organisation_id == column)
        return remarks


def analyse(series: Series) -> Analysis:
    with paused_gc():
        return _analyse(series)


def _analyse(series: Series) -> Analysis:
    tally = series.counted
    per_meeting, per_org, row_totals = tally.code_counts(code.id for code in series.codes)
    org_columns: list[str | None] = [o.id for o in series.organisations]
    if any(org is None for _code, org in per_org):
        org_columns.append(None)
    return Analysis(
        series=series,
        by_meeting=Matrix(
            View.MEETINGS,
            series.codes,
            tuple(m.id for m in series.meetings),
            per_meeting,
            row_totals,
        ),
        by_organisation=Matrix(
            View.ORGANISATIONS, series.codes, tuple(org_columns), per_org, row_totals
        ),
        totals=polarity_totals(series.codes, row_totals),
        quotes=tally.quotes,
    )


def polarity_totals(
    codes: Sequence[CodeView], counts: Mapping[str, int]
) -> tuple[PolarityTotal, ...]:
    """Per dimension (codebook order) and polarity (success, obstacle, ambivalent)."""
    sums: dict[str, dict[Polarity, list[int]]] = {}
    for code in codes:
        per_polarity = sums.setdefault(code.dimension, {})
        entry = per_polarity.setdefault(code.polarity, [0, 0])
        entry[0] += counts.get(code.id, 0)
        entry[1] += 1 if counts.get(code.id, 0) else 0
    return tuple(
        PolarityTotal(dimension, polarity, *per_polarity[polarity])
        for dimension, per_polarity in sums.items()
        for polarity in POLARITY_ORDER
        if polarity in per_polarity
    )


# ------------------------------------------------------------------ filter and sort


def filter_codes(
    codes: Iterable[CodeView],
    *,
    polarity: Polarity | None = None,
    dimension: str | None = None,
    text: str = "",
) -> tuple[CodeView, ...]:
    """Codes of one polarity and dimension whose label, slug or description holds ``text``."""
    folded = text.strip().casefold()
    return tuple(
        code
        for code in codes
        if (polarity is None or code.polarity == polarity)
        and (dimension is None or code.dimension == dimension)
        and (
            not folded
            or folded in code.label.casefold()
            or folded in code.slug
            or folded in code.description.casefold()
        )
    )


def sort_codes(
    codes: Iterable[CodeView], totals: Mapping[str, int], *, by_total: bool
) -> tuple[CodeView, ...]:
    """Codebook order, or most remarks first (ties in codebook order)."""
    ordered = list(codes)
    if by_total:
        rank = {code.id: index for index, code in enumerate(ordered)}
        ordered.sort(key=lambda c: (-totals.get(c.id, 0), rank[c.id]))
    return tuple(ordered)


# ------------------------------------------------------------------ participation


@dataclass(frozen=True)
class Participation:
    meeting_id: str
    organisation_id: str
    remarks: int
    seconds: float  # with the floor, replayed from the meeting's clock log
    turns: int


def participation(series: Series, now: datetime | None = None) -> tuple[Participation, ...]:
    """Remarks and speaking time of every organisation at every meeting, meeting by meeting.

    Without ``now`` each meeting's clocks are replayed up to its last recorded event
    (its close, for a closed meeting), so the figures do not depend on when they are
    read.
    """
    rows: list[Participation] = []
    for meeting in series.meetings:
        events = series.events.get(meeting.id, ())
        until = now or max((e.at for e in events), default=None)
        state = replay(events, until) if until is not None else ClockState()
        for org in series.organisations:
            turns = sum(n for (_p, o), n in state.floor_turns.items() if o == org.id)
            rows.append(
                Participation(
                    meeting.id,
                    org.id,
                    series.note_counts.get((meeting.id, org.id), 0),
                    state.floor_total(org.id),
                    turns,
                )
            )
    return tuple(rows)


# ------------------------------------------------------------------ agreement


def series_agreement(series: Series, meetings: Collection[str] | None = None) -> Agreement:
    """κ and α over the facilitator's record of every meeting that two or more observers coded.

    The units are the meeting's notes except the observers' own (``observation``):
    those are what is observed, not the observation. ``meetings`` limits the figures
    to those meeting ids.
    """
    pairable = {
        m: coders
        for m, coders in series.coders.items()
        if len(coders) >= 2 and (meetings is None or m in meetings)
    }
    # Remarks alike (same coders, same tags) are one kind of unit, counted.
    alike, tagged = series.counted.units(pairable)
    units = {CodedUnit(coders, tags): n for (coders, tags), n in alike.items()}
    notes: Counter[str] = Counter()
    for (meeting_id, _org), count in series.note_counts.items():
        notes[meeting_id] += count
    for meeting_id, count in series.observations.items():
        notes[meeting_id] -= count
    untagged = [
        (coders, notes[meeting_id] - tagged.get(meeting_id, 0))
        for meeting_id, coders in pairable.items()
        if notes[meeting_id] > tagged.get(meeting_id, 0)
    ]
    return agreement(units, [code.id for code in series.codes], untagged=untagged)


__all__ = [
    "Analysis",
    "Matrix",
    "MeetingInfo",
    "Participation",
    "PhaseInfo",
    "PolarityTotal",
    "Remark",
    "Series",
    "View",
    "analyse",
    "filter_codes",
    "participation",
    "paused_gc",
    "polarity_totals",
    "series_agreement",
    "sort_codes",
]
