"""Who has spoken: remarks and speaking time per organisation, in the phase and in all.

Painted every second while a meeting runs, so it is plain Text (a Rich Table
measures every cell on every paint) and the remark counts are kept by the
screen as notes come and go rather than recounted from thousands of notes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

from samverkan.domain.clock import ClockState, format_duration
from samverkan.domain.model import NoteKind, NoteView, OrganisationView
from samverkan.i18n import _
from samverkan.ui.theme_colours import style
from samverkan.ui.widgets.repaint import show_text


def floor_key(position: int) -> str | None:
    """F2 … F9 give the floor to the first eight organisations (F1 is help)."""
    return f"f{position + 2}" if position < 8 else None


class RemarkCounts:
    """Remarks per (phase, organisation) and per kind, updated note by note."""

    def __init__(self, notes: Sequence[NoteView] = ()) -> None:
        self._by_phase: Counter[tuple[str | None, str | None]] = Counter()
        self.kinds: Counter[NoteKind] = Counter()
        self.open_actions = 0
        self._seen: dict[str, NoteView] = {}
        for note in notes:
            self.put(note)

    def put(self, note: NoteView) -> None:
        self.drop(note.id)
        if note.deleted:
            return
        self._seen[note.id] = note
        self._by_phase[(note.phase_id, note.organisation_id)] += 1
        self.kinds[note.kind] += 1
        self.open_actions += note.kind == NoteKind.ACTION and not note.done

    def drop(self, note_id: str) -> None:
        note = self._seen.pop(note_id, None)
        if note is not None:
            self._by_phase[(note.phase_id, note.organisation_id)] -= 1
            self.kinds[note.kind] -= 1
            self.open_actions -= note.kind == NoteKind.ACTION and not note.done

    def in_phase(self, phase_id: str | None, organisation_id: str) -> int:
        return self._by_phase[(phase_id, organisation_id)]

    def overall(self, organisation_id: str) -> int:
        return sum(n for (_phase, org), n in self._by_phase.items() if org == organisation_id)


class ParticipationPanel(Static):
    """One line an organisation; clicking a line gives that organisation the floor."""

    @dataclass
    class Clicked(Message):
        index: int

    DEFAULT_CSS = """
    ParticipationPanel {
        height: auto;
        padding: 0 1;
    }
    """

    def show(
        self,
        organisations: Sequence[OrganisationView],
        counts: RemarkCounts,
        state: ClockState,
    ) -> None:
        phase = state.phase_id
        text = Text(no_wrap=True, overflow="ellipsis")
        org_heading, phase_heading, all_heading = _("Org"), _("Phase"), _("All")
        text.append(f"{'':3} {org_heading:<6}{phase_heading:>9} {all_heading:>9}\n", style="bold")
        silent: list[str] = []
        for org in organisations:
            key = (floor_key(org.position) or "").upper()
            in_phase = counts.in_phase(phase, org.id) if phase else 0
            speaking_phase = state.floor_total(org.id, phase) if phase else 0.0
            has_floor = state.floor == org.id
            if phase and not in_phase and speaking_phase < 1:
                silent.append(org.short)
            text.append(f"{key:<3} ", style="dim")
            text.append(f"{org.short[:4]:<4}", style="bold reverse" if has_floor else "bold")
            text.append("▶ " if has_floor else "  ")
            text.append(f"{in_phase:>2} {format_duration(speaking_phase):>6}")
            overall = counts.overall(org.id)
            text.append(f" {overall:>2} {format_duration(state.floor_total(org.id)):>6}\n")
        if state.closed or not phase:
            pass
        elif silent:
            text.append(_("Not heard in this phase: "), style="dim")
            text.append(", ".join(silent), style=style("warn"))
        else:
            text.append(_("Everyone has been heard in this phase."), style="dim")
        text.no_wrap = False
        show_text(self, text)
        self._rows = len(organisations)

    _rows = 0

    def on_click(self, event: events.Click) -> None:
        index = event.y - 1  # below the column headings
        if 0 <= index < self._rows:
            self.post_message(self.Clicked(index))
