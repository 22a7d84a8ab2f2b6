"""Deletions travel: what one side removed does not come back from the other, unless
the other side uses it (then it is kept on both, reported once)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import GRUPP_1
from tests.services.test_sync import Laptops

from samverkan.domain.model import NoteKind
from samverkan.services.notes import NoteDraft
from samverkan.store.location import DatabaseLocation
from samverkan.store.sync_rows import fetch, table


@pytest.fixture
def laptops(tmp_path: Path, db_location: DatabaseLocation) -> Iterator[Laptops]:
    found = Laptops(tmp_path, db_location)
    yield found
    found.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the sample project that the tests edit (its codebook beside it)."""
    root = tmp_path / "agendas"
    shutil.copytree(GRUPP_1, root / GRUPP_1.name)
    shutil.copy(GRUPP_1.parent / "codebook.md", root / "codebook.md")
    return root / GRUPP_1.name


def _drop_phase(folder: Path, agenda: str, heading: str) -> None:
    path = next(folder.glob(f"{agenda}-*.md"))
    text = path.read_text("utf-8")
    pattern = rf"^## {re.escape(heading)}.*?(?=^## )"
    dropped = re.sub(pattern, "", text, count=1, flags=re.S | re.M)
    assert dropped != text
    path.write_text(dropped, "utf-8")


def _phases(laptops: Laptops, name: str, ref: str) -> list[str]:
    services = laptops[name]
    mid = services.projects.resolve_ref(ref)
    with services.database.read() as session:
        rows = fetch(session, "phase", table("phase").c.meeting_id == mid)
    return sorted(r["title"] for r in rows)


def _synced_twice_quietly(laptops: Laptops, a: str, b: str) -> None:
    for first, second in ((a, b), (b, a)):
        again = laptops.sync(first, second)
        assert not again.changed and not again.conflicts  # type: ignore[attr-defined]
    assert laptops.dump(a) == laptops.dump(b)


def test_a_phase_dropped_from_a_planned_agenda_stays_dropped(
    laptops: Laptops, folder: Path
) -> None:
    laptops["a"].importer.import_paths([folder])
    laptops.sync("a", "b")
    before = _phases(laptops, "b", "grupp-1/2")
    assert "Välkommen och inledning" in before
    _drop_phase(folder, "02", "Välkommen och inledning")
    laptops["a"].importer.import_paths([folder])
    after = [title for title in before if title != "Välkommen och inledning"]
    assert _phases(laptops, "a", "grupp-1/2") == after
    # From the side that still has it first: the deletion wins, on both.
    report = laptops.sync("b", "a")
    assert not report.conflicts  # type: ignore[attr-defined]
    for name in ("a", "b"):
        assert _phases(laptops, name, "grupp-1/2") == after
    _synced_twice_quietly(laptops, "a", "b")


def test_an_organisation_pruned_on_one_side_is_pruned_on_the_other(
    laptops: Laptops, folder: Path
) -> None:
    project = folder / "project.md"
    original = project.read_text("utf-8")
    extra = "  - name: Region Exempel\n    short: REG\n    kind: region\n    people: [Olle Test]\n"
    project.write_text(
        original.replace(
            "  - name: Arbetsförmedlingen\n", extra + "  - name: Arbetsförmedlingen\n"
        ),
        "utf-8",
    )
    laptops["a"].importer.import_paths([folder])
    laptops.sync("a", "b")
    project.write_text(original, "utf-8")
    lines = laptops["a"].importer.import_paths([folder], prune=True)
    assert any(line.action == "removed" for line in lines)
    laptops.sync("a", "b")
    for name in ("a", "b"):
        with laptops[name].database.read() as session:
            shorts = {r["short"] for r in fetch(session, "organisation")}
            people = {r["name"] for r in fetch(session, "person")}
        assert "REG" not in shorts and "Olle Test" not in people
    _synced_twice_quietly(laptops, "a", "b")


def test_a_phase_dropped_on_one_side_but_used_on_the_other_is_kept_and_reported(
    laptops: Laptops, folder: Path
) -> None:
    laptops["a"].importer.import_paths([folder])
    laptops.sync("a", "b")
    b = laptops["b"]
    mid = b.projects.resolve_ref("grupp-1/2")
    b.meetings.start(mid)
    laptops.clock.advance(30)
    b.notes.add(mid, NoteDraft("written in the welcome", kind=NoteKind.NOTE))
    _drop_phase(folder, "02", "Välkommen och inledning")
    laptops["a"].importer.import_paths([folder])
    assert "Välkommen och inledning" not in _phases(laptops, "a", "grupp-1/2")
    report = laptops.sync("a", "b")
    conflicts = report.conflicts  # type: ignore[attr-defined]
    assert len(conflicts) == 1 and "in use on the other; it was kept" in conflicts[0]
    for name in ("a", "b"):
        assert "Välkommen och inledning" in _phases(laptops, name, "grupp-1/2")
        notes = laptops[name].notes.notes(mid)
        assert [n.text for n in notes] == ["written in the welcome"]
    _synced_twice_quietly(laptops, "a", "b")


def test_a_deleted_note_does_not_come_back_from_the_other_side(laptops: Laptops) -> None:
    a = laptops["a"]
    a.importer.import_paths([GRUPP_1])
    mid = a.projects.resolve_ref("grupp-1/1")
    a.meetings.start(mid)
    kept = a.notes.add(mid, NoteDraft("stays")).id
    gone = a.notes.add(mid, NoteDraft("goes")).id
    laptops.sync("a", "b")
    laptops.clock.advance(10)
    a.notes.delete(gone)
    # The side that still shows it syncs first, both ways.
    laptops.sync("b", "a")
    for name in ("a", "b"):
        assert [n.id for n in laptops[name].notes.notes(mid)] == [kept]
    _synced_twice_quietly(laptops, "a", "b")
