"""The meeting screen's keys.

Every action has a key that reaches the app in GNOME Terminal, macOS Terminal and
iTerm2, Windows Terminal and inside tmux: ctrl+letters the note input does not use
(not ctrl+a, the start of the line; not ctrl+b, tmux's prefix), with function keys
as second keys. Each binding has an id, so users remap it in the settings file::

    [keys]
    next-phase = "ctrl+right"
"""

from __future__ import annotations

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
        "ctrl+j",
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
