"""The reference database of DESIGN.md's performance budgets, built deterministically.

Default size: 10 projects, 100 meetings, 100,000 notes, 200,000 tags by two
observers per project. The schema comes from the migrations (the file is
opened with :func:`samverkan.store.opening.open_database`); the rows are
bulk-inserted with SQLAlchemy Core ``insert(table)`` executemany in a few
large transactions, with ``synchronous = OFF`` on that one connection while
generating. Every id and text comes from ``random.Random(seed)`` or from the
app's own natural-key ids, so one seed always gives the same rows.

Notes follow a heavy tail: one meeting (the running one) holds a tenth of
them (10,000 at the default size), another a twentieth (5,000); their refs
and the other facts a benchmark needs are printed as JSON and written to a
sidecar file ``PATH.json``.

    python -m bench.reference_db --out bench/out/reference.db
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlmodel import SQLModel

from samverkan.domain.codebook import parse_codebook
from samverkan.domain.model import MeetingStatus, NoteKind, PhaseKind, stable_id
from samverkan.services.importing import code_id, meeting_id, organisation_id
from samverkan.services.tags import tag_id
from samverkan.store import tables  # noqa: F401  (registers the tables in SQLModel.metadata)
from samverkan.store.migrations import HEAD
from samverkan.store.opening import open_database
from samverkan.store.sync_rows import TABLE_ORDER

CODEBOOK = (
    Path(__file__).resolve().parents[1] / "src" / "samverkan" / "sample_agendas" / ("codebook.md")
)
BATCH = 20_000
# Bump when the generator makes different rows: bench.run then rebuilds bench/out/reference.db.
GENERATOR = 1


@dataclass(frozen=True)
class Size:
    projects: int = 10
    meetings: int = 100
    notes: int = 100_000
    tags: int = 200_000
    observers: int = 2
    seed: int = 1


# ------------------------------------------------------------------ vocabulary

MUNICIPALITIES: tuple[tuple[str, str], ...] = (
    ("Falu kommun", "FAL"),
    ("Skellefteå kommun", "SKE"),
    ("Söderhamns kommun", "SOD"),
    ("Strömsunds kommun", "STR"),
    ("Umeå kommun", "UME"),
    ("Borlänge kommun", "BOR"),
    ("Gävle kommun", "GAV"),
    ("Sundsvalls kommun", "SUN"),
    ("Östersunds kommun", "OST"),
    ("Luleå kommun", "LUL"),
    ("Piteå kommun", "PIT"),
    ("Kiruna kommun", "KIR"),
    ("Västerås stad", "VAS"),
    ("Eskilstuna kommun", "ESK"),
    ("Örebro kommun", "ORE"),
    ("Karlstads kommun", "KAR"),
    ("Norrköpings kommun", "NOR"),
    ("Linköpings kommun", "LIN"),
    ("Jönköpings kommun", "JON"),
    ("Växjö kommun", "VAX"),
    ("Kalmar kommun", "KAL"),
    ("Halmstads kommun", "HAL"),
    ("Borås stad", "BRS"),
    ("Trollhättans stad", "TRO"),
    ("Uddevalla kommun", "UDD"),
    ("Helsingborgs stad", "HEL"),
    ("Kristianstads kommun", "KRI"),
    ("Landskrona stad", "LAN"),
    ("Botkyrka kommun", "BOT"),
    ("Södertälje kommun", "SOT"),
    ("Uppsala kommun", "UPP"),
    ("Nyköpings kommun", "NYK"),
    ("Hudiksvalls kommun", "HUD"),
    ("Ljusdals kommun", "LJU"),
    ("Mora kommun", "MOR"),
    ("Avesta kommun", "AVE"),
)
COMPANIES: tuple[tuple[str, str], ...] = (
    ("Solbacka Handel AB", "SOL"),
    ("Vårdbryggan Omsorg AB", "VBO"),
    ("Mälarverken Mekaniska AB", "MVM"),
    ("Kustlänken Logistik AB", "KLL"),
    ("Norrskog Trävaror AB", "NST"),
    ("Bergslagens Bygg AB", "BBY"),
    ("Älvdalens Livsmedel AB", "ALV"),
    ("Östkustens Fastighetsservice AB", "OFS"),
    ("Granhammar Restauranger AB", "GRA"),
    ("Lindgårdens Äldreomsorg AB", "LAO"),
    ("Hamnstadens Åkeri AB", "HAK"),
    ("Västanvind Energi AB", "VAE"),
    ("Tallbackens Städservice AB", "TSS"),
    ("Rosengrens Elinstallation AB", "REI"),
)
REGIONS: tuple[tuple[str, str], ...] = (
    ("Region Dalarna", "RDA"),
    ("Region Västernorrland", "RVN"),
    ("Region Jämtland Härjedalen", "RJH"),
    ("Region Örebro län", "ROL"),
)
AF = ("Arbetsförmedlingen", "AF")


def _listed(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


FIRST_NAMES = _listed(
    "Anna Per Helena Jonas Maria Eva Mikael Sara Karin Erik Lena Ahmed Johanna Fredrik "
    "Linda Nadia Camilla Daniel Therese Marie Amir Birgitta Stefan Emma Patrik Jenny "
    "Omar Ulrika Martin Göran Cecilia Anders Malin Jakob Sofia Magnus Ingrid Hassan Åsa "
    "Björn Elin Leila Tobias Annika Mohammed Kristina"
)
LAST_NAMES = _listed(
    "Lindqvist Sjöberg Dahl Öhman Lundström Hedlund Berg Nyström Jonsson Persson "
    "Marklund Hassan Burman Sandberg Ek Karimi Forsberg Wikström Holm Sundin Rahimi "
    "Olofsson Nordin Hellström Åberg Strand Yusuf Bengtsson Sjögren Westin Norberg "
    "Lundmark Ekberg Almqvist Engström Nilsson Johansson Karlsson Eriksson Larsson"
)
OPENERS = _listed(
    "Vi har|Vi behöver|Det finns|Det saknas|Kommunen har|Kommunen behöver|"
    "Arbetsförmedlingen ser|Arbetsförmedlingen har|Arbetsgivarna efterfrågar|"
    "Man upplever att|Vi vill|Det är svårt att|Det fungerar bra när|Vi har testat|"
    "Vi märker att|Det blir lättare med|Chefen menar att|Handläggarna saknar|"
    "Vi har börjat|Det har tagit tid att|Politikerna vill|Vi borde|Det viktigaste är|"
    "Ungdomarna berättar att|Vi har inte hunnit|Flera av oss har",
    sep="|",
)
NOUNS = _listed(
    "samverkan|Arbetsförmedlingen|kompetensförsörjningen|kommunen|arbetsgivarna|målgruppen|"
    "de unga|de nyanlända|individen|kartläggningen|handläggarna|insatserna|utbildningen|"
    "praktiken|matchningen|rekryteringen|styrgruppen|överenskommelsen|samlokaliseringen|"
    "ansvarsfördelningen|individanpassningen|uppföljningen|tilliten|förtroendet|mandatet|"
    "regelverket|byråkratin|socialtjänsten|vuxenutbildningen|gymnasieskolan|SFI|"
    "yrkesutbildningen|lärlingsplatserna|språkstödet|mentorerna|arbetsmarknadsenheten|Dua|"
    "handlingsplanen|lokala jobbspår|introduktionsprogrammet|etableringen|valideringen|"
    "branschen|bemanningsföretagen|det ekonomiska biståndet|resultaten|budgeten|resurserna|"
    "kontinuiteten|kontaktnätet|rutinerna|mötesplatserna|de gemensamma målen|verksamheten|"
    "arbetssättet|uppdraget|ledningen|chefen|politiken|regionen|företagen|skolan",
    sep="|",
)
VERBS = _listed(
    "fungerar med|behöver|saknar|ökar|minskar|kräver|ger|leder till|bygger på|utgår från|"
    "står för|tar ansvar för|följer upp|delar|stärker|försvårar|underlättar|prioriterar|"
    "väntar på|pratar om|samordnar|hänger ihop med|skapar|stoppar",
    sep="|",
)
LINKS = _listed("och|men inte|samt|eller|liksom|för|med|utan|genom", sep="|")
TAILS = _listed(
    "i praktiken|på riktigt|varje vecka|efter sommaren|tillsammans|långsiktigt|snabbare|"
    "tydligare|i vardagen|redan nu|på sikt|i hela kommunen|för varje individ|från början",
    sep="|",
)
# A clause repeats this pattern until it has enough words.
_ROLES = (NOUNS, VERBS, NOUNS, LINKS, NOUNS, TAILS, VERBS, NOUNS)


def sentence(rng: random.Random, words: int) -> str:
    """A Swedish-like sentence of about ``words`` words of collaboration vocabulary."""
    parts = [rng.choice(OPENERS)]
    count = len(parts[0].split())
    role = 0
    while count < words:
        word = rng.choice(_ROLES[role % len(_ROLES)])
        if role and role % len(_ROLES) == 0:
            word = rng.choice((",", " och", ", men")).lstrip(",").strip() + " " + word
            parts[-1] += ","
        parts.append(word.strip())
        count += len(word.split())
        role += 1
    if _ROLES[(role - 1) % len(_ROLES)] in (VERBS, LINKS):
        parts.append(rng.choice(NOUNS))  # a verb or a link needs something after it
    return " ".join(parts) + "."


def note_text(rng: random.Random, kind: NoteKind) -> str:
    """5 to 40 words, in one to three sentences; questions end in ?, quotes are quoted."""
    total = min(40, 5 + int(rng.expovariate(1 / 9)))
    parts: list[str] = []
    while total > 0:
        take = total if total <= 14 else rng.randint(6, 12)
        parts.append(sentence(rng, take))
        total -= take
    text = " ".join(parts)
    if kind == NoteKind.QUESTION:
        text = text[:-1] + "?"
    elif kind == NoteKind.QUOTE:
        text = f"”{text}”"
    elif kind == NoteKind.DECISION:
        text = "Vi beslutar att " + text[0].lower() + text[1:]
    return text


def random_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


# ------------------------------------------------------------------ the plan


@dataclass
class OrgPlan:
    id: str
    short: str
    name: str
    kind: str
    people: list[tuple[str, str]]  # (person id, name)


@dataclass
class MeetingPlan:
    id: str
    ref: str
    project_index: int
    number: int
    status: MeetingStatus
    date: date
    started_at: datetime | None = None
    closed_at: datetime | None = None
    notes: int = 0
    # (phase id, kind, started, ended) of the phases that have run
    phases: list[tuple[str, PhaseKind, datetime, datetime | None]] = field(default_factory=list)


KIND_WEIGHTS: tuple[tuple[NoteKind, int], ...] = (
    (NoteKind.NOTE, 70),
    (NoteKind.DECISION, 5),
    (NoteKind.ACTION, 8),
    (NoteKind.QUESTION, 8),
    (NoteKind.QUOTE, 4),
    (NoteKind.OBSERVATION, 5),
)
PHASES: tuple[tuple[PhaseKind, str, int], ...] = (
    (PhaseKind.OTHER, "Välkommen och inledning", 15),
    (PhaseKind.HOST, "Värdpresentation", 30),
    (PhaseKind.DISCUSSION, "Samtal", 75),
    (PhaseKind.OBSERVATION, "Observation", 30),
    (PhaseKind.OTHER, "Nästa möte", 10),
)
PLACES = ("kommunhuset", "Arbetsförmedlingens kontor", "konferensrummet", "Medborgarhuset")
THEMES = (
    "Arbetsgivarna och kompetensförsörjningen",
    "Individanpassat arbete",
    "Integration av nyanlända",
    "Samlokalisering",
    "Att kombinera utbildning och insatser",
    "Rekryteringsprocessen",
    "Kunskap om målgruppen",
    "Rusta och anpassa",
    "Uppföljning och mätning",
    "Samverkan med skolan",
    "Digitala verktyg i handläggningen",
    "Unga som varken arbetar eller studerar",
)


def load_codes() -> list[dict[str, Any]]:
    """The sample codebook as code rows (without ids), parsed by the app's parser."""
    spec, problems = parse_codebook(CODEBOOK, CODEBOOK.read_text(encoding="utf-8"))
    if spec is None:
        raise ValueError("; ".join(str(p) for p in problems))
    return [
        {
            "slug": c.slug,
            "label": c.label,
            "description": c.description,
            "dimension": c.dimension,
            "polarity": str(c.polarity),
        }
        for c in spec.codes
    ]


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def _heavy_tail(rng: random.Random, total: int, parts: int, cap: int) -> list[int]:
    """``total`` split into ``parts`` counts >= 1 with Pareto weights, none above ``cap``."""
    if parts == 0:
        return []
    cap = max(cap, -(-total // parts))
    weights = [rng.paretovariate(2.0) for _ in range(parts)]
    for _round in range(50):
        scale = total / sum(weights)
        over = [w * scale > cap for w in weights]
        if not any(over):
            break
        weights = [cap / scale if o else w for w, o in zip(weights, over, strict=True)]
    scale = total / sum(weights)
    exact = [max(1.0, min(float(cap), w * scale)) for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(parts), key=lambda i: exact[i] - counts[i], reverse=True)
    i = 0
    while sum(counts) < total:
        index = order[i % parts]
        if counts[index] < cap:
            counts[index] += 1
        i += 1
    while sum(counts) > total:
        index = max(range(parts), key=lambda j: counts[j])
        counts[index] -= 1
    return counts


class Builder:
    """Plans every row from the seed, then inserts them table by table."""

    def __init__(self, size: Size) -> None:
        if size.projects < 1 or size.meetings < max(2, size.projects):
            raise ValueError("need at least one project and two meetings, one per project")
        if size.observers < 1:
            raise ValueError("need at least one observer")
        self.size = size
        self.rng = random.Random(size.seed)
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.meetings: list[MeetingPlan] = []
        self.orgs: dict[int, list[OrgPlan]] = {}
        self.codes: dict[int, list[str]] = {}
        self.observers: dict[int, list[str]] = {}
        self.facilitators: dict[int, str] = {}
        self.shorts: list[str] = []
        self.note_meta: list[tuple[str, int, datetime]] = []  # (note id, project, created)

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.rows.setdefault(table, []).append(row)

    # -------------------------------------------------------------- structure

    def person_name(self, taken: set[str]) -> str:
        while True:
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            if name not in taken:
                taken.add(name)
                return name

    def plan_projects(self) -> None:
        rng = self.rng
        codes = load_codes()
        created = datetime(2024, 11, 4, 9, 0, tzinfo=UTC)
        people_taken: set[str] = set()
        for p in range(self.size.projects):
            short = f"ref-{p + 1:02d}"
            self.shorts.append(short)
            project_id = stable_id("project", short)
            municipal = p % 2 == 0
            if municipal:
                members = rng.sample(MUNICIPALITIES, rng.choice((4, 5)))
                kind = "municipality"
                name = f"Lärprojekt kommun och Arbetsförmedlingen – grupp {p // 2 + 1}"
            else:
                members = rng.sample(COMPANIES, rng.choice((4, 5)))
                kind = "company"
                name = f"Lärprojekt företag och Arbetsförmedlingen – grupp {p // 2 + 1}"
            organisations = [(n, s, kind) for n, s in members]
            if len(organisations) == 4 and rng.random() < 0.5:
                region = rng.choice(REGIONS)
                organisations.append((region[0], region[1], "region"))
            organisations.append((AF[0], AF[1], "employment_service"))
            facilitator = self.person_name(people_taken)
            observers = [self.person_name(people_taken) for _ in range(self.size.observers)]
            self.facilitators[p] = facilitator
            self.observers[p] = observers
            self.add(
                "project",
                {
                    "id": project_id,
                    "short": short,
                    "name": name,
                    "lang": "sv",
                    "description": " ".join(sentence(rng, rng.randint(10, 25)) for _ in range(4)),
                    "facilitator": facilitator,
                    "observers": observers,
                    "steering_group": ["Dua", "Arbetsförmedlingen", "SKR"],
                    "source_path": "",
                    "codebook_path": str(CODEBOOK),
                    "created_at": created,
                    "updated_at": created,
                },
            )
            plans: list[OrgPlan] = []
            for position, (org_name, org_short, org_kind) in enumerate(organisations):
                oid = organisation_id(short, org_short)
                taken: set[str] = set()
                people = []
                for _ in range(rng.choice((2, 3))):
                    person = self.person_name(taken)
                    pid = stable_id("person", oid, person.casefold())
                    people.append((pid, person))
                    self.add("person", {"id": pid, "organisation_id": oid, "name": person})
                plans.append(OrgPlan(oid, org_short, org_name, org_kind, people))
                self.add(
                    "organisation",
                    {
                        "id": oid,
                        "project_id": project_id,
                        "short": org_short,
                        "name": org_name,
                        "kind": org_kind,
                        "position": position,
                    },
                )
            self.orgs[p] = plans
            self.codes[p] = []
            for position, code in enumerate(codes):
                cid = code_id(short, code["slug"])
                self.codes[p].append(cid)
                self.add(
                    "code",
                    {
                        "id": cid,
                        "project_id": project_id,
                        "hotkey": "",
                        "position": position,
                        "retired": False,
                        **code,
                    },
                )

    # -------------------------------------------------------------- meetings

    def plan_meetings(self) -> None:
        rng = self.rng
        size = self.size
        per_project = _split(size.meetings, size.projects)
        # "A few" meetings are still to come: the last one of each of the last projects
        # (never in the first two, which hold the big meetings).
        planned_total = size.meetings // 20
        planned: set[tuple[int, int]] = set()
        for p in range(size.projects - 1, 1, -1):
            if len(planned) >= planned_total:
                break
            if per_project[p] > 1:
                planned.add((p, per_project[p]))
        first_day = date(2025, 1, 13)
        for p, count in enumerate(per_project):
            short = self.shorts[p]
            for number in range(1, count + 1):
                day = first_day + timedelta(days=7 * p + 35 * (number - 1) + rng.randint(0, 3))
                status = MeetingStatus.PLANNED if (p, number) in planned else MeetingStatus.CLOSED
                self.meetings.append(
                    MeetingPlan(
                        meeting_id(short, number), f"{short}/{number}", p, number, status, day
                    )
                )
        held = [m for m in self.meetings if m.status != MeetingStatus.PLANNED]
        first = [m for m in held if m.project_index == 0]
        self.big = first[-1]
        self.big.status = MeetingStatus.RUNNING
        second = [m for m in held if m.project_index == 1 and m is not self.big]
        self.m5000 = second[-1] if second else first[-2]
        big_notes = size.notes // 10
        mid_notes = size.notes // 20
        others = [m for m in held if m is not self.big and m is not self.m5000]
        cap = max(1, min(mid_notes * 4 // 5, size.notes))
        spread = _heavy_tail(rng, size.notes - big_notes - mid_notes, len(others), cap)
        self.big.notes = big_notes
        self.m5000.notes = mid_notes
        for meeting, notes in zip(others, spread, strict=True):
            meeting.notes = notes
        for meeting in self.meetings:
            self.plan_meeting(meeting)

    def plan_meeting(self, m: MeetingPlan) -> None:
        rng = self.rng
        orgs = self.orgs[m.project_index]
        host = orgs[(m.number - 1) % (len(orgs) - 1)] if len(orgs) > 1 else orgs[0]
        phases = list(PHASES) if rng.random() < 0.6 else list(PHASES[:4])
        theme = THEMES[(m.number - 1 + m.project_index) % len(THEMES)]
        start = datetime.combine(m.date, datetime.min.time(), UTC) + timedelta(hours=8)
        self.add(
            "meeting",
            {
                "id": m.id,
                "project_id": stable_id("project", self.shorts[m.project_index]),
                "number": m.number,
                "title": theme,
                "date": m.date,
                "start": "09:00",
                "place": f"{host.name.split()[0]}, {rng.choice(PLACES)}",
                "host_organisation_id": host.id,
                "intro": sentence(rng, 20),
                "status": str(m.status),
                "source_path": "",
                "started_at": None if m.status == MeetingStatus.PLANNED else start,
                "closed_at": None,
                "updated_at": start,
            },
        )
        at = start
        running = m.status != MeetingStatus.PLANNED
        if running:
            m.started_at = start
            self.event(m.id, start, "start")
        for position, (kind, title, minutes) in enumerate(phases):
            pid = stable_id("phase", m.id, str(position))
            started = ended = None
            if running:
                started = at
                at = at + timedelta(minutes=minutes * rng.uniform(0.8, 1.25))
                last = position == len(phases) - 1
                ended = None if last and m.status == MeetingStatus.RUNNING else at
                m.phases.append((pid, kind, started, ended))
                self.event(m.id, started, "phase", phase_id=pid)
                floor_at = started
                for _ in range(rng.randint(2, 6)):
                    floor_at += timedelta(seconds=rng.uniform(30, minutes * 60 / 6))
                    if floor_at >= at:
                        break
                    org = host if kind == PhaseKind.HOST else rng.choice(orgs)
                    self.event(m.id, floor_at, "floor", organisation_id=org.id)
            self.add(
                "phase",
                {
                    "id": pid,
                    "meeting_id": m.id,
                    "position": position,
                    "kind": str(kind),
                    "title": title,
                    "planned_minutes": minutes,
                    "prompts": [sentence(rng, 10)[:-1] + "?" for _ in range(rng.randint(0, 4))],
                    "script": sentence(rng, 15),
                    "started_at": started,
                    "ended_at": ended,
                },
            )
        if not running:
            return
        if m.status == MeetingStatus.CLOSED:
            m.closed_at = at
            self.event(m.id, at, "close")
            self.rows["meeting"][-1]["closed_at"] = at
            self.rows["meeting"][-1]["updated_at"] = at
        else:
            self.rows["meeting"][-1]["updated_at"] = m.phases[-1][2]
        for org in orgs:
            self.add("attendance", self.attendance(m, at, org.id, None, True))
            for person_id, _name in org.people:
                present = rng.random() < 0.85
                self.add("attendance", self.attendance(m, at, org.id, person_id, present))

    def attendance(
        self, m: MeetingPlan, at: datetime, org: str, person: str | None, present: bool
    ) -> dict[str, Any]:
        return {
            "id": stable_id("attendance", m.id, org, person or ""),
            "meeting_id": m.id,
            "organisation_id": org,
            "person_id": person,
            "present": present,
            "updated_at": at,
        }

    def event(
        self,
        meeting: str,
        at: datetime,
        kind: str,
        *,
        phase_id: str | None = None,
        organisation_id: str | None = None,
    ) -> None:
        self.add(
            "meeting_event",
            {
                "id": random_id(self.rng),
                "meeting_id": meeting,
                "at": at,
                "kind": kind,
                "phase_id": phase_id,
                "organisation_id": organisation_id,
            },
        )

    # -------------------------------------------------------------- notes

    def plan_notes(self) -> None:
        """Notes meeting by meeting in the order the meetings happened."""
        kinds = [k for k, _w in KIND_WEIGHTS]
        weights = [w for _k, w in KIND_WEIGHTS]
        held = [m for m in self.meetings if m.started_at is not None]
        for m in sorted(held, key=lambda x: (x.started_at, x.ref)):
            assert m.started_at is not None
            end = m.closed_at or (m.phases[-1][2] + timedelta(minutes=20))
            span = (end - m.started_at).total_seconds()
            step = span / max(1, m.notes)
            orgs = self.orgs[m.project_index]
            host = orgs[(m.number - 1) % (len(orgs) - 1)] if len(orgs) > 1 else orgs[0]
            phase_index = 0
            for i, kind in enumerate(self.rng.choices(kinds, weights, k=m.notes)):
                offset = round((i + self.rng.uniform(0.0, 0.9)) * step, 6)
                created = m.started_at + timedelta(seconds=offset)
                while phase_index + 1 < len(m.phases) and m.phases[phase_index + 1][2] <= created:
                    phase_index += 1
                phase_id, phase_kind, _s, _e = m.phases[phase_index]
                self.plan_note(m, host, orgs, kind, created, offset, phase_id, phase_kind)

    def plan_note(
        self,
        m: MeetingPlan,
        host: OrgPlan,
        orgs: list[OrgPlan],
        kind: NoteKind,
        created: datetime,
        offset: float,
        phase_id: str,
        phase_kind: PhaseKind,
    ) -> None:
        rng = self.rng
        note_id = random_id(rng)
        org: OrgPlan | None = None
        if kind != NoteKind.OBSERVATION and rng.random() < 0.9:
            org = host if phase_kind == PhaseKind.HOST and rng.random() < 0.7 else rng.choice(orgs)
        person = rng.choice(org.people)[0] if org is not None and rng.random() < 0.4 else None
        if kind == NoteKind.OBSERVATION:
            author = rng.choice(self.observers[m.project_index])
        else:
            author = self.facilitators[m.project_index]
        owner_org = owner_person = due = None
        done = False
        if kind == NoteKind.ACTION:
            owner = org or rng.choice(orgs)
            owner_org = owner.id
            owner_person = rng.choice(owner.people)[0] if rng.random() < 0.6 else None
            due = m.date + timedelta(days=rng.randint(14, 60))
            done = m.status == MeetingStatus.CLOSED and rng.random() < 0.5
        text = note_text(rng, kind)
        done_at = created + timedelta(days=rng.randint(3, 50)) if done else None
        values = {
            "id": note_id,
            "meeting_id": m.id,
            "phase_id": phase_id,
            "organisation_id": org.id if org else None,
            "person_id": person,
            "author": author,
            "kind": str(kind),
            "text": text,
            "created_at": created,
            "offset_seconds": offset,
            "owner_organisation_id": owner_org,
            "owner_person_id": owner_person,
            "due": due,
            "done": done,
            "done_at": done_at,
            "deleted": False,
            "revision": 2 if done else 1,
            "updated_at": done_at or created,
        }
        self.add("note", values)
        self.note_meta.append((note_id, m.project_index, created))
        # As NoteService writes them: "create" at revision 1, "done" when ticked off.
        self.add("note_revision", self.revision(values, 1, "create", created, done=False))
        if done_at is not None:
            self.add("note_revision", self.revision(values, 2, "done", done_at, done=True))

    def revision(
        self, note: dict[str, Any], number: int, action: str, at: datetime, *, done: bool
    ) -> dict[str, Any]:
        return {
            "id": random_id(self.rng),
            "note_id": note["id"],
            "revision": number,
            "action": action,
            "at": at,
            "author": note["author"],
            "kind": note["kind"],
            "text": note["text"],
            "organisation_id": note["organisation_id"],
            "owner_organisation_id": note["owner_organisation_id"],
            "owner_person_id": note["owner_person_id"],
            "due": note["due"],
            "done": done,
            "deleted": False,
        }

    # -------------------------------------------------------------- tags

    def plan_tags(self) -> None:
        rng = self.rng
        notes = self.note_meta
        if not notes:
            return
        codes_per = max(len(c) for c in self.codes.values())
        room = len(notes) * codes_per * self.size.observers
        if self.size.tags > room // 2:
            raise ValueError(f"{self.size.tags} tags do not fit on {len(notes)} notes")
        # Some codes come up far more often than others (a Zipf-like codebook).
        cumulative: dict[int, list[float]] = {}
        for project, codes in self.codes.items():
            total = 0.0
            cumulative[project] = []
            for rank in range(len(codes)):
                total += 1 / (rank + 1) ** 0.8
                cumulative[project].append(total)
        seen: set[tuple[int, int, int]] = set()
        picked: list[tuple[int, int, int]] = []
        while len(picked) < self.size.tags:
            n = rng.randrange(len(notes))
            project = notes[n][1]
            c = rng.choices(range(len(self.codes[project])), cum_weights=cumulative[project])[0]
            o = rng.randrange(self.size.observers)
            key = (n, c, o)
            if key not in seen:
                seen.add(key)
                picked.append(key)
        picked.sort()
        for n, c, o in picked:
            note_id, project, created = notes[n]
            code = self.codes[project][c]
            observer = self.observers[project][o]
            at = created + timedelta(seconds=rng.uniform(2.0, 90.0))
            self.add(
                "tag",
                {
                    "id": tag_id(note_id, code, observer),
                    "note_id": note_id,
                    "code_id": code,
                    "observer": observer,
                    "active": rng.random() < 0.97,
                    "created_at": at,
                    "updated_at": at,
                },
            )

    def plan(self) -> None:
        self.plan_projects()
        self.plan_meetings()
        self.plan_notes()
        self.plan_tags()

    # -------------------------------------------------------------- info

    def info(self) -> dict[str, Any]:
        running = [m.ref for m in self.meetings if m.status == MeetingStatus.RUNNING]
        return {
            "schema": HEAD,
            "generator": GENERATOR,
            "seed": self.size.seed,
            "size": {
                "projects": self.size.projects,
                "meetings": self.size.meetings,
                "notes": self.size.notes,
                "tags": self.size.tags,
                "observers": self.size.observers,
            },
            "big_meeting": self.big.ref,
            "big_meeting_id": self.big.id,
            "big_meeting_notes": self.big.notes,
            "meeting_5000": self.m5000.ref,
            "meeting_5000_id": self.m5000.id,
            "meeting_5000_notes": self.m5000.notes,
            "meeting_5000_status": str(self.m5000.status),
            "running_meeting": running[0],
            "planned_meetings": [m.ref for m in self.meetings if m.status == MeetingStatus.PLANNED],
            "observers": {self.shorts[p]: names for p, names in self.observers.items()},
            "counts": {table: len(rows) for table, rows in self.rows.items()},
        }


# Parent before child, as sync inserts them; the generator makes no tombstones.
INSERT_ORDER = tuple(name for name in TABLE_ORDER if name != "tombstone")
# The tables as the migrations made them, with the app's column types (UTCDateTime, JSONList).
TABLES = {name: SQLModel.metadata.tables[name] for name in INSERT_ORDER}
# One transaction per group: the structure, the notes with their history, the tags.
TRANSACTIONS: tuple[tuple[str, ...], ...] = (
    INSERT_ORDER[:8],
    ("note", "note_revision"),
    ("tag",),
)


def _batches(rows: Sequence[dict[str, Any]], size: int) -> Iterable[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def build(out: Path, size: Size | None = None, *, replace: bool = True) -> dict[str, Any]:
    """Build the reference database at ``out``; returns (and writes to ``out.json``) its info."""
    size = size or Size()
    began = time.perf_counter()
    out = out.expanduser().resolve()
    if out.exists() or Path(f"{out}-wal").exists():
        if not replace:
            raise FileExistsError(out)
        for suffix in ("", "-wal", "-shm", ".json"):
            Path(f"{out}{suffix}").unlink(missing_ok=True)
    builder = Builder(size)
    builder.plan()
    planned = time.perf_counter()
    database = open_database(out)
    try:
        with database.engine.connect() as connection:
            raw = connection.connection.driver_connection
            assert raw is not None
            raw.execute("PRAGMA synchronous = OFF")
            raw.execute("PRAGMA cache_size = -200000")
            for group in TRANSACTIONS:
                with connection.begin():
                    for name in group:
                        for batch in _batches(builder.rows.get(name, []), BATCH):
                            connection.execute(insert(TABLES[name]), list(batch))
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            raw.execute("PRAGMA synchronous = FULL")
    finally:
        database.dispose()
    info = builder.info()
    info["path"] = str(out)
    info["plan_seconds"] = round(planned - began, 2)
    info["build_seconds"] = round(time.perf_counter() - began, 2)
    info["file_bytes"] = out.stat().st_size
    sidecar(out).write_text(json.dumps(info, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return info


def sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def load_info(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(sidecar(path).read_text("utf-8"))
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.reference_db", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--out", type=Path, required=True, metavar="PATH")
    defaults = Size()
    parser.add_argument("--projects", type=int, default=defaults.projects)
    parser.add_argument("--meetings", type=int, default=defaults.meetings)
    parser.add_argument("--notes", type=int, default=defaults.notes)
    parser.add_argument("--tags", type=int, default=defaults.tags)
    parser.add_argument("--observers", type=int, default=defaults.observers)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    args = parser.parse_args(argv)
    size = Size(args.projects, args.meetings, args.notes, args.tags, args.observers, args.seed)
    try:
        info = build(args.out, size)
    except ValueError as exc:
        print(f"reference_db: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(info, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
