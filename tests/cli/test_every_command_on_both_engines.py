"""Every command on both engines: a file, and a database on a PostgreSQL server."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from tests.cli_runner import as_argument, run
from tests.conftest import FORETAG, GRUPP_1

from samverkan.services import NoteDraft, open_services
from samverkan.store.location import DatabaseLocation


def test_import_list_export_report_observations_backup(
    db_location: DatabaseLocation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = as_argument(db_location)
    code, out, err = run(capsys, "--db", db, "import", str(GRUPP_1), str(FORETAG))
    assert code == 0, err
    assert "meeting grupp-1/5" in out
    services = open_services(db_location, author="Göran")
    try:
        meeting_id = services.projects.resolve_ref("grupp-1/1")
        services.meetings.start(meeting_id)
        first = services.notes.add(meeting_id, NoteDraft("Arbetsgivarna saknar en väg in"))
        services.notes.add(meeting_id, NoteDraft("b: Vi bjuder in till nästa möte"))
        code_id = services.projects.meeting(meeting_id).codes[0].id
        services.tags.set(first.id, code_id, "Cecilia", True)
    finally:
        services.close()
    code, out, err = run(capsys, "--db", db, "list", "--json")
    assert code == 0, err
    assert json.loads(out)[1]["meetings"][0]["notes"] == 2
    code, out, err = run(capsys, "--db", db, "export", "grupp-1/1", "--lang", "sv")
    assert code == 0 and "Arbetsgivarna saknar en väg in" in out, err
    code, out, err = run(capsys, "--db", db, "report", "grupp-1", "--lang", "en")
    assert code == 0 and "grupp 1" in out, err
    exported = tmp_path / "cecilia.json"
    code, out, err = run(
        capsys, "--db", db, "observations", "export", "grupp-1/1", "--as", "Cecilia",
        "-o", str(exported),
    )  # fmt: skip
    assert code == 0, err
    code, out, err = run(capsys, "--db", db, "observations", "import", str(exported))
    assert code == 0, err  # the same work again: merged, nothing doubled
    target = tmp_path / "copy.db"
    code, out, err = run(capsys, "--db", db, "backup", "-o", str(target))
    assert code == 0 and str(target) in out, err
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT count(*) FROM tag").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM note").fetchone() == (2,)
    code, out, err = run(capsys, "--db", str(target), "export", "grupp-1/1", "--lang", "sv")
    assert code == 0 and "Arbetsgivarna saknar en väg in" in out, err
