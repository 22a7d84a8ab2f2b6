"""``samverkan sync``, ``export-bundle`` and ``import-bundle`` through the entry point,
and a sync killed with SIGKILL in a real subprocess."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.cli_runner import run
from tests.conftest import GRUPP_1

from samverkan.config import load_settings
from samverkan.domain.model import NoteKind
from samverkan.services import NoteDraft, open_services
from samverkan.services.observations import ObservationService
from samverkan.services.sync import canonical_dump
from samverkan.store.location import DatabaseLocation
from samverkan.store.opening import open_database


def dump(path: DatabaseLocation) -> str:
    database = open_database(path)
    try:
        return canonical_dump(database)
    finally:
        database.dispose()


@pytest.fixture
def laptop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A facilitator's database: grupp-1 imported, meeting 1 run with three notes."""
    db = tmp_path / "laptop.db"
    assert run(capsys, "--db", str(db), "import", str(GRUPP_1))[0] == 0
    services = open_services(db)
    mid = services.projects.resolve_ref("grupp-1/1")
    services.meetings.start(mid)
    for text in ("Vi delar lokaler", "Ansvaret är oklart", "Nästa steg"):
        services.notes.add(mid, NoteDraft(text))
    services.close()
    return db


@pytest.fixture
def team(db_location: DatabaseLocation) -> DatabaseLocation:
    """The team database: a file, or a database on the PostgreSQL server."""
    return db_location


def test_sync_remembers_the_other_database_and_a_second_run_has_nothing_to_do(
    laptop: Path, team: DatabaseLocation, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(laptop), "sync", "--with", _url(team))
    assert code == 0, err
    assert "grupp-1/1" in out and "3 new notes" in out
    assert load_settings()[0].sync_with == _url(team)
    assert dump(laptop) == dump(team)
    code, out, err = run(capsys, "--db", str(laptop), "sync")
    assert code == 0, err
    assert "already the same" in out


def test_dry_run_lists_per_meeting_and_writes_nothing(
    laptop: Path, team: DatabaseLocation, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "--db", _url(team), "import", str(GRUPP_1))
    before = dump(team)
    code, out, _err = run(capsys, "--db", str(laptop), "sync", "--with", _url(team), "--dry-run")
    assert code == 0
    assert "grupp-1/1" in out and "would send: 3 new notes" in out
    assert dump(team) == before
    assert load_settings()[0].sync_with == ""


def test_sync_without_a_database_to_sync_with_says_how(
    laptop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "--db", str(laptop), "sync")
    assert code == 1 and "--with" in err
    code, _out, err = run(capsys, "--db", str(laptop), "sync", "--with", str(laptop))
    assert code == 1 and "this very database" in err
    code, _out, err = run(
        capsys, "--db", str(laptop), "sync", "nope", "--with", str(laptop.with_name("o.db"))
    )
    assert code == 1 and "no project nope" in err


