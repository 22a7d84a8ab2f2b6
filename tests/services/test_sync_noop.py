"""A sync after a complete one compares only what changed since (the change sequence,
remembered on both sides): nothing is missed, whoever wrote it and whenever."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import GRUPP_1
from tests.services.test_sync import Laptops, _codes

from samverkan.services.notes import NoteDraft
from samverkan.services.sync import Sync
from samverkan.services.tags import TagService
from samverkan.store.location import DatabaseLocation


@pytest.fixture
def laptops(tmp_path: Path, db_location: DatabaseLocation) -> Iterator[Laptops]:
    found = Laptops(tmp_path, db_location)
    yield found
    found.close()


def _started(laptops: Laptops) -> str:
    a = laptops["a"]
    a.importer.import_paths([GRUPP_1])
    mid = a.projects.resolve_ref("grupp-1/1")
    a.meetings.start(mid)
    a.notes.add(mid, NoteDraft("before the first sync"))
    laptops.sync("a", "b")
    return mid


def _compared(laptops: Laptops, a: str, b: str) -> list[str]:
    """The meetings a sync of ``a`` with ``b`` looks into (not known to be the same)."""
    sync = Sync(laptops[a].database, laptops[b].database)
    peers = sync._identities(remember=False)
    project_id = laptops[a].projects.project_id("grupp-1")
    return [mid for mid, (_n, title) in sync._meetings(project_id, peers) if title is not None]


def test_after_a_complete_sync_nothing_is_compared_and_each_change_is(laptops: Laptops) -> None:
    mid = _started(laptops)
    assert _compared(laptops, "a", "b") == [] and _compared(laptops, "b", "a") == []
    # A note on one side, a tag on the other, an attendance row: each is seen.
    laptops["a"].notes.add(mid, NoteDraft("after"))
    assert _compared(laptops, "a", "b") == [mid]
    laptops.sync("a", "b")
    assert _compared(laptops, "b", "a") == []
    note = laptops["b"].notes.notes(mid)[0].id
    TagService(laptops["b"].database, laptops.clock).set(note, _codes(laptops["b"])[0], "Eva", True)
    assert _compared(laptops, "a", "b") == [mid]
    laptops.sync("b", "a")
    org = laptops["a"].projects.project(laptops["a"].projects.project_id("grupp-1"))
    laptops["b"].meetings.set_attendance(mid, org.organisations[0].id, None, True)
    assert _compared(laptops, "a", "b") == [mid]
    laptops.sync("a", "b")
    assert laptops.dump("a") == laptops.dump("b")
    assert _compared(laptops, "a", "b") == []


def test_a_note_written_during_the_sync_travels_with_the_next_one(laptops: Laptops) -> None:
    mid = _started(laptops)
    laptops["a"].notes.add(mid, NoteDraft("makes the sync compare meeting 1"))
    written: list[str] = []

    def typing(ref: str) -> None:
        # The facilitator types into meeting 1 while the sync is at meeting 2.
        if ref == "grupp-1/2" and not written:
            written.append(laptops["a"].notes.add(mid, NoteDraft("typed meanwhile")).id)

    Sync(laptops["a"].database, laptops["b"].database, progress=typing).run()
    assert written and written[0] not in {n.id for n in laptops["b"].notes.notes(mid)}
    laptops.sync("a", "b")
    assert written[0] in {n.id for n in laptops["b"].notes.notes(mid)}
    assert laptops.dump("a") == laptops.dump("b")


def test_a_copied_database_file_does_not_hide_the_original_s_notes(
    laptops: Laptops, tmp_path: Path
) -> None:
    mid = _started(laptops)
    laptops.opened.pop("a").close()
    shutil.copy(tmp_path / "a.db", tmp_path / "copy.db")
    laptops["copy"].notes.add(mid, NoteDraft("on the copy"))
    laptops["a"].notes.add(mid, NoteDraft("on the original"))
    laptops.sync("copy", "b")
    # From the side whose record of this id now holds the copy's numbers.
    laptops.sync("b", "a")
    texts = {n.text for n in laptops["b"].notes.notes(mid)}
    assert {"on the copy", "on the original"} <= texts
    laptops.sync("copy", "b")
    assert laptops.dump("a") == laptops.dump("b") == laptops.dump("copy")


def test_a_sync_with_nothing_new_writes_nothing(
    laptops: Laptops, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every write on a server wakes the screens that follow it: a no-op sync makes none."""
    _started(laptops)
    writes: list[str] = []
    for name in ("a", "b"):
        database = laptops[name].database
        real = database.write

        def counted(*args: object, _real: object = real, _name: str = name, **kw: object) -> object:
            writes.append(_name)
            return _real(*args, **kw)  # type: ignore[operator]

        monkeypatch.setattr(database, "write", counted)
    report = Sync(laptops["a"].database, laptops["b"].database).run()
    assert not report.changed and writes == []


def test_a_backup_of_the_team_database_does_not_hide_its_notes(
    laptops: Laptops, tmp_path: Path
) -> None:
    """A backup numbers its changes again (a server's copy does), so what the team
    database remembered of its syncs does not hold for it: it syncs as a stranger."""
    mid = _started(laptops)
    # Tags set and taken away again: numbers the team database used and the
    # copy, numbering only what is there, does not.
    first = laptops["b"].notes.notes(mid)[0].id
    tags = TagService(laptops["b"].database, laptops.clock)
    for _ in range(10):
        tags.set(first, _codes(laptops["b"])[0], "Eva", True)
        tags.set(first, _codes(laptops["b"])[0], "Eva", False)
    laptops.sync("a", "b")
    for index in range(3):
        laptops["b"].notes.add(mid, NoteDraft(f"after the first sync {index}"))
        note = laptops["b"].notes.notes(mid)[-1].id
        tags.set(note, _codes(laptops["b"])[index], "Eva", True)
    laptops["b"].backup(tmp_path / "copy.db")
    laptops.sync("a", "copy")
    texts = {n.text for n in laptops["a"].notes.notes(mid)}
    assert {f"after the first sync {index}" for index in range(3)} <= texts
    assert laptops.dump("a") == laptops.dump("copy")
