"""The facilitator, two observers and an exporter on one database, in four processes, at full
speed: on a file, and on a team database (PostgreSQL) through ``db_location``.

Each process is a small Python program that says when it is ready (imports
done, database open), waits for a common "go", then works as fast as it can
for a few seconds *and* until it has done at least ``MIN_OPS`` operations,
records what it wrote and every error it met, and prints that as JSON.
Afterwards every row must be in the database exactly once, in the state its
writer last gave it, no process may have seen an error (in particular no
"database is locked"), and each must have had its ``MIN_OPS`` turns.

On a loaded machine (the suite on 2 cores beside other work) a process may
take longer to import than a fixed start time allowed; the handshake waits
for all four, and the floor of operations asks the question the test is
about (does every writer get its turns while the others write at full speed?)
instead of "did it run within three seconds".
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from sqlalchemy import text
from tests.cli_runner import as_argument

from samverkan.services import Services
from samverkan.store.location import DatabaseLocation

SECONDS = 3.0
MIN_OPS = 25  # every process must get at least this many turns
LIMIT = 90.0  # seconds: a process still short of MIN_OPS by then has been starved

COMMON = """
import json, random, sys, time
from pathlib import Path
from samverkan.domain.model import NoteKind
from samverkan.services import NoteDraft, open_services
from samverkan.services.observations import ObservationService
from samverkan.store.location import parse_location
where, meeting_id, seconds, min_ops, limit, name = sys.argv[1:7]
services = open_services(parse_location(where), author=name)
errors, done = [], 0
print("ready", flush=True)
sys.stdin.readline()  # "go": every process is ready
start = time.time()
end, give_up, min_ops = start + float(seconds), start + float(limit), int(min_ops)

def working():
    now = time.time()
    return now < give_up and (now < end or done < min_ops)
"""

FACILITATOR = (
    COMMON
    + """
created, edits = [], 0
while working():
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
while working():
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
while working():
    try:
        observations.export_observations(meeting_id, None)
        services.projects.list_projects()
    except Exception as exc:
        errors.append(repr(exc))
    done += 1
print(json.dumps({"errors": errors, "done": done}))
"""
)


def run_together(where: str, meeting_id: str) -> dict[str, dict[str, Any]]:
    programs = {
        "facilitator": FACILITATOR,
        "Cecilia": OBSERVER,
        "Anders": OBSERVER,
        "exporter": EXPORTER,
    }
    arguments = [where, meeting_id, str(SECONDS), str(MIN_OPS), str(LIMIT)]
    processes = {
        name: subprocess.Popen(
            [sys.executable, "-c", code, *arguments, name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, code in programs.items()
    }
    for name, process in processes.items():
        assert process.stdout is not None
        ready = process.stdout.readline()
        assert ready.strip() == "ready", f"{name} did not start: {process.stderr}"
    for process in processes.values():
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    results: dict[str, dict[str, Any]] = {}
    for name, process in processes.items():
        out, err = process.communicate(timeout=LIMIT + 60)
        assert process.returncode == 0, f"{name} crashed: {err}"
        results[name] = json.loads(out)
    return results


@pytest.mark.slow
def test_every_row_exactly_once_and_no_process_sees_an_error(
    imported: Services, db_location: DatabaseLocation
) -> None:
    meeting_id = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(meeting_id)
    where = as_argument(db_location)
    results = run_together(where, meeting_id)

    print({name: result["done"] for name, result in results.items()})
    for name, result in results.items():
        assert result["errors"] == [], f"{name}: {result['errors'][:3]}"
        # A writer at full speed must not starve the others (writers queue for their
        # turn): each gets its turns, however loaded the machine.
        assert result["done"] >= MIN_OPS, f"{name} got only {result['done']} turns"

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
