"""The meeting's clocks, derived from its event log.

The store keeps only what happened and when (start, pause, resume, phase,
floor, close, reopen). Everything the facilitator sees — elapsed time per
phase, total meeting time, speaking time per organisation — is replayed from
that log, so a restarted app (after a crash or ``kill -9``) shows the same
clocks it would have shown had it never stopped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class EventKind(StrEnum):
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    PHASE = "phase"
    FLOOR = "floor"
    CLOSE = "close"
    REOPEN = "reopen"


@dataclass(frozen=True)
class ClockEvent:
    at: datetime
    kind: EventKind
    phase_id: str | None = None
    organisation_id: str | None = None


@dataclass
class ClockState:
    """The meeting's clocks at one instant."""

    started_at: datetime | None = None
    running: bool = False
    paused: bool = False
    closed: bool = False
    phase_id: str | None = None
    floor: str | None = None
    total: float = 0.0
    phase_seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    # (phase_id, organisation_id) -> seconds with the floor
    floor_seconds: dict[tuple[str | None, str], float] = field(
        default_factory=lambda: defaultdict(float)
    )
    floor_turns: dict[tuple[str | None, str], int] = field(default_factory=lambda: defaultdict(int))

    @property
    def ticking(self) -> bool:
        return self.running and not self.paused and not self.closed

    def phase_elapsed(self, phase_id: str) -> float:
        return self.phase_seconds.get(phase_id, 0.0)

    def floor_total(self, organisation_id: str, phase_id: str | None = None) -> float:
        return sum(
            seconds
            for (phase, org), seconds in self.floor_seconds.items()
            if org == organisation_id and (phase_id is None or phase == phase_id)
        )


def replay(events: Iterable[ClockEvent], now: datetime) -> ClockState:
    """Fold the event log into the clocks as they stand at ``now``."""
    state = ClockState()
    last: datetime | None = None

    def advance(until: datetime) -> None:
        if last is None or not state.ticking:
            return
        seconds = max(0.0, (until - last).total_seconds())
        state.total += seconds
        if state.phase_id is not None:
            state.phase_seconds[state.phase_id] += seconds
        if state.floor is not None:
            state.floor_seconds[(state.phase_id, state.floor)] += seconds

    for event in sorted(events, key=lambda e: e.at):
        advance(event.at)
        last = event.at
        match event.kind:
            case EventKind.START:
                state.running = True
                state.paused = False
                state.started_at = state.started_at or event.at
            case EventKind.PAUSE:
                state.paused = True
            case EventKind.RESUME:
                state.paused = False
            case EventKind.PHASE:
                state.phase_id = event.phase_id
            case EventKind.FLOOR:
                state.floor = event.organisation_id
                if event.organisation_id is not None:
                    state.floor_turns[(state.phase_id, event.organisation_id)] += 1
            case EventKind.CLOSE:
                state.closed = True
                state.floor = None
            case EventKind.REOPEN:
                state.closed = False
                state.paused = True
    advance(now)
    return state


def format_duration(seconds: float) -> str:
    """``mm:ss`` below an hour, ``h:mm:ss`` above; negative values get a minus."""
    sign = "-" if seconds < 0 else ""
    whole = int(abs(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes:02d}:{secs:02d}"


class ManualClock:
    """A clock that moves only when told to: for tests and the demo recording."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        from datetime import timedelta

        self.now += timedelta(seconds=seconds)
        return self.now
