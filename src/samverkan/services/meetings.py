"""Running a meeting: its clock log, phases, the floor, attendance, closing.

Every call appends to the meeting's event log in one short transaction; the
clocks shown on screen are :func:`samverkan.domain.clock.replay` of that log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from samverkan.domain.clock import ClockEvent, ClockState, EventKind, replay
from samverkan.domain.errors import UserError
from samverkan.domain.model import MeetingStatus, PersonView, new_id, stable_id
from samverkan.i18n import _
from samverkan.store import tables as t
from samverkan.store.engine import Database


class MeetingService:
    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._db = database
        self._clock = clock

    # ------------------------------------------------------------ the clock log

    def events(self, meeting_id: str) -> list[ClockEvent]:
        with self._db.read() as session:
            return _events(session, meeting_id)

    def clock(self, meeting_id: str, now: datetime | None = None) -> ClockState:
        return replay(self.events(meeting_id), now or self._clock())

    def start(self, meeting_id: str) -> ClockState:
        """Start the meeting in its first phase (or resume a paused one)."""
        with self._db.write() as session:
            meeting = _meeting(session, meeting_id)
            state = replay(_events(session, meeting_id), self._clock())
            if meeting.status == MeetingStatus.CLOSED:
                raise UserError(_("the meeting is closed; reopen it first"))
            if state.running:
                if state.paused:
                    self._log(session, meeting_id, EventKind.RESUME)
                return replay(_events(session, meeting_id), self._clock())
            now = self._clock()
            meeting.status = MeetingStatus.RUNNING
            meeting.started_at = now
            meeting.updated_at = now
            session.add(meeting)
            self._log(session, meeting_id, EventKind.START)
            first = session.exec(
                select(t.Phase)
                .where(t.Phase.meeting_id == meeting_id)
                .order_by(col(t.Phase.position))
            ).first()
            if first is not None:
                self._enter_phase(session, meeting_id, None, first)
            return replay(_events(session, meeting_id), self._clock())

    def pause(self, meeting_id: str) -> ClockState:
        return self._toggle(meeting_id, pause=True)

    def resume(self, meeting_id: str) -> ClockState:
        return self._toggle(meeting_id, pause=False)

    def _toggle(self, meeting_id: str, *, pause: bool) -> ClockState:
        with self._db.write() as session:
            state = replay(_events(session, meeting_id), self._clock())
            if state.running and not state.closed and state.paused != pause:
                self._log(session, meeting_id, EventKind.PAUSE if pause else EventKind.RESUME)
            return replay(_events(session, meeting_id), self._clock())

    def go_to_phase(self, meeting_id: str, step: int) -> ClockState:
        """Move ``step`` phases on (negative: back). Stays put at either end."""
        with self._db.write() as session:
            state = replay(_events(session, meeting_id), self._clock())
            if not state.running or state.closed:
                raise UserError(_("start the meeting before moving between phases"))
            phases = session.exec(
                select(t.Phase)
                .where(t.Phase.meeting_id == meeting_id)
                .order_by(col(t.Phase.position))
            ).all()
            ids = [p.id for p in phases]
            index = ids.index(state.phase_id) if state.phase_id in ids else -1
            target = min(max(index + step, 0), len(phases) - 1)
            if phases and target != index:
                current = phases[index] if index >= 0 else None
                self._enter_phase(session, meeting_id, current, phases[target])
            return replay(_events(session, meeting_id), self._clock())

    def _enter_phase(
        self, session: Session, meeting_id: str, leaving: t.Phase | None, entering: t.Phase
    ) -> None:
        now = self._clock()
        if leaving is not None:
            leaving.ended_at = now
            session.add(leaving)
        if entering.started_at is None:
            entering.started_at = now
        entering.ended_at = None
        session.add(entering)
        self._log(session, meeting_id, EventKind.PHASE, phase_id=entering.id)

    def cover_prompt(self, phase_id: str, position: int | None = None) -> int | None:
        """Mark a prompt of the phase covered (by default the first not yet covered);
        the position marked, or None when every prompt already is."""
        with self._db.write() as session:
            phase = session.get(t.Phase, phase_id)
            if phase is None:
                raise UserError(_("the phase no longer exists in this database"))
            covered = [i for i in phase.covered if isinstance(i, int)]
            if position is None:
                position = next((i for i in range(len(phase.prompts)) if i not in covered), None)
            if position is None or position in covered or position >= len(phase.prompts):
                return None
            phase.covered = [*covered, position]
            session.add(phase)
            return position

    def uncover_prompt(self, phase_id: str, position: int) -> None:
        """Take back a prompt marked covered."""
        with self._db.write() as session:
            phase = session.get(t.Phase, phase_id)
            if phase is not None and position in phase.covered:
                phase.covered = [i for i in phase.covered if i != position]
                session.add(phase)

    def give_floor(self, meeting_id: str, organisation_id: str | None) -> ClockState:
        """``organisation_id`` has the floor from now; None: nobody."""
        with self._db.write() as session:
            state = replay(_events(session, meeting_id), self._clock())
            if state.closed:
                raise UserError(_("the meeting is closed; reopen it first"))
            if state.floor != organisation_id:
                self._log(session, meeting_id, EventKind.FLOOR, organisation_id=organisation_id)
            return replay(_events(session, meeting_id), self._clock())

    def close(self, meeting_id: str) -> ClockState:
        with self._db.write() as session:
            meeting = _meeting(session, meeting_id)
            if meeting.status == MeetingStatus.CLOSED:
                return replay(_events(session, meeting_id), self._clock())
            now = self._clock()
            state = replay(_events(session, meeting_id), now)
            if state.phase_id is not None:
                phase = session.get(t.Phase, state.phase_id)
                if phase is not None:
                    phase.ended_at = now
                    session.add(phase)
            meeting.status = MeetingStatus.CLOSED
            meeting.closed_at = now
            meeting.updated_at = now
            session.add(meeting)
            self._log(session, meeting_id, EventKind.CLOSE)
            return replay(_events(session, meeting_id), self._clock())

    def reopen(self, meeting_id: str) -> ClockState:
        """Make a closed meeting editable again; its clock stays paused until resumed."""
        with self._db.write() as session:
            meeting = _meeting(session, meeting_id)
            if meeting.status == MeetingStatus.CLOSED:
                meeting.status = (
                    MeetingStatus.RUNNING if meeting.started_at else MeetingStatus.PLANNED
                )
                meeting.closed_at = None
                meeting.updated_at = self._clock()
                session.add(meeting)
                self._log(session, meeting_id, EventKind.REOPEN)
            return replay(_events(session, meeting_id), self._clock())

    def _log(
        self,
        session: Session,
        meeting_id: str,
        kind: EventKind,
        *,
        phase_id: str | None = None,
        organisation_id: str | None = None,
    ) -> None:
        session.add(
            t.MeetingEvent(
                id=new_id(),
                meeting_id=meeting_id,
                at=self._clock(),
                kind=str(kind),
                phase_id=phase_id,
                organisation_id=organisation_id,
            )
        )
        session.flush()

    # ------------------------------------------------------------ attendance

    def set_attendance(
        self, meeting_id: str, organisation_id: str, person_id: str | None, present: bool
    ) -> None:
        self.set_attendances(meeting_id, [(organisation_id, person_id, present)])

    def set_attendances(
        self, meeting_id: str, rows: Sequence[tuple[str, str | None, bool]]
    ) -> None:
        """Several organisations' and people's presence, in one transaction."""
        with self._db.write() as session:
            for organisation_id, person_id, present in rows:
                aid = stable_id("attendance", meeting_id, organisation_id, person_id or "")
                row = session.get(t.Attendance, aid)
                if row is None:
                    row = t.Attendance(
                        id=aid,
                        meeting_id=meeting_id,
                        organisation_id=organisation_id,
                        person_id=person_id,
                        updated_at=self._clock(),
                    )
                row.present = present
                row.updated_at = self._clock()
                session.add(row)

    def add_person(self, organisation_id: str, name: str) -> PersonView:
        """Add a participant on the spot; the same name twice is the same person."""
        name = " ".join(name.split())
        if not name:
            raise UserError(_("type the participant's name first"))
        pid = stable_id("person", organisation_id, name.casefold())
        with self._db.write() as session:
            if session.get(t.Organisation, organisation_id) is None:
                raise UserError(_("the organisation no longer exists in this database"))
            if session.get(t.Person, pid) is None:
                session.add(t.Person(id=pid, organisation_id=organisation_id, name=name))
        return PersonView(id=pid, name=name, organisation_id=organisation_id)


def _meeting(session: Session, meeting_id: str) -> t.Meeting:
    meeting = session.get(t.Meeting, meeting_id)
    if meeting is None:
        raise UserError(_("the meeting no longer exists in this database"))
    return meeting


def _events(session: Session, meeting_id: str) -> list[ClockEvent]:
    rows = session.exec(
        select(t.MeetingEvent)
        .where(t.MeetingEvent.meeting_id == meeting_id)
        # added_seq breaks ties: a start and its first phase share one instant.
        .order_by(col(t.MeetingEvent.at), col(t.MeetingEvent.added_seq))
    ).all()
    return [ClockEvent(r.at, EventKind(r.kind), r.phase_id, r.organisation_id) for r in rows]
