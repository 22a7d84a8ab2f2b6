"""Enter → commit and commit → visible, on a file and on a PostgreSQL server, side by side.

    python -m bench.team_bench [--pg URL] [--count N] [--quick]

For each engine: the facilitator's ``notes.add`` (one note and its revision,
committed and durable) interleaved in blocks with the same two INSERTs through
the bare driver (``sqlite3`` with the app's pragmas; ``psycopg`` with the
server's defaults) in the same run, so machine noise hits both; then a writer
commits notes while another connection polls ``changes_since`` every 5 ms, and
the time from the commit's return to the note's arrival is taken. The load
average is printed beside the figures. Exit status 1 when a budget is missed:
Enter → commit p99 ≤ 5 ms on a file and ≤ 10 ms on a server, each ≤ 4 × its
raw driver; commit → visible p99 ≤ 0.3 s on a file, ≤ 1 s on a server.

``--pg`` defaults to ``$SAMVERKAN_BENCH_PG`` or a database ``samverkan_bench``
on libpq's default server, created afresh.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.run import (
    _TRACKED,
    AUTHOR,
    OUT,
    RawInserter,
    ServiceInserter,
    percentile,
    remove_database,
    time_interleaved,
)
from samverkan.services import NoteDraft, open_services
from samverkan.services.observations import ObservationService
from samverkan.store.location import DatabaseLocation, ServerURL

GRUPP_1 = Path(__file__).resolve().parents[1] / "src" / "samverkan" / "sample_agendas"
GRUPP_1 = GRUPP_1 / "kommun-af-grupp-1"
BUDGET_P99_MS = {"sqlite": 5.0, "postgresql": 10.0}
RATIO = 4.0
VISIBLE_P99_S = {"sqlite": 0.3, "postgresql": 1.0}


class PsycopgInserter:
    """The same note and revision rows through bare psycopg: BEGIN … two INSERTs … COMMIT."""

    def __init__(self, url: str, meeting_id: str) -> None:
        import psycopg

        self.connection = psycopg.connect(url)
        self.meeting_id = meeting_id
        self.index = 0

    def __call__(self) -> None:
        now = datetime.now(UTC)
        note_id = str(uuid.uuid4())
        note = {
            "id": note_id, "meeting_id": self.meeting_id, "phase_id": None,
            "organisation_id": None, "person_id": None, "author": AUTHOR, "kind": "note",
            "text": f"rå anteckning {self.index}", "created_at": now, "offset_seconds": 0.0,
            "owner_organisation_id": None, "owner_person_id": None, "due": None,
            "done": False, "done_at": None, "deleted": False, "revision": 1, "updated_at": now,
        }  # fmt: skip
        revision = {
            "id": str(uuid.uuid4()), "note_id": note_id, "revision": 1, "action": "create",
            "at": now, "author": AUTHOR, **{k: note[k] for k in _TRACKED},
        }  # fmt: skip
        self.index += 1
        with self.connection.transaction():
            for table, row in (("note", note), ("note_revision", revision)):
                names = ", ".join(row)
                marks = ", ".join(f"%({name})s" for name in row)
                self.connection.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", row)

    def close(self) -> None:
        self.connection.close()


def prepare(location: DatabaseLocation) -> str:
    services = open_services(location, author=AUTHOR)
    try:
        services.importer.import_paths([GRUPP_1])
        meeting_id = services.projects.resolve_ref("grupp-1/1")
        services.meetings.start(meeting_id)
        return meeting_id
    finally:
        services.close()


def fresh_server(url: str | None) -> ServerURL:
    import psycopg
    from sqlalchemy.engine import make_url

    if url:
        return ServerURL(url)
    admin = "postgresql:///postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS samverkan_bench WITH (FORCE)")
        connection.execute("CREATE DATABASE samverkan_bench")
    return ServerURL(
        make_url(admin).set(database="samverkan_bench").render_as_string(hide_password=False)
    )


def enter_to_commit(
    engine: str, location: DatabaseLocation, meeting_id: str, count: int
) -> dict[str, float]:
    service = ServiceInserter(location, meeting_id)  # type: ignore[arg-type]
    raw: Any = (
        PsycopgInserter(location.url, meeting_id)
        if isinstance(location, ServerURL)
        else RawInserter(location, meeting_id)
    )
    try:
        times = time_interleaved({"service": service, "raw": raw}, count, warmup=20)
    finally:
        service.close()
        raw.close()
    ms = {name: [ns / 1e6 for ns in values] for name, values in times.items()}
    return {
        "service p50": percentile(ms["service"], 50),
        "service p99": percentile(ms["service"], 99),
        "raw p50": percentile(ms["raw"], 50),
        "raw p99": percentile(ms["raw"], 99),
    }


def commit_to_visible(location: DatabaseLocation, meeting_id: str, count: int) -> list[float]:
    writer = open_services(location, author=AUTHOR)
    reader = open_services(location, author="Observatör")
    watch = ObservationService(reader.database, reader.clock)
    committed: dict[str, float] = {}
    seen: dict[str, float] = {}
    stop = threading.Event()

    def poll() -> None:
        cursor = watch.changes_since(meeting_id, None).cursor
        while not stop.is_set():
            changes = watch.changes_since(meeting_id, cursor)
            now = time.perf_counter()
            cursor = changes.cursor
            for note in changes.notes:
                seen.setdefault(note.id, now)
            time.sleep(0.005)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    time.sleep(0.2)
    try:
        for index in range(count):
            note = writer.notes.add(meeting_id, NoteDraft(f"synlig {index}"))
            committed[note.id] = time.perf_counter()
            time.sleep(0.02)
        deadline = time.time() + 10
        while len(seen.keys() & committed.keys()) < count and time.time() < deadline:
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join(5)
        watch.close()
        writer.close()
        reader.close()
    return [seen.get(k, float("inf")) - v for k, v in committed.items()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.team_bench")
    parser.add_argument("--pg", default=os.environ.get("SAMVERKAN_BENCH_PG"))
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="200 samples, 50 visibility notes")
    args = parser.parse_args(argv)
    count = 200 if args.quick else args.count
    visible_count = 50 if args.quick else 200
    OUT.mkdir(parents=True, exist_ok=True)
    sqlite_path = OUT / "team-bench.db"
    remove_database(sqlite_path)
    engines: dict[str, DatabaseLocation] = {
        "sqlite": sqlite_path,
        "postgresql": fresh_server(args.pg),
    }
    failed = False
    for engine, location in engines.items():
        meeting_id = prepare(location)
        load = os.getloadavg()[0]
        figures = enter_to_commit(engine, location, meeting_id, count)
        ratio = figures["service p99"] / figures["raw p99"]
        raw_name = "psycopg" if engine == "postgresql" else "sqlite3"
        over = figures["service p99"] > BUDGET_P99_MS[engine] or ratio > RATIO
        failed |= over
        print(
            f"{engine:<10} Enter→commit n={count} load {load:.1f}: service p50 "
            f"{figures['service p50']:.2f} ms p99 {figures['service p99']:.2f} ms | raw "
            f"{raw_name} p50 {figures['raw p50']:.2f} ms p99 {figures['raw p99']:.2f} ms | "
            f"p99 ratio {ratio:.2f}x (budget ≤ {BUDGET_P99_MS[engine]:g} ms, ≤ {RATIO:g}x)"
            + ("  OVER" if over else "  ok")
        )
        load = os.getloadavg()[0]
        delays = commit_to_visible(location, meeting_id, visible_count)
        p50, p99 = percentile(delays, 50), percentile(delays, 99)
        over = p99 > VISIBLE_P99_S[engine]
        failed |= over
        print(
            f"{engine:<10} commit→visible n={visible_count} load {load:.1f} (poll every 5 ms): "
            f"p50 {p50 * 1000:.1f} ms p99 {p99 * 1000:.1f} ms max {max(delays) * 1000:.1f} ms "
            f"(budget p99 ≤ {VISIBLE_P99_S[engine] * 1000:g} ms)" + ("  OVER" if over else "  ok")
        )
    remove_database(sqlite_path)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
