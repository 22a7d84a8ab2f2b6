"""Ask for one line of text; the caller decides what to do with it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from samverkan.i18n import _


class TextInputDialog(ModalScreen[str | None]):
    DEFAULT_CSS = """
    TextInputDialog {
        align: center middle;
    }
    TextInputDialog > Vertical {
        width: 70%;
        max-width: 80;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    TextInputDialog .dialog-title {
        text-style: bold;
    }
    """
    BINDINGS = [Binding("escape", "cancel", _("Cancel"), tooltip=_("Close without saving"))]

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="dialog-input")
            yield Static(_("Enter: OK · Esc: cancel"), classes="muted")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        self.dismiss(text or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
