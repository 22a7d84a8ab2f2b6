"""The facilitator's screen: run the meeting by keyboard while talking to the room.

The note input always has the focus and the keys that steer the meeting are
ones that type nothing (ctrl and function keys), so a facilitator can never
move a phase by typing a note. Every write goes through the ordered
:class:`WriteQueue`; the input is cleared at once and refilled if the write
fails, so typing never waits for the disk and nothing typed is lost.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Static

from samverkan.domain.clock import ClockEvent, ClockState, replay
from samverkan.domain.errors import problem_sentence
from samverkan.domain.model import (
    MeetingStatus,
    MeetingView,
    NoteKind,
    NoteView,
    OrganisationView,
    PhaseKind,
)
from samverkan.i18n import _
from samverkan.services.observation_live import Changes
from samverkan.ui import heap
from samverkan.ui.meeting.agenda_pane import AgendaPane
from samverkan.ui.meeting.composer import Composer, placeholder
from samverkan.ui.meeting.help_text import meeting_help
from samverkan.ui.meeting.keys import BROWSE_BINDINGS, MEETING_BINDINGS, key_name, remapped
from samverkan.ui.meeting.live import MeetingLive
from samverkan.ui.meeting.note_input import NoteInput
from samverkan.ui.meeting.note_list import (
    MeetingNoteStream,
    format_note,
    note_detail,
    view_filter_text,
)
from samverkan.ui.meeting.side_panel import SidePanel
from samverkan.ui.meeting.writer import WriteQueue
from samverkan.ui.widgets.key_footer import KeyFooter
from samverkan.ui.widgets.note_stream import NoteStream
from samverkan.ui.widgets.participation import ParticipationPanel, RemarkCounts
from samverkan.ui.widgets.phase_bar import WARN_AT, PhaseBar

# Notes read before the screen first shows: the newest of the phase (see load).
FIRST_NOTES = 500


class MeetingScreen(MeetingLive):
    CSS_PATH = "screen.tcss"
    BINDINGS = MEETING_BINDINGS

    def __init__(self, meeting_id: str) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.meeting: MeetingView | None = None
        self.notes: dict[str, NoteView] = {}
        self.counts = RemarkCounts()
        self.events: list[ClockEvent] = []
        self.state = ClockState()
        self.speaker: OrganisationView | None = None
        self.kind = NoteKind.NOTE
        self.editing: NoteView | None = None
        self.all_phases = False
        self.org_filter: str | None = None
        self.kind_filter: NoteKind | None = None
        # (note id, revision to go back to); an added note goes back to "deleted".
        self.undo_stack: list[tuple[str, int | None]] = []
        self.writes: WriteQueue | None = None
        self._detail_shown = Text()
        self._filter_shown = ""
        self._rung: set[tuple[str, float]] = set()  # (phase, share) the bell rang for
        self._first: frozenset[str] = frozenset()  # the notes of a first, partial read

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield PhaseBar(id="phase-bar")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield AgendaPane(id="prompts")
                yield Static("", id="view-filter")
                yield MeetingNoteStream(
                    self._format_note, id="notes", empty_text=_("No notes yet in this phase.")
                )
                yield Static("", id="note-detail")
            yield SidePanel(id="side")
        yield Composer(id="composer")
        yield KeyFooter()

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()

        def post(callback: Callable[[], None]) -> None:
            # Results come back without the writer waiting for the UI (see writer.py).
            loop.call_soon_threadsafe(callback)

        self.writes = WriteQueue(post, self.samverkan.recovery(), self._write_status)
        # From the start, not only when leaving: quitting asks while notes wait.
        self.samverkan.adopt_writes(self.writes)
        note_input = self.query_one("#note-input", NoteInput)
        note_input.keys = self.note_keys()
        self._set_browse_keys()
        note_input.focus()
        self.set_interval(1.0, self._tick)
        self.start_live()
        self.load()

    def on_unmount(self) -> None:
        heap.release()
        self.stop_live()
        # Leaving never waits for the disk: the app finishes queued writes before it exits.
        if self.writes is not None:
            self.samverkan.adopt_writes(self.writes, released=True)

    @work(thread=True, exclusive=True, group="meeting-load")
    def load(self) -> None:
        services = self.samverkan.services
        try:
            meeting = services.projects.meeting(self.meeting_id)
            # The newest notes of the phase first (a 20,000-note meeting opens as fast as
            # a small one) and, in the same read, where the live room starts following.
            changes = self.live_changes(None, first=FIRST_NOTES)
            events = services.meetings.events(self.meeting_id)
        except Exception as exc:  # one sentence, never a traceback
            self.app.call_from_thread(self.samverkan.show_error, problem_sentence(exc))
            return
        self.app.call_from_thread(self._loaded, meeting, changes, events)

    @work(thread=True, exclusive=True, group="meeting-rest")
    def _load_rest(self) -> None:
        """Every note, once the first ones are on screen (reading sooner would hold the
        interpreter while they are painted)."""
        try:
            rest = self.live_changes(None)
        except Exception as exc:  # one sentence, never a traceback
            self.app.call_from_thread(self.samverkan.show_error, problem_sentence(exc))
            return
        self.app.call_from_thread(self._loaded_rest, rest)

    def _loaded_rest(self, changes: Changes) -> None:
        """Every note; what this screen wrote meanwhile stays, and polling starts here."""
        if not self.is_mounted:
            return
        known = {n.id for n in changes.notes}
        # Kept: what this screen wrote meanwhile (some still on their way to the disk).
        # A note of the first read that the full one lacks was deleted elsewhere.
        notes = [
            *changes.notes,
            *(n for n in self.notes.values() if n.id not in known and n.id not in self._first),
        ]
        self._first = frozenset()
        notes.sort(key=lambda n: (n.created_at, n.id))
        self._live_cursor = changes.cursor
        self.notes = {n.id: n for n in notes}
        self.counts = RemarkCounts(notes)
        self.query_one("#notes", NoteStream).set_notes(notes)
        self._apply_filter()
        self._paint_live()
        heap.hold()  # the whole meeting is in: out of full collections while it is open

    def _loaded(self, meeting: MeetingView, changes: Changes, events: list[ClockEvent]) -> None:
        notes = list(changes.notes)
        self.live_started(changes)
        if not changes.complete:
            self._live_cursor = None  # the rest first, then polling from its cursor
            self._first = frozenset(n.id for n in notes)
            self.call_after_refresh(self._load_rest)
        self.meeting = meeting
        self.notes = {n.id: n for n in notes}
        self.counts = RemarkCounts(notes)
        self.events = events
        self.title = f"{meeting.summary.ref} · {meeting.summary.title}"
        self.sub_title = meeting.project.name
        self.state = replay(events, self.samverkan.clock())
        if self.speaker is None and self.state.floor:
            self.speaker = meeting.organisation(self.state.floor)
        if meeting.summary.status == MeetingStatus.CLOSED:
            self.all_phases = True  # reading a past meeting: all of it
        stream = self.query_one("#notes", NoteStream)
        stream.set_notes(notes)
        self._apply_filter()
        self._refresh_all()
        if changes.complete:
            heap.hold()

    # Keys that steer a running meeting are hidden while it is closed.
    _RUNNING_ONLY = frozenset(
        {
            "start_pause",
            "phase",
            "pick_speaker",
            "pick_kind",
            "floor",
            "undo",
            "edit_note",
            "cover_prompt",
            # The list's Esc: with no line to write in, Esc leaves the meeting instead.
            "to_input",
        }
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        closed = self.meeting is not None and self.meeting.summary.status == MeetingStatus.CLOSED
        if action == "close_meeting":
            return not closed
        if action == "reopen_meeting":
            return closed
        return not (closed and action in self._RUNNING_ONLY)

    def help_bindings(self) -> list[Binding]:
        """The keys for the selected note while browsing (read by the note line itself)."""
        if self.meeting is None or self.meeting.summary.status == MeetingStatus.CLOSED:
            return []  # closed, the list has the focus and its own keys
        keymap = self.app._keymap
        # One row a key, as Textual's own bindings are shown (not "delete,backspace").
        return list(Binding.make_bindings(remapped(binding, keymap) for binding in BROWSE_BINDINGS))

    def describe_binding(self, binding: Binding) -> str:
        """The help names the floor keys by organisation, not by number."""
        if self.meeting is not None and (binding.id or "").startswith("floor-"):
            index = int((binding.id or "").removeprefix("floor-")) - 1
            if index >= len(self.meeting.organisations):
                return ""  # no organisation for this key: not worth a line
            org = self.meeting.organisations[index]
            return str(_("Floor to {org}").format(org=org.name))
        return str(binding.description)

    # ------------------------------------------------------------ painting

    def _tick(self) -> None:
        self.samverkan.tidy_heap()
        if self.meeting is None:
            return
        self.state = replay(self.events, self.samverkan.clock())
        self._paint_clock()
        self._ring_at_limits()

    def _ring_at_limits(self) -> None:
        """The terminal bell, once at 80 % of the timebox and once at its end (if enabled)."""
        phase = self.meeting.phase(self.state.phase_id) if self.meeting else None
        if phase is None or not phase.planned_minutes or not self.state.ticking:
            return
        share = self.state.phase_elapsed(phase.id) / (phase.planned_minutes * 60)
        for limit in (WARN_AT, 1.0):
            if share >= limit and (phase.id, limit) not in self._rung:
                self._rung.add((phase.id, limit))
                if self.samverkan.bell_enabled:
                    self.app.bell()

    def _paint_clock(self) -> None:
        if self.meeting is None:
            return
        closed = self.meeting.summary.status == MeetingStatus.CLOSED
        self.query_one("#phase-bar", PhaseBar).show(
            self.meeting.phases, self.state, closed=closed, now=self.samverkan.clock()
        )
        self.query_one("#side", SidePanel).show_participation(self.meeting, self.counts, self.state)

    def _refresh_all(self) -> None:
        if self.meeting is None:
            return
        self._paint_clock()
        phase = self.meeting.phase(self.state.phase_id)
        self.query_one("#prompts", AgendaPane).show(phase)
        self._paint_composer()
        self._paint_side_extra(phase.kind if phase else None)
        closed = self.meeting.summary.status == MeetingStatus.CLOSED
        note_input = self.query_one("#note-input", NoteInput)
        if note_input.disabled != closed:
            self.refresh_bindings()  # the Footer recomposes: only when it changes
        was_disabled = note_input.disabled
        note_input.disabled = closed
        if closed:
            note_input.browsing = False  # reopened, the line starts in writing
        # Open, the list is browsed from the note line (↑), where every key keeps its
        # order; it takes the focus itself only when nothing can be typed.
        notes = self.query_one("#notes", NoteStream)
        notes.can_focus = closed
        if closed and self.focused is None:
            # Disabling the note line blurred it and Textual moves the focus nowhere:
            # ↓ did nothing and the help listed the note line's keys, or the list's
            # when a later focus reset happened to come first.
            notes.focus()
        note_input.placeholder = (
            _("The meeting is closed; {key} reopens it").format(key=key_name(self.app, "reopen"))
            if closed
            else placeholder()
        )
        if was_disabled and not closed:
            note_input.focus()

    def _paint_side_extra(self, kind: PhaseKind | None) -> None:
        self.query_one("#side", SidePanel).show_extra(
            self.meeting, self.notes.values(), self.counts, self.state, kind
        )

    def _format_note(self, note: NoteView) -> Text:
        return format_note(self.meeting, note, self.samverkan.clock().astimezone().date())

    def help_text(self) -> str:
        """Shown under the keys in the help: how a typed line becomes a note."""
        return meeting_help(self.app)

    def action_agenda_page(self, direction: int) -> None:
        self.query_one("#prompts", AgendaPane).page(direction)

    def palette_commands(self) -> list[tuple[str, str, str]]:
        """The floor keys by organisation name, for the command palette."""
        if self.meeting is None:
            return []
        return [
            (
                _("Give the floor to {org}").format(org=org.name),
                f"floor({index})",
                _("Also makes {short} the speaker of the next notes").format(short=org.short),
            )
            for index, org in enumerate(self.meeting.organisations)
        ]

    @on(ParticipationPanel.Clicked)
    def _floor_clicked(self, event: ParticipationPanel.Clicked) -> None:
        self.action_floor(event.index)

    @on(NoteStream.Highlighted, "#notes")
    def _show_detail(self, event: NoteStream.Highlighted) -> None:
        self._paint_detail(event.note)

    def _paint_detail(self, note: NoteView | None) -> None:
        if self.query_one("#note-input", NoteInput).question is not None:
            return  # the question stays in view until a key answers it
        content = note_detail(self.meeting, note) if note and self.meeting else Text()
        self._show_detail_text(content)

    def show_question(self, text: Text | None) -> None:
        if text is not None:
            self._show_detail_text(text)
        else:
            self._paint_detail(self.query_one("#notes", NoteStream).highlighted_note)

    def _show_detail_text(self, content: Text) -> None:
        """The pane has a fixed height: a new text never needs the screen laid out again."""
        if content == self._detail_shown:
            return
        self._detail_shown = content
        self.query_one("#note-detail", Static).update(content, layout=False)

    def _apply_filter(self) -> None:
        phase_id = self.state.phase_id

        def visible(note: NoteView) -> bool:
            if not self.all_phases and phase_id is not None and note.phase_id != phase_id:
                return False
            if self.org_filter is not None and note.organisation_id != self.org_filter:
                return False
            return self.kind_filter is None or note.kind == self.kind_filter

        self.query_one("#notes", NoteStream).set_filter(visible)
        self._paint_view_filter()

    def _paint_view_filter(self) -> None:
        """What the list leaves out, in words, as long as it does (not only in a toast)."""
        shown = view_filter_text(self.meeting, self.all_phases, self.org_filter, self.kind_filter)
        if shown.plain == self._filter_shown:
            return  # unchanged: no layout
        self._filter_shown = shown.plain
        label = self.query_one("#view-filter", Static)
        label.update(shown)
        label.display = bool(shown.plain)

    # ------------------------------------------------------------ saved notes

    def _saved(self, note: NoteView, undo: tuple[str, int | None] | None) -> None:
        if not self.is_mounted:
            return  # written; the screen was closed meanwhile
        if undo is not None:
            self.undo_stack.append(undo)
        self._show_note(note)

    def _show_note(self, note: NoteView) -> None:
        stream = self.query_one("#notes", NoteStream)
        self.counts.put(note)
        if note.deleted:
            self.notes.pop(note.id, None)
            stream.remove_note(note.id)
        else:
            self.notes[note.id] = note
            stream.upsert(note)
        self._paint_clock()
        self._paint_side_extra(self._phase_kind())

    def _paint_live(self) -> None:
        """Other processes' notes and tags arrived: counts, tally, the selected note."""
        self._paint_clock()
        self._paint_side_extra(self._phase_kind())
        self._paint_detail(self.query_one("#notes", NoteStream).highlighted_note)

    def _phase_kind(self) -> PhaseKind | None:
        phase = self.meeting.phase(self.state.phase_id) if self.meeting else None
        return phase.kind if phase else None
