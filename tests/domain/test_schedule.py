"""Planned end, projected end, ahead or behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from samverkan.domain.clock import ClockState
from samverkan.domain.model import PhaseKind, PhaseView
from samverkan.domain.schedule import schedule

START = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
PHASES = [
    PhaseView("a", 0, PhaseKind.HOST, "Värd", 30, (), "", None, None),
    PhaseView("b", 1, PhaseKind.DISCUSSION, "Samtal", 60, (), "", None, None),
    PhaseView("c", 2, PhaseKind.OTHER, "Nästa möte", None, (), "", None, None),
]


def state(phase: str, total: float, phase_seconds: dict[str, float]) -> ClockState:
    clock = ClockState(started_at=START, running=True, phase_id=phase, total=total)
    clock.phase_seconds.update(phase_seconds)
    return clock


def test_on_time_at_the_start() -> None:
    plan = schedule(PHASES, state("a", 0, {}))
    assert plan is not None
    assert plan.planned_end == START + timedelta(minutes=90)
    assert plan.projected_end == plan.planned_end and plan.behind_seconds == 0


def test_an_overrun_phase_makes_the_room_late_and_a_short_one_early() -> None:
    late = schedule(PHASES, state("a", 40 * 60, {"a": 40 * 60}))
    assert late is not None and late.behind_seconds == 10 * 60
    early = schedule(PHASES, state("b", 10 * 60, {"a": 10 * 60}))
    assert early is not None and early.behind_seconds == -20 * 60


def test_no_schedule_before_the_start_or_without_timeboxes() -> None:
    assert schedule(PHASES, ClockState()) is None
    untimed = [PhaseView("x", 0, PhaseKind.OTHER, "Fika", None, (), "", None, None)]
    assert schedule(untimed, state("x", 0, {})) is None
