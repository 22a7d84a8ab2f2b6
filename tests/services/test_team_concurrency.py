"""The facilitator, two observers and an exporter on one team database (PostgreSQL), in four
processes, at full speed; ``test_concurrency.py`` does the same on a file.

Each process is a small Python program that waits until all four are ready (on a
loaded machine importing alone can take seconds), works as fast as it can for a few
seconds, records what it wrote and every error it met, and prints that as JSON.
Afterwards every row must be in the database exactly once, in the state its writer
last gave it, and no process may have seen an error (in particular no "database is
locked").
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from tests.conftest import GRUPP_1

from samverkan.services import Services, open_services
from samverkan.store.location import ServerURL

SECONDS = 3.0

COMMON = """
import json, random, sys, time
from pathlib import Path
from samverkan.domain.model import NoteKind
from samverkan.services import NoteDraft, open_services
from samverkan.services.observations import ObservationService
from samverkan.store.location import parse_location
where, meeting_id, ready, seconds, name = sys.argv[1:6]
services = open_services(parse_location(where), author=name)
errors, done = [], 0
# A barrier: each says it is ready, then all start together when the last one is.
Path(ready, name).touch()
while len(list(Path(ready).iterdir())) < 4:
    time.sleep(0.005)
end = time.time() + float(seconds)
"""

FACILITATOR = (
    COMMON
    + """
created, edits = [], 0
while time.time() < end:
    try:
        created.append(services.notes.add(meeting_id, NoteDraft(f"anteckning {done}")).id)
        if done % 5 == 4:
            services.notes.edit(created[-2], text=f"ändrad {done}")
            edits += 1
    except Exception as exc:
        errors.append(repr(exc))
    done += 1
print(json.dumps({"created": created, "edits": edits, "errors": errors, "done": done}))
"""
)

OBSERVER = (
    COMMON
    + """
observations = ObservationService(services.database, services.clock)
codes = [c.id for c in services.projects.meeting(meeting_id).codes]
rng = random.Random(name)
cursor, known, state, mine = None, [], {}, []
while time.time() < end:
    try:
        changes = observations.changes_since(meeting_id, cursor)
        cursor = changes.cursor
        known.extend(n.id for n in changes.notes)
        if known and rng.random() < 0.8:
            note, code = rng.choice(known), rng.choice(codes)
            active = not state.get((note, code), False)
            services.tags.set(note, code, name, active)
            state[(note, code)] = active
        else:
            code = rng.choice(codes)
            draft = NoteDraft(f"iakttagelse {name} {done}", kind=NoteKind.OBSERVATION)
            note = observations.add_observation(meeting_id, draft, name, [code])
            mine.append(note.id)
            state[(note.id, code)] = True
    except Exception as exc:
        errors.append(repr(exc))
    done += 1
tags = [[note, code, active] for (note, code), active in state.items()]
print(json.dumps({"observations": mine, "tags": tags, "errors": errors, "done": done}))
"""
)

EXPORTER = (
    COMMON
    + """
observations = ObservationService(services.database, services.clock)
while time.time() < end:
    try:
        observations.export_observations(meeting_id, None)
        services.projects.list_projects()
    except Exception as exc:
        errors.append(repr(exc))
    done += 1
print(json.dumps({"errors": errors, "done": done}))
"""
)


def run_together(db: str, meeting_id: str, ready: Path) -> dict[str, dict[str, Any]]:
    ready.mkdir()
    programs = {
        "facilitator": FACILITATOR,
        "Cecilia": OBSERVER,
        "Anders": OBSERVER,
        "exporter": EXPORTER,
    }
    processes = {
        name: subprocess.Popen(
            [sys.executable, "-c", code, db, meeting_id, str(ready), str(SECONDS), name],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, code in programs.items()
    }
    results: dict[str, dict[str, Any]] = {}
    for name, process in processes.items():
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, f"{name} crashed: {err}"
        results[name] = json.loads(out)
    return results


@pytest.mark.slow
def test_on_a_server_every_row_exactly_once_and_no_process_sees_an_error(
    pg_database: str, tmp_path: Path
) -> None:
    from tests import engines

    engines.empty(pg_database)
    imported = open_services(ServerURL(pg_database))
    try:
        imported.importer.import_paths([GRUPP_1])
        check(imported, tmp_path)
    finally:
        imported.close()


def check(imported: Services, tmp_path: Path) -> None:
    db_location = imported.database.location
    meeting_id = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(meeting_id)
    where = db_location.url if isinstance(db_location, ServerURL) else str(db_location)
    results = run_together(where, meeting_id, tmp_path / "ready")

    print({name: result["done"] for name, result in results.items()})
    for name, result in results.items():
        assert result["errors"] == [], f"{name}: {result['errors'][:3]}"
        # SQLite's busy handler polls, so a writer at full speed starves the others
        # (see the report on store/engine.py); they must still get through, not fail.
        assert result["done"] > 0, f"{name} never ran"

    expected_notes = set(results["facilitator"]["created"])
    for observer in ("Cecilia", "Anders"):
        expected_notes |= set(results[observer]["observations"])
    with imported.database.read() as session:
        conn = session.connection()
        rows = [
            r[0]
            for r in conn.execute(
                text("SELECT id FROM note WHERE meeting_id = :m"), {"m": meeting_id}
            )
        ]
        revisions = conn.execute(text("SELECT count(*) FROM note_revision")).scalar()
        tags = {
            (note, code, observer): bool(active)
            for note, code, observer, active in conn.execute(
                text("SELECT note_id, code_id, observer, active FROM tag")
            )
        }
        tag_rows = conn.execute(text("SELECT count(*) FROM tag")).scalar()
    assert len(rows) == len(set(rows)) == len(expected_notes)
    assert set(rows) == expected_notes
    assert revisions == len(expected_notes) + results["facilitator"]["edits"]
    expected_tags = {
        (note, code, observer): active
        for observer in ("Cecilia", "Anders")
        for note, code, active in results[observer]["tags"]
    }
    assert tag_rows == len(tags) == len(expected_tags)
    assert tags == expected_tags
