"""The facilitator's screen: run the meeting by keyboard while talking to the room.

The note input always has the focus and the keys that steer the meeting are
ones that type nothing (ctrl and function keys), so a facilitator can never
move a phase by typing a note. Every write goes through the ordered
:class:`WriteQueue`; the input is cleared at once and refilled if the write
fails, so typing never waits for the disk and nothing typed is lost.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, Input, Static

from samverkan.domain.clock import ClockEvent, ClockState, format_duration, replay
from samverkan.domain.errors import problem_sentence
from samverkan.domain.labels import kind_label
from samverkan.domain.model import (
    MeetingStatus,
    MeetingView,
    NoteKind,
    NoteView,
    OrganisationView,
    PhaseKind,
)
from samverkan.domain.note_input import (
    ParsedNote,
    apply_completion,
    complete_mention,
    parse_note,
)
from samverkan.i18n import _, ngettext
from samverkan.services import NoteDraft
from samverkan.ui.meeting.actions import MeetingActions, MeetingNoteStream
from samverkan.ui.meeting.writer import WriteQueue
from samverkan.ui.widgets.note_stream import NoteStream
from samverkan.ui.widgets.participation import ParticipationPanel, RemarkCounts
from samverkan.ui.widgets.phase_bar import PhaseBar

if TYPE_CHECKING:
    pass

# Signs, not letters: the same in the Swedish and the English interface.
KIND_MARKS = {
    NoteKind.NOTE: ("·", "dim"),
    NoteKind.DECISION: ("§", "bold green"),
    NoteKind.ACTION: ("»", "bold magenta"),
    NoteKind.QUESTION: ("?", "bold cyan"),
    NoteKind.QUOTE: ("”", "italic"),
    NoteKind.OBSERVATION: ("◎", "bold blue"),
}


def _floor_bindings() -> list[Binding]:
    return [
        Binding(
            f"f{n + 2}",
            f"floor({n})",
            _("Floor to organisation {n}").format(n=n + 1),
            show=False,
            tooltip=_("Give the floor to this organisation and make it the speaker"),
            id=f"floor-{n + 1}",
        )
        for n in range(8)
    ]


class MeetingScreen(MeetingActions):
    CSS_PATH = "screen.tcss"
    BINDINGS = [
        Binding(
            "ctrl+s",
            "start_pause",
            _("Start/pause"),
            tooltip=_("Start, pause or resume the meeting clock"),
            id="start-pause",
        ),
        Binding(
            "ctrl+n",
            "phase(1)",
            _("Next phase"),
            tooltip=_("Move to the next phase"),
            id="next-phase",
        ),
        Binding(
            "ctrl+b",
            "phase(-1)",
            _("Prev. phase"),
            tooltip=_("Move back to the previous phase"),
            id="prev-phase",
        ),
        Binding(
            "ctrl+o",
            "pick_speaker",
            _("Speaker"),
            tooltip=_("Choose the speaking organisation (then one key)"),
            id="speaker",
        ),
        Binding(
            "ctrl+t",
            "pick_kind",
            _("Kind"),
            tooltip=_("Choose the kind of the next note (then one key)"),
            id="kind",
        ),
        Binding(
            "ctrl+z",
            "undo",
            _("Undo"),
            tooltip=_("Undo the last add, edit, delete or tick"),
            id="undo",
        ),
        Binding(
            "up",
            "to_notes",
            _("Notes"),
            show=False,
            tooltip=_("Move from the input to the notes"),
            id="to-notes",
        ),
        Binding(
            "ctrl+g",
            "setup",
            _("Attendance"),
            tooltip=_("Attendance, agenda and open action items"),
            id="setup",
        ),
        Binding(
            "f10",
            "close_meeting",
            _("Close meeting"),
            tooltip=_("Close the meeting (or reopen a closed one)"),
            id="close",
        ),
        Binding(
            "f12",
            "minutes",
            _("Minutes"),
            show=False,
            tooltip=_("Preview and save the minutes"),
            id="minutes",
        ),
        Binding(
            "ctrl+a",
            "toggle_phases",
            _("All phases"),
            show=False,
            tooltip=_("Show the notes of all phases or only the current one"),
            id="all-phases",
        ),
        Binding(
            "escape",
            "back",
            _("Back"),
            show=False,
            tooltip=_("Cancel editing, or leave the meeting"),
            id="back",
        ),
        *_floor_bindings(),
    ]

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

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield PhaseBar(id="phase-bar")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield Static("", id="prompts")
                yield MeetingNoteStream(
                    self._format_note, id="notes", empty_text=_("No notes yet in this phase.")
                )
                yield Static("", id="note-detail")
            with VerticalScroll(id="side"):
                yield ParticipationPanel(id="participation")
                yield Static("", id="side-extra")
        with Horizontal(id="composer"):
            yield Static("", id="composer-label")
            yield Input(
                id="note-input",
                placeholder=self._placeholder(),
                # Editing puts the note's text here: selecting it all would let the
                # first key typed replace it.
                select_on_focus=False,
            )
        yield Footer()

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()

        def post(callback: Callable[[], None]) -> None:
            # Results come back without the writer waiting for the UI (see writer.py).
            loop.call_soon_threadsafe(callback)

        self.writes = WriteQueue(post)
        self.query_one("#note-input", Input).focus()
        self.set_interval(1.0, self._tick)
        self.load()

    def on_unmount(self) -> None:
        # Leaving never waits for the disk: the app finishes queued writes before it exits.
        if self.writes is not None:
            self.samverkan.adopt_writes(self.writes)

    @work(thread=True, exclusive=True, group="meeting-load")
    def load(self) -> None:
        services = self.samverkan.services
        try:
            meeting = services.projects.meeting(self.meeting_id)
            notes = services.notes.notes(self.meeting_id)
            events = services.meetings.events(self.meeting_id)
        except Exception as exc:  # one sentence, never a traceback
            self.app.call_from_thread(self.samverkan.show_error, problem_sentence(exc))
            return
        self.app.call_from_thread(self._loaded, meeting, notes, events)

    def _loaded(
        self, meeting: MeetingView, notes: list[NoteView], events: list[ClockEvent]
    ) -> None:
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
        # Thousands of loaded notes need no collecting: moving them out of the
        # collector's sight spares the typing the 100 ms pauses of full collections.
        gc.freeze()

    @staticmethod
    def _placeholder() -> str:
        return _("Type a note, Enter saves · @ORG speaker · b: decision · a: action")

    # Keys that steer a running meeting are hidden while it is closed.
    _RUNNING_ONLY = frozenset(
        {"start_pause", "phase", "pick_speaker", "pick_kind", "floor", "undo", "edit_note"}
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        closed = self.meeting is not None and self.meeting.summary.status == MeetingStatus.CLOSED
        return not (closed and action in self._RUNNING_ONLY)

    # ------------------------------------------------------------ painting

    def _tick(self) -> None:
        if self.meeting is None:
            return
        self.state = replay(self.events, self.samverkan.clock())
        self._paint_clock()

    def _paint_clock(self) -> None:
        if self.meeting is None:
            return
        closed = self.meeting.summary.status == MeetingStatus.CLOSED
        self.query_one("#phase-bar", PhaseBar).show(self.meeting.phases, self.state, closed=closed)
        self.query_one("#participation", ParticipationPanel).show(
            self.meeting.organisations, self.counts, self.state
        )

    def _refresh_all(self) -> None:
        if self.meeting is None:
            return
        self._paint_clock()
        phase = self.meeting.phase(self.state.phase_id)
        prompts = self.query_one("#prompts", Static)
        if phase and (phase.prompts or phase.script):
            body = Text()
            if phase.script:
                body.append(phase.script.split("\n\n")[0] + "\n", style="italic dim")
            for prompt in phase.prompts:
                body.append("• " + prompt + "\n")
            prompts.update(body)
            prompts.display = True
        else:
            prompts.display = False
        self._paint_composer()
        self._paint_side_extra(phase.kind if phase else None)
        closed = self.meeting.summary.status == MeetingStatus.CLOSED
        note_input = self.query_one("#note-input", Input)
        if note_input.disabled != closed:
            self.refresh_bindings()  # the Footer recomposes: only when it changes
        was_disabled = note_input.disabled
        note_input.disabled = closed
        note_input.placeholder = (
            _("The meeting is closed; F10 reopens it") if closed else self._placeholder()
        )
        if was_disabled and not closed:
            note_input.focus()

    def _paint_side_extra(self, kind: PhaseKind | None) -> None:
        extra = self.query_one("#side-extra", Static)
        if self.meeting is None or kind != PhaseKind.OBSERVATION or self.state.closed:
            extra.update(self._decisions_and_actions())
            return
        from samverkan.domain.tally import tally

        seen = tally(self.notes.values(), self.meeting.codes)
        text = Text(_("Observed so far") + "\n", style="bold")
        for dimension in seen:
            text.append(dimension.dimension + "\n", style="underline")
            for polarity in dimension.polarities:
                for code in polarity.codes[:5]:
                    text.append(f" {code.count:>3} {code.code.label}\n")
        extra.update(text if seen else Text(_("No tags yet."), style="dim"))

    def _decisions_and_actions(self) -> Text:
        kinds = self.counts.kinds
        text = Text()
        text.append(_("Decisions: {n}").format(n=kinds[NoteKind.DECISION]) + "\n", style="bold")
        text.append(
            ngettext(
                "Action items: {n} ({open} open)",
                "Action items: {n} ({open} open)",
                self.counts.open_actions,
            ).format(n=kinds[NoteKind.ACTION], open=self.counts.open_actions),
            style="bold",
        )
        return text

    def _paint_composer(self) -> None:
        label = Text()
        if self.editing is not None:
            label.append(" " + _("EDIT") + " ", style="bold black on yellow")
        who = self.speaker.short if self.speaker else _("group")
        label.append(f" {who} ", style="bold reverse")
        label.append(f" {kind_label(self.kind)} ", style="bold")
        self.query_one("#composer-label", Static).update(label)

    def _format_note(self, note: NoteView) -> Text:
        org = self.meeting.organisation(note.organisation_id) if self.meeting else None
        text = Text()
        text.append(f"{format_duration(note.offset_seconds):>7} ", style="dim")
        text.append(f"{(org.short if org else '—'):<4} ", style="bold")
        mark, style = KIND_MARKS.get(note.kind, ("·", "dim"))
        text.append(f"{mark} ", style=style)
        if note.kind == NoteKind.ACTION:
            text.append("☑ " if note.done else "☐ ", style="magenta")
        text.append(
            note.text.replace("\n", " ⏎ "), style="italic" if note.kind == NoteKind.QUOTE else ""
        )
        if note.tags:
            text.append("  #" + " #".join(sorted({t.slug for t in note.tags})), style="dim cyan")
        return text

    def help_text(self) -> str:
        """Shown under the keys in the help: how a typed line becomes a note."""
        return _(
            "**Writing notes.** Type and press Enter. `@SKE` first on the line sets the "
            "speaking organisation, which stays until changed (F2–F9 also give an "
            "organisation the floor). Start with `b:` for a decision, `a:` for an action "
            "item, `f:` for a question, `c:` (or quotation marks) for a verbatim quote. In an "
            "action item, `@AF` names the owner and a date such as `senast 2018-09-01`, "
            "`1/9`, `fredag` or `vecka 36` the due date. Tab completes a mention.\n\n"
            "**The notes.** ↑ moves into the notes: `e` edits, `d` deletes, `x` ticks an "
            "action item done, `o`/`k` filter by organisation or kind, `a` shows all phases, "
            "Esc returns to writing. ctrl+z undoes the last change."
        )

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
        detail = self.query_one("#note-detail", Static)
        if note is None or self.meeting is None:
            detail.update("")
            return
        org = self.meeting.organisation(note.organisation_id)
        # The note's own text first: the details may wrap, the words must show.
        info = Text(note.text.replace("\n", " ⏎ ") + "\n")
        info.append(f"{kind_label(note.kind)}", style="bold")
        speaker = org.short if org else _("the whole group")
        info.append(f" · {speaker} · {note.author}", style="dim")
        if note.kind == NoteKind.ACTION:
            owner = self.meeting.organisation(note.owner_organisation_id)
            info.append(" · " + _("owner: {owner}").format(owner=owner.short if owner else "—"))
            if note.due:
                info.append(" · " + _("due {date}").format(date=note.due.isoformat()))
            info.append(" · " + (_("done") if note.done else _("open")))
        detail.update(info)

    def _apply_filter(self) -> None:
        phase_id = self.state.phase_id

        def visible(note: NoteView) -> bool:
            if not self.all_phases and phase_id is not None and note.phase_id != phase_id:
                return False
            if self.org_filter is not None and note.organisation_id != self.org_filter:
                return False
            return self.kind_filter is None or note.kind == self.kind_filter

        self.query_one("#notes", NoteStream).set_filter(visible)

    # ------------------------------------------------------------ writing notes

    @on(Input.Submitted, "#note-input")
    def _submit(self, event: Input.Submitted) -> None:
        if self.meeting is None or self.writes is None:
            return
        line = event.value
        if not line.strip():
            return
        parsed = parse_note(
            line,
            self.meeting.organisations,
            self.meeting.people,
            today=self.meeting.summary.date or self.samverkan.clock().date(),
            default_kind=self.kind,
        )
        if parsed.problems:
            self.samverkan.show_error(parsed.problems[0])
            return
        if parsed.speaker is not None:
            self.speaker = parsed.speaker
        kind = parsed.kind or self.kind
        editing, self.editing = self.editing, None
        # Queue the write before repainting anything: Enter → committed is the budget.
        if editing is not None:
            self._queue_edit(editing, parsed, kind, line)
        else:
            self._queue_add(parsed, kind, line)
        event.input.value = ""
        self.kind = NoteKind.NOTE
        self._paint_composer()

    def _queue_add(self, parsed: ParsedNote, kind: NoteKind, line: str) -> None:
        assert self.meeting is not None and self.writes is not None
        services = self.samverkan.services
        draft = NoteDraft(
            text=parsed.text,
            kind=kind,
            organisation_id=self.speaker.id if self.speaker else None,
            person_id=parsed.speaker_person.id if parsed.speaker_person else None,
            phase_id=self.state.phase_id,
            owner_organisation_id=parsed.owner_organisation.id
            if parsed.owner_organisation
            else None,
            owner_person_id=parsed.owner_person.id if parsed.owner_person else None,
            due=parsed.due,
        )
        author = self.meeting.project.facilitator or services.notes.author
        mid = self.meeting_id
        self.writes.now_or_queue(
            lambda: services.notes.add(mid, draft, author=author, wait=False),
            lambda: services.notes.add(mid, draft, author=author),
            lambda note: self._saved(note, (note.id, None)),
            lambda message: self._failed(message, line),
        )

    def _queue_edit(self, editing: NoteView, parsed: ParsedNote, kind: NoteKind, line: str) -> None:
        assert self.writes is not None
        services = self.samverkan.services
        changes: dict[str, object] = {"text": parsed.text, "kind": kind}
        if parsed.speaker is not None:
            changes["organisation_id"] = parsed.speaker.id
        if kind == NoteKind.ACTION:
            if parsed.owner_organisation is not None:
                changes["owner_organisation_id"] = parsed.owner_organisation.id
            if parsed.owner_person is not None:
                changes["owner_person_id"] = parsed.owner_person.id
            if parsed.due is not None:
                changes["due"] = parsed.due
        self.writes.submit(
            lambda: services.notes.edit(editing.id, **changes),
            lambda note: self._saved(note, (note.id, note.revision - 1)),
            lambda message: self._failed(message, line, editing),
        )

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

    def _phase_kind(self) -> PhaseKind | None:
        phase = self.meeting.phase(self.state.phase_id) if self.meeting else None
        return phase.kind if phase else None

    def _failed(self, message: str, line: str, editing: NoteView | None = None) -> None:
        if not self.is_mounted:
            self.samverkan.show_error(
                _("“{text}” was not saved: {problem}").format(text=line, problem=message)
            )
            return
        if editing is not None and self.editing is None:
            self.editing = editing  # Enter again retries the edit, not a new note
            self._paint_composer()
        note_input = self.query_one("#note-input", Input)
        typed_since = note_input.value
        note_input.value = line + (" " + typed_since if typed_since else "")
        note_input.cursor_position = len(line)
        self.samverkan.show_error(message)

    @on(Input.Changed, "#note-input")
    def _complete(self, event: Input.Changed) -> None:
        if self.meeting is None:
            return
        candidates = (
            complete_mention(
                event.value,
                event.input.cursor_position,
                self.meeting.organisations,
                self.meeting.people,
            )
            if "@" in event.value
            else []
        )
        if candidates:
            self.query_one("#note-detail", Static).update(
                Text(_("Tab completes: ") + "  ".join(candidates[:8]), style="dim")
            )
        else:  # back to the selected note once nothing is being completed
            self._paint_detail(self.query_one("#notes", NoteStream).highlighted_note)

    def on_key(self, event: object) -> None:
        from textual import events

        if not isinstance(event, events.Key) or event.key != "tab" or self.meeting is None:
            return
        note_input = self.query_one("#note-input", Input)
        if not note_input.has_focus or "@" not in note_input.value:
            return
        value, cursor = note_input.value, note_input.cursor_position
        candidates = complete_mention(
            value, cursor, self.meeting.organisations, self.meeting.people
        )
        if not candidates:
            return
        note_input.value, note_input.cursor_position = apply_completion(
            value, cursor, candidates[0]
        )
        event.prevent_default()
        event.stop()