def test_a_bundle_carries_one_meeting_on_a_usb_stick(
    laptop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "stick" / "grupp-1-1.samverkan"
    bundle.parent.mkdir()
    code, out, err = run(
        capsys, "--db", str(laptop), "export-bundle", "grupp-1/1", "-o", str(bundle)
    )
    assert code == 0, err
    assert "3 new notes" in out
    code, _out, err = run(
        capsys, "--db", str(laptop), "export-bundle", "grupp-1/1", "-o", str(bundle)
    )
    assert code == 1 and "--force" in err
    office = tmp_path / "office.db"
    for _ in range(2):  # importing twice changes nothing the second time
        code, out, err = run(capsys, "--db", str(office), "import-bundle", str(bundle))
        assert code == 0, err
    assert "already the same" in out
    services = open_services(office)
    mid = services.projects.resolve_ref("grupp-1/1")
    assert [n.text for n in services.notes.notes(mid)] == [
        "Vi delar lokaler",
        "Ansvaret är oklart",
        "Nästa steg",
    ]
    # Only that meeting's own rows: the project's other meetings stay behind.
    assert {m.number for m in services.projects.list_projects()[0].meetings} == {1}
    services.close()
    assert sorted(p.name for p in bundle.parent.iterdir()) == [bundle.name]


def test_the_observers_json_export_still_merges_after_a_sync(
    laptop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    observer = tmp_path / "observer.db"
    run(capsys, "--db", str(observer), "sync", "--with", str(laptop))
    services = open_services(observer)
    mid = services.projects.resolve_ref("grupp-1/1")
    code = services.projects.meeting(mid).codes[0]
    ObservationService(services.database, services.clock).add_observation(
        mid, NoteDraft("Gott exempel", kind=NoteKind.OBSERVATION), "Cecilia", [code.id]
    )
    services.close()
    exported = tmp_path / "cecilia.json"
    assert run(capsys, "--db", str(observer), "observations", "export", "grupp-1/1",
               "-o", str(exported), "--as", "Cecilia")[0] == 0  # fmt: skip
    assert run(capsys, "--db", str(laptop), "observations", "import", str(exported))[0] == 0
    # The same observation arrives by sync too: merged, not doubled.
    assert run(capsys, "--db", str(laptop), "sync", "--with", str(observer))[0] == 0
    assert dump(laptop) == dump(observer)


def _big_laptop(path: Path, capsys: pytest.CaptureFixture[str], notes: int) -> None:
    assert run(capsys, "--db", str(path), "import", str(GRUPP_1))[0] == 0
    services = open_services(path)
    for number in range(1, 6):
        mid = services.projects.resolve_ref(f"grupp-1/{number}")
        services.meetings.start(mid)
        for index in range(notes):
            services.notes.add(mid, NoteDraft(f"anteckning {number}.{index}"))
    services.close()


def test_sync_killed_with_sigkill_then_rerun_converges(
    tmp_path: Path, team: DatabaseLocation, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop = tmp_path / "laptop.db"
    _big_laptop(laptop, capsys, 150)
    env = {**os.environ, "SAMVERKAN_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-m", "samverkan", "--db", str(laptop), "sync", "--with", _url(team)]
    rng = random.Random(16)
    for attempt in range(2):
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.5, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        del attempt
        if not isinstance(team, Path) or team.exists():
            dump(team)  # opens and reads: consistent whatever was cut off
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert dump(laptop) == dump(team)
    services = open_services(team)
    mid = services.projects.resolve_ref("grupp-1/3")
    assert len(services.notes.notes(mid)) == 150
    services.close()


def test_sync_dying_between_meetings_then_rerun_converges(
    tmp_path: Path, team: DatabaseLocation, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop = tmp_path / "laptop.db"
    _big_laptop(laptop, capsys, 20)
    env = {**os.environ, "SAMVERKAN_HOME": str(tmp_path / "home"), "SAMVERKAN_SYNC_DIE_AT": "3"}
    command = [sys.executable, "-m", "samverkan", "--db", str(laptop), "sync", "--with", _url(team)]
    died = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert died.returncode == -signal.SIGKILL
    assert dump(laptop) != dump(team)
    del env["SAMVERKAN_SYNC_DIE_AT"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert dump(laptop) == dump(team)


def _url(location: DatabaseLocation) -> str:
    """As the user types it: the path, or the server URL (with any password)."""
    return str(location) if isinstance(location, Path) else location.url


def test_a_password_in_the_url_is_never_remembered_nor_printed() -> None:
    from samverkan.cli_sync import shown, without_password

    url = "postgresql://anna:hemligt@db.example.org/team?sslmode=require&password=hemligt"
    assert "hemligt" not in without_password(url)
    assert without_password(url) == "postgresql://anna@db.example.org/team?sslmode=require"
    assert "hemligt" not in shown(url)
    assert without_password("postgresql:///team") == "postgresql:///team"
    assert without_password("/home/anna/team.db") == "/home/anna/team.db"
