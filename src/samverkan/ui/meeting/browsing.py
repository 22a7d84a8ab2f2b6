"""The meeting screen's keys read by the note line: browsing the notes (↑), and the
screen's own keys run in order with the letters (see note_input.py).
"""

from __future__ import annotations

from textual.actions import parse as parse_action
from textual.binding import Binding

from samverkan.ui.meeting.closing import MeetingClosing
from samverkan.ui.meeting.keys import MOVE_KEYS, browse_actions
from samverkan.ui.meeting.note_input import NoteInput
from samverkan.ui.widgets.note_stream import NoteStream


class MeetingBrowsing(MeetingClosing):
    """What the note line's keys do to the notes and the screen (its state is the screen's)."""

    def _screen_key(self, key: str) -> bool:
        """A key bound on this screen, run at once, in order with the letters around it
        (Textual would run it after the letters already queued behind it)."""
        for binding in self._ordered_bindings.get(key, ()):
            name, params = parse_action(binding.action)[1:]
            if self.check_action(name, params) is not True:
                continue
            method = getattr(self, f"action_{name}", None)
            if method is None:
                continue
            method(*params)
            return True
        return False

    _ordered_bindings: dict[str, list[Binding]] = {}

    # ------------------------------------------------------------ browsing the notes

    def _start_browsing(self) -> bool:
        stream = self.query_one("#notes", NoteStream)
        if not stream.notes:
            return False
        self._paint_composer()
        return True

    def _stop_browsing(self) -> None:
        self._paint_composer()

    def _browse_key(self, key: str) -> bool:
        """A key that types nothing, while browsing the notes; True if handled."""
        stream = self.query_one("#notes", NoteStream)
        moves = {
            "up": lambda: stream.action_cursor(-1),
            "down": lambda: stream.action_cursor(1),
            "pageup": lambda: stream.action_page(-1),
            "pagedown": lambda: stream.action_page(1),
            "home": lambda: stream.action_jump(0),
            "end": lambda: stream.action_jump(-1),
        }
        move = moves.get(key)
        if move is not None:
            move()
            return True
        action = self._browse_actions.get(key)
        if action is None:
            return False
        getattr(self, f"action_{action}")()
        return True

    _browse_actions: dict[str, str] = {}

    def _set_browse_keys(self) -> None:
        """The keys that act on the selected note, and the screen's keys run from the note
        line, as the user's keymap left them."""
        self._browse_actions = browse_actions(self.app._keymap)
        own = self._bindings.copy()
        if self.app._keymap:
            own.apply_keymap(self.app._keymap)
        self._ordered_bindings = {
            key: list(bindings)
            for key, bindings in own.key_to_bindings.items()
            if key not in ("up", "escape", "enter", "tab")  # the line's own
        }
        note_input = self.query_one("#note-input", NoteInput)
        note_input.browse_keys = MOVE_KEYS | frozenset(self._browse_actions)
