"""Help on the observer's screen: every key, plus how the two-key code sequences work."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Static

from samverkan.domain.observing import CodeKeys
from samverkan.i18n import _
from samverkan.ui.help.screen import HelpScreen


def code_key_help(keys: CodeKeys) -> str:
    dimensions = "\n".join(f"  {key}  {name}" for key, name in keys.dimensions.items())
    return _(
        "Tagging: select a note (↑/↓), then press its code's two keys, shown beside each code "
        "in the codebook: first the dimension's number, then the code's key (1-9, 0, a-z). "
        "Pressing them again removes your tag. Esc cancels a half-typed sequence.\n"
        "Or press / and type part of a code's name, then Enter tags the note with the first "
        "match (↓ to choose another).\n"
        "Own observations: press w, type '@ORG text #code' (→ accepts a completion), Enter.\n"
        "Dimensions:\n{dimensions}"
    ).format(dimensions=dimensions)


class ObserveHelpScreen(HelpScreen):
    """The usual key table with the code-key scheme explained above it."""

    def __init__(self, under: Screen[object], keys: CodeKeys) -> None:
        super().__init__(under)
        self.keys = keys

    def on_mount(self) -> None:
        box = self.query_one("#help-box")
        box.mount(
            Static(code_key_help(self.keys), id="help-code-keys"),
            after=self.query_one("#help-title"),
        )
