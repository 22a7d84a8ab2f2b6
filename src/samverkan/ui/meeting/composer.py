"""The meeting screen's note line: parsing, completion, submit, kind and speaker picks.

The note input always has the focus. Enter parses the line (``@ORG`` speaker,
kind prefixes, an action item's owner and due date) and queues the write on the
screen's :class:`WriteQueue` before anything is repainted; the input is cleared
at once and refilled if the write fails, so nothing typed is lost.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Static

from samverkan.domain.labels import kind_label
from samverkan.domain.model import NoteKind, NoteView, OrganisationView
from samverkan.domain.note_input import (
    ParsedNote,
    apply_completion,
    complete_mention,
    parse_note,
)
from samverkan.i18n import _
from samverkan.services import NoteDraft
from samverkan.ui.dialogs.picker import Choice, PickerDialog
from samverkan.ui.meeting.actions import KIND_KEYS, MeetingActions
from samverkan.ui.widgets.note_stream import NoteStream


def placeholder() -> str:
    return _("Type a note, Enter saves · @ORG speaker · b: decision · a: action")


class Composer(Horizontal):
    """The label (editing, speaker, kind) and the note input."""

    def compose(self) -> ComposeResult:
        yield Static("", id="composer-label")
        yield Input(
            id="note-input",
            placeholder=placeholder(),
            # Editing puts the note's text here: selecting it all would let the
            # first key typed replace it.
            select_on_focus=False,
        )

    def show_label(
        self, editing: NoteView | None, speaker: OrganisationView | None, kind: NoteKind
    ) -> None:
        label = Text()
        if editing is not None:
            label.append(" " + _("EDIT") + " ", style="bold black on yellow")
        who = speaker.short if speaker else _("group")
        label.append(f" {who} ", style="bold reverse")
        label.append(f" {kind_label(kind)} ", style="bold")
        self.query_one("#composer-label", Static).update(label)


class MeetingComposer(MeetingActions):
    """What the note line does; the state it uses is the meeting screen's."""

    def _paint_detail(self, note: NoteView | None) -> None:
        raise NotImplementedError

    def _paint_composer(self) -> None:
        self.query_one("#composer", Composer).show_label(self.editing, self.speaker, self.kind)

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

    # ------------------------------------------------------------ completion

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

    def on_key(self, event: events.Key) -> None:
        if event.key != "tab" or self.meeting is None:
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

    # ------------------------------------------------------------ pickers and editing

    def action_pick_speaker(self) -> None:
        if self.meeting is None:
            return
        keys = "123456789abcdefghijklmnopqrstuvwxyz"
        choices = [
            Choice(keys[i], f"{org.short}  {org.name}", org.id)
            for i, org in enumerate(self.meeting.organisations[: len(keys)])
        ]
        choices.append(Choice("0", _("the whole group"), None))

        def chosen(choice: Choice | None) -> None:
            if choice is None or self.meeting is None:
                return
            self.speaker = self.meeting.organisation(choice.value)
            self._paint_composer()

        self.app.push_screen(PickerDialog(_("Who is speaking?"), choices), chosen)

    def action_pick_kind(self) -> None:
        choices = [Choice(key, kind_label(kind), str(kind)) for kind, key in KIND_KEYS.items()]

        def chosen(choice: Choice | None) -> None:
            if choice is not None and choice.value:
                self.kind = NoteKind(choice.value)
                self._paint_composer()

        self.app.push_screen(PickerDialog(_("Kind of the next note"), choices), chosen)

    def action_edit_note(self) -> None:
        note = self._selected()
        if note is None or self._read_only():
            return
        self.editing = note
        self.kind = note.kind  # an edited decision stays a decision unless retyped
        note_input = self.query_one("#note-input", Input)
        note_input.value = note.text
        note_input.focus()
        note_input.cursor_position = len(note.text)
        self._paint_composer()
