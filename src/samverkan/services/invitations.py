"""Invitations of browser observers: one random token per observer and meeting.

The token is the observer's key to ``samverkan serve``: it is shown once, when
the invitation is made, and only its SHA-256 is stored (a token has 144 random
bits, so an unsalted hash is enough to make a stolen database useless for
joining). An invitation stops working when it is revoked or when its meeting
is closed; inviting the same name again revokes the older link.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from samverkan.domain.errors import UserError
from samverkan.domain.model import MeetingStatus, new_id
from samverkan.i18n import _
from samverkan.store import tables as t
from samverkan.store.engine import Database

# The server marks connected observers every few seconds; a mark older than
# this means the observer (or the server) has gone.
CONNECTED_WITHIN = timedelta(seconds=15)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """24 URL-safe characters (144 random bits): short enough to type from a screen."""
    return secrets.token_urlsafe(18)


@dataclass(frozen=True)
class InvitationView:
    id: str
    meeting_id: str
    observer: str
    created_at: datetime
    revoked_at: datetime | None
    used_at: datetime | None
    seen_at: datetime | None

    def connected(self, now: datetime) -> bool:
        return (
            self.revoked_at is None
            and self.seen_at is not None
            and now - self.seen_at <= CONNECTED_WITHIN
        )


@dataclass(frozen=True)
class NewInvitation:
    invitation: InvitationView
    token: str  # shown once; only its hash is kept


def _view(row: t.Invitation) -> InvitationView:
    return InvitationView(
        row.id,
        row.meeting_id,
        row.observer,
        row.created_at,
        row.revoked_at,
        row.used_at,
        row.seen_at,
    )


def _clean_name(observer: str) -> str:
    name = " ".join(observer.split())
    if not name:
        raise UserError(_("an invitation needs the observer's name, e.g. 'Cecilia Norberg'"))
    return name


class InvitationService:
    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._db = database
        self._clock = clock

    def _open_meeting(self, session: Session, meeting_id: str) -> t.Meeting:
        meeting = session.get(t.Meeting, meeting_id)
        if meeting is None:
            raise UserError(_("the meeting no longer exists in this database"))
        if meeting.status == MeetingStatus.CLOSED:
            raise UserError(_("the meeting is closed; observers can no longer join it"))
        return meeting

    def invite(self, meeting_id: str, observer: str) -> NewInvitation:
        """A new link for ``observer``; an earlier link of the same name stops working."""
        name = _clean_name(observer)
        token = new_token()
        now = self._clock()
        with self._db.write() as session:
            self._open_meeting(session, meeting_id)
            for row in self._active(session, meeting_id, name):
                row.revoked_at = now
                session.add(row)
            row = t.Invitation(
                id=new_id(),
                meeting_id=meeting_id,
                observer=name,
                token_hash=token_hash(token),
                created_at=now,
            )
            session.add(row)
            session.flush()
            return NewInvitation(_view(row), token)

    def _active(self, session: Session, meeting_id: str, name: str) -> list[t.Invitation]:
        rows = session.exec(
            select(t.Invitation).where(
                t.Invitation.meeting_id == meeting_id,
                col(t.Invitation.revoked_at).is_(None),
            )
        ).all()
        return [r for r in rows if r.observer.casefold() == name.casefold()]

    def revoke(self, meeting_id: str, observer: str) -> int:
        """Revoke ``observer``'s link; the number revoked (an error when there was none)."""
        name = _clean_name(observer)
        with self._db.write() as session:
            rows = self._active(session, meeting_id, name)
            if not rows:
                raise UserError(
                    _("{name} has no open invitation to this meeting").format(name=name)
                )
            now = self._clock()
            for row in rows:
                row.revoked_at = now
                session.add(row)
            return len(rows)

    def invitations(self, meeting_id: str, *, revoked: bool = False) -> list[InvitationView]:
        """The meeting's invitations, oldest first; revoked ones only when asked."""
        with self._db.read() as session:
            query = select(t.Invitation).where(t.Invitation.meeting_id == meeting_id)
            if not revoked:
                query = query.where(col(t.Invitation.revoked_at).is_(None))
            rows = session.exec(query.order_by(col(t.Invitation.created_at))).all()
            return [_view(r) for r in rows]

    def admit(self, token: str, meeting_id: str) -> InvitationView | None:
        """The invitation this token opens for the meeting, or None (unknown, revoked,
        another meeting, or the meeting closed). Marks the first use."""
        with self._db.write() as session:
            row = session.exec(
                select(t.Invitation).where(t.Invitation.token_hash == token_hash(token))
            ).first()
            if row is None or row.revoked_at is not None or row.meeting_id != meeting_id:
                return None
            meeting = session.get(t.Meeting, meeting_id)
            if meeting is None or meeting.status == MeetingStatus.CLOSED:
                return None
            if row.used_at is None:
                row.used_at = self._clock()
                session.add(row)
            return _view(row)

    def still_valid(self, invitation_ids: Iterable[str], meeting_id: str) -> set[str]:
        """Those of the ids that still admit their observer (one read for all)."""
        ids = set(invitation_ids)
        if not ids:
            return set()
        with self._db.read() as session:
            meeting = session.get(t.Meeting, meeting_id)
            if meeting is None or meeting.status == MeetingStatus.CLOSED:
                return set()
            rows = session.exec(
                select(t.Invitation.id).where(
                    col(t.Invitation.id).in_(ids),
                    t.Invitation.meeting_id == meeting_id,
                    col(t.Invitation.revoked_at).is_(None),
                )
            ).all()
            return set(rows)

    def mark_seen(self, invitation_ids: Iterable[str]) -> None:
        """The server's heartbeat for the observers connected now."""
        ids = set(invitation_ids)
        if not ids:
            return
        now = self._clock()
        with self._db.write() as session:
            for row in session.exec(
                select(t.Invitation).where(col(t.Invitation.id).in_(ids))
            ).all():
                row.seen_at = now
                session.add(row)

    def mark_gone(self, invitation_id: str) -> None:
        with self._db.write() as session:
            row = session.get(t.Invitation, invitation_id)
            if row is not None:
                row.seen_at = None
                session.add(row)
