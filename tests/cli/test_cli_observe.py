"""``samverkan observe`` and ``samverkan observations export|import`` through the entry point."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.cli_runner import run
from tests.conftest import FORETAG, GRUPP_1

from samverkan.config import Settings, load_settings, save_settings
from samverkan.domain.model import NoteKind
from samverkan.services import NoteDraft, open_services
from samverkan.services.observations import ObservationService


@pytest.fixture
def observed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """An observer's database with one tagged observation by Cecilia on grupp-1/1."""
    db = tmp_path / "observer.db"
    assert run(capsys, "--db", str(db), "import", str(GRUPP_1))[0] == 0
    services = open_services(db)
    meeting_id = services.projects.resolve_ref("grupp-1/1")
    code = services.projects.meeting(meeting_id).codes[0]
    ObservationService(services.database, services.clock).add_observation(
        meeting_id, NoteDraft("Gott exempel", kind=NoteKind.OBSERVATION), "Cecilia", [code.id]
    )
    services.close()
    return db


def test_export_writes_the_file_and_never_overwrites_without_force(
    observed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "cecilia.json"
    code, out, _err = run(
        capsys,
        "--db",
        str(observed),
        "observations",
        "export",
        "grupp-1/1",
        "-o",
        str(target),
        "--as",
        "Cecilia",
    )
    assert code == 0 and "1 observation and 1 tags by Cecilia" in out
    data: dict[str, Any] = json.loads(target.read_text("utf-8"))
    assert data["format"] == "samverkan-observations" and data["schema_version"] == 1
    assert data["meeting"]["project"] == "grupp-1" and data["meeting"]["number"] == 1
    target.write_text("keep me", "utf-8")
    args = ("--db", str(observed), "observations", "export", "grupp-1/1", "-o", str(target))
    code, _out, err = run(capsys, *args, "--as", "Cecilia")
    assert code == 1 and "--force" in err and target.read_text("utf-8") == "keep me"
    assert run(capsys, *args, "--as", "Cecilia", "--force")[0] == 0
    assert json.loads(target.read_text("utf-8"))["observer"] == "Cecilia"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_export_uses_the_remembered_name_or_everyone(
    observed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ("--db", str(observed), "observations", "export", "grupp-1/1", "-o")
    assert run(capsys, *base, str(tmp_path / "all.json"))[0] == 0
    assert json.loads((tmp_path / "all.json").read_text("utf-8"))["observer"] is None
    save_settings(Settings(observer="Anders"))
    code, _out, err = run(capsys, *base, str(tmp_path / "anders.json"))
    assert code == 1 and "Anders has no observations" in err
    assert not (tmp_path / "anders.json").exists()


def test_import_merges_once_and_reports(
    observed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "cecilia.json"
    run(capsys, "--db", str(observed), "observations", "export", "grupp-1/1", "-o", str(target))
    facilitator = tmp_path / "facilitator.db"
    run(capsys, "--db", str(facilitator), "import", str(GRUPP_1))
    code, out, _err = run(capsys, "--db", str(facilitator), "observations", "import", str(target))
    assert code == 0 and "1 observation added" in out and "tags: 1 added" in out
    code, out, _err = run(capsys, "--db", str(facilitator), "observations", "import", str(target))
    assert code == 0 and "0 observations added" in out and "1 unchanged" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{broken", "damaged"),
        ('{"format": "samverkan-observations", "schema_version": 9}', "newer version"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_import_refusals_are_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, message: str
) -> None:
    path = tmp_path / "file.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8")
    code, _out, err = run(
        capsys, "--db", str(tmp_path / "x.db"), "observations", "import", str(path)
    )
    assert code == 1 and message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_import_for_a_missing_meeting_and_a_missing_file(
    observed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "cecilia.json"
    run(capsys, "--db", str(observed), "observations", "export", "grupp-1/1", "-o", str(target))
    other = tmp_path / "foretag.db"
    run(capsys, "--db", str(other), "import", str(FORETAG))
    code, _out, err = run(capsys, "--db", str(other), "observations", "import", str(target))
    assert code == 1 and "not in this database" in err
    code, _out, err = run(capsys, "--db", str(other), "observations", "import", "nope.json")
    assert code == 1 and "does not exist" in err


def test_observations_needs_an_action(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "observations")[0] == 2


def test_observe_remembers_the_name_and_opens_the_meeting(
    observed: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[str, str | None]] = []
    monkeypatch.setattr(
        "samverkan.ui.observe.app.run_observer",
        lambda _services, meeting_id, name: opened.append((meeting_id, name)),
    )
    code, _out, _err = run(
        capsys, "--db", str(observed), "observe", "grupp-1/1", "--as", " Cecilia  N "
    )
    assert code == 0 and opened and opened[0][1] == "Cecilia N"
    assert load_settings()[0].observer == "Cecilia N"
    code, _out, _err = run(capsys, "--db", str(observed), "observe", "grupp-1/1")
    assert code == 0 and opened[1][1] is None  # the app then uses the remembered name
    code, _out, err = run(capsys, "--db", str(observed), "observe", "grupp-1/99")
    assert code == 1 and "no meeting grupp-1/99" in err
    code, _out, err = run(capsys, "--db", str(observed), "observe", "grupp-1/1", "--as", "  ")
    assert code == 1 and "--as needs a name" in err
