"""The meeting screen's side panel: who has spoken, and what the meeting has produced.

Participation (remarks and speaking time per organisation) on top; below it the
observer's tally in the observation phase, the decisions and action items otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from samverkan.domain.clock import ClockState
from samverkan.domain.model import MeetingView, NoteKind, NoteView, PhaseKind
from samverkan.i18n import _, ngettext
from samverkan.ui.widgets.participation import ParticipationPanel, RemarkCounts
from samverkan.ui.widgets.repaint import show_text


class SidePanel(VerticalScroll):
    """Participation above, the tally or the decisions and action items below."""

    def compose(self) -> ComposeResult:
        yield ParticipationPanel(id="participation")
        yield Static("", id="side-extra")

    def show_participation(
        self, meeting: MeetingView, counts: RemarkCounts, state: ClockState
    ) -> None:
        self.query_one("#participation", ParticipationPanel).show(
            meeting.organisations, counts, state
        )

    def show_extra(
        self,
        meeting: MeetingView | None,
        notes: Iterable[NoteView],
        counts: RemarkCounts,
        state: ClockState,
        kind: PhaseKind | None,
    ) -> None:
        extra = self.query_one("#side-extra", Static)
        if meeting is None or kind != PhaseKind.OBSERVATION or state.closed:
            show_text(extra, decisions_and_actions(counts))
            return
        from samverkan.domain.tally import tally

        seen = tally(notes, meeting.codes)
        text = Text(_("Observed so far") + "\n", style="bold")
        for dimension in seen:
            text.append(dimension.dimension + "\n", style="underline")
            for polarity in dimension.polarities:
                for code in polarity.codes[:5]:
                    text.append(f" {code.count:>3} {code.code.label}\n")
        show_text(extra, text if seen else Text(_("No tags yet."), style="dim"))


def decisions_and_actions(counts: RemarkCounts) -> Text:
    kinds = counts.kinds
    text = Text()
    text.append(_("Decisions: {n}").format(n=kinds[NoteKind.DECISION]) + "\n", style="bold")
    text.append(
        ngettext(
            "Action items: {n} ({open} open)",
            "Action items: {n} ({open} open)",
            counts.open_actions,
        ).format(n=kinds[NoteKind.ACTION], open=counts.open_actions),
        style="bold",
    )
    return text
