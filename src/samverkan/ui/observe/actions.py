"""The observer screen's actions: moving, filtering, the tally, help, leaving.

Kept apart from the painting and tagging in :mod:`.observe` so each file
reads in one sitting; the state and the workers are in :mod:`.observe_base`.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.widgets import ContentSwitcher, Input

from samverkan.domain.observing import CODE_KEYS
from samverkan.domain.tally import tally
from samverkan.i18n import _
from samverkan.ui.dialogs.picker import Choice, PickerDialog
from samverkan.ui.observe.base import ObserveBase
from samverkan.ui.observe.codebook import CodebookPane
from samverkan.ui.observe.format import WHOLE_GROUP, NoteFilter, has_own_tag
from samverkan.ui.observe.help import ObserveHelpScreen
from samverkan.ui.widgets.tally_view import TallyView


class ObserveActions(ObserveBase):
    BINDINGS = [
        Binding(
            "w",
            "write",
            _("Write"),
            tooltip=_("Write an own observation: @ORG text #code"),
            id="observe-write",
        ),
        Binding(
            "slash",
            "search",
            _("Search codes"),
            tooltip=_("Type part of a code's name; Enter tags the selected note"),
            id="observe-search",
        ),
        Binding(
            "n",
            "next_untagged",
            _("Next untagged"),
            tooltip=_("Jump to the next note without your tag"),
            id="observe-next-untagged",
        ),
        Binding(
            "f",
            "filter",
            _("Filter"),
            tooltip=_("Show only the notes of one organisation, phase or code"),
            id="observe-filter",
        ),
        Binding(
            "x",
            "clear_filter",
            _("Clear filter"),
            tooltip=_("Show every note again"),
            id="observe-clear-filter",
        ),
        Binding(
            "t",
            "tally",
            _("Tally"),
            tooltip=_("Switch between the notes and the meeting's tally"),
            id="observe-tally",
        ),
        Binding(
            "r",
            "reload",
            _("Reload"),
            show=False,
            tooltip=_("Read the whole meeting again"),
            id="observe-reload",
        ),
        Binding(
            "escape",
            "back",
            _("Back"),
            tooltip=_("Cancel a code key, leave the input, or go back"),
            id="observe-back",
        ),
        Binding(
            "f1,question_mark",
            "help",
            _("Help"),
            tooltip=_("Every key, and how to tag with the codebook"),
            id="observe-help",
        ),
    ]

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
        if choice.value == "clear":
            self.set_filter(NoteFilter())
        elif choice.value == "untagged":
            self.set_filter(replace(self.filter, untagged=not self.filter.untagged))
        elif choice.value == "code":
            self.filter_by_code = True
            self.notify(_("press the code's two keys"))
        elif choice.value == "organisation":
            orgs = [
                Choice(CODE_KEYS[i], f"{o.short}  {o.name}", o.id)
                for i, o in enumerate(self.meeting.organisations[: len(CODE_KEYS) - 1])
            ]
            orgs.append(Choice("g", _("whole group"), WHOLE_GROUP))
            self.app.push_screen(PickerDialog(_("Organisation"), orgs), self._filter_organisation)
        else:
            phases = [
                Choice(CODE_KEYS[i], p.title, p.id)
                for i, p in enumerate(self.meeting.phases[: len(CODE_KEYS)])
            ]
            self.app.push_screen(PickerDialog(_("Phase"), phases), self._filter_phase)

    def _filter_organisation(self, choice: Choice | None) -> None:
        if choice is not None:
            self.set_filter(replace(self.filter, organisation=choice.value))

    def _filter_phase(self, choice: Choice | None) -> None:
        if choice is not None:
            self.set_filter(replace(self.filter, phase_id=choice.value))

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
        # Arrows scroll what is shown; an input being typed in keeps the focus.
        if not isinstance(self.focused, Input):
            (self.query_one(TallyView) if shown else self.stream).focus()

    def schedule_tally(self) -> None:
        """Recount soon, once: notes may arrive several times a second."""
        if self._tally_timer is not None:
            self._tally_timer.stop()
        self._tally_timer = self.set_timer(0.3, self.refresh_tally)

    def refresh_tally(self) -> None:
        assert self.meeting is not None
        notes = sorted(self.notes.values(), key=lambda n: (n.created_at, n.id))
        self.query_one(TallyView).show(tally(notes, self.meeting.codes), self.meeting.organisations)

    def action_back(self) -> None:
        """Esc undoes one thing at a time; it leaves the screen only when nothing is open."""
        if self.pending is not None or self.filter_by_code:
            self.pending, self.filter_by_code = None, False
            self.refresh_status()
        elif isinstance(self.focused, Input):
            self.stream.focus()
        elif self.query_one(ContentSwitcher).current == "observe-tally":
            self.show_tally(False)
        elif self.query_one("#observe-input", Input).value.strip():
            self.notify(
                _("An observation is half written: w and Enter save it, or clear it first."),
                severity="warning",
            )
        elif len(self.app.screen_stack) > 1:
            self.dismiss()

    def action_help(self) -> None:
        self.app.push_screen(ObserveHelpScreen(self, self.query_one(CodebookPane).keys))  # type: ignore[arg-type]
