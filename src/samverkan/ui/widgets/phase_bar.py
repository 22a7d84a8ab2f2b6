"""The meeting's clock line: current phase, elapsed/planned, total, what comes next."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from samverkan.domain.clock import ClockState, format_duration
from samverkan.domain.model import PhaseView
from samverkan.domain.schedule import schedule
from samverkan.i18n import _, ngettext
from samverkan.ui.meeting.keys import key_name
from samverkan.ui.theme_colours import style

WARN_AT = 0.8


def phase_title(phase: PhaseView) -> str:
    if phase.planned_minutes:
        return _("{title} ({minutes} min)").format(title=phase.title, minutes=phase.planned_minutes)
    return phase.title


def local_clock(moment: datetime) -> str:
    """A time of day in the computer's time zone."""
    return moment.astimezone().strftime("%H:%M")


class PhaseBar(Static):
    """Redrawn every second by the meeting screen from the replayed clock."""

    DEFAULT_CSS = """
    PhaseBar {
        height: 2;
        padding: 0 1;
        background: $panel;
    }
    """

    def show(
        self,
        phases: Sequence[PhaseView],
        state: ClockState,
        *,
        closed: bool,
        now: datetime | None = None,
    ) -> None:
        self.update(self._render_bar(phases, state, closed, now), layout=False)

    def _render_bar(
        self,
        phases: Sequence[PhaseView],
        state: ClockState,
        closed: bool,
        now: datetime | None = None,
    ) -> RenderableType:
        index = next((i for i, p in enumerate(phases) if p.id == state.phase_id), -1)
        grid = Table.grid(expand=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        total = Text(_("Total {time}").format(time=format_duration(state.total)), style="bold")
        if closed:
            status = Text(_("Meeting closed — read only"), style="bold")
            grid.add_row(status, total)
            grid.add_row(
                Text(
                    _("{key} reopens the meeting").format(key=key_name(self.app, "reopen")),
                    style="dim",
                ),
                Text(""),
            )
            return grid
        if not state.running:
            grid.add_row(Text(_("Not started"), style="bold"), total)
            first = phase_title(phases[0]) if phases else ""
            grid.add_row(
                Text(
                    _("{key} starts the meeting with: {phase}").format(
                        key=key_name(self.app, "start-pause"), phase=first
                    ),
                    style="dim",
                ),
                Text(""),
            )
            return grid
        phase = phases[index] if index >= 0 else None
        heading = Text()
        heading.append(_("Phase {n}/{count} · ").format(n=index + 1, count=len(phases)))
        heading.append(phase.title if phase else "", style="bold")
        grid.add_row(heading, self._timer(phase, state) + Text("   ") + total)
        following = phases[index + 1] if 0 <= index < len(phases) - 1 else None
        next_text = (
            Text(_("Next: {phase}").format(phase=phase_title(following)), style="dim")
            if following
            else Text(
                _("Last phase — {key} closes the meeting").format(key=key_name(self.app, "close")),
                style="dim",
            )
        )
        marker = (
            Text(
                _("⏸ PAUSED — {key} resumes").format(key=key_name(self.app, "start-pause")),
                style="bold reverse",
            )
            if state.paused
            else self._ends(phases, state, now)
        )
        grid.add_row(next_text, marker)
        return grid

    @staticmethod
    def _ends(phases: Sequence[PhaseView], state: ClockState, now: datetime | None) -> Text:
        """Planned end, projected end, and how far ahead or behind, in words."""
        plan = schedule(phases, state)
        if plan is None:
            return Text("")
        minutes = round(plan.behind_seconds / 60)
        text = Text(_("ends {planned}").format(planned=local_clock(plan.planned_end)), style="dim")
        if minutes > 0:
            text.append(" · ")
            text.append(
                ngettext("{n} min behind", "{n} min behind", minutes).format(n=minutes),
                style="bold",
            )
            text.append(" → " + local_clock(plan.projected_end), style="bold")
        elif minutes < 0:
            text.append(" · ")
            text.append(ngettext("{n} min ahead", "{n} min ahead", -minutes).format(n=-minutes))
            text.append(" → " + local_clock(plan.projected_end))
        else:
            text.append(" · " + _("on time"), style="dim")
        return text

    @staticmethod
    def _timer(phase: PhaseView | None, state: ClockState) -> Text:
        if phase is None:
            return Text("")
        elapsed = state.phase_elapsed(phase.id)
        if not phase.planned_minutes:
            return Text(format_duration(elapsed))
        planned = phase.planned_minutes * 60
        share = elapsed / planned
        shade = style("overdue") if share > 1 else style("warn") if share >= WARN_AT else ""
        text = Text(f"{format_duration(elapsed)} / {format_duration(planned)}", style=shade)
        if share > 1:
            # In words and with a sign, not only in colour.
            text.append(
                " ⚠ " + _("+{time} over").format(time=format_duration(elapsed - planned)),
                style=style("over"),
            )
        elif share >= WARN_AT:
            left = max(0, round((planned - elapsed) / 60))
            text.append(
                " ⚠ " + ngettext("{n} min left", "{n} min left", left).format(n=left),
                style=shade,
            )
        else:
            filled = round(min(share, 1) * 10)
            text.append(" " + "█" * filled + "░" * (10 - filled), style=shade or style("ok"))
        return text
