"""The other process of the cross-process visibility benchmark.

Opens the database through :func:`samverkan.store.opening.open_database`,
polls ``SELECT max(rowid) FROM note`` every ``--interval`` seconds, each poll
its own read transaction, and prints ``ROWID MONOTONIC_NS`` whenever the value
changes. ``time.monotonic_ns`` is one system-wide clock on Linux and macOS, so
the parent can subtract its own timestamps from ours. The first line is
``ready ROWID``.

    python -m bench.probe PATH [--interval 0.01]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from samverkan.store.opening import open_database

QUERY = "SELECT max(rowid) FROM note"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.probe")
    parser.add_argument("path", type=Path)
    parser.add_argument("--interval", type=float, default=0.01)
    args = parser.parse_args(argv)
    database = open_database(args.path)
    try:
        with database.engine.connect() as connection:
            last = connection.exec_driver_sql(QUERY).scalar()
            # End the read transaction: a snapshot held open would never see new commits.
            connection.commit()
            print(f"ready {last}", flush=True)
            while True:
                time.sleep(args.interval)
                value = connection.exec_driver_sql(QUERY).scalar()
                seen = time.monotonic_ns()
                connection.commit()
                if value != last:
                    last = value
                    print(f"{value} {seen}", flush=True)
    except (KeyboardInterrupt, BrokenPipeError):
        return 0
    finally:
        database.dispose()


if __name__ == "__main__":
    sys.exit(main())
