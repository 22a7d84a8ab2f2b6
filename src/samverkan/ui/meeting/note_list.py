"""The meeting screen's note list: one line a note, the keys that act on the selected one."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.binding import Binding

from samverkan.domain.clock import format_duration
from samverkan.domain.labels import kind_label
from samverkan.domain.model import MeetingView, NoteKind, NoteView
from samverkan.i18n import _
from samverkan.ui.theme_colours import style
from samverkan.ui.widgets.note_stream import NoteStream

# Signs, not letters: the same in the Swedish and the English interface; the colour
# (a role of the theme, see theme_colours.py) only helps.
KIND_MARKS = {
    NoteKind.NOTE: ("·", "dim"),
    NoteKind.DECISION: ("§", "decision"),
    NoteKind.ACTION: ("»", "action"),
    NoteKind.QUESTION: ("?", "question"),
    NoteKind.QUOTE: ("”", "italic"),
    NoteKind.OBSERVATION: ("◎", "observation"),
}
_PLAIN = frozenset({"dim", "italic"})


class MeetingNoteStream(NoteStream):
    """The meeting's notes, with the keys that act on the selected one."""

    BINDINGS = [
        Binding(
            "e",
            "screen.edit_note",
            _("Edit"),
            tooltip=_("Edit the selected note in the input"),
            id="edit-note",
        ),
        Binding(
            "d,delete",
            "screen.delete_note",
            _("Delete"),
            tooltip=_("Delete the selected note (ctrl+z undoes)"),
            id="delete-note",
        ),
        Binding(
            "t",
            "screen.change_kind",
            _("Change kind"),
            tooltip=_("Make the selected note a decision, an action item … (ctrl+z undoes)"),
            id="change-kind",
        ),
        Binding(
            "x",
            "screen.toggle_done",
            _("Done"),
            tooltip=_("Tick the selected action item done or open"),
            id="toggle-done",
        ),
        Binding(
            "o",
            "screen.filter_org",
            _("Filter org"),
            tooltip=_("Show only one organisation's notes"),
            id="filter-org",
        ),
        Binding(
            "k",
            "screen.filter_kind",
            _("Filter kind"),
            tooltip=_("Show only one kind of note"),
            id="filter-kind",
        ),
        Binding(
            "a",
            "screen.toggle_phases",
            _("All phases"),
            tooltip=_("Show the notes of all phases or only the current one"),
            id="stream-all-phases",
        ),
        Binding(
            "escape,i",
            "screen.to_input",
            _("Write"),
            tooltip=_("Back to the note input"),
            id="to-input",
        ),
    ]


def format_note(meeting: MeetingView | None, note: NoteView, today: date | None = None) -> Text:
    """One line of the list: time, speaker, kind sign, an action item's owner and due date
    (and, past it, the word "overdue") before its text, so a narrow list still shows them,
    the text, tags."""
    org = meeting.organisation(note.organisation_id) if meeting else None
    text = Text()
    text.append(f"{format_duration(note.offset_seconds):>7} ", style="dim")
    text.append(f"{(org.short if org else '—'):<4} ", style="bold")
    mark, role = KIND_MARKS.get(note.kind, ("·", "dim"))
    text.append(f"{mark} ", style=role if role in _PLAIN else style(role))
    if note.kind == NoteKind.ACTION:
        text.append("☑ " if note.done else "☐ ", style=style("owner"))
        text.append_text(action_terms(meeting, note, today))
    text.append(
        note.text.replace("\n", " ⏎ "), style="italic" if note.kind == NoteKind.QUOTE else ""
    )
    if note.tags:
        text.append(
            "  #" + " #".join(sorted({t.slug for t in note.tags})), style="dim " + style("tags")
        )
    return text


def action_terms(meeting: MeetingView | None, note: NoteView, today: date | None) -> Text:
    """Who, by when and whether it is late: ``→ AF · 2018-09-01 ⚠ overdue``."""
    owner = meeting.organisation(note.owner_organisation_id) if meeting else None
    terms = Text()
    if owner is None and note.due is None:
        return terms
    terms.append("→ ", style=style("owner"))
    if owner is not None:
        terms.append(owner.short, style="bold " + style("owner"))
    if note.due is not None:
        terms.append((" · " if owner else "") + note.due.isoformat(), style=style("owner"))
        if not note.done and today is not None and note.due < today:
            terms.append(" ⚠ " + _("overdue"), style=style("overdue"))
    terms.append("  ")
    return terms


def note_detail(meeting: MeetingView, note: NoteView) -> Text:
    """The selected note in full, under the list."""
    org = meeting.organisation(note.organisation_id)
    # The note's own text first: the details may wrap, the words must show.
    info = Text(note.text.replace("\n", " ⏎ ") + "\n")
    info.append(f"{kind_label(note.kind)}", style="bold")
    speaker = org.short if org else _("the whole group")
    info.append(f" · {speaker} · {note.author}", style="dim")
    if note.kind == NoteKind.ACTION:
        owner = meeting.organisation(note.owner_organisation_id)
        info.append(" · " + _("owner: {owner}").format(owner=owner.short if owner else "—"))
        if note.due:
            info.append(" · " + _("due {date}").format(date=note.due.isoformat()))
        info.append(" · " + (_("done") if note.done else _("open")))
    return info


def view_filter_text(
    meeting: MeetingView | None,
    all_phases: bool,
    org_filter: str | None,
    kind_filter: NoteKind | None,
) -> Text:
    """What the list shows beyond or instead of the current phase, e.g. ``▼ Showing: all
    phases · only SKE``; empty while it shows the whole current phase."""
    parts: list[str] = []
    if all_phases:
        parts.append(_("all phases"))
    org = meeting.organisation(org_filter) if meeting and org_filter else None
    if org is not None:
        parts.append(_("only {org}").format(org=org.short))
    if kind_filter is not None:
        parts.append(_("only {kind}").format(kind=kind_label(kind_filter)))
    if not parts:
        return Text()
    return Text("▼ " + _("Showing: {what}").format(what=" · ".join(parts)))
