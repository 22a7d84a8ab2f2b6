"""Names of the vocabulary's enums in the user's language (UI, CLI, minutes)."""

from __future__ import annotations

from samverkan.domain.overview import MeetingStatus, NoteKind, PhaseKind, Polarity
from samverkan.i18n import _


def status_label(status: MeetingStatus | str) -> str:
    return {
        MeetingStatus.PLANNED: _("planned"),
        MeetingStatus.RUNNING: _("running"),
        MeetingStatus.CLOSED: _("closed"),
    }.get(MeetingStatus(status), str(status))


def kind_label(kind: NoteKind | str) -> str:
    return {
        NoteKind.NOTE: _("note"),
        NoteKind.DECISION: _("decision"),
        NoteKind.ACTION: _("action item"),
        NoteKind.QUESTION: _("question"),
        NoteKind.QUOTE: _("quote"),
        NoteKind.OBSERVATION: _("observation"),
    }.get(NoteKind(kind), str(kind))


def phase_kind_label(kind: PhaseKind | str) -> str:
    return {
        PhaseKind.HOST: _("host presentation"),
        PhaseKind.DISCUSSION: _("discussion"),
        PhaseKind.OBSERVATION: _("observation"),
        PhaseKind.OTHER: _("other"),
    }.get(PhaseKind(kind), str(kind))


def polarity_label(polarity: Polarity | str) -> str:
    return {
        Polarity.SUCCESS: _("success factor"),
        Polarity.OBSTACLE: _("obstacle"),
        Polarity.AMBIVALENT: _("ambivalent"),
    }.get(Polarity(polarity), str(polarity))


def polarity_heading(polarity: Polarity | str) -> str:
    return {
        Polarity.SUCCESS: _("Success factors"),
        Polarity.OBSTACLE: _("Obstacles"),
        Polarity.AMBIVALENT: _("Ambivalent"),
    }.get(Polarity(polarity), str(polarity))


def owner_label(person: str | None, organisation: str | None) -> str:
    """Who owns an action item, written the same way in the close dialog, minutes and report.

    The person and their organisation, or the organisation alone; an action item
    nobody was named for says so rather than borrowing the speaker's organisation.
    """
    if person and organisation:
        return f"{person} ({organisation})"
    return person or organisation or _("no owner named")
