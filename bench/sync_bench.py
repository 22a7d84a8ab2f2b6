"""Sync against copying the file: the reference database to an empty one, then once more.

    python -m bench.sync_bench [--db PATH] [--to URL] [--repeat N]

Three figures, each the whole operation as the user waits for it (opening both
databases included), interleaved in every round so that the machine's load
weighs on all alike:

- copy: ``shutil.copyfile`` of the SQLite file and an ``fsync``, the baseline;
- full: ``Sync`` of every project into an empty database (a new SQLite file,
  or the PostgreSQL database named by ``--to``, dropped and made anew each round;
  the CPU figure is then this process's alone, the server's work is not in it);
- no-op: the same sync again, when both sides already hold the same.

The load average is printed beside each round. There is no budget in
DESIGN.md for sync, so the exit status is non-zero only if the two sides
differ after the full sync (their canonical dumps are compared once).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench import reference_db
from samverkan.services.sync import Sync, canonical_dump
from samverkan.store.location import DatabaseLocation, ServerURL
from samverkan.store.opening import open_database

DEFAULT_DB = Path(__file__).resolve().parent / "out" / "reference.db"


def _copy(source: Path, target: Path) -> float:
    began = time.perf_counter()
    shutil.copyfile(source, target)
    with target.open("rb+") as handle:
        os.fsync(handle.fileno())
    return time.perf_counter() - began


def _sync(source: Path, target: DatabaseLocation) -> tuple[float, bool]:
    began = time.perf_counter()
    cpu = time.process_time()
    here = open_database(source)
    there = open_database(target)
    try:
        report = Sync(here, there).run()
    finally:
        here.dispose()
        there.dispose()
    _CPU.append(time.process_time() - cpu)
    return time.perf_counter() - began, report.changed


def _fresh_server_database(url: str) -> ServerURL:
    """The database named by ``url``, dropped and created empty (samverkan migrates it)."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    admin = make_url(url).set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return ServerURL(url)


# CPU seconds of each sync (SQLite works in this process): steadier than wall time
# on a shared machine, where the wall time also holds the waits for the disk and the cores.
_CPU: list[float] = []


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sync_bench")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, metavar="PATH")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--to",
        metavar="URL",
        help="an empty PostgreSQL database to sync into (dropped and made again each round)",
    )
    args = parser.parse_args(argv)
    source: Path = args.db
    if not source.exists():
        print(f"building the reference database at {source} ...", file=sys.stderr)
        reference_db.build(source)
    info = reference_db.load_info(source) if reference_db.sidecar(source).exists() else {}
    print(
        f"reference: {source} ({source.stat().st_size / 1e6:.0f} MB, "
        f"{info.get('size', {}).get('notes', '?')} notes, "
        f"{info.get('size', {}).get('meetings', '?')} meetings)"
    )
    copies, fulls, noops = [], [], []
    checked = False
    with tempfile.TemporaryDirectory(prefix="samverkan-sync-bench-") as folder:
        for round_ in range(args.repeat):
            copied = Path(folder) / f"copy-{round_}.db"
            target: DatabaseLocation = Path(folder) / f"target-{round_}.db"
            if args.to:
                target = _fresh_server_database(args.to)
            copies.append(_copy(source, copied))
            copied.unlink()
            seconds, changed = _sync(source, target)
            assert changed
            fulls.append(seconds)
            seconds, changed = _sync(source, target)
            noops.append(seconds)
            if changed:
                print("the second sync changed something: not idempotent", file=sys.stderr)
                return 1
            if not checked:
                here, there = open_database(source), open_database(target)
                try:
                    if canonical_dump(here) != canonical_dump(there):
                        print("the two databases differ after the sync", file=sys.stderr)
                        return 1
                finally:
                    here.dispose()
                    there.dispose()
                checked = True
            if isinstance(target, Path):
                for suffix in ("", "-wal", "-shm", ".lock"):
                    Path(f"{target}{suffix}").unlink(missing_ok=True)
            load = os.getloadavg()[0]
            print(
                f"round {round_ + 1}: copy {copies[-1]:.2f} s, full sync {fulls[-1]:.2f} s "
                f"(CPU {_CPU[-2]:.1f} s), no-op sync {noops[-1]:.2f} s (CPU {_CPU[-1]:.2f} s) "
                f"(load {load:.1f})"
            )
    copy, full, noop = (statistics.median(x) for x in (copies, fulls, noops))
    print(
        f"median of {args.repeat}: copy {copy:.2f} s; full sync {full:.2f} s "
        f"({full / copy:.0f}x the copy); no-op sync {noop:.2f} s ({noop / copy:.1f}x the copy)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
