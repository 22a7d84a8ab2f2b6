"""``samverkan invitations add|list|revoke`` and the refusals of ``samverkan serve``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli_runner import run
from tests.conftest import GRUPP_1

from samverkan.serve.run import url_file
from samverkan.services import open_services


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "samverkan.db"
    assert run(capsys, "--db", str(path), "import", str(GRUPP_1))[0] == 0
    return path


def test_add_list_revoke(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", str(db), "invitations", "add", "grupp-1/3", "Cecilia")
    assert code == 0 and out.startswith("Cecilia: /join/")
    assert "samverkan serve grupp-1/3" in err  # no server: says how to make whole links
    code, out, _err = run(
        capsys, "--db", str(db), "invitations", "add", "grupp-1/3", "Anders",
        "--url", "http://192.0.2.7:8765/",
    )  # fmt: skip
    assert code == 0 and out.startswith("Anders: http://192.0.2.7:8765/join/")
    assert "█" in out or "▀" in out  # the QR code
    code, out, _err = run(capsys, "--db", str(db), "invitations", "list", "grupp-1/3")
    assert code == 0 and "Cecilia\tnot yet used" in out and "Anders" in out
    assert "0 observers connected now" in out
    code, out, _err = run(capsys, "--db", str(db), "invitations", "revoke", "grupp-1/3", "Anders")
    assert code == 0 and "Anders" in out
    code, out, err = run(capsys, "--db", str(db), "invitations", "revoke", "grupp-1/3", "Anders")
    assert code == 1 and "no open invitation" in err
    code, out, _err = run(
        capsys, "--db", str(db), "invitations", "list", "grupp-1/3", "--all", "--json"
    )
    rows = json.loads(out)
    assert [(r["observer"], r["revoked"] is not None) for r in rows] == [
        ("Cecilia", False),
        ("Anders", True),
    ]


def test_add_takes_the_address_of_the_running_server(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services = open_services(db)
    meeting_id = services.projects.resolve_ref("grupp-1/3")
    services.close()
    path = url_file(meeting_id)
    path.parent.mkdir(parents=True)
    path.write_text("http://127.0.0.1:8765\n")
    code, out, err = run(capsys, "--db", str(db), "invitations", "add", "grupp-1/3", "Berit")
    assert code == 0 and out.startswith("Berit: http://127.0.0.1:8765/join/") and not err


def test_serve_refuses_a_closed_meeting_and_bad_options(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services = open_services(db)
    meeting_id = services.projects.resolve_ref("grupp-1/3")
    services.meetings.start(meeting_id)
    services.meetings.close(meeting_id)
    services.close()
    code, _out, err = run(
        capsys, "--db", str(db), "serve", "grupp-1/3", "--port", "0", "--as-observers", "Cecilia"
    )
    assert code == 1 and "closed" in err and "Traceback" not in err
    code, _out, err = run(capsys, "--db", str(db), "serve", "grupp-1/4", "--port", "70000")
    assert code == 1 and "--port" in err
    code, _out, err = run(capsys, "--db", str(db), "serve", "grupp-1/4", "--key", "k.pem")
    assert code == 1 and "--cert" in err
    code, _out, err = run(
        capsys, "--db", str(db), "serve", "grupp-1/4", "--cert", "nothing.pem", "--key", "k.pem"
    )
    assert code == 1 and "certificate" in err
    code, _out, err = run(capsys, "--db", str(db), "serve", "nothing/9")
    assert code == 1 and "no meeting" in err
