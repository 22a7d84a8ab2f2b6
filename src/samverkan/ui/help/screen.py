"""Help: every key of the screen underneath, with what it does."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Markdown, Static

from samverkan.i18n import _
from samverkan.ui.commands import own_bindings


class HelpScreen(ModalScreen[None]):
    # Absolute, so that subclasses in other feature folders (the observer's help) get this style.
    CSS_PATH = Path(__file__).with_name("screen.tcss")
    BINDINGS = [
        Binding("escape,q,f1,question_mark", "dismiss", _("Close"), tooltip=_("Close the help")),
    ]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        # One scrolling box: at 80×24 every key and the rules are read with ↑/↓ and PageUp/Down.
        with VerticalScroll(id="help-box"):
            yield Static(_("Keys on this screen"), id="help-title")
            table: DataTable[str] = DataTable(id="help-keys", cursor_type="row", show_cursor=False)
            table.can_focus = False
            yield table
            text = getattr(self.under, "help_text", None)
            if callable(text):
                yield Markdown(str(text()), id="help-text")
            yield Static(
                _("ctrl+p opens the command palette with every action. Esc closes this help."),
                classes="muted",
            )

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()
        table = self.query_one(DataTable)
        table.add_columns(_("Key"), _("Action"), _("What it does"))
        seen: set[tuple[str, str]] = set()
        describe = getattr(self.under, "describe_binding", None)
        # Keys a screen reads itself rather than through Textual's bindings (the meeting's
        # keys for the selected note), as the user's keymap left them.
        extra = getattr(self.under, "help_bindings", None)
        for binding in own_bindings(self.under) + (list(extra()) if callable(extra) else []):
            name = binding.action.rpartition(".")[2].partition("(")[0]
            if self.under.check_action(name, ()) is False:
                continue  # e.g. "Reopen meeting" while the meeting is open
            display = self.app.get_key_display(binding)
            description = describe(binding) if callable(describe) else binding.description
            if not description or (display, description) in seen:
                continue
            seen.add((display, description))
            table.add_row(display or binding.key, description, binding.tooltip)
