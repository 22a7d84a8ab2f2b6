"""Observations: the atomic add, export → import round trips, every refusal, live changes."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import FORETAG, GRUPP_1

from samverkan.domain.clock import ManualClock
from samverkan.domain.errors import UserError
from samverkan.domain.model import NoteKind
from samverkan.domain.observation_file import loads
from samverkan.services import NoteDraft, Services, open_services
from samverkan.services.observations import ObservationService

REF = "grupp-1/1"


def counts(services: Services) -> dict[str, int]:
    """Rows per table, on whichever engine the services run."""
    from sqlalchemy import text

    with services.database.read() as session:
        return {
            table: session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("note", "note_revision", "tag")
        }


@pytest.fixture
def laptop(tmp_path: Path, clock: ManualClock) -> Iterator[Services]:
    """The observer's own laptop: the same project folder imported, nothing else."""
    services = open_services(tmp_path / "observer.db", clock=clock)
    services.importer.import_paths([GRUPP_1])
    yield services
    services.close()


def observe(services: Services) -> ObservationService:
    return ObservationService(services.database, services.clock)


def ids(services: Services) -> tuple[str, dict[str, str], dict[str, str]]:
    meeting_id = services.projects.resolve_ref(REF)
    view = services.projects.meeting(meeting_id)
    return (
        meeting_id,
        {c.slug: c.id for c in view.codes},
        {o.short: o.id for o in view.organisations},
    )


def observation(text: str, org: str | None = None) -> NoteDraft:
    return NoteDraft(text, kind=NoteKind.OBSERVATION, organisation_id=org)


def record_offline(laptop: Services, clock: ManualClock, observer: str = "Cecilia") -> str:
    """Two observations with inline tags, one of them later untagged; returns a file."""
    meeting_id, codes, orgs = ids(laptop)
    service = observe(laptop)
    clock.advance(600)
    first = service.add_observation(
        meeting_id,
        observation("Lösningsinriktat samtal", orgs["SKE"]),
        observer,
        [codes["losningsinriktning"], codes["personfaktorer"]],
    )
    clock.advance(60)
    service.add_observation(
        meeting_id, observation("Alla skyller på AF"), observer, [codes["skylla-pa-nagon-annan"]]
    )
    clock.advance(30)
    laptop.tags.set(first.id, codes["personfaktorer"], observer, False)
    return json.dumps(service.export_observations(meeting_id, observer), ensure_ascii=False)


# ------------------------------------------------------------------ adding


def test_add_observation_commits_note_revision_and_tags_together(imported: Services) -> None:
    meeting_id, codes, orgs = ids(imported)
    note = observe(imported).add_observation(
        meeting_id,
        observation(" Bra exempel ", orgs["AF"]),
        "Cecilia",
        [codes["dua-stod"], codes["dua-stod"], codes["samlokalisering"]],
    )
    assert note.text == "Bra exempel" and note.kind == NoteKind.OBSERVATION
    assert note.author == "Cecilia" and note.organisation_id == orgs["AF"]
    assert [t.slug for t in note.tags] == ["dua-stod", "samlokalisering"]
    assert counts(imported) == {"note": 1, "note_revision": 1, "tag": 2}
    assert imported.notes.history(note.id)[0].action == "create"


@pytest.mark.parametrize(("observer", "text"), [("", "text"), ("Cecilia", "   ")])
def test_add_observation_refuses_without_name_or_text(
    imported: Services, observer: str, text: str
) -> None:
    meeting_id, _codes, _orgs = ids(imported)
    with pytest.raises(UserError):
        observe(imported).add_observation(meeting_id, observation(text), observer)
    assert counts(imported)["note"] == 0


def test_add_observation_refused_in_closed_meeting_writes_nothing(imported: Services) -> None:
    meeting_id, codes, _orgs = ids(imported)
    imported.meetings.start(meeting_id)
    imported.meetings.close(meeting_id)
    with pytest.raises(UserError, match="closed"):
        observe(imported).add_observation(
            meeting_id, observation("x"), "Cecilia", [codes["dua-stod"]]
        )
    assert counts(imported) == {"note": 0, "note_revision": 0, "tag": 0}


# ------------------------------------------------------------------ round trip


