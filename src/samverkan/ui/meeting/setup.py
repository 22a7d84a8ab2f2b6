"""Before (and during) a meeting: attendance, the agenda, earlier open action items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from samverkan.domain.errors import problem_sentence
from samverkan.domain.model import MeetingStatus, MeetingView, NoteView
from samverkan.domain.natural_dates import parse_due
from samverkan.i18n import _
from samverkan.ui.base import SamverkanScreen
from samverkan.ui.dialogs.text_input import TextInputDialog
from samverkan.ui.meeting.agenda_pane import agenda_renderable
from samverkan.ui.meeting.keys import key_name
from samverkan.ui.theme_colours import style
from samverkan.ui.widgets.key_footer import KeyFooter
from samverkan.ui.widgets.phase_bar import phase_title

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class _Row:
    organisation_id: str
    person_id: str | None


class MeetingSetupScreen(SamverkanScreen):
    CSS_PATH = "setup.tcss"
    BINDINGS = [
        # First, so the Footer shows it even when it is cut at 80 columns.
        Binding(
            "ctrl+s",
            "start",
            _("Start meeting"),
            tooltip=_("Start the meeting and go to the meeting screen"),
            id="start-meeting",
        ),
        Binding(
            "space",
            "toggle_present",
            _("Present"),
            tooltip=_("Mark the highlighted organisation or person present or absent"),
            id="toggle-present",
        ),
        Binding(
            "a",
            "everyone_present",
            _("Everyone"),
            tooltip=_("Mark every organisation and person present"),
            id="everyone-present",
        ),
        Binding(
            "pageup",
            "agenda_page(-1)",
            _("Agenda up"),
            show=False,
            tooltip=_("Scroll the agenda up"),
            id="setup-agenda-up",
        ),
        Binding(
            "pagedown",
            "agenda_page(1)",
            _("Agenda down"),
            show=False,
            tooltip=_("Scroll the agenda down"),
            id="setup-agenda-down",
        ),
        Binding(
            "p",
            "add_person",
            _("Add person"),
            tooltip=_("Add a participant to the highlighted organisation"),
            id="add-person",
        ),
        Binding(
            "x",
            "toggle_done",
            _("Done"),
            tooltip=_("Tick the highlighted earlier action item done"),
            id="action-done",
        ),
        Binding(
            "c",
            "carry",
            _("Carry on"),
            tooltip=_("Keep the action item open with a new due date"),
            id="action-carry",
        ),
        Binding(
            "escape", "back", _("Back"), tooltip=_("Back to the previous screen"), id="setup-back"
        ),
    ]

    def __init__(self, meeting_id: str) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.meeting: MeetingView | None = None
        self.present: dict[_Row, bool] = {}
        self.rows: list[_Row] = []
        self.actions: list[NoteView] = []

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        with Horizontal():
            with Vertical(id="attendance-pane"):
                yield Static(_("Attendance"), classes="pane-title")
                yield OptionList(id="attendance")
            with Vertical(id="agenda-pane"):
                yield Static(_("Agenda"), classes="pane-title")
                with VerticalScroll(id="agenda-scroll"):
                    yield Static("", id="agenda")
                yield Static(_("Open action items from earlier meetings"), classes="pane-title")
                yield OptionList(id="actions")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="setup-load")
    def load(self) -> None:
        services = self.samverkan.services
        try:
            meeting = services.projects.meeting(self.meeting_id)
            actions = services.notes.open_actions(meeting.project.id, meeting.summary.number)
        except Exception as exc:  # one sentence, never a traceback
            self.app.call_from_thread(self.samverkan.show_error, problem_sentence(exc))
            return
        self.app.call_from_thread(self._loaded, meeting, actions)

    def _loaded(self, meeting: MeetingView, actions: list[NoteView]) -> None:
        self.meeting = meeting
        self.title = f"{meeting.summary.ref} · {meeting.summary.title}"
        self.sub_title = _("Before the meeting")
        self.present = {_Row(a.organisation_id, a.person_id): a.present for a in meeting.attendance}
        self.rows = []
        for org in meeting.organisations:
            self.rows.append(_Row(org.id, None))
            self.rows += [_Row(org.id, p.id) for p in meeting.people if p.organisation_id == org.id]
        self._paint_attendance()
        self._paint_agenda()
        self.actions = actions
        self._paint_actions()
        self.query_one("#attendance", OptionList).focus()

    def _paint_attendance(self) -> None:
        if self.meeting is None:
            return
        people = {p.id: p for p in self.meeting.people}
        attendance = self.query_one("#attendance", OptionList)
        highlighted = attendance.highlighted
        attendance.clear_options()
        for row in self.rows:
            mark = "☑" if self.present.get(row, False) else "☐"
            if row.person_id is None and mark == "☑" and not self._all_people_present(row):
                mark = "◐"  # present, but not everyone of it
            if row.person_id is None:
                org = self.meeting.organisation(row.organisation_id)
                label = Text(
                    f"{mark} {org.short if org else ''}  {org.name if org else ''}", style="bold"
                )
            else:
                label = Text(f"    {mark} {people[row.person_id].name}")
            attendance.add_option(Option(label))
        if self.rows:
            attendance.highlighted = min(highlighted or 0, len(self.rows) - 1)

    def _people_of(self, organisation_id: str) -> list[_Row]:
        return [r for r in self.rows if r.organisation_id == organisation_id and r.person_id]

    def _all_people_present(self, org_row: _Row) -> bool:
        return all(self.present.get(r, False) for r in self._people_of(org_row.organisation_id))

    def _paint_agenda(self) -> None:
        if self.meeting is None:
            return
        text = Text()
        summary = self.meeting.summary
        when = " ".join(
            x for x in (summary.date.isoformat() if summary.date else "", summary.start or "") if x
        )
        text.append(
            f"{when} · {summary.place} · "
            + _("host: {host}").format(host=summary.host_name)
            + "\n\n",
            style="dim",
        )
        parts: list[RenderableType] = [text]
        for position, phase in enumerate(self.meeting.phases, start=1):
            parts.append(Text(f"{position}. {phase_title(phase)}", style="bold"))
            # The script and the questions as the meeting screen shows them, Markdown rendered.
            parts.append(Padding(agenda_renderable(phase, plain=True), (0, 0, 1, 3)))
        self.query_one("#agenda", Static).update(Group(*parts))

    def action_agenda_page(self, direction: int) -> None:
        scroll = self.query_one("#agenda-scroll", VerticalScroll)
        if direction > 0:
            scroll.scroll_page_down(animate=False)
        else:
            scroll.scroll_page_up(animate=False)

    def _paint_actions(self) -> None:
        options = self.query_one("#actions", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        if self.meeting is None:
            return
        today = self.samverkan.clock().astimezone().date()
        for note in self.actions:
            owner = self.meeting.organisation(note.owner_organisation_id)
            mark = "☑" if note.done else "☐"
            due = f" · {note.due.isoformat()}" if note.due else ""
            label = Text(f"{mark} {note.text} ({owner.short if owner else '—'}{due})")
            if not note.done and note.due is not None and note.due < today:
                label.append(" ⚠ " + _("overdue"), style=style("overdue"))
            options.add_option(Option(label))
        if not self.actions:
            first = self.meeting.summary.number <= 1
            empty = (
                _("None: this is the first meeting.")
                if first
                else _("None: every earlier action item is done.")
            )
            options.add_option(Option(Text(empty, style="dim"), disabled=True))
        else:
            options.highlighted = min(highlighted or 0, len(self.actions) - 1)

    # ------------------------------------------------------------ actions

    def _attendance_row(self) -> _Row | None:
        attendance = self.query_one("#attendance", OptionList)
        if attendance.highlighted is None or not self.rows:
            return None
        return self.rows[attendance.highlighted]

    @on(OptionList.OptionSelected, "#attendance")
    def _selected(self) -> None:
        self.action_toggle_present()

    def action_toggle_present(self) -> None:
        row = self._attendance_row()
        if row is None or not self.query_one("#attendance", OptionList).has_focus:
            return
        present = not self.present.get(row, False)
        if row.person_id is None and self.present.get(row, False):
            present = not self._all_people_present(row)  # ◐ → everyone of it present
        changed = [row]
        if row.person_id is None:
            # Ticking an organisation ticks its people (and unticking unticks them).
            changed += self._people_of(row.organisation_id)
        elif present:
            # A person present means the organisation is present.
            changed.append(_Row(row.organisation_id, None))
        for each in changed:
            self.present[each] = present
        self._save_attendance(changed, present)
        self._paint_attendance()

    def action_everyone_present(self) -> None:
        if not self.rows:
            return
        for row in self.rows:
            self.present[row] = True
        self._save_attendance(list(self.rows), True)
        self._paint_attendance()
        self.notify(_("Everyone is marked present."))

    @work(thread=True, group="setup-write")
    def _save_attendance(self, rows: list[_Row], present: bool) -> None:
        try:
            self.samverkan.services.meetings.set_attendances(
                self.meeting_id, [(r.organisation_id, r.person_id, present) for r in rows]
            )
        except Exception as exc:  # one sentence, never a traceback
            self.app.call_from_thread(self.samverkan.show_error, problem_sentence(exc))

    def action_add_person(self) -> None:
        row = self._attendance_row()
        if row is None or self.meeting is None:
            return
        org = self.meeting.organisation(row.organisation_id)

        def added(name: str | None) -> None:
            if name:
                self._add_person(row.organisation_id, name)

        self.app.push_screen(
            TextInputDialog(_("New participant from {org}").format(org=org.name if org else "")),
            added,
        )

    @work(thread=True, group="setup-write")
    def _add_person(self, organisation_id: str, name: str) -> None:
        services = self.samverkan.services
        try:
            person = services.meetings.add_person(organisation_id, name)
            services.meetings.set_attendance(self.meeting_id, organisation_id, person.id, True)
            services.meetings.set_attendance(self.meeting_id, organisation_id, None, True)
        except Exception as exc:  # one sentence, never a traceback
            self.app.call_from_thread(self.samverkan.show_error, problem_sentence(exc))
            return
        self.load()

    def _highlighted_action(self) -> NoteView | None:
        """The action item the user chose: only while the list has the focus."""
        options = self.query_one("#actions", OptionList)
        if not options.has_focus:
            self.notify(_("Tab to the action items first, then choose one."), severity="warning")
            return None
        if options.highlighted is None or options.highlighted >= len(self.actions):
            return None
        return self.actions[options.highlighted]

    def action_toggle_done(self) -> None:
        note = self._highlighted_action()
        if note is not None:
            self._set_done(note, not note.done)

    @work(thread=True, group="setup-write")
    def _set_done(self, note: NoteView, done: bool) -> None:
        try:
            saved = self.samverkan.services.notes.set_done(note.id, done)
        except Exception as exc:  # one sentence, never a traceback
            self.app.call_from_thread(self.samverkan.show_error, problem_sentence(exc))
            return
        self.app.call_from_thread(self._replace_action, saved)

    def _replace_action(self, saved: NoteView) -> None:
        self.actions = [saved if n.id == saved.id else n for n in self.actions]
        self._paint_actions()

    def action_carry(self) -> None:
        note = self._highlighted_action()
        if note is None or self.meeting is None:
            return
        if note.done:
            self.notify(_("That action item is done; x opens it again."), severity="warning")
            return
        today = self.meeting.summary.date or self.samverkan.clock().date()

        def chosen(text: str | None) -> None:
            if not text:
                return
            due, problem = parse_due(text, today)
            if due is None:
                self.samverkan.show_error(problem or _("write a due date, e.g. 2018-09-01"))
                return
            self._carry(note, due)

        self.app.push_screen(
            TextInputDialog(
                _("Carry on with a new due date"), placeholder=_("e.g. 2018-09-01, week 36")
            ),
            chosen,
        )

    @work(thread=True, group="setup-write")
    def _carry(self, note: NoteView, due: date) -> None:
        try:
            saved = self.samverkan.services.notes.reschedule(note.id, due)
        except Exception as exc:  # one sentence, never a traceback
            self.app.call_from_thread(self.samverkan.show_error, problem_sentence(exc))
            return
        self.app.call_from_thread(self._replace_action, saved)

    def action_start(self) -> None:
        if self.meeting is None:
            return
        if self.meeting.summary.status == MeetingStatus.CLOSED:
            self.samverkan.show_error(
                _("The meeting is closed; reopen it on the meeting screen ({key}).").format(
                    key=key_name(self.app, "reopen")
                )
            )
            return
        nobody = not any(self.present.values())
        if nobody and self.meeting.summary.status == MeetingStatus.PLANNED:
            from samverkan.ui.dialogs.confirm import ConfirmDialog

            question = ConfirmDialog(
                _("Start without attendance?"),
                _("No one is marked present yet; the minutes will say so. Space marks people."),
                yes=_("Start meeting"),
                no=_("Mark attendance"),
            )

            def answered(yes: bool | None) -> None:
                if yes:
                    self._start()

            self.app.push_screen(question, answered)
            return
        self._start()

    @work(thread=True, exclusive=True, group="setup-start", exit_on_error=False)
    def _start(self) -> None:
        try:
            self.samverkan.services.meetings.start(self.meeting_id)
        except Exception as exc:  # one sentence, never a traceback
            self.app.call_from_thread(self.samverkan.show_error, problem_sentence(exc))
            return
        self.app.call_from_thread(self._open_meeting)

    def _open_meeting(self) -> None:
        from samverkan.ui.meeting.screen import MeetingScreen

        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        if isinstance(below, MeetingScreen):
            self.dismiss(None)  # opened from the running meeting: go back to it
        else:
            self.app.switch_screen(MeetingScreen(self.meeting_id))

    def action_back(self) -> None:
        self.dismiss(None)
