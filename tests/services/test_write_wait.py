"""How long a write waits for another writer's turn: Enter waits a moment (an
observer's tag takes a few milliseconds) rather than queueing, and no longer than
it was given, on a file and on a server alike."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from samverkan.services import NoteDraft, Services, open_services
from samverkan.store.engine import DatabaseBusy
from samverkan.store.location import DatabaseLocation
from samverkan.store.turns import wait_seconds


@contextmanager
def another_writer(location: DatabaseLocation) -> Iterator[threading.Event]:
    """Another process's write transaction, held until the event is set."""
    other = open_services(location)
    held, release = threading.Event(), threading.Event()

    def write() -> None:
        with other.database.write():
            held.set()
            release.wait(60)

    thread = threading.Thread(target=write)
    thread.start()
    try:
        assert held.wait(30)
        yield release
    finally:
        release.set()
        thread.join()
        other.close()


def test_a_write_waits_the_seconds_it_is_given_and_no_longer(
    imported: Services, db_location: DatabaseLocation
) -> None:
    mid = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(mid)
    with another_writer(db_location) as release:
        started = time.monotonic()
        with pytest.raises(DatabaseBusy):
            imported.notes.add(mid, NoteDraft("För länge"), wait=0.3)
        waited = time.monotonic() - started
        assert 0.25 <= waited < 5  # it did wait, then gave up: not the 10 s busy timeout
        with pytest.raises(DatabaseBusy):
            imported.notes.add(mid, NoteDraft("Inte alls"), wait=False)
        threading.Timer(0.2, release.set).start()
        imported.notes.add(mid, NoteDraft("Strax"), wait=30.0)  # the turn came: written
    assert [note.text for note in imported.notes.notes(mid)] == ["Strax"]


def test_wait_means_the_timeout_none_or_seconds_within_it() -> None:
    assert wait_seconds(True, 10.0) == 10.0
    assert wait_seconds(False, 10.0) == 0.0
    assert wait_seconds(0.02, 10.0) == 0.02
    assert wait_seconds(60, 10.0) == 10.0  # never past the busy timeout
    assert wait_seconds(-1, 10.0) == 0.0


def test_a_short_wait_given_up_leaves_nothing_waiting_for_the_lock(db_path: Path) -> None:
    """Enter's 20 ms: a helper thread left waiting in the kernel's queue would take the
    lock later on this process's descriptor and drop it under its next writer."""
    from samverkan.store.turns import Busy, WriteTurns

    ours, other = WriteTurns(db_path), WriteTurns(db_path)
    try:
        with other.turn():
            for _ in range(3):
                with pytest.raises(Busy), ours.turn(wait=0.05):
                    pass
            assert not [t for t in threading.enumerate() if t.name == "samverkan-turn"]
        # Free again, taken at once, and held by us alone.
        with ours.turn(wait=0.05), pytest.raises(Busy), other.turn(wait=False):
            pass
    finally:
        ours.close()
        other.close()


def test_a_commit_right_after_a_seen_one_is_not_hidden_from_the_poll(
    imported: Services, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program (no turns) commits between our COMMIT and the look at what it
    was: the version must move for the poll, not stand for the one before."""
    import sqlite3

    from samverkan.store import engine

    mid = imported.projects.resolve_ref("grupp-1/1")
    imported.meetings.start(mid)
    quiet = imported.database.change_token()
    seen_since = engine._DataVersion.seen_since

    def someone_else_first(self: engine._DataVersion, before: int, counter: int) -> None:
        other = sqlite3.connect(db_path)
        with other:
            other.execute("UPDATE note SET text = 'Ändrad av någon annan'")
        other.close()
        seen_since(self, before, counter)

    monkeypatch.setattr(engine._DataVersion, "seen_since", someone_else_first)
    imported.notes.add(mid, NoteDraft("Vår"), shown=True)
    assert imported.database.change_token() != quiet
