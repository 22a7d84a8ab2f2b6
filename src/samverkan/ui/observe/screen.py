"""The observer's screen: follow the meeting live, tag remarks, write observations.

The notes arrive by polling (``app.poll_seconds``) in a thread worker; the
stream keeps its selection and scroll while they do. Every write goes through
one serial worker (:class:`~samverkan.ui.observe.base.ObserveBase`),
so a tag toggled twice lands in order; what failed is shown in one sentence
and what the observer typed stays in the input.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, Header, Input, Static

from samverkan.domain.errors import UserError
from samverkan.domain.model import MeetingStatus, NoteKind, NoteView, PhaseKind, TagView
from samverkan.domain.observing import CODE_KEYS, parse_observation
from samverkan.i18n import _, ngettext
from samverkan.services.notes import NoteDraft
from samverkan.services.observation_live import Changes
from samverkan.ui.observe.actions import ObserveActions
from samverkan.ui.observe.base import ObservationSuggester
from samverkan.ui.observe.codebook import CodebookPane
from samverkan.ui.observe.format import (
    NoteFormatter,
    note_details,
    same_observer,
    with_tag,
)
from samverkan.ui.widgets.key_footer import KeyFooter
from samverkan.ui.widgets.note_stream import NoteStream
from samverkan.ui.widgets.tally_view import TallyView

MARKS_DELAY = 0.08


class ObserveScreen(ObserveActions):
    CSS_PATH = "screen.tcss"

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        with Horizontal(id="observe-body"):
            with Vertical(id="observe-main"):
                yield Static("", id="observe-status")
                with ContentSwitcher(initial="observe-stream", id="observe-switch"):
                    yield NoteStream(
                        self._format,
                        empty_text=_("No notes yet."),
                        follow=False,
                        id="observe-stream",
                    )
                    yield TallyView(id="observe-tally")
                yield Static("", id="observe-detail")
                yield Input(
                    placeholder=_("w: write an observation — @ORG text #code, Enter saves"),
                    id="observe-input",
                )
            yield CodebookPane(id="observe-codebook")
        yield KeyFooter()

    def _format(self, note: NoteView) -> Text:
        return self.formatter(note) if self.formatter else Text(note.text)

    # ------------------------------------------------------------ loaded and live

    def loaded(self, changes: Changes) -> None:
        assert self.meeting is not None
        self.query_one(CodebookPane).set_codes(self.meeting.codes)
        self.formatter = NoteFormatter(
            self.meeting, self.observer, self.query_one(CodebookPane).keys
        )
        input_box = self.query_one("#observe-input", Input)
        input_box.suggester = ObservationSuggester(self.meeting)
        self.title = _("Observing {ref}: {title}").format(
            ref=self.meeting.summary.ref, title=self.meeting.summary.title
        )
        self.sub_title = self.observer
        self.notes, self.untagged = {}, set()
        self.remember(changes.notes)
        stream = self.stream
        stream.set_notes(changes.notes)
        stream.action_jump(-1)
        stream.focus()
        # The new virtual size is laid out on the next refresh; scroll after it.
        self.call_after_refresh(stream.scroll_to_cursor)
        self.applied(changes, first=True)

    def applied(self, changes: Changes, *, first: bool = False) -> None:
        stream = self.stream
        if not first and (changes.notes or changes.removed):
            at_bottom = stream.scroll_offset.y >= stream.max_scroll_y
            # On the newest note: the selection follows the room to the next newest one.
            on_last = stream.cursor >= len(stream.notes) - 1
            newest = stream.notes[-1].id if stream.notes else None
            for note_id in changes.removed:
                self.forget(note_id)
                stream.remove_note(note_id)
            if len(changes.notes) > 20:
                self.remember(changes.notes)
                stream.set_notes(sorted(self.notes.values(), key=lambda n: (n.created_at, n.id)))
            else:
                for note in changes.notes:
                    self.remember((note,))
                    stream.upsert(note)
            stream.refresh_notes()
            if on_last and stream.notes and stream.notes[-1].id != newest:
                stream.move_to(len(stream.notes) - 1)
            elif at_bottom and stream.cursor >= 0:
                self.call_after_refresh(self._follow_tail)
        entering = changes.phase_id != self.phase_id
        closing = changes.status == MeetingStatus.CLOSED and self.status != changes.status
        self.phase_id, self.status = changes.phase_id, changes.status
        if closing and not first:
            self.notify(_("The facilitator has closed the meeting."), severity="warning")
        if entering and self.meeting is not None:
            phase = self.meeting.phase(changes.phase_id)
            if phase is not None and phase.kind == PhaseKind.OBSERVATION and not first:
                self.show_tally(True)
                self.notify(_("Observation phase: the tally is shown (t switches back)."))
        self.refresh_panes()

    def _follow_tail(self) -> None:
        """Show newly arrived notes while the selected one stays on screen."""
        stream = self.stream
        stream.scroll_to(y=min(stream.max_scroll_y, stream.cursor), animate=False)

    def show_note(self, note: NoteView) -> None:
        """Draw one note as it now is (after a write of ours)."""
        self.remember((note,))
        self.stream.upsert(note)
        self.stream.refresh_notes()
        self.refresh_panes()

    def refresh_panes(self) -> None:
        if self.meeting is None:
            return
        note = self.stream.highlighted_note
        details = note_details(note, self.meeting, self.observer)
        self.query_one("#observe-detail", Static).update(details, layout=False)
        # Redrawing the codebook costs a frame: wait until the cursor rests.
        if self._marks_timer is not None:
            self._marks_timer.stop()
        self._marks_timer = self.set_timer(MARKS_DELAY, self.refresh_marks)
        if self.query_one(ContentSwitcher).current == "observe-tally":
            self.schedule_tally()
        self.refresh_status()

    def refresh_marks(self) -> None:
        """✓ and • beside the codes the highlighted note carries."""
        note = self.stream.highlighted_note
        tags = note.tags if note else ()
        mine = frozenset(t.code_id for t in tags if same_observer(t.observer, self.observer))
        others = frozenset(t.code_id for t in tags) - mine
        self.query_one(CodebookPane).set_marks(mine, others)

    def refresh_status(self) -> None:
        assert self.meeting is not None
        phase = self.meeting.phase(self.phase_id)
        if self.status == MeetingStatus.CLOSED:
            room = _("■ meeting closed")
        elif phase is not None:
            room = _("room in: {phase}").format(phase=phase.title)
        else:
            room = _("not started")
        parts = [
            room,
            ngettext("{count} note", "{count} notes", len(self.notes)).format(
                count=len(self.notes)
            ),
            ngettext(
                "{count} untagged by you", "{count} untagged by you", len(self.untagged)
            ).format(count=len(self.untagged)),
        ]
        if self.filter.active:
            parts.append(_("filter: {what}").format(what=self.filter.describe(self.meeting)))
        if self.pending is not None:
            dimension = self.query_one(CodebookPane).keys.dimensions.get(self.pending, "")
            parts = [
                _("{key} {dimension}: now the code's key (Esc cancels)").format(
                    key=self.pending, dimension=dimension
                )
            ]
        elif self.live_problem:
            parts.append(self.live_problem)
        self.query_one("#observe-status", Static).update(" · ".join(parts), layout=False)

    @on(NoteStream.Highlighted, "#observe-stream")
    def _highlighted(self) -> None:
        self.refresh_panes()

    # ------------------------------------------------------------ tagging

    def on_key(self, event: events.Key) -> None:
        if isinstance(self.focused, Input) or self.meeting is None:
            return
        keys = self.query_one(CodebookPane).keys
        pressed = (event.character or "").casefold()
        if self.pending is not None and pressed and event.key != "escape":
            event.stop()
            event.prevent_default()
            dimension, self.pending = self.pending, None
            code = keys.code(dimension, pressed) if pressed in CODE_KEYS else None
            if code is None:
                self.notify(_("no code has the keys {keys}").format(keys=dimension + pressed))
            elif self.filter_by_code:
                self.filter_by_code = False
                self.set_filter(replace(self.filter, code_id=code.id))
            else:
                self.toggle(code.id, code.slug)
            self.refresh_status()
        elif pressed in keys.dimensions:
            event.stop()
            event.prevent_default()
            self.pending = pressed
            self.query_one(CodebookPane).show_dimension(pressed)
            self.refresh_status()

    @on(CodebookPane.Chosen)
    def _chosen(self, event: CodebookPane.Chosen) -> None:
        self.toggle(event.code.id, event.code.slug)
        pane = self.query_one(CodebookPane)
        if isinstance(self.focused, Input):
            pane.clear_search()
            self.stream.focus()

    def toggle(self, code_id: str, slug: str) -> None:
        note = self.stream.highlighted_note
        if note is None:
            self.notify(_("select a note first"), severity="warning")
            return
        on_now = any(
            t.code_id == code_id and same_observer(t.observer, self.observer) for t in note.tags
        )
        tag = TagView(code_id, slug, self.observer)
        self.show_note(with_tag(note, tag, not on_now))
        services = self.samverkan.services

        def run() -> NoteView:
            services.tags.set(note.id, code_id, self.observer, not on_now)
            return services.notes.note(note.id)

        def failed(message: str) -> None:
            self.show_note(note)
            self.samverkan.show_error(message)

        self.write(run, self.show_note, failed)

    # ------------------------------------------------------------ own observations

    @on(Input.Submitted, "#observe-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        assert self.meeting is not None
        line = event.value
        if not line.strip():
            self.stream.focus()
            return
        try:
            parsed = parse_observation(line, self.meeting.organisations, self.meeting.codes)
        except UserError as exc:
            self.samverkan.show_error(str(exc))
            return
        draft = NoteDraft(
            parsed.text,
            kind=NoteKind.OBSERVATION,
            organisation_id=parsed.organisation_id,
            phase_id=self.phase_id,
        )
        service, meeting_id = self.observations, self.meeting_id
        input_box = event.input

        def done(note: NoteView) -> None:
            self.show_note(note)
            if input_box.value == line:
                input_box.value = ""

        self.write(
            lambda: service.add_observation(meeting_id, draft, self.observer, parsed.code_ids),
            done,
            self.samverkan.show_error,
        )
