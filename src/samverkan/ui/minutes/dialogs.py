"""The two questions saving the minutes may ask: where, and whether to overwrite.

Both return a typed result and do nothing else (frogmouth's habit): the
minutes screen writes the file.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from samverkan.i18n import _

_CSS = """
{name} {{
    align: center middle;
}}
{name} > .minutes-dialog {{
    width: 70%;
    max-width: 90;
    height: auto;
    border: round $primary;
    background: $surface;
    padding: 0 1;
}}
{name} .dialog-title {{
    text-style: bold;
    margin-bottom: 1;
}}
{name} .dialog-buttons {{
    height: auto;
    align-horizontal: right;
}}
{name} Button {{
    margin-left: 1;
}}
"""


class SaveMinutesDialog(ModalScreen[Path | None]):
    """Ask for the file name, prefilled; Enter saves, Escape cancels."""

    DEFAULT_CSS = _CSS.format(name="SaveMinutesDialog")

    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            _("Cancel"),
            tooltip=_("Close without saving"),
            id="save-minutes-cancel",
        )
    ]

    def __init__(self, suggestion: Path) -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="minutes-dialog"):
            yield Static(_("Save the minutes as"), classes="dialog-title")
            yield Input(str(self.suggestion), id="minutes-file")
            yield Static(
                _("A relative name is saved in the folder samverkan was started from."),
                classes="muted",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save"), variant="primary", id="minutes-save-ok")
                yield Button(_("Cancel"), id="minutes-save-cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#minutes-save-ok")
    def _save(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        name = self.query_one(Input).value.strip()
        if name:
            self.dismiss(Path(name).expanduser())

    @on(Button.Pressed, "#minutes-save-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmOverwriteDialog(ModalScreen[bool]):
    """``path`` exists: overwrite it (y) or not (n, Escape)?"""

    DEFAULT_CSS = _CSS.format(name="ConfirmOverwriteDialog")

    BINDINGS = [
        Binding(
            "y",
            "answer(True)",
            _("Overwrite"),
            tooltip=_("Replace the file"),
            id="minutes-overwrite-yes",
        ),
        Binding(
            "n,escape",
            "answer(False)",
            _("Keep it"),
            tooltip=_("Leave the file as it is"),
            id="minutes-overwrite-no",
        ),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="minutes-dialog"):
            yield Static(
                _("{path} already exists. Overwrite it?").format(path=self.path),
                classes="dialog-title",
                markup=False,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Overwrite"), variant="warning", id="overwrite-yes")
                yield Button(_("Keep it"), id="overwrite-no")

    def on_mount(self) -> None:
        self.query_one("#overwrite-no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "overwrite-yes")

    def action_answer(self, overwrite: bool) -> None:
        self.dismiss(overwrite)
