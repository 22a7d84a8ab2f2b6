"""The meeting screen's note line: parsing, completion, submit, kind and speaker picks.

The note input always has the focus. Enter parses the line (``@ORG`` speaker,
kind prefixes, an action item's owner and due date) and queues the write on the
screen's :class:`WriteQueue` before anything is repainted; the input is cleared
at once and refilled if the write fails, so nothing typed is lost.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from samverkan.domain.labels import kind_label
from samverkan.domain.model import NoteKind, NoteView, OrganisationView, new_id
from samverkan.domain.note_input import (
    ParsedNote,
    apply_completion,
    complete_mention,
    parse_note,
)
from samverkan.i18n import _, ngettext
from samverkan.services import NoteDraft
from samverkan.services.recovery import add_record, edit_record
from samverkan.ui.dialogs.picker import Choice
from samverkan.ui.meeting.actions import KIND_KEYS
from samverkan.ui.meeting.browsing import MeetingBrowsing
from samverkan.ui.meeting.note_input import NoteInput, NoteKeys, from_line
from samverkan.ui.meeting.one_key import ask_one_key
from samverkan.ui.meeting.writer import WriteStatus
from samverkan.ui.theme_colours import style
from samverkan.ui.widgets.note_stream import NoteStream

# How long Enter waits, on the UI thread, for another process's write (an
# observer's tag: 1–2 ms) before the note is kept in the recovery file and queued.
# Queued, it cost a recovery file created and synced and a hand-over to the writer
# thread: 8–17 ms, on the 4 % of Enters that met a tag with three observers.
# A longer write (an import, a sync) is queued after 20 ms in all (the turn and
# SQLite's lock share it), so the keys behind Enter wait at most that much.
ENTER_WAIT = 0.02


def placeholder() -> str:
    return _("Type a note, Enter saves · @ORG speaker · b: decision · a: action")


class Composer(Vertical):
    """The label (editing, speaker, kind) and the note input; above them, only while
    notes wait for the database, how many and why, across the whole width."""

    def compose(self) -> ComposeResult:
        yield Static("", id="write-status")
        with Horizontal(id="composer-row"):
            yield Static("", id="composer-label")
            yield NoteInput(
                id="note-input",
                placeholder=placeholder(),
                # Editing puts the note's text here: selecting it all would let the
                # first key typed replace it.
                select_on_focus=False,
            )

    def show_write_status(self, status: WriteStatus) -> None:
        """Notes not yet in the database, said in words; nothing when all are in."""
        label = self.query_one("#write-status", Static)
        if status.gone:
            text = Text(
                " "
                + ngettext(
                    "database file gone: {n} note kept for recovery",
                    "database file gone: {n} notes kept for recovery",
                    status.kept,
                ).format(n=status.kept)
                + " ",
                style=style("gone"),
            )
        elif status.waiting:
            waiting = ngettext(
                "{n} note waiting for the database",
                "{n} notes waiting for the database",
                status.waiting,
            ).format(n=status.waiting)
            # Why they wait, once a write has failed (busy file, server gone): the
            # facilitator should not have to guess whether to worry.
            if status.problem:
                waiting = f"{waiting}: {status.problem}"
            text = Text(f" {waiting} ", style=style("waiting"))
        else:
            text = Text("")
        label.update(text)
        label.display = bool(text.plain)

    def show_label(
        self,
        editing: NoteView | None,
        speaker: OrganisationView | None,
        kind: NoteKind,
        browsing: bool = False,
    ) -> None:
        label = Text()
        if browsing:
            label.append(" " + _("NOTES") + " ", style=style("browsing"))
        if editing is not None:
            label.append(" " + _("EDIT") + " ", style=style("editing"))
        who = speaker.short if speaker else _("group")
        label.append(f" {who} ", style="bold reverse")
        label.append(f" {kind_label(kind)} ", style="bold")
        shown = self.query_one("#composer-label", Static)
        # Painted again after every Enter: the same label must not lay out the
        # whole screen (7 ms on a meeting of 5,000 notes) between two keys.
        if shown.content != label:
            shown.update(label)


class MeetingComposer(MeetingBrowsing):
    """What the note line does; the state it uses is the meeting screen's."""

    def _paint_detail(self, note: NoteView | None) -> None:
        raise NotImplementedError

    def _show_detail_text(self, content: Text) -> None:
        raise NotImplementedError

    def _paint_composer(self) -> None:
        browsing = self.query_one("#note-input", NoteInput).browsing
        self.query_one("#composer", Composer).show_label(
            self.editing, self.speaker, self.kind, browsing
        )

    def _write_status(self, status: WriteStatus) -> None:
        if self.is_mounted:
            self.query_one("#composer", Composer).show_write_status(status)

    def note_keys(self) -> NoteKeys:
        """What the note line's keys do (see note_input.py: all in the order typed)."""
        return NoteKeys(
            submit=self._submit_line,
            escape=self.action_back,
            complete=self._completion,
            browse=self._browse_key,
            start_browsing=self._start_browsing,
            stop_browsing=self._stop_browsing,
            screen_key=self._screen_key,
        )

    # ------------------------------------------------------------ writing notes

    def _submit_line(self, line: str) -> bool:
        """Enter: parse and queue the line; True if taken (the input clears it).

        Runs in the note input's own key handler, in order with the letters.
        """
        if self.meeting is None or self.writes is None:
            return False
        if not line.strip():
            return False
        parsed = parse_note(
            line,
            self.meeting.organisations,
            self.meeting.people,
            # "senast fredag" counts from the day the note is written, not the planned date.
            today=self.samverkan.clock().astimezone().date(),
            default_kind=self.kind,
        )
        if parsed.problems:
            self.samverkan.show_error(parsed.problems[0])
            return False  # the line stays as typed, to be corrected
        if parsed.speaker is not None:
            self.speaker = parsed.speaker
        kind = parsed.kind or self.kind
        editing, self.editing = self.editing, None
        # Queue the write before repainting anything: Enter → committed is the budget.
        if editing is not None:
            self._queue_edit(editing, parsed, kind, line)
        else:
            self._queue_add(parsed, kind, line)
            if parsed.speaker is not None:
                self._take_floor(parsed.speaker)
        self.kind = NoteKind.NOTE
        self._paint_composer()
        return True

    def _take_floor(self, org: OrganisationView) -> None:
        """The floor model: a remark written with ``@ORG`` gives that organisation the floor."""
        if self.state.running and not self.state.closed and self.state.floor != org.id:
            meetings, mid = self.samverkan.services.meetings, self.meeting_id
            self._queue_clock(lambda: meetings.give_floor(mid, org.id))

    def _queue_add(self, parsed: ParsedNote, kind: NoteKind, line: str) -> None:
        assert self.meeting is not None and self.writes is not None
        services = self.samverkan.services
        # Decisions and action items are the whole group's unless an @ORG says otherwise.
        speaker = parsed.speaker or (
            None if kind in (NoteKind.DECISION, NoteKind.ACTION) else self.speaker
        )
        draft = NoteDraft(
            text=from_line(parsed.text),
            kind=kind,
            organisation_id=speaker.id if speaker else None,
            person_id=parsed.speaker_person.id if parsed.speaker_person else None,
            phase_id=self.state.phase_id,
            owner_organisation_id=parsed.owner_organisation.id
            if parsed.owner_organisation
            else None,
            owner_person_id=parsed.owner_person.id if parsed.owner_person else None,
            due=parsed.due,
            # Its id now: a note kept for recovery and written later is written once.
            id=new_id(),
        )
        author = self.meeting.project.facilitator or services.notes.author
        mid = self.meeting_id
        typed_at = self.samverkan.clock()
        self.writes.now_or_queue(
            # Shown: written now, _saved puts it in this stream at once, and the live poll
            # need not read it back. Queued, it may be written after the screen is gone.
            lambda: services.notes.add(mid, draft, author=author, wait=ENTER_WAIT, shown=True),
            lambda: services.notes.add(mid, draft, author=author, typed_at=typed_at),
            lambda note: self._saved(note, (note.id, None)),
            lambda message: self._failed(message, line),
            add_record(mid, draft, author, typed_at),
        )

    def _queue_edit(self, editing: NoteView, parsed: ParsedNote, kind: NoteKind, line: str) -> None:
        assert self.writes is not None
        services = self.samverkan.services
        changes: dict[str, object] = {"text": from_line(parsed.text), "kind": kind}
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
            edit_record(editing.id, changes),
        )

    def _failed(self, message: str, line: str, editing: NoteView | None = None) -> None:
        """A write that can never be made (a mistake, a closed meeting, a vanished file).

        A failed note never goes back into a line the user has typed on since: it
        would merge with the new text. It comes back only into an empty line;
        otherwise the error quotes it whole.
        """
        writes = self.writes
        if writes is not None and writes.status().gone:
            self._write_status(writes.status())  # kept for recovery: the status says so
            if not self._told_gone:
                self._told_gone = True
                self.samverkan.show_error(message)
            return
        if self.is_mounted:
            note_input = self.query_one("#note-input", NoteInput)
            if not note_input.value and self.editing is None and not note_input.browsing:
                if editing is not None:
                    self.editing = editing  # Enter again retries the edit, not a new note
                    self._paint_composer()
                note_input.load(line)
                self.samverkan.show_error(message)
                return
        self.samverkan.show_error(
            _("“{text}” was not saved: {problem}").format(text=line, problem=message)
        )

    _told_gone = False

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
            self._show_detail_text(
                Text(_("Tab completes: ") + "  ".join(candidates[:8]), style="dim")
            )
        else:  # back to the selected note once nothing is being completed
            self._paint_detail(self.query_one("#notes", NoteStream).highlighted_note)

    def _completion(self, value: str, cursor: int) -> tuple[str, int] | None:
        """Tab: complete the mention at the cursor, if there is one."""
        if self.meeting is None or "@" not in value:
            return None
        candidates = complete_mention(
            value, cursor, self.meeting.organisations, self.meeting.people
        )
        if not candidates:
            return None
        return apply_completion(value, cursor, candidates[0])

    # ------------------------------------------------------------ pickers and editing

    def action_pick_speaker(self) -> None:
        if self.meeting is None:
            return
        keys = "123456789abcdefghijklmnopqrstuvwxyz"
        choices = [
            Choice(keys[i], org.short, org.id)
            for i, org in enumerate(self.meeting.organisations[: len(keys)])
        ]
        choices.append(Choice("0", _("the whole group"), None))

        def chosen(choice: Choice | None) -> None:
            if choice is None or self.meeting is None:
                return
            org = self.meeting.organisation(choice.value)
            self.speaker = org
            self._paint_composer()
            if org is not None:  # the floor model: the speaker has the floor
                self._take_floor(org)
                return
            if self.state.running and not self.state.closed and self.state.floor is not None:
                meetings, mid = self.samverkan.services.meetings, self.meeting_id
                self._queue_clock(lambda: meetings.give_floor(mid, None))

        ask_one_key(self, _("Who is speaking?"), choices, chosen)

    def action_pick_kind(self) -> None:
        # An observation is the observer's: the facilitator cannot make one, even by a key.
        choices = [
            Choice(key, kind_label(kind), str(kind))
            for kind, key in KIND_KEYS.items()
            if kind != NoteKind.OBSERVATION
        ]

        def chosen(choice: Choice | None) -> None:
            if choice is not None and choice.value:
                self.kind = NoteKind(choice.value)
                self._paint_composer()

        ask_one_key(self, _("Kind of the next note"), choices, chosen)

    def action_edit_note(self) -> None:
        note = self._selected()
        if note is None or self._read_only():
            return
        note_input = self.query_one("#note-input", NoteInput)
        if note_input.value and note_input.browsing:
            # The line holds words typed before ↑: editing would replace them.
            self.notify(_("Save or clear the line first, then edit."), severity="warning")
            return
        self.editing = note
        self.kind = note.kind  # an edited decision stays a decision unless retyped
        note_input.browsing = False
        note_input.load(note.text)
        note_input.focus()
        self._paint_composer()
