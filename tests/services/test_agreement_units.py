"""Who counts as an observer and what counts as a unit, read back from the store."""

from __future__ import annotations

from fractions import Fraction

import pytest
from tests.analysis_data import FB, GS, PROJECT, code, meeting, org, record_series

from samverkan.domain.analysis import analyse, series_agreement
from samverkan.domain.clock import ManualClock
from samverkan.domain.model import NoteKind
from samverkan.services import NoteDraft, Services
from samverkan.services.analysis import AnalysisService
from samverkan.services.observations import ObservationService


def _series(services: Services):  # type: ignore[no-untyped-def]
    return AnalysisService(services.database).series(services.projects.project_id(PROJECT))


def _meeting_three(services: Services, clock: ManualClock) -> tuple[str, list[str]]:
    m3 = meeting(3)
    services.meetings.start(m3)
    services.meetings.go_to_phase(m3, 1)
    ids = []
    for text in ("ett", "två", "tre", "fyra"):
        clock.advance(10)
        ids.append(services.notes.add(m3, NoteDraft(text, NoteKind.NOTE, org("AF"))).id)
    return m3, ids


def test_names_differing_in_case_are_one_observer_shown_as_first_written(
    imported: Services, clock: ManualClock
) -> None:
    m3, ids = _meeting_three(imported, clock)
    imported.tags.set(ids[0], code(GS), "Anna", True)
    clock.advance(5)
    imported.tags.set(ids[1], code(GS), "anna", True)
    imported.tags.set(ids[0], code(GS), "Bo", True)
    imported.tags.set(ids[1], code(GS), "Bo", True)
    series = _series(imported)
    assert series.coders[m3] == frozenset({"Anna", "Bo"})
    assert series.observers == ("Anna", "Bo")
    result = analyse(series).agreement
    assert result.observers == ("Anna", "Bo")
    # Both said GS on notes 1 and 2 and nothing on 3 and 4: perfect agreement.
    assert result.kappa.value == 1.0
    assert result.alpha.value == 1.0
    tags = {r.id: r.tags for r in series.remarks}
    assert tags[ids[1]] == ((code(GS), "Anna"), (code(GS), "Bo"))


def test_an_observation_is_not_a_unit_and_does_not_make_a_coder(
    imported: Services, clock: ManualClock
) -> None:
    record_series(imported, clock)
    before = analyse(_series(imported)).agreement
    m3, ids = _meeting_three(imported, clock)
    imported.tags.set(ids[0], code(GS), "Bo", True)
    imported.tags.set(ids[0], code(GS), "Cissi", True)
    ObservationService(imported.database, imported.clock).add_observation(
        m3, NoteDraft("Bo ser tillit", NoteKind.OBSERVATION), "Dag", [code(FB)]
    )
    ObservationService(imported.database, imported.clock).add_observation(
        m3, NoteDraft("Cissi ser byråkrati", NoteKind.OBSERVATION), "Cissi", [code(FB)]
    )
    series = _series(imported)
    assert series.coders[m3] == frozenset({"Bo", "Cissi"})  # Dag tagged only his own
    assert series.observations[m3] == 2
    result = series_agreement(series, {m3})
    assert result.units == 4  # the four notes, not the two observations
    assert [c.code_id for c in result.codes] == [code(GS)]
    assert result.alpha.value == 1.0
    # Meeting 1's figures are unchanged by meeting 3's observations.
    assert series_agreement(series, {meeting(1)}).alpha == before.alpha
    assert before.alpha.value == pytest.approx(float(Fraction(179, 248)), abs=1e-12)
