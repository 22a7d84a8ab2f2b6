"""A small series recorded through the services, with answers known by hand.

grupp-1 (five meetings, six organisations), observers Cecilia (C) and Anders (A):

meeting 1, closed, both observers code it (so it is the agreement data)::

    phase  floor  note                                          kind      C       A
    host   SKE    n1 Vi har en gemensam bild av målgruppen.     note      GS      GS
    host   SKE    n2 Det tar tre veckor att få ett beslut.      note      FB      FB OA
    host   AF     n3 Vi sitter i samma hus sedan 2016 | ...     note      SL      SL
    host   AF     n4 Vi inför ett gemensamt kartläggnings...    decision
    talk   FAL    n5 # Inte en rubrik – personerna bär ...      note      PF
    talk   FAL    n6 Skicka mallen till alla                    action (FAL, 2018-04-01; done later)
    talk   -      n7 Allmän diskussion om lokaler               note

    floor: SKE 300 s, AF 200 s, FAL 240 s

meeting 2, closed, only C codes it::

    host   SOD    n8  Ansvaret är oklart mellan oss.            note      OA
    host   SOD    n9  Vi har fasta möten varje vecka.           note      FS GS
    host   SOD    n13 (deleted)                                 note      FB
    host   AF     n10 Samma synsätt på individen                note      GS
    host   AF     n11 Nästa möte i Umeå.                        decision
    host   AF     n12 Boka lokal                                action (AF, open)

    floor: SOD 120 s, AF 180 s

meetings 3-5 are planned and empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from samverkan.domain.clock import ManualClock
from samverkan.domain.model import NoteKind
from samverkan.services import NoteDraft, Services
from samverkan.services.importing import code_id, meeting_id, organisation_id

PROJECT = "grupp-1"
C, A = "Cecilia Norberg", "Anders Lundmark"
GS, PF, FB = "gemensamt-synsatt", "personfaktorer", "fastna-i-byrakratin"
OA, SL, FS = "oklar-ansvarsfordelning", "samlokalisering", "fasta-strukturer"


def org(short: str) -> str:
    return organisation_id(PROJECT, short)


def code(slug: str) -> str:
    return code_id(PROJECT, slug)


def meeting(number: int) -> str:
    return meeting_id(PROJECT, number)


@dataclass
class Recorded:
    notes: dict[str, str]  # n1 ... -> note id


def record_series(services: Services, clock: ManualClock) -> Recorded:
    notes: dict[str, str] = {}

    def note(
        mid: str,
        name: str,
        text: str,
        org_short: str | None,
        kind: NoteKind = NoteKind.NOTE,
        *,
        c: tuple[str, ...] = (),
        a: tuple[str, ...] = (),
        owner: str | None = None,
        due: date | None = None,
    ) -> None:
        clock.advance(10)
        phase = services.meetings.clock(mid).phase_id
        view = services.notes.add(
            mid,
            NoteDraft(
                text,
                kind,
                organisation_id=org(org_short) if org_short else None,
                phase_id=phase,
                owner_organisation_id=org(owner) if owner else None,
                due=due,
            ),
        )
        notes[name] = view.id
        for slug in c:
            services.tags.set(view.id, code(slug), C, True)
        for slug in a:
            services.tags.set(view.id, code(slug), A, True)

    def floor(mid: str, org_short: str | None, seconds: float) -> None:
        services.meetings.give_floor(mid, org(org_short) if org_short else None)
        clock.advance(seconds)

    m1 = meeting(1)
    services.meetings.start(m1)
    clock.advance(60)
    services.meetings.go_to_phase(m1, 1)  # Värdpresentation
    services.meetings.give_floor(m1, org("SKE"))
    note(m1, "n1", "Vi har en gemensam bild av målgruppen.", "SKE", c=(GS,), a=(GS,))
    note(m1, "n2", "Det tar tre veckor att få ett beslut.", "SKE", c=(FB,), a=(FB, OA))
    clock.advance(280)
    services.meetings.give_floor(m1, org("AF"))
    note(m1, "n3", "Vi sitter i samma hus sedan 2016 | och det hjälper.", "AF", c=(SL,), a=(SL,))
    note(m1, "n4", "Vi inför ett gemensamt kartläggningsdokument.", "AF", NoteKind.DECISION)
    clock.advance(180)
    services.meetings.go_to_phase(m1, 2)  # Samtal
    services.meetings.give_floor(m1, org("FAL"))
    note(m1, "n5", "# Inte en rubrik – personerna bär samverkan", "FAL", c=(PF,))
    note(
        m1,
        "n6",
        "Skicka mallen till alla",
        "FAL",
        NoteKind.ACTION,
        owner="FAL",
        due=date(2018, 4, 1),
    )
    note(m1, "n7", "Allmän diskussion om lokaler", None)
    clock.advance(210)
    floor(m1, None, 100)
    services.meetings.close(m1)

    clock.advance(3600 * 24 * 60)
    m2 = meeting(2)
    services.meetings.start(m2)
    services.meetings.go_to_phase(m2, 1)
    services.meetings.give_floor(m2, org("SOD"))
    note(m2, "n8", "Ansvaret är oklart mellan oss.", "SOD", c=(OA,))
    note(m2, "n9", "Vi har fasta möten varje vecka.", "SOD", c=(FS, GS))
    note(m2, "n13", "Det här skrevs fel.", "SOD", c=(FB,))
    services.notes.delete(notes["n13"])
    clock.advance(90)
    services.meetings.give_floor(m2, org("AF"))
    note(m2, "n10", "Samma synsätt på individen", "AF", c=(GS,))
    note(m2, "n11", "Nästa möte i Umeå.", "AF", NoteKind.DECISION)
    note(m2, "n12", "Boka lokal", "AF", NoteKind.ACTION, owner="AF")
    clock.advance(150)
    services.notes.set_done(notes["n6"], True)
    floor(m2, None, 30)
    services.meetings.close(m2)
    return Recorded(notes)
