"""Where the meeting stands against its timeboxes: planned end, projected end, ahead or behind.

The planned end is the start plus every phase's timebox. The projected end is the
start plus the meeting's running time so far, what is left of the current phase's
timebox (nothing once it is over) and the timeboxes of the phases still to come.
Pauses do not count (a meeting paused overnight is not "a day behind"); a planned
break belongs on the agenda as a phase with its own timebox.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from samverkan.domain.clock import ClockState
from samverkan.domain.model import PhaseView


@dataclass(frozen=True)
class Schedule:
    planned_end: datetime
    projected_end: datetime

    @property
    def behind_seconds(self) -> float:
        """Positive: the room is late; negative: ahead."""
        return (self.projected_end - self.planned_end).total_seconds()


def schedule(phases: Sequence[PhaseView], state: ClockState) -> Schedule | None:
    """None before the start, or when no phase has a timebox."""
    if state.started_at is None or not any(p.planned_minutes for p in phases):
        return None
    planned = sum((p.planned_minutes or 0) * 60 for p in phases)
    index = next((i for i, p in enumerate(phases) if p.id == state.phase_id), 0)
    current = phases[index]
    left_now = max(0.0, (current.planned_minutes or 0) * 60 - state.phase_elapsed(current.id))
    later = sum((p.planned_minutes or 0) * 60 for p in phases[index + 1 :])
    return Schedule(
        planned_end=state.started_at + timedelta(seconds=planned),
        projected_end=state.started_at + timedelta(seconds=state.total + left_now + later),
    )
