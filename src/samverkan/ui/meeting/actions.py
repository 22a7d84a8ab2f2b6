"""The meeting screen's actions: clock, phases, floor, filters, the selected note, undo.

Kept apart from the layout and painting in ``screen.py`` and the note line in
``composer.py`` so each file reads in one sitting. Every write is queued on the
screen's :class:`WriteQueue`, in the order the keys were pressed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.widgets import Input

from samverkan.domain.clock import ClockEvent, ClockState
from samverkan.domain.labels import kind_label
from samverkan.domain.model import (
    MeetingStatus,
    MeetingView,
    NoteKind,
    NoteView,
    OrganisationView,
)
from samverkan.i18n import _
from samverkan.ui.base import SamverkanScreen
from samverkan.ui.dialogs.picker import Choice
from samverkan.ui.meeting.keys import key_name
from samverkan.ui.meeting.one_key import ask_one_key
from samverkan.ui.meeting.writer import WriteQueue
from samverkan.ui.widgets.note_stream import NoteStream
from samverkan.ui.widgets.participation import RemarkCounts

KIND_KEYS = {
    NoteKind.NOTE: "n",
    NoteKind.DECISION: "b",
    NoteKind.ACTION: "a",
    NoteKind.QUESTION: "f",
    NoteKind.QUOTE: "c",
    NoteKind.OBSERVATION: "o",
}


class MeetingActions(SamverkanScreen):
    """The actions; the state and painting they use are the meeting screen's."""

    meeting_id: str
    meeting: MeetingView | None
    notes: dict[str, NoteView]
    counts: RemarkCounts
    events: list[ClockEvent]
    state: ClockState
    speaker: OrganisationView | None
    kind: NoteKind
    editing: NoteView | None
    all_phases: bool
    org_filter: str | None
    kind_filter: NoteKind | None
    undo_stack: list[tuple[str, int | None]]
    writes: WriteQueue | None

    # Painting lives in screen.py.
    def _tick(self) -> None:
        raise NotImplementedError

    def _apply_filter(self) -> None:
        raise NotImplementedError

    def _refresh_all(self) -> None:
        raise NotImplementedError

    def _paint_composer(self) -> None:
        raise NotImplementedError

    def show_question(self, text: Text | None) -> None:
        """A question one key answers, under the notes; None: it was answered."""
        raise NotImplementedError

    def _saved(self, note: NoteView, undo: tuple[str, int | None] | None) -> None:
        raise NotImplementedError

    def load(self) -> object:
        raise NotImplementedError

    # ------------------------------------------------------------ clock and phases

    def _queue_clock(self, call: Callable[[], Any], *, reload_meeting: bool = False) -> None:
        if self.writes is None:
            return
        services = self.samverkan.services
        mid = self.meeting_id

        def run() -> tuple[MeetingView | None, list[ClockEvent]]:
            call()
            view = services.projects.meeting(mid) if reload_meeting else None
            return view, services.meetings.events(mid)

        self.writes.submit(run, self._clock_changed, self.samverkan.show_error)

    def _clock_changed(self, result: tuple[MeetingView | None, list[ClockEvent]]) -> None:
        view, events = result
        if view is not None:
            self.meeting = view
        self.events = events
        self._tick()
        self._apply_filter()
        self._refresh_all()

    def action_start_pause(self) -> None:
        if self.meeting is None or self.meeting.summary.status == MeetingStatus.CLOSED:
            return
        meetings, mid = self.samverkan.services.meetings, self.meeting_id
        if not self.state.running:
            self._queue_clock(lambda: meetings.start(mid), reload_meeting=True)
        elif self.state.paused:
            self._queue_clock(lambda: meetings.resume(mid))
        else:
            self._queue_clock(lambda: meetings.pause(mid))

    def action_phase(self, step: int) -> None:
        if self.meeting is None or not self.state.running or self.state.closed:
            self.notify(
                _("Start the meeting first ({key}).").format(key=key_name(self.app, "start-pause")),
                severity="warning",
            )
            return
        meetings, mid = self.samverkan.services.meetings, self.meeting_id

        def move() -> None:
            # A new phase starts with the floor free and the whole group as speaker.
            meetings.go_to_phase(mid, step)
            meetings.give_floor(mid, None)

        self.speaker = None
        self._paint_composer()
        self._queue_clock(move, reload_meeting=True)

    def action_cover_prompt(self) -> None:
        """The prompt the facilitator is on is covered: tick it and mark the next one."""
        phase = self.meeting.phase(self.state.phase_id) if self.meeting else None
        if phase is None or self._read_only():
            return
        if phase.next_prompt() is None:
            message = _("Every question of this phase is covered.") if phase.prompts else ""
            self.notify(message or _("This phase has no questions."))
            return
        meetings, phase_id = self.samverkan.services.meetings, phase.id
        self._queue_clock(lambda: meetings.cover_prompt(phase_id), reload_meeting=True)

    def action_floor(self, index: int) -> None:
        if self.meeting is None or index >= len(self.meeting.organisations):
            return
        org = self.meeting.organisations[index]
        self.speaker = org
        self._paint_composer()
        if not self.state.running or self.state.closed:
            return
        target = None if self.state.floor == org.id else org.id
        meetings, mid = self.samverkan.services.meetings, self.meeting_id
        self._queue_clock(lambda: meetings.give_floor(mid, target))

    # ------------------------------------------------------------ filters

    def action_filter_org(self) -> None:
        if self.meeting is None:
            return
        keys = "123456789abcdefghijklmnopqrstuvwxyz"
        choices = [Choice("0", _("all organisations"), None)] + [
            Choice(keys[i], org.short, org.id) for i, org in enumerate(self.meeting.organisations)
        ]

        def chosen(choice: Choice | None) -> None:
            if choice is not None:
                self.org_filter = choice.value
                self._apply_filter()

        ask_one_key(self, _("Show the notes of"), choices, chosen)

    def action_filter_kind(self) -> None:
        choices = [Choice("0", _("all kinds"), None)] + [
            Choice(key, kind_label(kind), str(kind)) for kind, key in KIND_KEYS.items()
        ]

        def chosen(choice: Choice | None) -> None:
            if choice is not None:
                self.kind_filter = NoteKind(choice.value) if choice.value else None
                self._apply_filter()

        ask_one_key(self, _("Show only"), choices, chosen)

    def action_toggle_phases(self) -> None:
        self.all_phases = not self.all_phases
        self._apply_filter()
        self.notify(
            _("Showing all phases.") if self.all_phases else _("Showing the current phase.")
        )

    # ------------------------------------------------------------ the selected note

    def _selected(self) -> NoteView | None:
        note: NoteView | None = self.query_one("#notes", NoteStream).highlighted_note
        return note

    def action_to_notes(self) -> None:
        stream = self.query_one("#notes", NoteStream)
        if stream.notes:
            stream.focus()

    def action_to_input(self) -> None:
        self.query_one("#note-input", Input).focus()

    def action_delete_note(self) -> None:
        note = self._selected()
        if note is None or self._read_only() or self.writes is None:
            return
        notes = self.samverkan.services.notes
        self.writes.submit(
            lambda: notes.delete(note.id),
            lambda saved: self._saved(saved, (saved.id, saved.revision - 1)),
            self.samverkan.show_error,
        )
        self.notify(_("Note deleted; {key} brings it back.").format(key=key_name(self.app, "undo")))

    def action_change_kind(self) -> None:
        """Make the selected note a decision, an action item …; ctrl+z changes it back."""
        note = self._selected()
        if note is None or self._read_only() or self.writes is None:
            return
        if note.kind == NoteKind.OBSERVATION:
            self.notify(_("An observation is the observer's; its kind stays."), severity="warning")
            return
        choices = [
            Choice(key, kind_label(kind), str(kind))
            for kind, key in KIND_KEYS.items()
            if kind not in (NoteKind.OBSERVATION, note.kind)
        ]
        notes, writes = self.samverkan.services.notes, self.writes

        def chosen(choice: Choice | None) -> None:
            if choice is None or not choice.value:
                return
            kind = NoteKind(choice.value)
            writes.submit(
                lambda: notes.edit(note.id, kind=kind),
                lambda saved: self._saved(saved, (saved.id, saved.revision - 1)),
                self.samverkan.show_error,
            )

        ask_one_key(self, _("Make this note a"), choices, chosen)

    def action_toggle_done(self) -> None:
        note = self._selected()
        if note is None or self.writes is None:
            return
        if note.kind != NoteKind.ACTION:
            self.notify(_("Only an action item can be ticked done."), severity="warning")
            return
        notes = self.samverkan.services.notes
        # Flipped in the transaction, from what is stored: pressing x twice on a
        # busy database ticks and unticks, whatever the screen showed meanwhile.
        self.writes.submit(
            lambda: notes.toggle_done(note.id),
            lambda saved: self._saved(saved, (saved.id, saved.revision - 1)),
            self.samverkan.show_error,
        )

    def action_undo(self) -> None:
        if self._read_only():
            return
        if self.writes is not None and not self.writes.idle():
            # The change to undo may still be on its way to the disk.
            self.notify(
                _("Still saving; press {key} again in a moment.").format(
                    key=key_name(self.app, "undo")
                ),
                severity="warning",
            )
            return
        if not self.undo_stack or self.writes is None:
            self.notify(_("Nothing to undo."))
            return
        note_id, revision = self.undo_stack.pop()
        notes = self.samverkan.services.notes
        run = (
            (lambda: notes.delete(note_id))
            if revision is None
            else (lambda: notes.restore(note_id, revision))
        )
        self.writes.submit(run, lambda saved: self._saved(saved, None), self.samverkan.show_error)

    def _read_only(self) -> bool:
        if self.meeting is not None and self.meeting.summary.status == MeetingStatus.CLOSED:
            self.notify(
                _("The meeting is closed; {key} reopens it.").format(
                    key=key_name(self.app, "reopen")
                ),
                severity="warning",
            )
            return True
        return False
