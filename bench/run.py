"""Component timings of samverkan on the reference database.

The budgets of DESIGN.md, measured as the user feels them, are
``python -m bench.budgets``; these are the parts behind them (service calls,
reads, commands) and exit 1 when a figure with a budget is over it.

    python -m bench.run [--db PATH] [--quick] [--only NAME ...] [--list] [--strict]

Builds the reference database into ``bench/out/`` when it is missing (or was
made by an older generator or schema), runs every registered benchmark, prints
a table of figures against their budgets and writes ``bench/out/results.json``.

A benchmark is a function ``(Context) -> list[Figure]`` registered with
``@benchmark("name")``; writing benchmarks work on a scratch copy of the
reference database (:meth:`Context.scratch`), so the reference stays as built.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import platform
import queue
import random
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import reference_db
from samverkan.domain.model import NoteKind
from samverkan.services import NoteDraft, Services, open_services
from samverkan.store.migrations import HEAD
from samverkan.store.tables import REVISED_FIELDS

OUT = Path(__file__).resolve().parent / "out"
DEFAULT_DB = OUT / "reference.db"
AUTHOR = "Processledare"


# ------------------------------------------------------------------ figures and registry


@dataclass(frozen=True)
class Figure:
    """One measured number; ``budget`` is the most it may be (same unit), if DESIGN.md sets one."""

    name: str
    value: float
    unit: str
    budget: float | None = None
    note: str = ""

    @property
    def ok(self) -> bool | None:
        return None if self.budget is None else self.value <= self.budget


@dataclass
class Context:
    """What a benchmark gets: the reference database, its facts, and how hard to try."""

    db: Path
    info: dict[str, Any]
    out: Path = OUT
    quick: bool = False
    # Overrides of the repetition counts by key ("insert", "warmup", "runs", "trials").
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, key: str, full: int, quick: int) -> int:
        return self.counts.get(key, quick if self.quick else full)

    def scratch(self, name: str) -> Path:
        """A fresh, consistent copy of the reference database to write to."""
        target = self.out / "scratch" / f"{name}.db"
        remove_database(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Not mode=ro: a read-only last connection cannot remove the -wal and -shm files.
        source = sqlite3.connect(self.db, timeout=10)
        try:
            dest = sqlite3.connect(target)
            try:
                source.backup(dest)
            finally:
                dest.close()
        finally:
            source.close()
        return target


Benchmark = Callable[[Context], list[Figure]]
REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str) -> Callable[[Benchmark], Benchmark]:
    """Register a benchmark under ``name``; they run in the order registered."""

    def register(function: Benchmark) -> Benchmark:
        if name in REGISTRY:
            raise ValueError(f"benchmark {name!r} registered twice")
        REGISTRY[name] = function
        return function

    return register


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with ``p`` % of the values at or below it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def _ms(ns: int) -> float:
    return ns / 1e6


# ------------------------------------------------------------------ note insert


def _drafts(seed: int, organisations: Sequence[str], phase_id: str | None) -> list[NoteDraft]:
    rng = random.Random(seed)
    return [
        NoteDraft(
            text=reference_db.note_text(rng, NoteKind.NOTE),
            organisation_id=rng.choice(organisations) if organisations else None,
            phase_id=phase_id,
        )
        for _ in range(256)
    ]


class ServiceInserter:
    """One call: the facilitator presses Enter, ``Services.notes.add`` commits one note."""

    def __init__(self, path: Path, meeting_id: str, *, seed: int = 7) -> None:
        self.services: Services = open_services(path, author=AUTHOR)
        self.meeting_id = meeting_id
        view = self.services.projects.meeting(meeting_id)
        current = [p for p in view.phases if p.started_at and not p.ended_at]
        phase = current[-1] if current else (view.phases[-1] if view.phases else None)
        self.drafts = _drafts(seed, [o.id for o in view.organisations], phase.id if phase else None)
        self.index = 0

    def __call__(self) -> None:
        self.services.notes.add(self.meeting_id, self.drafts[self.index % len(self.drafts)])
        self.index += 1

    def close(self) -> None:
        self.services.close()


_TRACKED = REVISED_FIELDS


@functools.cache
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(columns)
    marks = ", ".join(f":{name}" for name in columns)
    return f"INSERT INTO {table} ({names}) VALUES ({marks})"


class RawInserter:
    """The same note and revision rows through bare ``sqlite3``: BEGIN IMMEDIATE … COMMIT.

    The connection is set up as the app's (WAL, ``synchronous=FULL``, foreign
    keys on, no automatic checkpoint: see ``store/checkpoint.py``), so the
    difference to :class:`ServiceInserter` is the app's own cost. With SQLite's
    automatic checkpoint the baseline folded the log back into the database every
    few dozen notes, inside its own insert and right before the app's next Enter,
    which then waited for the disk behind it.
    """

    def __init__(self, path: Path, meeting_id: str, *, seed: int = 7) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None, timeout=10)
        for pragma in (
            "busy_timeout = 10000",
            "journal_mode = WAL",
            "synchronous = FULL",
            "foreign_keys = ON",
            "wal_autocheckpoint = 0",
        ):
            self.connection.execute(f"PRAGMA {pragma}")
        self.meeting_id = meeting_id
        started = self.connection.execute(
            "SELECT started_at FROM meeting WHERE id = ?", (meeting_id,)
        ).fetchone()
        self.started = datetime.fromisoformat(started[0]) if started and started[0] else None
        phase = self.connection.execute(
            "SELECT id FROM phase WHERE meeting_id = ? AND started_at IS NOT NULL "
            "ORDER BY ended_at IS NULL DESC, position DESC LIMIT 1",
            (meeting_id,),
        ).fetchone()
        organisations = [
            row[0]
            for row in self.connection.execute(
                "SELECT o.id FROM organisation o JOIN meeting m ON m.project_id = o.project_id "
                "WHERE m.id = ? ORDER BY o.position",
                (meeting_id,),
            )
        ]
        self.drafts = _drafts(seed, organisations, phase[0] if phase else None)
        self.index = 0

    def __call__(self) -> None:
        draft = self.drafts[self.index % len(self.drafts)]
        self.index += 1
        now = datetime.now(UTC)
        stamp = now.isoformat(timespec="microseconds")
        offset = (now - self.started).total_seconds() if self.started else 0.0
        note_id = str(uuid.uuid4())
        text = draft.text.strip()
        note = {
            "id": note_id,
            "meeting_id": self.meeting_id,
            "phase_id": draft.phase_id,
            "organisation_id": draft.organisation_id,
            "person_id": None,
            "author": AUTHOR,
            "kind": "note",
            "text": text,
            "created_at": stamp,
            "offset_seconds": max(0.0, offset),
            "owner_organisation_id": None,
            "owner_person_id": None,
            "due": None,
            "done": 0,
            "done_at": None,
            "deleted": 0,
            "revision": 1,
            "updated_at": stamp,
        }
        revision = {
            "id": str(uuid.uuid4()),
            "note_id": note_id,
            "revision": 1,
            "action": "create",
            "at": stamp,
            "author": AUTHOR,
            **{k: note[k] for k in _TRACKED},
        }
        connection = self.connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute(_insert_sql("note", tuple(note)), note)
            connection.execute(_insert_sql("note_revision", tuple(revision)), revision)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.connection.close()


def time_calls(call: Callable[[], None], count: int, warmup: int) -> list[int]:
    """Durations in nanoseconds of ``count`` calls, after ``warmup`` untimed ones."""
    for _ in range(warmup):
        call()
    durations = []
    for _ in range(count):
        began = time.perf_counter_ns()
        call()
        durations.append(time.perf_counter_ns() - began)
    return durations


def time_interleaved(
    calls: dict[str, Callable[[], None]], count: int, warmup: int, block: int = 50
) -> dict[str, list[int]]:
    """``count`` timed calls of each, alternating in blocks so that machine noise hits all."""
    durations: dict[str, list[int]] = {name: [] for name in calls}
    for call in calls.values():
        for _ in range(warmup):
            call()
    order = list(calls)
    done = 0
    while done < count:
        size = min(block, count - done)
        for name in order:
            durations[name].extend(time_calls(calls[name], size, 0))
        order.reverse()
        done += size
    return durations


@benchmark("note_insert")
def note_insert(ctx: Context) -> list[Figure]:
    """Enter pressed → note committed, through the service and through raw sqlite3."""
    count = ctx.count("insert", 1000, 200)
    warmup = ctx.count("warmup", 20, 10)
    meeting = ctx.info["big_meeting_id"]
    where = f"{ctx.info['big_meeting']}, {ctx.info['big_meeting_notes']} notes"
    # Each on its own copy: two connections writing one file would flush each other's cache.
    paths = {"service": ctx.scratch("insert-service"), "raw": ctx.scratch("insert-raw")}
    inserters: dict[str, ServiceInserter | RawInserter] = {}
    try:
        inserters["service"] = ServiceInserter(paths["service"], meeting)
        inserters["raw"] = RawInserter(paths["raw"], meeting)
        results = time_interleaved(dict(inserters), count, warmup)
    finally:
        for inserter in inserters.values():
            inserter.close()
        for path in paths.values():
            remove_database(path)
    service, raw = results["service"], results["raw"]
    s50, s99 = _ms(int(percentile(service, 50))), _ms(int(percentile(service, 99)))
    r50, r99 = _ms(int(percentile(raw, 50))), _ms(int(percentile(raw, 99)))
    return [
        Figure("service p50", s50, "ms", None, f"Services.notes.add, {count}x into {where}"),
        # Back-to-back adds are the warm path, not the app's Enter between keystrokes:
        # component figures only; the budget is bench.budgets' "enter".
        Figure("service p99", s99, "ms", None, "synchronous=FULL, as the app opens the file"),
        Figure("service max", _ms(max(service)), "ms", None),
        Figure("raw sqlite3 p50", r50, "ms", None, "note + revision, BEGIN IMMEDIATE … COMMIT"),
        Figure("raw sqlite3 p99", r99, "ms", None, "WAL, synchronous=FULL, on a copy"),
        Figure("raw sqlite3 max", _ms(max(raw)), "ms", None, "interleaved with the service"),
        Figure("service/raw p50", s50 / r50, "x", None),
        Figure("service/raw p99", s99 / r99, "x", None),
    ]


# ------------------------------------------------------------------ reading


def _median_seconds(call: Callable[[], object], runs: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        call()
    durations = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        durations.append(time.perf_counter() - began)
    return statistics.median(durations)


@benchmark("list")
def list_projects(ctx: Context) -> list[Figure]:
    """``samverkan list`` as a whole command, and ``list_projects()`` in-process."""
    runs = ctx.count("runs", 5, 3)
    home = ctx.out / "home"
    env = {**os.environ, "SAMVERKAN_HOME": str(home), "SAMVERKAN_LANG": "sv"}
    command = [sys.executable, "-m", "samverkan", "--db", str(ctx.db), "list"]

    def run_command() -> None:
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)

    whole = _median_seconds(run_command, runs)
    services = open_services(ctx.db)
    try:
        projects = services.projects.list_projects()
        inside = _median_seconds(services.projects.list_projects, runs)
    finally:
        services.close()
    meetings = sum(len(p.meetings) for p in projects)
    return [
        Figure("samverkan list (command)", whole, "s", None, f"median of {runs}, subprocess"),
        Figure(
            "list_projects()",
            inside * 1000,
            "ms",
            None,
            f"{len(projects)} projects, {meetings} meetings, median of {runs}",
        ),
    ]


@benchmark("notes_load")
def notes_load(ctx: Context) -> list[Figure]:
    """``services.notes.notes(meeting)`` for the 5,000- and 10,000-note meetings."""
    runs = ctx.count("runs", 5, 3)
    services = open_services(ctx.db)
    figures = []
    try:
        for key in ("meeting_5000", "big_meeting"):
            meeting = ctx.info[f"{key}_id"]
            notes = ctx.info[f"{key}_notes"]
            loaded = len(services.notes.notes(meeting))
            seconds = _median_seconds(functools.partial(services.notes.notes, meeting), runs)
            budget = 0.5 if key == "meeting_5000" else None
            figures.append(
                Figure(
                    f"notes() {notes:,} notes",
                    seconds,
                    "s",
                    budget,
                    f"{ctx.info[key]}: {loaded} loaded, median of {runs}"
                    + ("; opening a meeting ≤ 0.5 s, the UI adds to this" if budget else ""),
                )
            )

            def open_meeting(m: str = meeting) -> None:
                services.projects.meeting(m)
                services.notes.notes(m)

            if key == "meeting_5000":
                both = _median_seconds(open_meeting, runs)
                figures.append(
                    Figure(
                        f"meeting() + notes() {notes:,} notes",
                        both,
                        "s",
                        0.5,
                        "the data a meeting screen reads when it opens",
                    )
                )
    finally:
        services.close()
    return figures


# ------------------------------------------------------------------ two processes


def _reader(stream: Any, lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)


@benchmark("visibility")
def visibility(ctx: Context) -> list[Figure]:
    """A note committed here → seen by another process polling every 10 ms."""
    trials = ctx.count("trials", 50, 10)
    path = ctx.scratch("visibility")
    probe = subprocess.Popen(
        [sys.executable, "-m", "bench.probe", str(path), "--interval", "0.01"],
        cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_reader, args=(probe.stdout, lines), daemon=True).start()
    inserter = ServiceInserter(path, ctx.info["big_meeting_id"])
    rng = random.Random(3)
    latencies: list[int] = []
    try:
        ready = lines.get(timeout=30)
        if not ready.startswith("ready"):
            raise RuntimeError(f"the probe said {ready!r}")
        for _ in range(trials):
            time.sleep(rng.uniform(0.0, 0.02))  # land anywhere in the probe's poll cycle
            began = time.monotonic_ns()
            inserter()
            _rowid, seen = lines.get(timeout=10).split()
            latencies.append(int(seen) - began)
    finally:
        inserter.close()
        probe.terminate()
        probe.wait(timeout=10)
        remove_database(path)
    return [
        Figure("visible p50", _ms(int(percentile(latencies, 50))), "ms", None),
        Figure(
            "visible p99",
            _ms(int(percentile(latencies, 99))),
            "ms",
            None,  # a raw probe, not the observer screen: bench.budgets' "visible" is the budget
            f"{trials} trials from add() called to seen; other process polls every 10 ms",
        ),
        Figure("visible max", _ms(max(latencies)), "ms", None, "the UI's poll interval adds"),
    ]


# ------------------------------------------------------------------ running


def ensure_reference(db: Path, *, rebuild: bool = False) -> dict[str, Any]:
    """The reference database's facts, building it first when missing or out of date."""
    sidecar = reference_db.sidecar(db)
    info: dict[str, Any] | None = None
    if db.exists() and sidecar.exists():
        info = reference_db.load_info(db)
    stale = (
        info is None
        or info.get("schema") != HEAD
        or (info.get("generator") != reference_db.GENERATOR)
    )
    if rebuild or not db.exists() or (stale and db.resolve().parent == OUT.resolve()):
        print(f"building the reference database at {db} …", file=sys.stderr, flush=True)
        info = reference_db.build(db)
        print(
            f"built in {info['build_seconds']} s, {info['file_bytes'] / 1e6:.0f} MB",
            file=sys.stderr,
        )
    elif stale:
        print(f"warning: {db} was built by another generator or schema", file=sys.stderr)
    if info is None:
        raise SystemExit(
            f"{db} has no {sidecar.name} beside it; rebuild it with "
            f"python -m bench.reference_db --out {db}"
        )
    return info


