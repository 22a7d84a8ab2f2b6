"""Yes/no questions: the dialog returns the answer; the caller acts on it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Markdown, Static

from samverkan.i18n import _


class ConfirmDialog(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
    }
    ConfirmDialog > Vertical {
        width: 80%;
        max-width: 90;
        height: auto;
        max-height: 90%;
        border: thick $warning;
        background: $surface;
        padding: 0 1;
    }
    ConfirmDialog .confirm-title {
        text-style: bold;
    }
    ConfirmDialog Markdown {
        height: auto;
        max-height: 16;
        overflow-y: auto;
        margin: 0;
    }
    ConfirmDialog Horizontal {
        height: auto;
        align-horizontal: right;
    }
    ConfirmDialog Button {
        margin-left: 1;
    }
    """
    BINDINGS = [
        Binding("escape,n", "answer(False)", _("No"), tooltip=_("Answer no")),
        Binding("y,j", "answer(True)", _("Yes"), tooltip=_("Answer yes")),
    ]

    def __init__(
        self, title: str, body: str = "", *, yes: str = "", no: str = "", letters: bool = True
    ) -> None:
        """``letters=False``: for a question that may appear while the user is typing
        (leaving a meeting, quitting with notes waiting): no letter answers it and
        the safe answer has the focus, so a note typed on cannot say yes."""
        super().__init__()
        self.title_text = title
        self.body = body
        self.yes_label = yes or _("Yes")
        self.no_label = no or _("No")
        self.letters = letters

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="confirm-title")
            if self.body:
                yield Markdown(self.body)
            with Horizontal():
                yield Button(self.no_label, id="no")
                yield Button(self.yes_label, id="yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#yes" if self.letters else "#no", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Escape ("no") always works; y/j only where letters may answer.
        return self.letters or parameters != (True,)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
