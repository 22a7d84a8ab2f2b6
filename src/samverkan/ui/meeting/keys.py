"""The meeting screen's keys.

Every action has a key that reaches the app in GNOME Terminal, macOS Terminal and
iTerm2, Windows Terminal and inside tmux: ctrl+letters that the note line does not
use for editing (not ctrl+a/e/w/u/k/d, the line's own), that no terminal or tmux
takes (not ctrl+b, tmux's prefix; not F10/F11, GNOME Terminal's menu and full
screen), and that are not Textual's (ctrl+p palette, ctrl+q quit, ctrl+c copy).
Function keys are second keys (Mac laptops need fn). Letters are never commands
while the note line is open (issue 9): the keys that act on the selected note
while browsing (↑) are ctrl keys and Enter/Delete, read by the note line itself.

Each binding has an id, so users remap it in the settings file::

    [keys]
    next-phase = "ctrl+right"
    delete-note = "ctrl+d"
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from textual.app import App
from textual.binding import Binding

from samverkan.i18n import _


def _floor_bindings() -> list[Binding]:
    return [
        Binding(
            f"f{n + 2}",
            f"floor({n})",
            _("Floor to organisation {n}").format(n=n + 1),
            show=False,
            tooltip=_("Give the floor to this organisation and make it the speaker"),
            id=f"floor-{n + 1}",
        )
        for n in range(8)
    ]


MEETING_BINDINGS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    Binding(
        "ctrl+s",
        "start_pause",
        _("Start/pause"),
        tooltip=_("Start, pause or resume the meeting clock"),
        id="start-pause",
    ),
    Binding(
        "ctrl+n",
        "phase(1)",
        _("Next phase"),
        tooltip=_("Move to the next phase"),
        id="next-phase",
    ),
    Binding(
        "ctrl+r",
        "phase(-1)",
        _("Prev. phase"),
        tooltip=_("Move back to the previous phase"),
        id="prev-phase",
    ),
    Binding(
        "ctrl+o",
        "pick_speaker",
        _("Speaker"),
        tooltip=_("Choose the speaking organisation (then one key)"),
        id="speaker",
    ),
    Binding(
        "ctrl+t",
        "pick_kind",
        _("Kind"),
        tooltip=_("Choose the kind of the next note (then one key)"),
        id="kind",
    ),
    Binding(
        "ctrl+z",
        "undo",
        _("Undo"),
        tooltip=_("Undo the last add, edit, delete or tick"),
        id="undo",
    ),
    Binding(
        "up",
        "to_notes",
        _("Notes"),
        show=False,
        tooltip=_("Move from the input to the notes"),
        id="to-notes",
    ),
    Binding(
        "ctrl+g",
        "setup",
        _("Attendance"),
        tooltip=_("Attendance, agenda and open action items"),
        id="setup",
    ),
    Binding(
        "ctrl+j",
        "close_meeting",
        _("Close meeting"),
        tooltip=_("Show the decisions and open action items, then close the meeting"),
        id="close",
    ),
    # The same keys, named for what they do once the meeting is closed.
    Binding(
        "ctrl+j",  # remapping "close" remaps this too (see with_linked_keys)
        "reopen_meeting",
        _("Reopen meeting"),
        tooltip=_("Make a closed meeting editable again"),
        id="reopen",
    ),
    Binding(
        "f12",
        "minutes",
        _("Minutes"),
        show=False,
        tooltip=_("Preview and save the minutes"),
        id="minutes",
    ),
    Binding(
        "ctrl+l",
        "toggle_phases",
        _("All phases"),
        tooltip=_("Show the notes of all phases or only the current one"),
        id="all-phases",
    ),
    Binding(
        "ctrl+y",
        "cover_prompt",
        _("Covered"),
        tooltip=_("Mark the current question covered and move to the next"),
        id="cover-prompt",
    ),
    Binding(
        "pageup",
        "agenda_page(-1)",
        _("Agenda up"),
        show=False,
        tooltip=_("Scroll the questions and script up"),
        id="agenda-up",
    ),
    Binding(
        "pagedown",
        "agenda_page(1)",
        _("Agenda down"),
        show=False,
        tooltip=_("Scroll the questions and script down"),
        id="agenda-down",
    ),
    Binding(
        "escape",
        "back",
        _("Back"),
        show=False,
        tooltip=_("Cancel editing, or leave the meeting"),
        id="back",
    ),
    *_floor_bindings(),
]

# While browsing the notes (↑ from the note line) these act on the selected note. They
# are read by the note line's own key handler (note_input.py), in order with the letters,
# not by Textual's bindings; their ids remap them like every other key.
BROWSE_BINDINGS: list[Binding] = [
    Binding(
        "enter",
        "edit_note",
        _("Edit note"),
        tooltip=_("Edit the selected note in the line (while browsing the notes)"),
        id="edit-note",
    ),
    Binding(
        "delete,backspace",
        "delete_note",
        _("Delete note"),
        tooltip=_("Delete the selected note (while browsing; ctrl+z undoes)"),
        id="delete-note",
    ),
    Binding(
        "ctrl+t",
        "change_kind",
        _("Change kind"),
        tooltip=_("Make the selected note a decision, an action item … (while browsing)"),
        id="change-kind",
    ),
    Binding(
        "ctrl+x",
        "toggle_done",
        _("Done"),
        tooltip=_("Tick the selected action item done or open (while browsing)"),
        id="toggle-done",
    ),
    Binding(
        "ctrl+f",
        "filter_org",
        _("Filter org"),
        tooltip=_("Show only one organisation's notes (while browsing)"),
        id="filter-org",
    ),
    Binding(
        "ctrl+k",
        "filter_kind",
        _("Filter kind"),
        tooltip=_("Show only one kind of note (while browsing)"),
        id="filter-kind",
    ),
]

# Keys that move through the notes while browsing; not remapped.
MOVE_KEYS = frozenset({"up", "down", "pageup", "pagedown", "home", "end"})

# One setting moves both: the key that closes the meeting also reopens it.
_LINKED = {"close": "reopen"}


def with_linked_keys(keys: Mapping[str, str]) -> dict[str, str]:
    """The user's keymap, with "reopen" following "close" unless set on its own."""
    linked = dict(keys)
    for source, target in _LINKED.items():
        if source in linked and target not in linked:
            linked[target] = linked[source]
    return linked


def _keys(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    return [key.strip() for key in keys.split(",") if key.strip()]


def remapped(binding: Binding, keymap: Mapping[str, str]) -> Binding:
    """The binding with the keys the user's keymap gives it."""
    return replace(binding, key=",".join(_keys(binding, keymap)))


def browse_actions(keymap: Mapping[str, str]) -> dict[str, str]:
    """Key → action while browsing the notes, as the user's keymap left them."""
    return {key: b.action for b in BROWSE_BINDINGS for key in _keys(b, keymap)}


def key_name(app: App[object], binding_id: str) -> str:
    """The first key of a meeting binding as the user's keymap left it, e.g. "ctrl+j"."""
    keymap = getattr(app, "_keymap", {}) or {}
    for binding in [*MEETING_BINDINGS, *BROWSE_BINDINGS]:
        if isinstance(binding, Binding) and binding.id == binding_id:
            keys = _keys(binding, keymap)
            return keys[0] if keys else binding.key
    raise KeyError(binding_id)
