# ruff: noqa: E501  (one note, one code per line: the table reads better than the wrap)
"""A small meeting built by hand, for the minutes' golden files and property tests.

Meeting 2 of a two-municipality lärprojekt: five phases, one pause, notes of
every kind (some full of Markdown syntax), observer tags, an action item
carried from meeting 1, and meeting 3 next. Times are UTC; the minutes show
them in Stockholm time (UTC+2 in May).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from samverkan.domain.clock import ClockEvent, EventKind
from samverkan.domain.minutes import EarlierAction, MinutesData
from samverkan.domain.model import (
    AttendanceView,
    CodeView,
    MeetingStatus,
    MeetingSummary,
    MeetingView,
    MinutesObservation,
    NoteKind,
    NoteView,
    OrganisationView,
    PersonView,
    PhaseKind,
    PhaseView,
    Polarity,
    ProjectSummary,
    TagView,
)

START = datetime(2018, 5, 17, 8, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


ORGS = (
    OrganisationView("org-fal", "FAL", "Falu kommun", "municipality", 0),
    OrganisationView("org-ske", "SKE", "Skellefteå kommun", "municipality", 1),
    OrganisationView("org-af", "AF", "Arbetsförmedlingen", "employment_service", 2),
)
FAL, SKE, AF = (o.id for o in ORGS)
PEOPLE = (
    PersonView("p-anna", "Anna Lindqvist", FAL),
    PersonView("p-per", "Per Sjöberg", FAL),
    PersonView("p-linda", "Linda Ek", AF),
)
PROJECT = ProjectSummary(
    id="project",
    short="grupp-1",
    name="Lärprojekt kommun och Arbetsförmedlingen – grupp 1",
    lang="sv",
    description="",
    facilitator="Göran Westin",
    observers=("Cecilia Norberg", "Anders Lundmark"),
    steering_group=(),
    organisations=ORGS,
    minutes_observation=MinutesObservation.ALL,  # the golden files show everything
)
PHASES = (
    PhaseView("ph-0", 0, PhaseKind.OTHER, "Välkommen och inledning", 15, (), "", at(0), at(14)),
    PhaseView("ph-1", 1, PhaseKind.HOST, "Värdpresentation", 30, (), "", at(14), at(50)),
    PhaseView("ph-2", 2, PhaseKind.DISCUSSION, "Samtal", 75, (), "", at(50), at(125)),
    PhaseView("ph-3", 3, PhaseKind.OBSERVATION, "Observation", 30, (), "", at(125), at(155)),
    PhaseView("ph-4", 4, PhaseKind.OTHER, "Nästa möte", None, (), "", None, None),
)
CODES = (
    CodeView("c-synsatt", "gemensamt-synsatt", "Gemensamt synsätt", "", "Kultur", Polarity.SUCCESS, "1", 0),
    CodeView("c-person", "personfaktorer", "Personfaktorer", "", "Kultur", Polarity.SUCCESS, "2", 1),
    CodeView("c-tillit", "bristande-tillit", "Bristande tillit", "", "Kultur", Polarity.OBSTACLE, "3", 2),
    CodeView("c-struktur", "fasta-strukturer", "Fasta strukturer", "", "Organisation", Polarity.SUCCESS, "4", 3),
    CodeView("c-samlok", "samlokalisering", "Samlokalisering", "", "Organisation", Polarity.AMBIVALENT, "5", 4),
    CodeView("c-regler", "regelverk", "Regelverk", "", "Organisation", Polarity.SUCCESS, "6", 5),
    CodeView("c-dua", "dua", "Dua", "", "Organisation", Polarity.SUCCESS, "7", 6),
)  # fmt: skip
SUMMARY = MeetingSummary(
    id="meeting-2",
    project_short="grupp-1",
    number=2,
    title="Individanpassat arbete – att utgå från individen",
    date=date(2018, 5, 17),
    start="10:00",
    place="Falun, stadshuset",
    host_short="FAL",
    host_name="Falu kommun",
    status=MeetingStatus.CLOSED,
    notes=0,
)
MEETING = MeetingView(
    summary=SUMMARY,
    project=PROJECT,
    intro="",
    phases=PHASES,
    people=PEOPLE,
    attendance=(
        AttendanceView(FAL, None, True),
        AttendanceView(FAL, "p-per", True),
        AttendanceView(FAL, "p-anna", True),
        AttendanceView(AF, "p-linda", True),
        AttendanceView(SKE, None, False),
    ),
    codes=CODES,
    started_at=START,
    closed_at=at(160),
)
EVENTS = (
    ClockEvent(at(0), EventKind.START),
    ClockEvent(at(0), EventKind.PHASE, phase_id="ph-0"),
    ClockEvent(at(14), EventKind.PHASE, phase_id="ph-1"),
    ClockEvent(at(30), EventKind.PAUSE),
    ClockEvent(at(40), EventKind.RESUME),
    ClockEvent(at(50), EventKind.PHASE, phase_id="ph-2"),
    ClockEvent(at(125), EventKind.PHASE, phase_id="ph-3"),
    ClockEvent(at(155), EventKind.PHASE, phase_id="ph-4"),
    ClockEvent(at(160), EventKind.CLOSE),
)


def note(
    number: int,
    minute: float,
    text: str,
    *,
    phase: str,
    org: str | None = None,
    kind: NoteKind = NoteKind.NOTE,
    tags: tuple[str, ...] = (),
    **extra: object,
) -> NoteView:
    return NoteView(
        id=f"note-{number:02d}",
        meeting_id=SUMMARY.id,
        phase_id=phase,
        organisation_id=org,
        person_id=None,
        author="Göran Westin",
        kind=kind,
        text=text,
        created_at=at(minute),
        offset_seconds=minute * 60,
        tags=tuple(TagView(code, code, "Cecilia Norberg") for code in tags),
        **extra,  # type: ignore[arg-type]
    )


NOTES = (
    note(1, 3, "Välkomna! Vi börjar med en runda.", phase="ph-0"),
    note(2, 16, "# Inte en rubrik: så kartlägger vi", phase="ph-1", org=FAL, tags=("c-synsatt",)),
    note(3, 21.5, "1. första steget\n2. andra steget\n> ett citat", phase="ph-1", org=FAL),
    note(4, 27, "Kostnad: 5 * 3 | <b>fet</b> & [länk](x) `kod`", phase="ph-1", org=AF, kind=NoteKind.QUESTION, tags=("c-tillit",)),
    note(5, 55, "Vi har en koordinator som sitter hos AF två dagar i veckan.", phase="ph-2", org=SKE, tags=("c-struktur", "c-samlok", "c-synsatt")),
    note(6, 61, "Det går inte att dela kartläggningen – sekretessen stoppar oss.", phase="ph-2", org=AF, tags=("c-tillit",)),
    note(7, 68, "”Vi ringer varandra i stället för att skriva remisser.”", phase="ph-2", org=FAL, kind=NoteKind.QUOTE, tags=("c-synsatt", "c-person")),
    note(8, 80, "Gemensam kartläggningsmall för alla kommuner", phase="ph-2", kind=NoteKind.DECISION),
    note(9, 82, "Ta fram ett utkast till mall", phase="ph-2", org=FAL, kind=NoteKind.ACTION, owner_organisation_id=FAL, owner_person_id="p-anna", due=date(2018, 6, 15)),
    note(10, 84, "Bjuda in sekretessjurist\ntill nästa möte", phase="ph-2", org=AF, kind=NoteKind.ACTION, owner_organisation_id=AF, done=True),
    note(11, 90, "SKE delar sin rutin för uppföljning", phase="ph-2", org=SKE, kind=NoteKind.DECISION, tags=("c-person",)),
    note(12, 130, "Gruppen ser individanpassning både som möjlighet och hinder.", phase="ph-3", kind=NoteKind.OBSERVATION, tags=("c-samlok", "c-regler", "c-dua")),
    note(13, 140, "Skicka rutinen till alla", phase="ph-3", org=SKE, kind=NoteKind.ACTION),
    note(14, 148, "Alla ska pröva mallen innan nästa möte", phase="ph-3", kind=NoteKind.ACTION, due=date(2018, 9, 1)),
)  # fmt: skip
EARLIER = (
    EarlierAction(
        1,
        NoteView(
            id="note-m1",
            meeting_id="meeting-1",
            phase_id=None,
            organisation_id=AF,
            person_id=None,
            author="",
            kind=NoteKind.ACTION,
            text="Sammanställa statistik över unga i insatser",
            created_at=START - timedelta(days=40),
            offset_seconds=4000,
            owner_organisation_id=AF,
            owner_person_id="p-linda",
            due=date(2018, 5, 1),
        ),
    ),
)
NEXT = MeetingSummary(
    id="meeting-3",
    project_short="grupp-1",
    number=3,
    title="Integration av nyanlända",
    date=date(2018, 9, 13),
    start="10:30",
    place="Strömsund, kommunhuset",
    host_short="SKE",
    host_name="Skellefteå kommun",
    status=MeetingStatus.PLANNED,
    notes=0,
)


# Ticked done between meeting 1 and this one.
DONE_SINCE = (
    EarlierAction(
        1,
        NoteView(
            id="note-m1b",
            meeting_id="meeting-1",
            phase_id=None,
            organisation_id=SKE,
            person_id=None,
            author="",
            kind=NoteKind.ACTION,
            text="Boka lokal i Skellefteå",
            created_at=START - timedelta(days=40),
            offset_seconds=4100,
            owner_organisation_id=SKE,
            due=date(2018, 4, 20),
            done=True,
        ),
    ),
)


def minutes_data() -> MinutesData:
    carried = EarlierAction(EARLIER[0].meeting_number, EARLIER[0].note, date(2018, 4, 1))
    return MinutesData(
        meeting=MEETING,
        notes=NOTES,
        events=EVENTS,
        earlier_actions=(carried,),
        next_meeting=NEXT,
        observers=("Cecilia Norberg",),  # planned: Cecilia and Anders; only Cecilia came
        done_since=DONE_SINCE,
    )