def test_offline_work_merges_once_however_often_imported(
    imported: Services, laptop: Services, clock: ManualClock
) -> None:
    meeting_id, _codes, _orgs = ids(imported)
    imported.meetings.start(meeting_id)
    imported.notes.add(meeting_id, NoteDraft("Facilitatorns anteckning"))
    text = record_offline(laptop, clock)
    before = counts(imported)
    first = observe(imported).import_observations(loads(text))
    assert (first.notes_added, first.tags_added, first.tags_skipped) == (2, 3, 0)
    after = counts(imported)
    assert after == {
        "note": before["note"] + 2,
        "note_revision": before["note_revision"] + 2,
        "tag": before["tag"] + 3,
    }
    again = observe(imported).import_observations(json.loads(text))
    assert not again.changed and again.notes_unchanged == 2 and again.tags_unchanged == 3
    assert counts(imported) == after
    notes = {n.text: n for n in imported.notes.notes(meeting_id)}
    merged = notes["Lösningsinriktat samtal"]
    assert [t.slug for t in merged.tags] == ["losningsinriktning"]  # personfaktorer was undone
    assert merged.author == "Cecilia"
    assert imported.notes.history(merged.id)[0].action == "import"
    # Made offline where the meeting never ran: its phase comes from the facilitator's log.
    assert merged.phase_id == imported.meetings.clock(meeting_id).phase_id
    assert merged.offset_seconds == pytest.approx(600)


def test_two_observers_files_never_duplicate(
    imported: Services, laptop: Services, clock: ManualClock, tmp_path: Path
) -> None:
    cecilia = record_offline(laptop, clock, "Cecilia")
    other = open_services(tmp_path / "anders.db", clock=clock)
    other.importer.import_paths([GRUPP_1])
    anders = record_offline(other, clock, "Anders")
    other.close()
    service = observe(imported)
    for text in (cecilia, anders, cecilia, anders):
        service.import_observations(loads(text))
    assert counts(imported) == {"note": 4, "note_revision": 4, "tag": 6}
    observers = {t.observer for n in imported.notes.notes(ids(imported)[0]) for t in n.tags}
    assert observers == {"Cecilia", "Anders"}


def test_newer_edit_and_untag_win_and_older_file_loses(
    imported: Services, laptop: Services, clock: ManualClock
) -> None:
    meeting_id, codes, _orgs = ids(laptop)
    old = record_offline(laptop, clock)
    note = next(n for n in laptop.notes.notes(meeting_id) if n.text == "Alla skyller på AF")
    clock.advance(60)
    laptop.notes.edit(note.id, text="Alla skyller på Arbetsförmedlingen")
    laptop.tags.set(note.id, codes["skylla-pa-nagon-annan"], "Cecilia", False)
    new = json.dumps(observe(laptop).export_observations(meeting_id, "Cecilia"))
    service = observe(imported)
    service.import_observations(loads(old))
    summary = service.import_observations(loads(new))
    assert (summary.notes_updated, summary.tags_updated) == (1, 1)
    stale = service.import_observations(loads(old))
    assert not stale.changed
    merged = imported.notes.note(note.id)
    assert merged.text == "Alla skyller på Arbetsförmedlingen" and merged.tags == ()
    assert [r.action for r in imported.notes.history(note.id)] == ["import", "import"]


def test_tags_on_a_database_copy_reach_the_facilitators_notes(
    imported: Services, clock: ManualClock, tmp_path: Path
) -> None:
    meeting_id, codes, _orgs = ids(imported)
    imported.meetings.start(meeting_id)
    facilitators = imported.notes.add(meeting_id, NoteDraft("Vi har en koordinator"))
    copy_path = imported.backup(tmp_path / "copy.db")
    on_copy = open_services(copy_path, clock=clock)
    on_copy.tags.set(facilitators.id, codes["koordinator-kommun-af"], "Cecilia", True)
    data = observe(on_copy).export_observations(meeting_id, "Cecilia")
    on_copy.close()
    assert data["notes"] == [] and len(data["tags"]) == 1
    summary = observe(imported).import_observations(data)
    assert summary.tags_added == 1
    assert [t.slug for t in imported.notes.note(facilitators.id).tags] == ["koordinator-kommun-af"]
    # A database that lacks the note skips that tag rather than failing the file.
    elsewhere = open_services(tmp_path / "elsewhere.db", clock=clock)
    elsewhere.importer.import_paths([GRUPP_1])
    skipped = observe(elsewhere).import_observations(data)
    elsewhere.close()
    assert skipped.tags_skipped == 1 and not skipped.changed


