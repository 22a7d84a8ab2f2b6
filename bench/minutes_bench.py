"""``samverkan export`` of the reference database's 10,000-note meeting (budget ≤ 1 s).

    python -m bench.minutes_bench [--db PATH] [--quick]

Times the whole command as a subprocess — interpreter start, imports, opening
the file, reading, rendering, writing — to standard output and to a file
(``-o``, written atomically), and, in-process, the two parts the command adds
to start-up: reading the meeting (``MinutesService.load``) and rendering it.

The function is registered as the ``export`` benchmark of ``bench.run``
when this module is imported there (``import bench.minutes_bench``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence

from bench.run import (
    REGISTRY,
    Context,
    Figure,
    benchmark,
    main_for,
)

BUDGET_SECONDS = 1.0


def _seconds(call: Callable[[], object], runs: int) -> list[float]:
    durations = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        durations.append(time.perf_counter() - began)
    return durations


def export_minutes(ctx: Context) -> list[Figure]:
    """``samverkan export`` of the 10,000-note meeting, as a whole command."""
    runs = ctx.count("runs", 7, 3)
    ref, meeting_id = ctx.info["big_meeting"], ctx.info["big_meeting_id"]
    where = f"{ref}, {ctx.info['big_meeting_notes']} notes"
    env = {**os.environ, "SAMVERKAN_HOME": str(ctx.out / "home"), "SAMVERKAN_LANG": "sv"}
    command = [sys.executable, "-m", "samverkan", "--db", str(ctx.db), "export", ref]
    target = ctx.out / "scratch" / "minnesanteckningar.md"
    target.parent.mkdir(parents=True, exist_ok=True)

    def to_stdout() -> None:
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)

    def to_file() -> None:
        subprocess.run(
            [*command, "-o", str(target), "--force"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    to_stdout()  # warm the page cache and the .pyc files, as a second export would find them
    stdout_runs = _seconds(to_stdout, runs)
    file_runs = _seconds(to_file, runs)
    size = target.stat().st_size
    target.unlink(missing_ok=True)

    from samverkan.domain.minutes import render_minutes
    from samverkan.i18n import use_language
    from samverkan.services import open_services
    from samverkan.services.minutes import MinutesService

    services = open_services(ctx.db)
    try:
        minutes = MinutesService(services.database)
        data = minutes.load(meeting_id)
        load = statistics.median(_seconds(lambda: minutes.load(meeting_id), runs))
        with use_language("sv"):
            rendering = statistics.median(_seconds(lambda: render_minutes(data), runs))
    finally:
        services.close()
    return [
        Figure(
            "export to stdout (command)",
            statistics.median(stdout_runs),
            "s",
            BUDGET_SECONDS,
            f"median of {runs}, subprocess, {where}",
        ),
        Figure("export to stdout, slowest", max(stdout_runs), "s", None),
        Figure(
            "export -o FILE (command)",
            statistics.median(file_runs),
            "s",
            BUDGET_SECONDS,
            f"atomic write with fsync, {size / 1e6:.1f} MB",
        ),
        Figure("MinutesService.load()", load * 1000, "ms", None, "one read transaction"),
        Figure("render_minutes()", rendering * 1000, "ms", None, "Swedish"),
    ]


# Guarded: ``python -m bench.minutes_bench`` runs this file as __main__ while
# bench.run may import it as bench.minutes_bench too.
if "export" not in REGISTRY:
    benchmark("export")(export_minutes)


def main(argv: Sequence[str] | None = None) -> int:
    return main_for(["export"], "python -m bench.minutes_bench", argv)


if __name__ == "__main__":
    raise SystemExit(main())
