"""Memory over a day of use: opening and closing meetings must not keep what they loaded.

The rounds run in a fresh interpreter (:mod:`tests.ui.memory_rounds`): inside an
xdist worker the figure would include every earlier test's leftovers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.services.test_observation_live import _bulk_notes
from tests.ui.conftest import meeting_id

from samverkan.services import NoteDraft, Services

ROUNDS = 50
NOTES = 300
ROOT = Path(__file__).resolve().parents[2]


def test_opening_and_closing_meetings_leaves_memory_flat(imported: Services) -> None:
    mid = meeting_id(imported, "grupp-1/1")
    imported.meetings.start(mid)
    imported.notes.add(mid, NoteDraft("Först"))
    _bulk_notes(imported, mid, NOTES)
    db = imported.path
    imported.close()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.memory_rounds", str(db), mid, str(ROUNDS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    after_first, growth = figures["after_first"], figures["growth"]
    # DESIGN.md: within 10 % of the level after the first round of both screens.
    assert growth <= after_first * 0.10, (after_first // 2**20, growth // 2**20)
