"""The report's read counts the tagged notes instead of keeping them: the same report.

A generated series with deleted notes, removed tags, observers' own notes, three
observers (one under two spellings, one spelling only on a deleted note) and notes
written in the same instant is read both ways; the figures are also worked out here
from every remark, the way the analysis did before it counted as it read.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter

import pytest
from tests.analysis_data import FB, FS, GS, OA, PF, PROJECT, SL, code, meeting, org, record_series
from tests.domain.test_series_tally import ranked_choice

from samverkan.domain.agreement import CodedUnit, agreement
from samverkan.domain.analysis import Analysis, Series, analyse
from samverkan.domain.clock import ManualClock
from samverkan.domain.model import NoteKind
from samverkan.domain.report import render_report
from samverkan.services import NoteDraft, Services
from samverkan.services.analysis import read_series
from samverkan.services.observations import ObservationService
from samverkan.store.reading import reading

OBSERVERS = ["Cecilia Norberg", "Anders Lundmark", "Bo Ek", "bo ek"]
KINDS = [NoteKind.NOTE] * 4 + [NoteKind.DECISION, NoteKind.ACTION, NoteKind.QUESTION]
ORGS = ["SKE", "AF", "FAL", "SOD", None]


def generate(services: Services, clock: ManualClock) -> None:
    record_series(services, clock)
    rng = random.Random(11)
    observing = ObservationService(services.database, services.clock)
    slugs = [GS, PF, FB, OA, SL, FS]
    for number in (3, 4):
        mid = meeting(number)
        services.meetings.start(mid)
        services.meetings.go_to_phase(mid, 1)
        for index in range(36):
            clock.advance(rng.choice([0, 0, 3]))  # notes in the same instant: by id
            if rng.random() < 0.1:
                observing.add_observation(
                    mid,
                    NoteDraft(f"egen {number}-{index}", NoteKind.OBSERVATION),
                    rng.choice(OBSERVERS[:3]),
                    rng.sample([code(s) for s in slugs], 1),
                )
                continue
            short = rng.choice(ORGS)
            draft = NoteDraft(f"{number}-{index}", rng.choice(KINDS), org(short) if short else None)
            note = services.notes.add(mid, draft)
            # "bo ek" writes later than "Bo Ek": the report names him as first written.
            for observer in OBSERVERS[: 3 if index < 10 else 4]:
                for slug in rng.sample(slugs, rng.choice([0, 0, 1, 2])):
                    services.tags.set(note.id, code(slug), observer, True)
                    if rng.random() < 0.1:
                        services.tags.set(note.id, code(slug), observer, False)
            if rng.random() < 0.1:
                services.tags.set(note.id, code(GS), "ANDERS LUNDMARK", True)
                services.notes.delete(note.id)  # that spelling only on a deleted note
            elif rng.random() < 0.1:
                services.notes.delete(note.id)
        services.meetings.close(mid)


@pytest.fixture
def both(imported: Services, clock: ManualClock) -> tuple[Series, Series]:
    generate(imported, clock)
    project = imported.projects.project_id(PROJECT)
    with reading(imported.database) as reader:
        whole = read_series(reader, project)
        counted = read_series(reader, project, tagged=False)
    return whole, counted


def test_the_counting_read_gives_the_same_report(both: tuple[Series, Series]) -> None:
    whole, counted = both
    # Counted from the remarks (sorted in Python) rather than by the read (in SQL order).
    from_remarks = dataclasses.replace(whole, tally=None)
    for lang in ("sv", "en"):
        expected = render_report(analyse(from_remarks), lang=lang)
        assert render_report(analyse(whole), lang=lang) == expected
        assert render_report(analyse(counted), lang=lang) == expected
    assert "Bo Ek" in expected and "bo ek" not in expected
    assert "ANDERS" not in expected


def test_the_counting_read_holds_what_every_remark_says(both: tuple[Series, Series]) -> None:
    whole, counted = both
    kept = (NoteKind.DECISION, NoteKind.ACTION)
    assert counted.remarks == tuple(r for r in whole.remarks if r.kind in kept)
    assert counted.coders == whole.coders
    assert counted.note_counts == whole.note_counts
    assert counted.observations == whole.observations
    assert {o for names in whole.coders.values() for o in names} == set(OBSERVERS[:3])

    analysis = analyse(counted)
    codes = [c.id for c in whole.codes]
    by_code = {c: [r for r in whole.remarks if c in r.code_ids] for c in codes}
    per_meeting = Counter((c, r.meeting_id) for c in codes for r in by_code[c])
    per_org = Counter((c, r.organisation_id) for c in codes for r in by_code[c])
    assert analysis.by_meeting.counts == per_meeting
    assert analysis.by_organisation.counts == per_org
    assert analysis.by_meeting.row_totals == {c: len(by_code[c]) for c in codes}
    for c in codes:
        remarks = by_code[c]
        chosen = ranked_choice(
            [len(r.observers_of(c)) for r in remarks], [r.meeting_id for r in remarks]
        )
        assert analysis.quotes.get(c, ()) == tuple(remarks[i] for i in chosen)
    assert analysis.agreement == _agreement_from_remarks(whole)


def _agreement_from_remarks(series: Series) -> object:
    """κ and α as series_agreement worked them out from every remark."""
    pairable = {m: c for m, c in series.coders.items() if len(c) >= 2}
    alike = Counter(
        (r.meeting_id, r.tags)
        for r in series.remarks
        if r.tags and r.meeting_id in pairable and r.kind is not NoteKind.OBSERVATION
    )
    units: Counter[CodedUnit] = Counter()
    tagged: Counter[str] = Counter()
    for (mid, tags), n in alike.items():
        tagged[mid] += n
        units[CodedUnit(pairable[mid], tags)] += n
    notes: Counter[str] = Counter()
    for (mid, _org), n in series.note_counts.items():
        notes[mid] += n
    for mid, n in series.observations.items():
        notes[mid] -= n
    untagged = [(c, notes[m] - tagged[m]) for m, c in pairable.items() if notes[m] > tagged[m]]
    return agreement(units, [c.id for c in series.codes], untagged=untagged)


def test_remarks_behind_need_every_tagged_remark(both: tuple[Series, Series]) -> None:
    whole, counted = both
    assert analyse(whole).remarks_behind(code(GS))
    analysis: Analysis = analyse(counted)
    with pytest.raises(ValueError, match="without its tagged remarks"):
        analysis.remarks_behind(code(GS))
