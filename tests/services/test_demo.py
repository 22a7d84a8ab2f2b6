"""The demo database: built atomically, and holding two meetings as they were really run."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from samverkan.domain.check import ProjectBundle
from samverkan.domain.clock import ClockState, EventKind
from samverkan.domain.model import MeetingStatus, NoteKind, NoteView
from samverkan.services import Services, open_services
from samverkan.services.demo import RECORDING, RecordingError, build_demo, load_recording
from samverkan.services.demo import sample_bundles as demo_bundles
from samverkan.services.meetings import MeetingService

FIRST_OBSERVER = "Cecilia Norberg"
SECOND_OBSERVER = "Anders Lundmark"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path)
    return path


@pytest.fixture(scope="module")
def bundles() -> list[ProjectBundle]:
    return demo_bundles()


@pytest.fixture
def demo(demo_db: Path) -> Iterator[Services]:
    services = open_services(demo_db)
    yield services
    services.close()


def _notes(demo: Services, number: int, **kwargs: bool) -> list[NoteView]:
    return demo.notes.notes(demo.projects.resolve_ref(f"grupp-1/{number}"), **kwargs)


def test_leaves_only_the_database_in_its_folder(demo_db: Path) -> None:
    assert [p.name for p in demo_db.parent.iterdir()] == ["demo.db"]


def test_both_projects_are_imported_with_five_meetings(demo: Services) -> None:
    projects = {p.short: p for p in demo.projects.list_projects()}
    assert set(projects) == {"grupp-1", "foretag"}
    for project in projects.values():
        assert [m.number for m in project.meetings] == [1, 2, 3, 4, 5]
    statuses = [m.status for m in projects["grupp-1"].meetings]
    assert statuses == [MeetingStatus.CLOSED] * 2 + [MeetingStatus.PLANNED] * 3
    assert all(m.status == MeetingStatus.PLANNED for m in projects["foretag"].meetings)
    assert all(m.notes == 0 for m in projects["foretag"].meetings)
    assert all(m.notes == 0 for m in projects["grupp-1"].meetings[2:])


@pytest.mark.parametrize("number", [1, 2])
def test_recorded_meeting_has_notes_of_every_kind_in_every_phase(
    demo: Services, number: int
) -> None:
    meeting = demo.projects.meeting(demo.projects.resolve_ref(f"grupp-1/{number}"))
    notes = _notes(demo, number)
    assert 30 <= len(notes) <= 45
    assert {n.phase_id for n in notes} == {p.id for p in meeting.phases}
    kinds = [n.kind for n in notes]
    assert kinds.count(NoteKind.DECISION) >= 3
    assert kinds.count(NoteKind.QUOTE) >= 3
    assert kinds.count(NoteKind.QUESTION) >= 2
    actions = [n for n in notes if n.kind == NoteKind.ACTION]
    assert len(actions) >= 3
    assert all(a.owner_organisation_id and a.due for a in actions)
    observations = [n for n in notes if n.kind == NoteKind.OBSERVATION]
    assert len(observations) >= 3
    assert {n.author for n in observations} == {FIRST_OBSERVER}
    assert {n.author for n in notes if n.kind != NoteKind.OBSERVATION} == {"Göran Westin"}
    speakers = {n.organisation_id for n in notes if n.organisation_id}
    assert len(speakers) >= (5 if number == 1 else 4)
    # Notes are in time order and inside the meeting.
    times = [n.created_at for n in notes]
    assert times == sorted(times)
    assert meeting.started_at is not None and meeting.closed_at is not None
    assert meeting.started_at <= times[0] and times[-1] <= meeting.closed_at


@pytest.mark.parametrize("number", [1, 2])
def test_phases_ran_with_times_and_the_floor_moved(demo: Services, number: int) -> None:
    mid = demo.projects.resolve_ref(f"grupp-1/{number}")
    meeting = demo.projects.meeting(mid)
    for phase in meeting.phases:
        assert phase.started_at is not None and phase.ended_at is not None
        assert phase.started_at < phase.ended_at
    # Local start: 09:34 CET on 15 March, 10:02 CEST on 17 May.
    start = meeting.phases[0].started_at
    assert start is not None
    assert (start.hour, start.minute) == ((8, 34) if number == 1 else (8, 2))
    state = demo.meetings.clock(mid)
    assert state.closed and state.floor is None
    spoke = [o for o in meeting.organisations if state.floor_total(o.id) > 120]
    assert len(spoke) >= 4
    kinds = [e.kind for e in demo.meetings.events(mid)]
    assert kinds.count(EventKind.PAUSE) == kinds.count(EventKind.RESUME) == 1
    # Attendance: an organisation row for each, people for those present.
    orgs = {a.organisation_id: a.present for a in meeting.attendance if a.person_id is None}
    assert len(orgs) == len(meeting.organisations)
    absent = [o.short for o in meeting.organisations if not orgs[o.id]]
    assert absent == ([] if number == 1 else ["STR"])
    assert sum(1 for a in meeting.attendance if a.person_id and a.present) >= 8


def test_two_observers_tag_and_sometimes_disagree(demo: Services) -> None:
    for number in (1, 2):
        notes = _notes(demo, number)
        tagged = [n for n in notes if n.tags]
        assert len(tagged) >= len(notes) // 2
        observers = {t.observer for n in tagged for t in n.tags}
        assert observers == {FIRST_OBSERVER, SECOND_OBSERVER}

        def slugs(note: NoteView, observer: str) -> set[str]:
            return {t.slug for t in note.tags if t.observer == observer}

        differ = [n for n in tagged if slugs(n, FIRST_OBSERVER) != slugs(n, SECOND_OBSERVER)]
        assert 0.05 <= len(differ) / len(tagged) <= 0.3


def test_an_action_of_meeting_1_is_done_and_another_carries_on(demo: Services) -> None:
    actions = [n for n in _notes(demo, 1) if n.kind == NoteKind.ACTION]
    done = [a for a in actions if a.done]
    assert len(done) == 1 and len(actions) - len(done) >= 1
    # Ticked at meeting 2, not at meeting 1.
    meeting_2 = demo.projects.meeting(demo.projects.resolve_ref("grupp-1/2"))
    ticked = demo.notes.history(done[0].id)[-1]
    assert ticked.action == "done"
    assert meeting_2.started_at is not None and ticked.at > meeting_2.started_at
    open_before_3 = demo.notes.open_actions(demo.projects.project_id("grupp-1"), 3)
    assert {a.id for a in actions if not a.done} <= {a.id for a in open_before_3}


def test_history_has_an_edit_and_a_delete(demo: Services) -> None:
    notes = _notes(demo, 1)
    edited = [n for n in notes if n.revision > 1 and n.kind != NoteKind.ACTION]
    assert len(edited) == 1
    history = demo.notes.history(edited[0].id)
    assert [r.action for r in history] == ["create", "edit"]
    assert history[0].text != history[1].text == edited[0].text
    everything = _notes(demo, 1, include_deleted=True)
    deleted = {n.id for n in everything} - {n.id for n in notes}
    assert len(deleted) == 1
    (gone,) = deleted
    assert demo.notes.history(gone)[-1].deleted


def test_meetings_3_to_5_are_untouched(demo: Services) -> None:
    for number in (3, 4, 5):
        mid = demo.projects.resolve_ref(f"grupp-1/{number}")
        meeting = demo.projects.meeting(mid)
        assert meeting.summary.status == MeetingStatus.PLANNED
        assert demo.notes.notes(mid, include_deleted=True) == []
        assert demo.meetings.events(mid) == []
        assert all(p.started_at is None for p in meeting.phases)


def test_building_over_an_existing_demo_replaces_it(
    demo: Services, demo_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "demo.db"
    shutil.copy(demo_db, path)
    (tmp_path / "demo.db-wal").write_bytes(b"stale wal of an older demo")
    (tmp_path / "demo.db-shm").write_bytes(b"stale shm")
    build_demo(path)
    assert [p.name for p in tmp_path.iterdir()] == ["demo.db"]
    again = open_services(path)
    try:
        for number in (1, 2):
            first = _notes(demo, number, include_deleted=True)
            second = _notes(again, number, include_deleted=True)
            # Same recording, same clock: the same notes at the same times.
            assert [(n.text, n.created_at) for n in second] == [
                (n.text, n.created_at) for n in first
            ]
    finally:
        again.close()


def test_a_failure_mid_build_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The projects are imported by then; the meetings are not yet run.
    def boom(self: MeetingService, meeting_id: str) -> ClockState:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(MeetingService, "start", boom)
    path = tmp_path / "demo.db"
    with pytest.raises(RuntimeError, match="disk on fire"):
        build_demo(path)
    assert list(tmp_path.iterdir()) == []
    # Over an existing file: the old one stays as it was.
    path.write_bytes(b"the previous demo")
    with pytest.raises(RuntimeError, match="disk on fire"):
        build_demo(path)
    assert [p.name for p in tmp_path.iterdir()] == ["demo.db"]
    assert path.read_bytes() == b"the previous demo"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("org: SKE\n", "org: XYZ\n", "'XYZ' is not an organisation of grupp-1"),
        ("[personfaktorer]", "[personfaktor]", "'personfaktor' is not a code slug"),
        ("owner: UME", "owner: NOPE", "owner 'NOPE' is not an organisation"),
        ("SOD: [Eva Hedlund]", "SOD: [Eva Nobody]", "'Eva Nobody' is not one of SOD's people"),
        ("title: Fika", "title: Lunch", "should be the agenda's 'Fika'"),
        ("minutes: 19", "minutes: 2", "more than its 2 minutes"),
        ("{done: m1-kontaktlista", "{done: m1-nothing", "no earlier note has id 'm1-nothing'"),
    ],
)
def test_the_recording_loader_names_what_is_wrong(
    bundles: list[ProjectBundle], tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = RECORDING.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "recording.yaml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RecordingError, match=message) as caught:
        load_recording(bundles, broken)
    assert str(broken) in str(caught.value) and "(meeting " in str(caught.value)
