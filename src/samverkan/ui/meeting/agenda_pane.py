"""The meeting screen's agenda pane: the current phase's script and prompts."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from samverkan.domain.model import PhaseView


class AgendaPane(Static):
    """What the facilitator says and asks in this phase; hidden when there is nothing."""

    def show(self, phase: PhaseView | None) -> None:
        if phase and (phase.prompts or phase.script):
            body = Text()
            if phase.script:
                body.append(phase.script.split("\n\n")[0] + "\n", style="italic dim")
            for prompt in phase.prompts:
                body.append("• " + prompt + "\n")
            self.update(body)
            self.display = True
        else:
            self.display = False
