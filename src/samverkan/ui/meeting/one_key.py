"""Questions one key answers (which kind? who speaks? which filter?), asked in the note line.

While the note line is open the question is shown under the notes and the next
key typed answers it, in the line's own key handler (see note_input.py): a
dialog would take the keys typed right after the answer while it closes. A
closed meeting has no note line; there the question is a :class:`PickerDialog`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from samverkan.i18n import _
from samverkan.ui.dialogs.picker import Choice, PickerDialog
from samverkan.ui.meeting.note_input import NoteInput, Question

if TYPE_CHECKING:
    from samverkan.ui.meeting.actions import MeetingActions


def ask_one_key(
    screen: MeetingActions,
    title: str,
    choices: Sequence[Choice],
    chosen: Callable[[Choice | None], None],
) -> None:
    note_input = screen.query_one("#note-input", NoteInput)
    if note_input.disabled:
        screen.app.push_screen(PickerDialog(title, choices), chosen)
        return
    by_key = {choice.key.casefold(): choice for choice in choices}

    def answer(key: str | None) -> None:
        screen.show_question(None)
        chosen(by_key.get(key) if key is not None else None)

    note_input.ask(Question(frozenset(by_key), answer))
    screen.show_question(question_text(title, choices))


def question_text(title: str, choices: Sequence[Choice]) -> Text:
    """The question and its keys on one line, e.g. ``Kind of the next note: b decision …``."""
    text = Text(title + "  ", style="bold")
    for choice in choices:
        text.append(f" {choice.key} ", style="reverse")
        text.append(f" {choice.label}  ")
    text.append("· " + _("Esc: cancel"), style="dim")
    return text
