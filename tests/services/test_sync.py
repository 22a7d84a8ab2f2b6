"""Sync between two (and three) databases: everything travels, twice changes nothing,
concurrent work is kept and reported, any order converges."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.conftest import GRUPP_1

from samverkan.domain.clock import ManualClock
from samverkan.domain.model import NoteKind
from samverkan.services import Services, open_services
from samverkan.services.notes import NoteDraft
from samverkan.services.sync import Sync, canonical_dump
from samverkan.store.location import DatabaseLocation


class Laptops:
    """Several databases with one clock; "b" or "team" is the fixture's engine (a file,
    or a database on the PostgreSQL server), the others are SQLite files."""

    def __init__(self, tmp_path: Path, team: DatabaseLocation) -> None:
        self.tmp_path = tmp_path
        self.team = team
        self.opened: dict[str, Services] = {}
        self.clock = ManualClock(datetime(2018, 6, 14, 7, 30, tzinfo=UTC))

    def __getitem__(self, name: str) -> Services:
        if name not in self.opened:
            where = self.team if name in ("b", "team") else self.tmp_path / f"{name}.db"
            self.opened[name] = open_services(where, clock=self.clock, author=name)
        return self.opened[name]

    def sync(self, a: str, b: str, **kwargs: object) -> object:
        self.clock.advance(1)
        return Sync(self[a].database, self[b].database).run(**kwargs)  # type: ignore[arg-type]

    def dump(self, name: str) -> str:
        return canonical_dump(self[name].database)

    def close(self) -> None:
        for services in self.opened.values():
            services.close()


@pytest.fixture
def laptops(tmp_path: Path, db_location: DatabaseLocation) -> Iterator[Laptops]:
    found = Laptops(tmp_path, db_location)
    yield found
    found.close()


def _meeting(services: Services, ref: str = "grupp-1/1") -> str:
    return services.projects.resolve_ref(ref)


def _run_meeting(services: Services, clock: ManualClock, texts: list[str]) -> list[str]:
    mid = _meeting(services)
    services.meetings.start(mid)
    ids = []
    for index, text in enumerate(texts):
        clock.advance(30)
        if index == 2:
            services.meetings.go_to_phase(mid, 1)
        kind = NoteKind.ACTION if index == 1 else NoteKind.NOTE
        ids.append(services.notes.add(mid, NoteDraft(text, kind=kind)).id)
    return ids


def test_everything_travels_and_a_second_run_changes_nothing(laptops: Laptops) -> None:
    a = laptops["a"]
    a.importer.import_paths([GRUPP_1])
    clock = laptops.clock
    ids = _run_meeting(a, clock, ["first", "an action", "third", "fourth"])
    mid = _meeting(a)
    org = a.projects.project(a.projects.project_id("grupp-1")).organisations[0]
    a.meetings.set_attendance(mid, org.id, None, True)
    a.meetings.give_floor(mid, org.id)
    code = a.database  # noqa: F841
    clock.advance(5)
    a.notes.edit(ids[0], text="first, edited")
    a.notes.set_done(ids[1], True)
    a.notes.reschedule(ids[1], datetime(2018, 9, 1).date())
    a.notes.delete(ids[3])
    codes = a.projects.project(a.projects.project_id("grupp-1"))
    del codes
    a.meetings.close(mid)

    report = laptops.sync("a", "b")
    assert report.changed  # type: ignore[attr-defined]
    assert laptops.dump("a") == laptops.dump("b")
    b = laptops["b"]
    assert [n.text for n in b.notes.notes(mid)] == ["first, edited", "an action", "third"]
    assert len(b.notes.history(ids[0])) == 2
    action = b.notes.note(ids[1])
    assert action.done and action.due == datetime(2018, 9, 1).date()
    assert b.meetings.clock(mid).closed
    before = laptops.dump("a")
    again = laptops.sync("a", "b")
    assert not again.changed  # type: ignore[attr-defined]
    again = laptops.sync("b", "a")
    assert not again.changed  # type: ignore[attr-defined]
    assert laptops.dump("a") == before == laptops.dump("b")


def test_the_same_note_edited_on_two_laptops_keeps_both_and_shows_the_newer(
    laptops: Laptops,
) -> None:
    laptops["a"].importer.import_paths([GRUPP_1])
    ids = _run_meeting(laptops["a"], laptops.clock, ["one", "two"])
    laptops.sync("a", "b")
    laptops.clock.advance(10)
    laptops["a"].notes.edit(ids[0], text="one, as A has it")
    laptops.clock.advance(10)
    laptops["b"].notes.edit(ids[0], text="one, as B has it")
    report = laptops.sync("a", "b")
    assert laptops.dump("a") == laptops.dump("b")
    conflicts = report.conflicts  # type: ignore[attr-defined]
    assert len(conflicts) == 1 and "changed both here and there" in conflicts[0]
    for name in ("a", "b"):
        note = laptops[name].notes.note(ids[0])
        assert note.text == "one, as B has it"
        texts = [r.text for r in laptops[name].notes.history(ids[0])]
        assert texts == ["one", "one, as A has it", "one, as B has it"]


def test_delete_on_one_side_and_edit_on_the_other_keeps_the_edit(laptops: Laptops) -> None:
    laptops["a"].importer.import_paths([GRUPP_1])
    ids = _run_meeting(laptops["a"], laptops.clock, ["one", "two"])
    laptops.sync("a", "b")
    laptops.clock.advance(10)
    laptops["b"].notes.edit(ids[1], text="two, corrected")
    laptops.clock.advance(10)
    laptops["a"].notes.delete(ids[1])  # newer than the edit
    report = laptops.sync("b", "a")
    assert laptops.dump("a") == laptops.dump("b")
    conflicts = report.conflicts  # type: ignore[attr-defined]
    assert len(conflicts) == 1 and "deleted on one side" in conflicts[0]
    for name in ("a", "b"):
        assert laptops[name].notes.note(ids[1]).text == "two, corrected"
        assert ids[1] in [n.id for n in laptops[name].notes.notes(_meeting(laptops[name]))]


def test_a_meeting_started_on_two_laptops_is_a_conflict_and_nothing_is_merged(
    laptops: Laptops,
) -> None:
    for name in ("a", "b"):
        laptops[name].importer.import_paths([GRUPP_1])
    _run_meeting(laptops["a"], laptops.clock, ["A's note"])
    _run_meeting(laptops["b"], laptops.clock, ["B's note"])
    report = laptops.sync("a", "b")
    conflicts = report.conflicts  # type: ignore[attr-defined]
    assert len(conflicts) == 1 and "started both here" in conflicts[0]
    assert [n.text for n in laptops["a"].notes.notes(_meeting(laptops["a"]))] == ["A's note"]
    assert [n.text for n in laptops["b"].notes.notes(_meeting(laptops["b"]))] == ["B's note"]


def test_an_observer_laptop_merges_into_the_facilitators_meeting(laptops: Laptops) -> None:
    laptops["team"].importer.import_paths([GRUPP_1])
    laptops.sync("team", "observer")
    ids = _run_meeting(laptops["team"], laptops.clock, ["one", "two"])
    laptops.sync("team", "observer")
    observer = laptops["observer"]
    code = observer.projects.project(observer.projects.project_id("grupp-1"))
    del code
    from samverkan.services.tags import TagService

    codes = _codes(observer)
    TagService(observer.database, laptops.clock).set(ids[0], codes[0], "Cecilia", True)
    laptops.sync("observer", "team")
    assert laptops.dump("team") == laptops.dump("observer")
    tags = laptops["team"].notes.note(ids[0]).tags
    assert [t.observer for t in tags] == ["Cecilia"]


def _codes(services: Services) -> list[str]:
    from samverkan.store.sync_rows import fetch

    with services.database.read() as session:
        return [r["id"] for r in fetch(session, "code")]


@pytest.mark.parametrize("chunk", [500, 2], ids=["by-ids", "whole-meetings"])
def test_three_databases_in_random_orders_converge(
    laptops: Laptops, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """With a chunk of 2, every read of more than two rows takes the bulk path (the
    whole meeting in one query, then the ids it lacks looked for elsewhere)."""
    from samverkan.services.tags import TagService
    from samverkan.store import sync_rows

    monkeypatch.setattr(sync_rows, "CHUNK", chunk)

    names = ["team", "anna", "bo"]
    laptops["team"].importer.import_paths([GRUPP_1])
    for name in names[1:]:
        laptops.sync("team", name)
    rng = random.Random(7)
    created: list[str] = []
    mid = _meeting(laptops["team"])
    laptops["anna"].meetings.start(mid)
    for step in range(60):
        name = rng.choice(names)
        services = laptops[name]
        laptops.clock.advance(rng.uniform(0.5, 20))
        action = rng.random()
        known = [n.id for n in services.notes.notes(mid, include_deleted=True)]
        if action < 0.35 or not known:
            created.append(services.notes.add(mid, NoteDraft(f"{name} {step}")).id)
        elif action < 0.55:
            services.notes.edit(rng.choice(known), text=f"{name} edits at {step}")
        elif action < 0.65:
            services.notes.delete(rng.choice(known))
        elif action < 0.8:
            TagService(services.database, laptops.clock).toggle(
                rng.choice(known), rng.choice(_codes(services)), name
            )
        else:
            a, b = rng.sample(names, 2)
            laptops.sync(a, b)
    # Any order of pairwise syncs that connects everyone, twice round.
    for _ in range(2):
        order = [(a, b) for a in names for b in names if a < b]
        rng.shuffle(order)
        for a, b in order:
            laptops.sync(a, b)
    dumps = {laptops.dump(name) for name in names}
    assert len(dumps) == 1
    for name in names:
        have = {n.id for n in laptops[name].notes.notes(mid, include_deleted=True)}
        assert set(created) <= have


def test_dry_run_lists_what_would_travel_and_changes_nothing(laptops: Laptops) -> None:
    laptops["a"].importer.import_paths([GRUPP_1])
    _run_meeting(laptops["a"], laptops.clock, ["one", "two"])
    laptops["b"]  # an empty database
    before = (laptops.dump("a"), laptops.dump("b"))
    report = laptops.sync("a", "b", dry_run=True)
    assert (laptops.dump("a"), laptops.dump("b")) == before
    traffic = {m.ref: m for m in report.meetings}  # type: ignore[attr-defined]
    assert traffic["grupp-1/1"].sent.notes_new == 2
    assert traffic["grupp-1/1"].received.empty


@pytest.mark.parametrize("chunk", [500, 2], ids=["by-ids", "whole-meetings"])
def test_split_moves_this_run_to_a_new_meeting_and_then_both_runs_sync(
    laptops: Laptops, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    from samverkan.store import sync_rows

    monkeypatch.setattr(sync_rows, "CHUNK", chunk)
    for name in ("a", "b"):
        laptops[name].importer.import_paths([GRUPP_1])
    a_ids = _run_meeting(laptops["a"], laptops.clock, ["A1", "A2", "A3"])
    _run_meeting(laptops["b"], laptops.clock, ["B1", "B2", "B3"])
    from samverkan.services.tags import TagService

    TagService(laptops["a"].database, laptops.clock).set(
        a_ids[0], _codes(laptops["a"])[0], "Ea", True
    )
    report = Sync(laptops["a"].database, laptops["b"].database).run(split=["grupp-1/1"])
    assert report.splits == [
        "grupp-1/1: this database's run of the meeting is now meeting grupp-1/6"
    ]
    assert not report.conflicts
    laptops.sync("b", "a")
    assert laptops.dump("a") == laptops.dump("b")
    for name in ("a", "b"):
        services = laptops[name]
        first = services.notes.notes(_meeting(services, "grupp-1/1"))
        moved = services.notes.notes(_meeting(services, "grupp-1/6"))
        assert [n.text for n in first] == ["B1", "B2", "B3"]
        assert [n.text for n in moved] == ["A1", "A2", "A3"]
        assert [t.observer for t in moved[0].tags] == ["Ea"]
        assert services.meetings.clock(_meeting(services, "grupp-1/6")).running


class _Cut(Exception):
    """The sync is cut off here (network gone, laptop closed)."""


def _diverged(laptops: Laptops) -> tuple[str, list[str]]:
    """Two laptops that have each worked on the same meeting since they last met."""
    from samverkan.services.tags import TagService

    laptops["a"].importer.import_paths([GRUPP_1])
    ids = _run_meeting(laptops["a"], laptops.clock, [f"note {i}" for i in range(12)])
    laptops.sync("a", "b")
    rng = random.Random(3)
    for step in range(24):
        name = rng.choice(["a", "b"])
        services = laptops[name]
        laptops.clock.advance(rng.uniform(0.5, 5))
        mid = _meeting(services)
        choice = rng.random()
        if choice < 0.3:
            ids.append(services.notes.add(mid, NoteDraft(f"{name} adds {step}")).id)
        elif choice < 0.6:
            known = [n.id for n in services.notes.notes(mid, include_deleted=True)]
            services.notes.edit(rng.choice(known), text=f"{name} edits {step}")
        elif choice < 0.7:
            known = [n.id for n in services.notes.notes(mid)]
            services.notes.delete(rng.choice(known))
        else:
            known = [n.id for n in services.notes.notes(mid)]
            TagService(services.database, laptops.clock).toggle(
                rng.choice(known), rng.choice(_codes(services)), name
            )
    return _meeting(laptops["a"]), ids


def _consistent(services: Services) -> None:
    """Every note row is what its revisions say, numbered 1..n without gaps."""
    from samverkan.services import sync_merge as rules
    from samverkan.store.sync_rows import fetch

    with services.database.read() as session:
        notes = {n["id"]: n for n in fetch(session, "note")}
        revisions: dict[str, list[dict[str, object]]] = {}
        for r in fetch(session, "note_revision"):
            revisions.setdefault(str(r["note_id"]), []).append(r)
    for note_id, note in notes.items():
        mine = sorted(revisions[note_id], key=lambda r: r["revision"])  # type: ignore[arg-type,return-value]
        assert [r["revision"] for r in mine] == list(range(1, len(mine) + 1))
        assert note["revision"] == len(mine)
        newest = mine[-1]
        assert {k: note[k] for k in rules.TRACKED} == {k: newest[k] for k in rules.TRACKED}


@pytest.mark.parametrize("seed", range(5))
def test_a_sync_cut_off_at_a_random_write_leaves_both_consistent_and_a_rerun_completes_it(
    laptops: Laptops, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    from samverkan.services import sync_apply

    mid, ids = _diverged(laptops)
    rng = random.Random(seed)
    calls = [0]
    cut_at = rng.randint(1, 12)
    for name in ("insert_rows", "update_rows"):
        real = getattr(sync_apply, name)

        def cutting(*args: object, _real: object = real, **kwargs: object) -> None:
            calls[0] += 1
            if calls[0] == cut_at:
                raise _Cut
            _real(*args, **kwargs)  # type: ignore[operator]

        monkeypatch.setattr(sync_apply, name, cutting)
    a, b = rng.sample(["a", "b"], 2)
    with pytest.raises(_Cut):
        laptops.sync(a, b)
    for name in ("a", "b"):
        _consistent(laptops[name])
    monkeypatch.undo()
    laptops.sync(a, b)
    assert laptops.dump("a") == laptops.dump("b")
    for name in ("a", "b"):
        _consistent(laptops[name])
        have = [n.id for n in laptops[name].notes.notes(mid, include_deleted=True)]
        assert sorted(have) == sorted(set(ids))  # nothing lost, nothing doubled
    assert not laptops.sync(b, a).changed  # type: ignore[attr-defined]
