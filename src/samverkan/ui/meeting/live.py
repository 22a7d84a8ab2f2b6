"""The live room: what other processes write to the meeting shows on the facilitator's screen.

Observers tag notes and write observations, a second facilitator window may add
or edit notes, move the phase or close the meeting. Every ``app.poll_seconds`` a
thread worker asks :meth:`ObservationService.changes_since` (one pragma when
nothing changed) and the handler paints what came back: notes are replaced in
place, so the cursor, the selection and the note line stay where they were.
"""

from __future__ import annotations

from functools import partial

from textual import work

from samverkan.domain.clock import ClockEvent
from samverkan.domain.errors import problem_sentence
from samverkan.domain.model import MeetingStatus, MeetingView, NoteView
from samverkan.services.observation_live import ChangeCursor, Changes
from samverkan.services.observations import ObservationService
from samverkan.ui.meeting.composer import MeetingComposer
from samverkan.ui.widgets.note_stream import NoteStream


class MeetingLive(MeetingComposer):
    """Polls for other processes' changes; the painting it calls is the screen's."""

    _live: ObservationService | None = None
    _live_cursor: ChangeCursor | None = None
    _live_polling = False
    _live_room: tuple[str | None, MeetingStatus] | None = None
    _live_problem = ""

    def _show_note(self, note: NoteView) -> None:
        raise NotImplementedError

    def _paint_live(self) -> None:
        raise NotImplementedError

    def start_live(self) -> None:
        services = self.samverkan.services
        self._live = ObservationService(services.database, services.clock)
        self.set_interval(self.samverkan.poll_seconds, self._live_tick)

    def stop_live(self) -> None:
        if self._live is not None:
            self._live.close()

    def live_changes(self, cursor: ChangeCursor | None, first: int | None = None) -> Changes:
        """Called in a worker: everything (cursor None) or what changed since ``cursor``;
        ``first``: only the newest notes shown first (see ``changes_since``)."""
        assert self._live is not None
        return self._live.changes_since(self.meeting_id, cursor, first=first)

    def live_started(self, changes: Changes) -> None:
        self._live_cursor = changes.cursor
        self._live_room = (changes.phase_id, changes.status)

    def _live_tick(self) -> None:
        # "Anything committed?" is answered without a query (a pragma on a file, a
        # notification heard on a server): no worker at all while the room is quiet.
        if (
            self._live_cursor is not None
            and not self._live_polling
            and self.meeting
            and self._live is not None
            and not self._live.unchanged(self._live_cursor)
        ):
            self._live_polling = True
            self._live_poll(self._live_cursor)

    @work(thread=True, group="meeting-live", exit_on_error=False)
    def _live_poll(self, cursor: ChangeCursor) -> None:
        try:
            changes = self.live_changes(cursor)
        except Exception as exc:
            self._post(partial(self._live_failed, problem_sentence(exc)))
            return
        self._post(partial(self._live_polled, changes))

    def _live_failed(self, message: str) -> None:
        # The next tick tries again; say so once, not twice a second.
        self._live_polling = False
        if message != self._live_problem:
            self._live_problem = message
            self.samverkan.show_error(message)

    def _live_polled(self, changes: Changes) -> None:
        self._live_polling = False
        if not self.is_mounted or self._live_cursor is None:
            return
        self._live_cursor, self._live_problem = changes.cursor, ""
        stream = self.query_one("#notes", NoteStream)
        changed = False
        for note_id in changes.removed:
            if note_id in self.notes:
                self.counts.drop(note_id)
                self.notes.pop(note_id, None)
                stream.remove_note(note_id)
                changed = True
        for note in changes.notes:
            if self.notes.get(note.id) != note:
                self.counts.put(note)
                self.notes[note.id] = note
                stream.upsert(note)
                changed = True
        if changed:
            # Only the changed rows are drawn again (the stream's cache is keyed by note).
            self._paint_live()
        room = (changes.phase_id, changes.status)
        if room != self._live_room:
            self._live_room = room
            self._reload_room()

    @work(thread=True, exclusive=True, group="meeting-room", exit_on_error=False)
    def _reload_room(self) -> None:
        """Another process moved the phase or closed the meeting: read the clock again."""
        services = self.samverkan.services
        try:
            view = services.projects.meeting(self.meeting_id)
            events = services.meetings.events(self.meeting_id)
        except Exception as exc:
            self._post(partial(self.samverkan.show_error, problem_sentence(exc)))
            return
        self._post(partial(self._room_reloaded, view, events))

    def _room_reloaded(self, view: MeetingView, events: list[ClockEvent]) -> None:
        if self.is_mounted:
            self._clock_changed((view, events))
