"""``samverkan report`` (budget ≤ 2 s, whole command) and opening the analysis screen (≤ 1 s).

    python -m bench.analysis_bench [--db PATH] [--quick]

Two databases, both from :mod:`bench.reference_db`:

- the reference database (10 projects of 10 meetings; 100 meetings, 100,000 notes,
  200,000 tags): the report and the screen of its largest project, ``ref-01``;
- the same totals in one project (``--projects 1``: one series of 100 meetings,
  100,000 notes and 200,000 tags), built beside it on first use. This is the
  budget's own wording, "report over 100 meetings", and the worst case: every
  note and tag of the file is in the one report.

The report is timed as a subprocess (interpreter start, imports, opening the file,
reading, analysing, rendering, writing to a file); the screen in-process, headless
(``App.run_test``), from ``push_screen`` until the matrix has its rows. In-process
figures of the three steps (read the series, analyse, render) come beside them.

Registered as the ``report`` and ``analysis-screen`` benchmarks of ``bench.run``
when this module is imported there (``import bench.analysis_bench``).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench import reference_db
from bench.run import (
    REGISTRY,
    Context,
    Figure,
    benchmark,
    main_for,
)

REPORT_BUDGET = 2.0
SCREEN_BUDGET = 1.0
PROJECT = "ref-01"


def _seconds(call: Callable[[], object], runs: int) -> list[float]:
    durations = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        durations.append(time.perf_counter() - began)
    return durations


def one_project_db(ctx: Context) -> Path:
    """The 100-meeting single-project database, built once beside the reference one."""
    path = ctx.out / "reference-one-project.db"
    if not path.exists() or not reference_db.sidecar(path).exists():
        print(f"building {path} …", file=sys.stderr, flush=True)
        reference_db.build(path, reference_db.Size(projects=1))
    return path


def _databases(ctx: Context) -> list[tuple[str, Path]]:
    return [("10 meetings", ctx.db), ("100 meetings", one_project_db(ctx))]


def report_command(ctx: Context) -> list[Figure]:
    runs = ctx.count("runs", 5, 2)
    env = {**os.environ, "SAMVERKAN_HOME": str(ctx.out / "home"), "SAMVERKAN_LANG": "sv"}
    target = ctx.out / "scratch" / "rapport.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    figures: list[Figure] = []
    for label, db in _databases(ctx):
        command = [sys.executable, "-m", "samverkan", "--db", str(db), "report", PROJECT]
        command += ["-o", str(target), "--force"]

        def report(command: list[str] = command) -> None:
            subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)

        report()  # warm the page cache and the .pyc files
        durations = _seconds(report, runs)
        size = target.stat().st_size
        figures.append(
            Figure(
                f"report {PROJECT}, {label} (command)",
                statistics.median(durations),
                "s",
                REPORT_BUDGET,
                f"median of {runs}, subprocess, -o FILE, {size / 1e6:.1f} MB",
            )
        )
        figures += _steps(db, label, runs)
    target.unlink(missing_ok=True)
    return figures


def _steps(db: Path, label: str, runs: int) -> list[Figure]:
    from samverkan.domain.analysis import analyse
    from samverkan.domain.report import render_report
    from samverkan.services import open_services
    from samverkan.services.analysis import AnalysisService

    services = open_services(db)
    try:
        reader = AnalysisService(services.database)
        project_id = services.projects.project_id(PROJECT)
        series = reader.series(project_id)
        analysis = analyse(series)
        read = statistics.median(_seconds(lambda: reader.series(project_id), runs))
        analysing = statistics.median(_seconds(lambda: analyse(series).agreement, runs))
        rendering = statistics.median(_seconds(lambda: render_report(analysis), runs))
    finally:
        services.close()
    notes = f"{len(series.remarks)} remarks kept"
    return [
        Figure(f"  AnalysisService.series(), {label}", read * 1000, "ms", None, notes),
        Figure(f"  analyse(), {label}", analysing * 1000, "ms", None, "matrices and agreement"),
        Figure(f"  render_report(), {label}", rendering * 1000, "ms", None, "Swedish"),
    ]


async def _open_screen(db: Path) -> float:
    from samverkan.services import open_services
    from samverkan.ui.analysis.screen import AnalysisScreen
    from samverkan.ui.app import make_app

    filled: list[float] = []

    services = open_services(db)
    try:
        project_id = services.projects.project_id(PROJECT)
        app = make_app(services)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            began = time.perf_counter()
            screen = AnalysisScreen(project_id)
            fill = screen.refresh_matrix

            def timed_fill() -> None:
                fill()
                if screen.shown:
                    filled.append(time.perf_counter())

            screen.refresh_matrix = timed_fill  # type: ignore[method-assign]
            app.push_screen(screen)
            # Poll slowly: a busy loop here would take the GIL from the worker it times.
            while not filled:
                await asyncio.sleep(0.05)
            await app.workers.wait_for_complete()
        return filled[0] - began
    finally:
        services.close()


def analysis_screen(ctx: Context) -> list[Figure]:
    runs = ctx.count("runs", 5, 2)
    figures: list[Figure] = []
    for label, db in _databases(ctx):
        asyncio.run(_open_screen(db))  # warm up: imports, page cache
        durations = [asyncio.run(_open_screen(db)) for _ in range(runs)]
        figures.append(
            Figure(
                f"open the analysis screen, {PROJECT}, {label}",
                statistics.median(durations),
                "s",
                SCREEN_BUDGET,
                f"median of {runs}, push_screen until the matrix is filled, 160×48",
            )
        )
        figures.append(Figure(f"  slowest, {label}", max(durations), "s", None))
    return figures


# Guarded: ``python -m bench.analysis_bench`` runs this file as __main__ while
# bench.run may import it as bench.analysis_bench too.
if "report" not in REGISTRY:
    benchmark("report")(report_command)
if "analysis-screen" not in REGISTRY:
    benchmark("analysis-screen")(analysis_screen)


def main(argv: Sequence[str] | None = None) -> int:
    return main_for(["report", "analysis-screen"], "python -m bench.analysis_bench", argv)


if __name__ == "__main__":
    raise SystemExit(main())
