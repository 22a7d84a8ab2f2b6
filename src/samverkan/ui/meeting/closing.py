"""The meeting screen's leaving and closing: Esc, attendance, minutes, close and reopen.

Kept apart from the other actions (actions.py) so each file reads in one sitting.
"""

from __future__ import annotations

from textual import work
from textual.widgets import Input

from samverkan.domain.errors import problem_sentence
from samverkan.domain.model import MeetingStatus, NoteKind, NoteView
from samverkan.i18n import _
from samverkan.ui.dialogs.confirm import ConfirmDialog
from samverkan.ui.meeting.actions import MeetingActions
from samverkan.ui.meeting.keys import key_name


class MeetingClosing(MeetingActions):
    # ------------------------------------------------------------ leaving, closing

    def action_back(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.kind = NoteKind.NOTE
            self.query_one("#note-input", Input).value = ""
            self._paint_composer()
            return
        typed = self.query_one("#note-input", Input).value.strip()
        if not typed and (not self.state.running or self.state.closed):
            self.app.pop_screen()
            return

        # Esc is pressed while typing too: leaving a running meeting is asked, and
        # no letter typed on can answer (the safe answer has the focus).
        def answered(leave: bool | None) -> None:
            if leave and self.is_current:
                self.app.pop_screen()

        self.app.push_screen(
            ConfirmDialog(
                _("Leave the meeting?"),
                _(
                    "The meeting keeps running and its clock goes on; open it again from the "
                    "list to go on writing."
                )
                if not typed
                else _("The line you were typing is not saved if you leave."),
                yes=_("Leave"),
                no=_("Stay"),
                letters=False,
            ),
            answered,
        )

    def action_setup(self) -> None:
        from samverkan.ui.meeting.setup import MeetingSetupScreen

        def back(_result: None) -> None:
            self.load()  # attendance or people may have changed

        self.app.push_screen(MeetingSetupScreen(self.meeting_id), back)

    def action_minutes(self) -> None:
        try:
            from samverkan.ui.minutes.screen import MinutesScreen
        except ImportError:
            return
        self.app.push_screen(MinutesScreen(self.meeting_id))

    def action_close_meeting(self) -> None:
        if self.meeting is None:
            return
        if self.meeting.summary.status == MeetingStatus.CLOSED:
            self.action_reopen_meeting()
            return
        self._prepare_close()

    def action_reopen_meeting(self) -> None:
        if self.meeting is None or self.meeting.summary.status != MeetingStatus.CLOSED:
            return
        meetings, mid = self.samverkan.services.meetings, self.meeting_id
        question = ConfirmDialog(
            _("Reopen this meeting?"),
            _("Its notes become editable again; the clock stays paused until {key}.").format(
                key=key_name(self.app, "start-pause")
            ),
        )
        self.app.push_screen(
            question,
            lambda yes: (
                self._queue_clock(lambda: meetings.reopen(mid), reload_meeting=True)
                if yes
                else None
            ),
        )

    @work(thread=True, exclusive=True, group="meeting-close", exit_on_error=False)
    def _prepare_close(self) -> None:
        """The summary needs the earlier meetings' open action items: read off the UI."""
        meeting = self.meeting
        if meeting is None:
            return
        try:
            open_actions = self.samverkan.services.notes.open_actions(
                meeting.project.id, meeting.summary.number + 1
            )
        except Exception as exc:  # one sentence, never a traceback
            self.app.call_from_thread(self.samverkan.show_error, problem_sentence(exc))
            return
        self.app.call_from_thread(self._ask_close, open_actions)

    def _ask_close(self, open_actions: list[NoteView]) -> None:
        from samverkan.ui.meeting.summary import close_summary

        if self.meeting is None:
            return
        meetings, mid = self.samverkan.services.meetings, self.meeting_id
        question = ConfirmDialog(
            _("Close the meeting?"),
            close_summary(
                self.meeting,
                list(self.notes.values()),
                open_actions,
                reopen_key=key_name(self.app, "reopen"),
            ),
            yes=_("Close meeting"),
            no=_("Keep going"),
            # Asked while typing (ctrl+j is a line feed to many fingers): Enter or a
            # letter typed on keeps the meeting going.
            letters=False,
        )
        self.app.push_screen(
            question,
            lambda yes: (
                self._queue_clock(lambda: meetings.close(mid), reload_meeting=True) if yes else None
            ),
        )
