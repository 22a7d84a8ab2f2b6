"""Re-importing a project that changed during the year never moves a recorded note or tag."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlmodel import select
from tests.conftest import GRUPP_1, SAMPLES

from samverkan.domain.agenda import match_phases
from samverkan.domain.check import check_paths
from samverkan.domain.model import NoteKind
from samverkan.services import NoteDraft, Services
from samverkan.services.importing import ImportRefused
from samverkan.store import tables as t


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of grupp 1 that the test may change, with its shared codebook beside it."""
    shutil.copy(SAMPLES / "codebook.md", tmp_path / "codebook.md")
    shutil.copytree(GRUPP_1, tmp_path / "grupp-1")
    return tmp_path / "grupp-1"


def agenda(folder: Path, number: int) -> Path:
    return next(folder.glob(f"{number:02d}-*.md"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def phases(services: Services, ref: str) -> list[tuple[str, str]]:
    meeting = services.projects.meeting(services.projects.resolve_ref(ref))
    return [(p.id, p.title) for p in meeting.phases]


def note_places(services: Services, ref: str) -> dict[str, tuple[str | None, str]]:
    """Each note's phase id and the title that phase has now."""
    mid = services.projects.resolve_ref(ref)
    titles = dict(phases(services, ref))
    return {
        n.text: (n.phase_id, titles.get(n.phase_id or "", "?"))
        for n in services.notes.notes(mid, include_deleted=True)
    }


def write_notes(services: Services, ref: str, titles: list[str]) -> None:
    """Notes in a planned meeting, as an observer's offline work would bring them."""
    meeting = services.projects.meeting(services.projects.resolve_ref(ref))
    ske = next(o.id for o in meeting.organisations if o.short == "SKE")
    for phase in meeting.phases:
        if phase.title in titles:
            services.notes.add(
                meeting.id,
                NoteDraft(
                    f"under {phase.title}", NoteKind.NOTE, organisation_id=ske, phase_id=phase.id
                ),
            )


def test_new_first_phase_retitled_and_removed_phases_keep_every_note_in_place(
    services: Services, folder: Path
) -> None:
    services.importer.import_paths([folder])
    titles = ["Välkommen och inledning", "Värdpresentation", "Samtal", "Observation"]
    write_notes(services, "grupp-1/2", titles)
    note = services.notes.notes(services.projects.resolve_ref("grupp-1/2"))[2]
    code = services.projects.meeting(note.meeting_id).codes[0]
    services.tags.toggle(note.id, code.id, "Cecilia")
    before = note_places(services, "grupp-1/2")
    ids_before = dict((title, pid) for pid, title in phases(services, "grupp-1/2"))

    path = agenda(folder, 2)
    edit(
        path,
        "## Välkommen och inledning",
        "## Incheckning (10 min)\n\nEn runda.\n\n## Välkommen och inledning",
    )
    edit(path, "## Samtal (75 min)", "## Samtal om individen (75 min)")
    text = path.read_text("utf-8")
    path.write_text(text[: text.index("## Nästa möte")], "utf-8")  # a phase without notes
    lines = services.importer.import_paths([folder])

    assert (
        "updated",
        "meeting grupp-1/2",
        "phases: 1 added, 1 removed, 4 changed; every note stays in its phase",
    ) in [(line.action, line.what, line.detail) for line in lines]
    after = phases(services, "grupp-1/2")
    assert [title for _id, title in after] == [
        "Incheckning",
        "Välkommen och inledning",
        "Värdpresentation",
        "Samtal om individen",
        "Observation",
    ]
    assert ids_before["Nästa möte"] not in dict(after)
    places = note_places(services, "grupp-1/2")
    assert {text: pid for text, (pid, _t) in places.items()} == {
        text: pid for text, (pid, _t) in before.items()
    }
    assert places["under Samtal"][1] == "Samtal om individen"
    assert places["under Värdpresentation"][1] == "Värdpresentation"
    assert places["under Välkommen och inledning"][1] == "Välkommen och inledning"
    with services.database.read() as session:
        [tag] = session.exec(select(t.Tag)).all()
        assert tag.note_id == note.id and tag.active


def test_removing_a_phase_that_holds_notes_is_refused_in_one_sentence(
    services: Services, folder: Path
) -> None:
    services.importer.import_paths([folder])
    write_notes(services, "grupp-1/2", ["Samtal"])
    path = agenda(folder, 2)
    text = path.read_text("utf-8")
    start, end = text.index("## Samtal"), text.index("## Observation")
    path.write_text(text[:start] + text[end:], "utf-8")
    before = phases(services, "grupp-1/2")

    with pytest.raises(ImportRefused) as refused:
        services.importer.import_paths([folder])
    [problem] = refused.value.problems
    assert problem.path == path
    assert problem.message == (
        "meeting grupp-1/2 has 1 note under the phase 'Samtal', which this agenda no longer "
        "has; put a phase titled 'Samtal' back and import again, so that no note changes phase"
    )
    assert phases(services, "grupp-1/2") == before  # nothing of the import was written
    assert note_places(services, "grupp-1/2")["under Samtal"] == (before[2][0], "Samtal")


def test_match_phases_by_kind_and_title_then_place_then_the_only_one_of_its_kind() -> None:
    old = [("other", "Välkommen"), ("host", "Värd"), ("discussion", "Samtal"), ("other", "Fika")]
    new = [
        ("other", "Incheckning"),
        ("other", "Välkommen"),
        ("host", "Värd"),
        ("discussion", "Samtal om X"),
    ]
    assert match_phases(old, new) == {1: 0, 2: 1, 3: 2}
    # Same kind at the same place is the same phase; an `other` elsewhere is not guessed.
    assert match_phases([("other", "Fika")], [("other", "Lunch")]) == {0: 0}
    assert match_phases([("host", "V"), ("other", "Fika")], [("other", "Lunch")]) == {}
    assert match_phases([("discussion", "A"), ("discussion", "B")], [("discussion", "C")]) == {0: 0}


def test_meetings_gone_from_the_files_are_reported_and_pruned_on_request(
    services: Services, folder: Path
) -> None:
    services.importer.import_paths([folder])
    write_notes(services, "grupp-1/4", ["Samtal"])
    edit(agenda(folder, 5), "meeting: 5", "meeting: 6")  # renumbered in the files
    agenda(folder, 4).unlink()

    lines = [(x.action, x.what, x.detail) for x in services.importer.import_paths([folder])]
    assert ("created", "meeting grupp-1/6", "") in lines
    assert (
        "gone",
        "meeting grupp-1/5",
        "no longer in the files; import with --prune to remove it",
    ) in lines
    assert ("kept", "meeting grupp-1/4", "no longer in the files; kept for its 1 note") in lines

    lines = [(x.action, x.what) for x in services.importer.import_paths([folder], prune=True)]
    assert ("removed", "meeting grupp-1/5") in lines and ("kept", "meeting grupp-1/4") in lines
    [project] = [p for p in services.projects.list_projects() if p.short == "grupp-1"]
    assert [m.number for m in project.meetings] == [1, 2, 3, 4, 6]
    # Importing one agenda says nothing about the others.
    lines = [(x.action, x.what) for x in services.importer.import_paths([agenda(folder, 1)])]
    assert not any(action in ("gone", "kept", "removed") for action, _what in lines)


def test_renaming_an_organisations_short_code_keeps_one_organisation_and_its_notes(
    services: Services, folder: Path
) -> None:
    services.importer.import_paths([folder])
    write_notes(services, "grupp-1/2", ["Samtal"])
    project = folder / "project.md"
    edit(project, "short: SKE", "short: SKA\n    renamed_from: SKE")
    edit(agenda(folder, 1), "host: SKE", "host: SKA")
    lines = [(x.action, x.what, x.detail) for x in services.importer.import_paths([folder])]
    assert ("renamed", "organisation Skellefteå kommun", "short code SKE is now SKA") in lines

    meeting = services.projects.meeting(services.projects.resolve_ref("grupp-1/2"))
    skellefteå = [o for o in meeting.organisations if o.name == "Skellefteå kommun"]
    assert [o.short for o in skellefteå] == ["SKA"]
    [note] = services.notes.notes(meeting.id)
    assert note.organisation_id == skellefteå[0].id
    first = services.projects.meeting(services.projects.resolve_ref("grupp-1/1"))
    assert first.summary.host_short == "SKA"

    # Without renamed_from, an organisation whose name stayed is the same one too.
    edit(project, "short: SKA\n    renamed_from: SKE", "short: SKL")
    edit(agenda(folder, 1), "host: SKA", "host: SKL")
    services.importer.import_paths([folder])
    meeting = services.projects.meeting(meeting.id)
    assert [o.short for o in meeting.organisations if o.name == "Skellefteå kommun"] == ["SKL"]
    assert services.notes.notes(meeting.id)[0].organisation_id == skellefteå[0].id


def test_a_former_code_that_another_member_has_now_is_a_problem(folder: Path) -> None:
    project = folder / "project.md"
    edit(project, "short: FAL", "short: FAL\n    renamed_from: SKE")  # Skellefteå has SKE
    [problem] = [p for c in check_paths([project]) for p in c.problems]
    assert problem.line == 12
    assert problem.message.startswith(
        "renamed_from: SKE is the short code of Skellefteå kommun now, so it cannot also be "
        "the code Falu kommun had"
    )


def test_an_organisation_gone_from_project_md(services: Services, folder: Path) -> None:
    services.importer.import_paths([folder])
    write_notes(services, "grupp-1/2", ["Samtal"])  # notes by SKE
    project = folder / "project.md"
    text = project.read_text("utf-8")
    start = text.index("  - name: Umeå kommun")
    end = text.index("  - name: Arbetsförmedlingen")
    project.write_text(text[:start] + text[end:], "utf-8")
    edit(agenda(folder, 4), "host: UME", "host: AF")
    lines = [(x.action, x.what) for x in services.importer.import_paths([folder])]
    assert ("gone", "organisation UME (Umeå kommun)") in lines
    lines = [(x.action, x.what) for x in services.importer.import_paths([folder], prune=True)]
    assert ("removed", "organisation UME (Umeå kommun)") in lines
    meeting = services.projects.meeting(services.projects.resolve_ref("grupp-1/2"))
    assert "UME" not in [o.short for o in meeting.organisations]


def test_a_held_meeting_gone_from_the_files_is_kept_even_with_prune(
    services: Services, folder: Path
) -> None:
    services.importer.import_paths([folder])
    services.meetings.start(services.projects.resolve_ref("grupp-1/3"))
    agenda(folder, 3).unlink()
    lines = [
        (x.action, x.what, x.detail) for x in services.importer.import_paths([folder], prune=True)
    ]
    assert (
        "kept",
        "meeting grupp-1/3",
        "no longer in the files; kept because it has been held",
    ) in lines


def test_a_started_meeting_keeps_the_agenda_it_was_run_with(
    services: Services, folder: Path
) -> None:
    services.importer.import_paths([folder])
    mid = services.projects.resolve_ref("grupp-1/2")
    services.meetings.start(mid)
    before = phases(services, "grupp-1/2")
    edit(agenda(folder, 2), "## Samtal (75 min)", "## Fika (20 min)\n\n## Samtal (55 min)")
    lines = [(x.action, x.what) for x in services.importer.import_paths([folder])]
    assert ("skipped", "meeting grupp-1/2") in lines
    assert phases(services, "grupp-1/2") == before
