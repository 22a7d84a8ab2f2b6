"""Invitations: random tokens stored hashed, one open link per name, ended by revoking
or by closing the meeting."""

from __future__ import annotations

import sqlite3

import pytest

from samverkan.domain.clock import ManualClock
from samverkan.domain.errors import UserError
from samverkan.services import Services
from samverkan.services.invitations import InvitationService, token_hash


@pytest.fixture
def invitations(imported: Services, clock: ManualClock) -> InvitationService:
    return InvitationService(imported.database, clock)


def test_the_token_is_random_and_only_its_hash_is_stored(
    imported: Services, invitations: InvitationService
) -> None:
    meeting = imported.projects.resolve_ref("grupp-1/3")
    first = invitations.invite(meeting, "  Cecilia   Norberg ")
    second = invitations.invite(meeting, "Anders")
    assert first.invitation.observer == "Cecilia Norberg"
    assert first.token != second.token and len(first.token) >= 24
    dump = "\n".join(sqlite3.connect(imported.path).iterdump())
    assert first.token not in dump and second.token not in dump
    assert token_hash(first.token) in dump


def test_admit_opens_the_meeting_it_was_made_for_and_marks_first_use(
    imported: Services, invitations: InvitationService, clock: ManualClock
) -> None:
    meeting = imported.projects.resolve_ref("grupp-1/3")
    other = imported.projects.resolve_ref("grupp-1/4")
    new = invitations.invite(meeting, "Cecilia")
    assert invitations.admit(new.token, other) is None
    assert invitations.admit("not-a-token", meeting) is None
    clock.advance(60)
    admitted = invitations.admit(new.token, meeting)
    assert admitted is not None and admitted.used_at == clock()
    clock.advance(60)
    again = invitations.admit(new.token, meeting)
    assert again is not None and again.used_at == admitted.used_at


def test_inviting_a_name_again_revokes_the_older_link(
    imported: Services, invitations: InvitationService
) -> None:
    meeting = imported.projects.resolve_ref("grupp-1/3")
    old = invitations.invite(meeting, "Cecilia")
    new = invitations.invite(meeting, "cecilia")
    assert invitations.admit(old.token, meeting) is None
    assert invitations.admit(new.token, meeting) is not None
    assert [i.observer for i in invitations.invitations(meeting)] == ["cecilia"]
    assert len(invitations.invitations(meeting, revoked=True)) == 2


def test_revoke_ends_the_link_and_says_when_there_is_none(
    imported: Services, invitations: InvitationService
) -> None:
    meeting = imported.projects.resolve_ref("grupp-1/3")
    new = invitations.invite(meeting, "Cecilia")
    assert invitations.still_valid({new.invitation.id}, meeting) == {new.invitation.id}
    assert invitations.revoke(meeting, "CECILIA") == 1
    assert invitations.admit(new.token, meeting) is None
    assert invitations.still_valid({new.invitation.id}, meeting) == set()
    with pytest.raises(UserError, match="no open invitation"):
        invitations.revoke(meeting, "Cecilia")


def test_closing_the_meeting_expires_every_link_and_refuses_new_ones(
    imported: Services, invitations: InvitationService
) -> None:
    meeting = imported.projects.resolve_ref("grupp-1/3")
    new = invitations.invite(meeting, "Cecilia")
    imported.meetings.start(meeting)
    assert invitations.admit(new.token, meeting) is not None
    imported.meetings.close(meeting)
    assert invitations.admit(new.token, meeting) is None
    assert invitations.still_valid({new.invitation.id}, meeting) == set()
    with pytest.raises(UserError, match="closed"):
        invitations.invite(meeting, "Anders")


def test_connected_is_a_recent_mark_by_the_server(
    imported: Services, invitations: InvitationService, clock: ManualClock
) -> None:
    meeting = imported.projects.resolve_ref("grupp-1/3")
    new = invitations.invite(meeting, "Cecilia")
    (row,) = invitations.invitations(meeting)
    assert not row.connected(clock())
    invitations.mark_seen({new.invitation.id})
    (row,) = invitations.invitations(meeting)
    assert row.connected(clock())
    clock.advance(60)
    assert not row.connected(clock())
    invitations.mark_seen({new.invitation.id})
    invitations.mark_gone(new.invitation.id)
    (row,) = invitations.invitations(meeting)
    assert not row.connected(clock())


def test_a_name_is_needed(imported: Services, invitations: InvitationService) -> None:
    meeting = imported.projects.resolve_ref("grupp-1/3")
    with pytest.raises(UserError, match="name"):
        invitations.invite(meeting, "   ")
