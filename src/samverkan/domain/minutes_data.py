"""What the minutes are made of, and who they are for.

:class:`MinutesData` is filled by ``samverkan.services.minutes`` in one read
transaction and rendered by :func:`samverkan.domain.minutes.render_minutes`;
:class:`Audience` decides what one organisation's version shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from samverkan.domain.clock import ClockEvent
from samverkan.domain.errors import UserError
from samverkan.domain.model import (
    MeetingSummary,
    MeetingView,
    NoteKind,
    NoteView,
    OrganisationView,
)
from samverkan.i18n import _

# Minutes show times in one fixed zone, not the machine's: the same database
# must give the same bytes on every laptop. The lärprojekt meet in Sweden.
DEFAULT_TZ = "Europe/Stockholm"


@dataclass(frozen=True)
class EarlierAction:
    """An action item of an earlier meeting: still open, or ticked done since the last one.

    ``first_due`` is the due date it had when it was first written, where it was
    carried on to a later one since.
    """

    meeting_number: int
    note: NoteView
    first_due: date | None = None


@dataclass(frozen=True)
class MinutesData:
    """Everything the minutes show, read in one transaction.

    ``notes`` are the meeting's notes that are not deleted, in the order they
    were written; ``events`` its clock log. ``tz`` names the zone the times
    are shown in (an IANA name); it is fixed rather than the machine's local
    zone so that every laptop renders the same bytes.
    """

    meeting: MeetingView
    notes: tuple[NoteView, ...] = ()
    events: tuple[ClockEvent, ...] = ()
    earlier_actions: tuple[EarlierAction, ...] = ()
    next_meeting: MeetingSummary | None = None
    tz: str = DEFAULT_TZ
    # Who actually observed: tagged a note or wrote an observation (not who was planned).
    observers: tuple[str, ...] = ()
    # Earlier meetings' action items ticked done since the last meeting.
    done_since: tuple[EarlierAction, ...] = ()


@dataclass(frozen=True)
class Audience:
    """Who the minutes are for: the whole group, or one organisation.

    An organisation's version keeps its own remarks, every remark that
    belongs to no organisation (the facilitator's and observers' group-level
    notes are shared), every decision (a decision is the group's, whoever
    voiced it) and the action items it is responsible for — the owner, or
    when none was named, the organisation that raised it; an action with
    neither is the group's. Header, attendance, phase times and the next
    meeting are shared. The observer's summary counts only the remarks the
    version shows, so no other organisation's words reach it through a quote.
    """

    organisation: OrganisationView | None = None

    def sees(self, note: NoteView) -> bool:
        if self.organisation is None or note.kind is NoteKind.DECISION:
            return True
        who = note.organisation_id
        if note.kind is NoteKind.ACTION:
            who = note.owner_organisation_id or note.organisation_id
        return who is None or who == self.organisation.id


def find_organisation(meeting: MeetingView, key: str) -> OrganisationView:
    """The project's organisation by short code or name, ignoring case."""
    folded = key.strip().casefold()
    for org in meeting.organisations:
        if folded in (org.short.casefold(), org.name.casefold()):
            return org
    raise UserError(
        _("there is no organisation {org} in {project}; choose one of {shorts}").format(
            org=key,
            project=meeting.project.short,
            shorts=", ".join(o.short for o in meeting.organisations),
        )
    )
