"""The meeting screen's rules, shown in F1 under its keys, with the keys as remapped."""

from __future__ import annotations

from textual.app import App

from samverkan.i18n import _
from samverkan.ui.meeting.keys import key_name


def meeting_help(app: App[object]) -> str:
    """How a typed line becomes a note, who spoke, the notes' keys, leaving (Markdown)."""
    keys = {
        name: f"`{key_name(app, binding_id)}`"
        for name, binding_id in {
            "speaker": "speaker",
            "edit": "edit-note",
            "delete": "delete-note",
            "kind": "change-kind",
            "done": "toggle-done",
            "org": "filter-org",
            "kinds": "filter-kind",
            "all": "all-phases",
            "undo": "undo",
        }.items()
    }
    return _(
        "**Writing notes.** Type and press Enter. Only these prefixes change the kind: "
        "`b:` `beslut:` `decision:` decision; `a:` `å:` `åtgärd:` `action:` action item; "
        "`f:` `fråga:` `q:` `question:` question; `c:` `citat:` `quote:` (or quotation "
        "marks) verbatim quote; `n:` `anteckning:` `note:` plain note. Other words with a "
        "colon (`Obs:`, `D:`) stay text. In an action item, `@AF` names the owner and a "
        "date such as `senast 2018-09-01`, `1/9`, `fredag` or `vecka 36` the due date, "
        "counted from today. Tab completes a mention.\n\n"
        "**Who spoke.** `@SKE` first on the line says who spoke and gives that "
        "organisation the floor; F2–F9, {speaker} or a click in the side panel do the same. "
        "An organisation's speaking time is the time it held the floor; the floor is free "
        "again at the next phase. Decisions and action items are the whole group's unless "
        "they start with `@ORG`.\n\n"
        "**The notes.** ↑ moves into the notes and ↑/↓ choose one: {edit} edits it, "
        "{delete} deletes it, {kind} changes its kind, {done} ticks an action item done, "
        "{org} and {kinds} filter by organisation or kind, {all} shows all phases. "
        "Letters are never commands there: typing a letter, or Esc, returns to writing. "
        "{undo} undoes the last change.\n\n"
        "**Leaving.** Esc in an empty line asks before leaving a running meeting. "
        "Notes that cannot be written yet wait, counted beside the line, and are kept "
        "in a recovery file beside the database until they are written."
    ).format(**keys)
