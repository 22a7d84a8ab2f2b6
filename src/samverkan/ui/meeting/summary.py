"""The summary shown before a meeting is closed: its decisions and open action items."""

from __future__ import annotations

from collections.abc import Sequence

from samverkan.domain.model import MeetingView, NoteKind, NoteView
from samverkan.i18n import _


def _plain(text: str) -> str:
    # The dialog renders Markdown; a note is shown as typed, on one line.
    escaped = "".join("\\" + c if c in "\\`*_[]<>#+-.!|~" else c for c in text)
    return " ".join(escaped.split())


def close_summary(
    meeting: MeetingView, notes: Sequence[NoteView], open_actions: Sequence[NoteView]
) -> str:
    """Markdown: what was decided and what is still to do, before the meeting closes."""
    decisions = [n for n in notes if n.kind == NoteKind.DECISION and not n.deleted]
    actions = [n for n in open_actions if not n.done]
    none = _("none")
    decisions_heading, actions_heading = _("Decisions"), _("Open action items")
    lines = [f"**{decisions_heading}** ({len(decisions)})", ""]
    lines += [f"- {_plain(n.text)}" for n in decisions] or [f"- {none}"]
    lines += ["", f"**{actions_heading}** ({len(actions)})", ""]
    for note in actions:
        owner = meeting.organisation(note.owner_organisation_id)
        due = ", " + _("due {date}").format(date=note.due.isoformat()) if note.due else ""
        lines.append(f"- {_plain(note.text)} ({owner.short if owner else '—'}{due})")
    if not actions:
        lines.append(f"- {none}")
    lines += ["", _("The meeting becomes read-only until it is reopened (F10).")]
    return "\n".join(lines)