def format_value(figure: Figure) -> str:
    if figure.unit == "x":
        return f"{figure.value:.2f}×"
    if figure.unit == "s":
        return f"{figure.value:.3f} s"
    return f"{figure.value:.2f} {figure.unit}"


def render(results: dict[str, dict[str, Any]]) -> str:
    rows = [("benchmark", "figure", "value", "budget", "", "note")]
    for name, result in results.items():
        if "error" in result:
            rows.append((name, "ERROR", "", "", "", result["error"]))
            continue
        for figure in result["figures"]:
            budget = (
                ""
                if figure.budget is None
                else format_value(Figure("", figure.budget, figure.unit))
            )
            verdict = {None: "", True: "ok", False: "OVER"}[figure.ok]
            rows.append((name, figure.name, format_value(figure), budget, verdict, figure.note))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [row[2].rjust(widths[2]), row[3].rjust(widths[3]), row[4].ljust(widths[4])]
        lines.append("  ".join([*cells, row[5]]).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def run(ctx: Context, names: Sequence[str]) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        print(f"running {name} …", file=sys.stderr, flush=True)
        began = time.perf_counter()
        try:
            figures = REGISTRY[name](ctx)
        except Exception as exc:  # one failing benchmark must not hide the others
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
        else:
            results[name] = {"figures": figures}
        results[name]["seconds"] = round(time.perf_counter() - began, 2)
    return results


def main_for(names: Sequence[str], prog: str, argv: Sequence[str] | None = None) -> int:
    """The command line of one benchmark module: run ``names`` on the reference db."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, metavar="PATH")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args(argv)
    db = args.db.expanduser().resolve()
    ctx = Context(db=db, info=ensure_reference(db), quick=args.quick)
    results = run(ctx, list(names))
    print(render(results))
    over = any(f.ok is False for r in results.values() for f in r.get("figures", []))
    return 1 if over or any("error" in r for r in results.values()) else 0


def write_results(ctx: Context, results: dict[str, dict[str, Any]], target: Path) -> None:
    data = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": ctx.quick,
        "machine": {
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "db": str(ctx.db),
        "reference": {
            key: ctx.info.get(key)
            for key in ("schema", "generator", "seed", "size", "counts", "file_bytes")
        },
        "benchmarks": {
            name: {
                **{k: v for k, v in result.items() if k != "figures"},
                "figures": [{**asdict(f), "ok": f.ok} for f in result.get("figures", [])],
            }
            for name, result in results.items()
        },
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")


# Benchmarks of later screens and commands live in their own modules and
# register themselves on ``bench.run`` (the importable module, which is not
# ``__main__`` under ``python -m bench.run``).
EXTENSIONS = ("bench.minutes_bench", "bench.analysis_bench")


def _load_extensions() -> None:
    import importlib

    for name in EXTENSIONS:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            print(f"skipping {name}: {exc}", file=sys.stderr)
    registered = importlib.import_module("bench.run").REGISTRY
    for name, function in registered.items():
        REGISTRY.setdefault(name, function)


def main(argv: Sequence[str] | None = None) -> int:
    _load_extensions()
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, metavar="PATH")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--only", action="append", choices=list(REGISTRY), metavar="NAME")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--rebuild", action="store_true", help="build the reference db anew")
    parser.add_argument("--strict", action="store_true", help="(the default now) exit 1 when over")
    args = parser.parse_args(argv)
    if args.list:
        for name, function in REGISTRY.items():
            print(f"{name:<14} {(function.__doc__ or '').strip().splitlines()[0]}")
        return 0
    db = args.db.expanduser().resolve()
    info = ensure_reference(db, rebuild=args.rebuild)
    ctx = Context(db=db, info=info, quick=args.quick)
    results = run(ctx, args.only or list(REGISTRY))
    target = ctx.out / "results.json"
    write_results(ctx, results, target)
    print(render(results))
    print(f"\nreference: {db} ({info['file_bytes'] / 1e6:.0f} MB); results: {target}")
    failed = any("error" in r for r in results.values())
    over = any(f.ok is False for r in results.values() for f in r.get("figures", []))
    return 1 if failed or over else 0


if __name__ == "__main__":
    raise SystemExit(main())
