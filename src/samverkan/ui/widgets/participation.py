"""Who has spoken: remarks and speaking time per organisation, in the phase and in all."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from samverkan.domain.clock import ClockState, format_duration
from samverkan.domain.model import NoteView, OrganisationView
from samverkan.i18n import _


def floor_key(position: int) -> str | None:
    """F2 … F9 give the floor to the first eight organisations (F1 is help)."""
    return f"f{position + 2}" if position < 8 else None


class ParticipationPanel(Static):
    DEFAULT_CSS = """
    ParticipationPanel {
        height: auto;
        padding: 0 1;
    }
    """

    def show(
        self,
        organisations: Sequence[OrganisationView],
        notes: Sequence[NoteView],
        state: ClockState,
    ) -> None:
        phase = state.phase_id
        in_phase = Counter(n.organisation_id for n in notes if n.phase_id == phase)
        overall = Counter(n.organisation_id for n in notes)
        table = Table(
            box=None, padding=(0, 1, 0, 0), expand=True, show_edge=False, header_style="bold"
        )
        table.add_column("", no_wrap=True)
        table.add_column(_("Org"), no_wrap=True)
        table.add_column(_("Phase"), justify="right", no_wrap=True)
        table.add_column(_("All"), justify="right", no_wrap=True)
        silent: list[str] = []
        for org in organisations:
            key = floor_key(org.position) or ""
            speaking_phase = state.floor_total(org.id, phase) if phase else 0.0
            speaking_all = state.floor_total(org.id)
            has_floor = state.floor == org.id
            name = Text(org.short, style="bold reverse" if has_floor else "bold")
            if has_floor:
                name.append(" ▶")
            if phase and not in_phase[org.id] and speaking_phase < 1:
                silent.append(org.short)
            table.add_row(
                Text(key.upper(), style="dim"),
                name,
                f"{in_phase[org.id]} {format_duration(speaking_phase)}",
                f"{overall[org.id]} {format_duration(speaking_all)}",
            )
        footer = Text()
        if state.closed:
            pass
        elif silent:
            footer.append(_("Not heard in this phase: "), style="dim")
            footer.append(", ".join(silent), style="bold yellow")
        elif phase:
            footer.append(_("Everyone has been heard in this phase."), style="dim")
        grid = Table.grid()
        grid.add_row(table)
        grid.add_row(footer)
        self.update(grid)
