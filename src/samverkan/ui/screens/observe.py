"""The observer's screen: follow the meeting live, tag remarks, write observations.

The notes arrive by polling (``app.poll_seconds``) in a thread worker; the
stream keeps its selection and scroll while they do. Every write goes through
one serial worker (:class:`~samverkan.ui.screens.observe_base.ObserveBase`),
so a tag toggled twice lands in order; what failed is shown in one sentence
and what the observer typed stays in the input.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, Footer, Header, Input, Static

from samverkan.domain.errors import UserError
from samverkan.domain.model import NoteKind, NoteView, PhaseKind, TagView
from samverkan.domain.observing import CODE_KEYS, complete_observation, parse_observation
from samverkan.domain.tally import tally
from samverkan.i18n import _
from samverkan.services.notes import NoteDraft
from samverkan.services.observation_live import Changes
from samverkan.ui.dialogs.picker import Choice, PickerDialog
from samverkan.ui.screens.observe_base import ObserveBase, ObservationSuggester
from samverkan.ui.screens.observe_codebook import CodebookPane
from samverkan.ui.screens.observe_format import (
    WHOLE_GROUP,
    NoteFilter,
    NoteFormatter,
    has_own_tag,
    note_details,
    same_observer,
    with_tag,
)
from samverkan.ui.screens.observe_help import ObserveHelpScreen
from samverkan.ui.widgets.note_stream import NoteStream
from samverkan.ui.widgets.tally_view import TallyView


class ObserveScreen(ObserveBase):
    CSS_PATH = "observe.tcss"
    BINDINGS = [
        Binding("w", "write", _("Write"), tooltip=_("Write an own observation: @ORG text #code"), id="observe-write"),
        Binding("slash", "search", _("Search codes"), tooltip=_("Type part of a code's name; Enter tags the selected note"), id="observe-search"),
        Binding("n", "next_untagged", _("Next untagged"), tooltip=_("Jump to the next note without your tag"), id="observe-next-untagged"),
        Binding("f", "filter", _("Filter"), tooltip=_("Show only the notes of one organisation, phase or code"), id="observe-filter"),
        Binding("x", "clear_filter", _("Clear filter"), tooltip=_("Show every note again"), id="observe-clear-filter"),
        Binding("t", "tally", _("Tally"), tooltip=_("Switch between the notes and the meeting's tally"), id="observe-tally"),
        Binding("r", "reload", _("Reload"), show=False, tooltip=_("Read the whole meeting again"), id="observe-reload"),
        Binding("escape", "back", _("Back"), tooltip=_("Cancel a code key, leave the input, or go back"), id="observe-back"),
        Binding("f1,question_mark", "help", _("Help"), tooltip=_("Every key, and how to tag with the codebook"), id="observe-help"),
    ]  # fmt: skip

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        with Horizontal(id="observe-body"):
            with Vertical(id="observe-main"):
                yield Static("", id="observe-status")
                with ContentSwitcher(initial="observe-stream", id="observe-switch"):
                    yield NoteStream(
                        self._format, empty_text=_("No notes yet."), follow=False, id="observe-stream"
                    )
                    yield TallyView(id="observe-tally")
                yield Static("", id="observe-detail")
                yield Input(
                    placeholder=_("w: write an observation — @ORG text #code, Enter saves"),
                    id="observe-input",
                )
            yield CodebookPane(id="observe-codebook")
        yield Footer()

    def _format(self, note: NoteView) -> object:
        return self.formatter(note) if self.formatter else note.text

    # ------------------------------------------------------------ loaded and live

    def loaded(self, changes: Changes) -> None:
        assert self.meeting is not None
        self.formatter = NoteFormatter(self.meeting, self.observer)
        input_box = self.query_one("#observe-input", Input)
        input_box.suggester = ObservationSuggester(self.meeting)
        self.query_one(CodebookPane).set_codes(self.meeting.codes)
        self.title = _("Observing {ref}: {title}").format(
            ref=self.meeting.summary.ref, title=self.meeting.summary.title
        )
        self.sub_title = self.observer
        self.notes = {n.id: n for n in changes.notes}
        stream = self.stream
        stream.set_notes(changes.notes)
        stream.action_jump(-1)
        stream.focus()
        self.applied(changes, first=True)

    def applied(self, changes: Changes, *, first: bool = False) -> None:
        stream = self.stream
        if not first and (changes.notes or changes.removed):
            at_bottom = stream.scroll_offset.y >= stream.max_scroll_y
            for note_id in changes.removed:
                self.notes.pop(note_id, None)
                stream.remove(note_id)
            if len(changes.notes) > 20:
                self.notes.update((n.id, n) for n in changes.notes)
                stream.set_notes(sorted(self.notes.values(), key=lambda n: (n.created_at, n.id)))
            else:
                for note in changes.notes:
                    self.notes[note.id] = note
                    stream.upsert(note)
            stream.refresh_notes()
            if at_bottom and stream.cursor >= 0:
                # Follow the tail while the selected note stays on screen.
                stream.scroll_to(y=min(stream.max_scroll_y, stream.cursor), animate=False)
        entering = changes.phase_id != self.phase_id
        self.phase_id, self.status = changes.phase_id, changes.status
        if entering and self.meeting is not None:
            phase = self.meeting.phase(changes.phase_id)
            if phase is not None and phase.kind == PhaseKind.OBSERVATION and not first:
                self.show_tally(True)
                self.notify(_("Observation phase: the tally is shown (t switches back)."))
        self.refresh_panes()

    def show_note(self, note: NoteView) -> None:
        """Draw one note as it now is (after a write of ours)."""
        self.notes[note.id] = note
        self.stream.upsert(note)
        self.stream.refresh_notes()
        self.refresh_panes()

    def refresh_panes(self) -> None:
        if self.meeting is None:
            return
        note = self.stream.highlighted_note
        self.query_one("#observe-detail", Static).update(
            note_details(note, self.meeting, self.observer)
        )
        tags = note.tags if note else ()
        mine = frozenset(t.code_id for t in tags if same_observer(t.observer, self.observer))
        others = frozenset(t.code_id for t in tags) - mine
        self.query_one(CodebookPane).set_marks(mine, others)
        if self.query_one(ContentSwitcher).current == "observe-tally":
            self.refresh_tally()
        self.refresh_status()

    def refresh_status(self) -> None:
        assert self.meeting is not None
        phase = self.meeting.phase(self.phase_id)
        untagged = sum(1 for n in self.notes.values() if not has_own_tag(n, self.observer))
        parts = [
            phase.title if phase else _("not started"),
            _("{count} notes").format(count=len(self.notes)),
            _("{count} untagged by you").format(count=untagged),
        ]
        if self.filter.active:
            parts.append(_("filter: {what}").format(what=self.filter.describe(self.meeting)))
        if self.pending is not None:
            dimension = self.query_one(CodebookPane).keys.dimensions.get(self.pending, "")
            parts = [_("{key} {dimension}: now the code's key (Esc cancels)").format(
                key=self.pending, dimension=dimension)]  # fmt: skip
        elif self.live_problem:
            parts.append(self.live_problem)
        self.query_one("#observe-status", Static).update(" · ".join(parts))

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
            self.query_one(CodebookPane).set_pending(None)
            code = keys.code(dimension, pressed) if pressed in CODE_KEYS else None
            if code is None:
                self.notify(_("no code has the keys {keys}").format(keys=dimension + pressed))
            elif self.filter_by_code:
                self.filter_by_code = False
                self.set_filter(NoteFilter(**{**self.filter.__dict__, "code_id": code.id}))
            else:
                self.toggle(code.id, code.slug)
            self.refresh_status()
        elif pressed in keys.dimensions:
            event.stop()
            event.prevent_default()
            self.pending = pressed
            self.query_one(CodebookPane).set_pending(pressed)
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
        draft = NoteDraft(parsed.text, kind=NoteKind.OBSERVATION,
                          organisation_id=parsed.organisation_id, phase_id=self.phase_id)  # fmt: skip
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

    def complete(self, line: str) -> str | None:
        assert self.meeting is not None
        return complete_observation(line, self.meeting.organisations, self.meeting.codes)

    # ------------------------------------------------------------ actions

    def action_write(self) -> None:
        self.query_one("#observe-input", Input).focus()

    def action_search(self) -> None:
        self.show_tally(False)
        self.query_one("#codebook-search", Input).focus()

    def action_next_untagged(self) -> None:
        notes = list(self.stream.notes)
        start = self.stream.cursor
        for step in range(1, len(notes) + 1):
            note = notes[(start + step) % len(notes)]
            if not has_own_tag(note, self.observer):
                self.stream.select_note(note.id)
                return
        self.notify(_("every note shown carries a tag of yours"))

    def action_filter(self) -> None:
        choices = [
            Choice("o", _("Organisation"), "organisation"),
            Choice("p", _("Phase"), "phase"),
            Choice("c", _("Code (then its two keys)"), "code"),
            Choice("u", _("Untagged by you"), "untagged"),
            Choice("x", _("Clear the filter"), "clear"),
        ]
        self.app.push_screen(PickerDialog(_("Filter the notes by"), choices), self._filter_kind)

    def _filter_kind(self, choice: Choice | None) -> None:
        if choice is None or self.meeting is None:
            return
        current = self.filter.__dict__
        if choice.value == "clear":
            self.set_filter(NoteFilter())
        elif choice.value == "untagged":
            self.set_filter(NoteFilter(**{**current, "untagged": not self.filter.untagged}))
        elif choice.value == "code":
            self.filter_by_code = True
            self.notify(_("press the code's two keys"))
        elif choice.value == "organisation":
            orgs = [Choice(CODE_KEYS[i], f"{o.short}  {o.name}", o.id)
                    for i, o in enumerate(self.meeting.organisations[: len(CODE_KEYS) - 1])]  # fmt: skip
            orgs.append(Choice("g", _("whole group"), WHOLE_GROUP))
            self.app.push_screen(PickerDialog(_("Organisation"), orgs), lambda c: c and
                                 self.set_filter(NoteFilter(**{**current, "organisation": c.value})))  # fmt: skip
        else:
            phases = [Choice(CODE_KEYS[i], p.title, p.id)
                      for i, p in enumerate(self.meeting.phases[: len(CODE_KEYS)])]  # fmt: skip
            self.app.push_screen(PickerDialog(_("Phase"), phases), lambda c: c and
                                 self.set_filter(NoteFilter(**{**current, "phase_id": c.value})))  # fmt: skip

    def action_clear_filter(self) -> None:
        self.set_filter(NoteFilter())

    def set_filter(self, note_filter: NoteFilter) -> None:
        self.filter = note_filter
        observer = self.observer
        self.stream.set_filter(
            (lambda n: note_filter.matches(n, observer)) if note_filter.active else None
        )
        self.refresh_panes()

    def action_tally(self) -> None:
        self.show_tally(self.query_one(ContentSwitcher).current != "observe-tally")

    def show_tally(self, shown: bool) -> None:
        self.query_one(ContentSwitcher).current = "observe-tally" if shown else "observe-stream"
        if shown:
            self.refresh_tally()

    def refresh_tally(self) -> None:
        assert self.meeting is not None
        notes = sorted(self.notes.values(), key=lambda n: (n.created_at, n.id))
        self.query_one(TallyView).show(tally(notes, self.meeting.codes), self.meeting.organisations)

    def action_back(self) -> None:
        if self.pending is not None or self.filter_by_code:
            self.pending, self.filter_by_code = None, False
            self.query_one(CodebookPane).set_pending(None)
            self.refresh_status()
        elif isinstance(self.focused, Input):
            self.stream.focus()
        elif len(self.app.screen_stack) > 1:
            self.dismiss()

    def action_help(self) -> None:
        self.app.push_screen(ObserveHelpScreen(self, self.query_one(CodebookPane).keys))
