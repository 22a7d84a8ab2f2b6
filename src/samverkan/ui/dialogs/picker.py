"""A one-key picker: press the key shown beside a choice, Esc to cancel.

Used for the speaking organisation, the note kind and the filters, so each of
those is at most two keystrokes from the note input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from samverkan.i18n import _


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    value: str | None


class PickerDialog(ModalScreen[Choice | None]):
    DEFAULT_CSS = """
    PickerDialog {
        align: center middle;
    }
    PickerDialog > Vertical {
        width: auto;
        min-width: 30;
        max-width: 70;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    PickerDialog .picker-title {
        text-style: bold;
    }
    """
    BINDINGS = [Binding("escape", "cancel", _("Cancel"), tooltip=_("Close without choosing"))]

    def __init__(self, title: str, choices: Sequence[Choice]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="picker-title")
            for choice in self.choices:
                yield Static(f"[b reverse] {choice.key} [/] {choice.label}", markup=True)
            yield Static(_("Esc: cancel"), classes="muted")

    def on_key(self, event: events.Key) -> None:
        pressed = (event.character or event.key or "").casefold()
        for choice in self.choices:
            if choice.key.casefold() == pressed:
                event.stop()
                self.dismiss(choice)
                return

    def action_cancel(self) -> None:
        self.dismiss(None)