def test_export_without_observer_takes_everyones_work(
    imported: Services, laptop: Services, clock: ManualClock
) -> None:
    observe(imported).import_observations(loads(record_offline(laptop, clock, "Cecilia")))
    meeting_id, codes, _orgs = ids(imported)
    note = imported.notes.notes(meeting_id)[0]
    imported.tags.set(note.id, codes["dua-stod"], "Anders", True)
    everyone = observe(imported).export_observations(meeting_id, None)
    assert everyone["observer"] is None
    assert {t["observer"] for t in everyone["tags"]} == {"Cecilia", "Anders"}
    only = observe(imported).export_observations(meeting_id, "anders")  # names ignore case
    assert {t["observer"] for t in only["tags"]} == {"Anders"} and only["notes"] == []


# ------------------------------------------------------------------ refusals


def _file(laptop: Services, clock: ManualClock) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(record_offline(laptop, clock))
    return data


def _damage(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    damaged = copy.deepcopy(data)
    *parents, last = path.split(".")
    target: Any = damaged
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is _DELETE:
        del target[int(last) if last.isdigit() else last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return damaged


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("schema_version", 2, "newer version"),
        ("schema_version", 0, "damaged"),
        ("format", "something-else", "not a samverkan observation file"),
        ("notes", _DELETE, "notes is missing"),
        ("notes.0.text", _DELETE, r"notes\[0\].text is missing"),
        ("notes.0.text", "  ", r"notes\[0\].text is empty"),
        ("notes.0.id", "not-a-uuid", "not a UUID"),
        ("notes.0.created_at", "yesterday", "not an ISO 8601 time"),
        ("notes.0.created_at", "2018-06-14T07:40:00", "no time zone"),
        ("notes.0.kind", "gossip", "not a kind of note"),
        ("notes.0.revision", 0, "negative"),
        ("meeting.number", "1", "wrong type"),
        ("tags.0.active", 1, "wrong type"),
        ("tags.1.observer", 5, "wrong type"),
        ("tags.0.code_slug", "no-such-code", "#no-such-code, which is not in the codebook"),
        ("notes.0.organisation", "XYZ", "organisation XYZ"),
        ("notes.0.phase", 42, "phase 43"),
        ("meeting.id", "00000000-0000-4000-8000-000000000000", "not in this database"),
    ],
)
def test_refused_files_import_nothing(
    imported: Services, laptop: Services, clock: ManualClock, path: str, value: Any, message: str
) -> None:
    damaged = _damage(_file(laptop, clock), path, value)
    before = counts(imported)
    with pytest.raises(UserError, match=message):
        observe(imported).import_observations(damaged)
    assert counts(imported) == before


def test_file_for_a_project_not_imported_is_refused(
    services: Services, laptop: Services, clock: ManualClock
) -> None:
    services.importer.import_paths([FORETAG])
    with pytest.raises(UserError, match="import its project folder first"):
        observe(services).import_observations(_file(laptop, clock))
    assert counts(services) == {"note": 0, "note_revision": 0, "tag": 0}


@pytest.mark.parametrize("text", ["", "{", "[1, 2]", "null", '{"format": 5}', "\x00\x01"])
def test_damaged_text_is_refused_in_one_sentence(text: str) -> None:
    with pytest.raises(UserError) as caught:
        loads(text)
    assert "\n" not in str(caught.value)


def test_duplicate_entries_are_damage(laptop: Services, clock: ManualClock) -> None:
    data = _file(laptop, clock)
    data["notes"].append(data["notes"][0])
    with pytest.raises(UserError, match="same entry twice"):
        loads(json.dumps(data))


def test_note_of_another_meeting_is_refused(
    imported: Services, laptop: Services, clock: ManualClock
) -> None:
    data = _file(laptop, clock)
    other = imported.projects.resolve_ref("grupp-1/2")
    imported.meetings.start(other)
    stranger = imported.notes.add(other, NoteDraft("Annat möte"))
    data["notes"][0]["id"] = stranger.id
    before = counts(imported)
    with pytest.raises(UserError, match="another meeting"):
        observe(imported).import_observations(data)
    assert counts(imported) == before
