"""The summary shown before a meeting is closed: its decisions and open action items.

The dialog renders Markdown, so every note goes through the minutes' literal-safe
writer (:mod:`samverkan.domain.markdown_safe`): "1) Ring AF" stays that text, not
a nested list, and "&amp; Co" stays nine characters.
"""

from __future__ import annotations

from collections.abc import Sequence

from samverkan.domain import markdown_safe as md
from samverkan.domain.labels import owner_label
from samverkan.domain.model import MeetingView, NoteKind, NoteView
from samverkan.i18n import _


def action_owner(meeting: MeetingView, note: NoteView) -> str:
    """The owner of an action item as :func:`owner_label` writes it."""
    person = next((p.name for p in meeting.people if p.id == note.owner_person_id), None)
    org = meeting.organisation(note.owner_organisation_id)
    return owner_label(person, org.name if org else None)


def close_summary(
    meeting: MeetingView,
    notes: Sequence[NoteView],
    open_actions: Sequence[NoteView],
    *,
    reopen_key: str = "ctrl+j",
) -> str:
    """Markdown: what was decided and what is still to do, before the meeting closes."""
    decisions = [n for n in notes if n.kind == NoteKind.DECISION and not n.deleted]
    actions = [n for n in open_actions if not n.done]
    none = _("none")
    decisions_heading, actions_heading = _("Decisions"), _("Open action items")
    lines = [f"**{decisions_heading}** ({len(decisions)})", ""]
    lines += [md.list_item(n.text) for n in decisions] or [f"- {none}"]
    lines += ["", f"**{actions_heading}** ({len(actions)})", ""]
    for note in actions:
        due = ", " + _("due {date}").format(date=note.due.isoformat()) if note.due else ""
        # The text, then who and when in parentheses, escaped as one text.
        lines.append(md.list_item(f"{note.text} ({action_owner(meeting, note)}{due})"))
    if not actions:
        lines.append(f"- {none}")
    lines += [
        "",
        _("The meeting becomes read-only until it is reopened ({key}).").format(key=reopen_key),
    ]
    return "\n".join(lines)
