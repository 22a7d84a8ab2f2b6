"""The observer's budgets, measured on the reference database's 5,000-note meeting.

    python -m bench.observe_bench [--db bench/out/reference.db] [--trials 40] [--toggles 200]

- commit in one process → visible in another through ``changes_since`` polled
  every ``poll_seconds`` (0.5 s, as the observer screen does): p50/p99, budget 1 s;
  and what one poll costs (idle, and when something changed);
- tag toggle: the screen's write (``tags.set`` + re-read of the note) p50/p99,
  and in the app: second code key → first frame, and → committed;
- opening the observer screen on the 5,000-note meeting (39-40 codes): from
  push to every note in the stream, budget 0.5 s;
- keypress → frame while another process commits a note every 100 ms.

Writes go to a scratch copy; the reference database stays as built.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import queue
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events

from bench.run import DEFAULT_DB, OUT
from samverkan.services import Services, open_services
from samverkan.services.observations import ObservationService
from samverkan.ui.app import make_app
from samverkan.ui.observe.screen import ObserveScreen

POLL_SECONDS = 0.5

# Commits a note per line read and prints "<id> <wall-clock time after commit>".
WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from samverkan.services import NoteDraft, open_services
    services = open_services(Path(sys.argv[1]), author="Processledare")
    print("ready", flush=True)
    for line in sys.stdin:
        if line.startswith("every"):
            interval, count = float(line.split()[1]), int(line.split()[2])
            for i in range(count):
                services.notes.add(sys.argv[2], NoteDraft(f"strom {i}"))
                time.sleep(interval)
            print("done", flush=True)
            continue
        note = services.notes.add(sys.argv[2], NoteDraft(line.strip()))
        print(note.id, time.time(), flush=True)
    services.close()
    """
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(values: list[float], scale: float = 1000.0) -> dict[str, float]:
    return {
        "p50": statistics.median(values) * scale,
        "p99": percentile(values, 0.99) * scale,
        "max": max(values) * scale,
    }


class Writer:
    """The facilitator in another process."""

    def __init__(self, db: Path, meeting_id: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), meeting_id],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin, self.stdout = self.process.stdin, self.process.stdout
        if self.stdout.readline().strip() != "ready":
            raise RuntimeError("the writer process did not start")

    def commit(self, text: str) -> tuple[str, float]:
        self.stdin.write(text + "\n")
        self.stdin.flush()
        note_id, at = self.stdout.readline().split()
        return note_id, float(at)

    def stream(self, interval: float, count: int) -> None:
        self.stdin.write(f"every {interval} {count}\n")
        self.stdin.flush()

    def close(self) -> None:
        self.stdin.close()
        self.process.wait(timeout=30)


def measure_visibility(db: Path, meeting_id: str, trials: int) -> dict[str, Any]:
    services = open_services(db)
    service = ObservationService(services.database, services.clock)
    seen: dict[str, float] = {}
    polls: dict[str, list[float]] = {"idle": [], "changed": []}
    stop = threading.Event()
    cursor = service.changes_since(meeting_id, None).cursor

    def poller() -> None:
        nonlocal cursor
        while not stop.is_set():
            t0 = time.perf_counter()
            changes = service.changes_since(meeting_id, cursor)
            polls["idle" if changes.empty else "changed"].append(time.perf_counter() - t0)
            cursor = changes.cursor
            now = time.time()
            for note in changes.notes:
                seen.setdefault(note.id, now)
            stop.wait(POLL_SECONDS)

    thread = threading.Thread(target=poller, daemon=True)
    thread.start()
    writer = Writer(db, meeting_id)
    rng = random.Random(5)
    latencies: list[float] = []
    try:
        for index in range(trials):
            time.sleep(rng.uniform(0.0, POLL_SECONDS))  # anywhere in the poll cycle
            note_id, committed = writer.commit(f"synlig {index}")
            while note_id not in seen:
                time.sleep(0.002)
            latencies.append(seen[note_id] - committed)
    finally:
        stop.set()
        thread.join()
        writer.close()
        service.close()
        services.close()
    return {
        "visible_ms": summary(latencies),
        "poll_idle_ms": summary(polls["idle"]),
        "poll_changed_ms": summary(polls["changed"]),
        "trials": trials,
    }


def measure_toggle_service(services: Services, meeting_id: str, count: int) -> dict[str, float]:
    notes = services.notes.notes(meeting_id)
    codes = services.projects.meeting(meeting_id).codes
    rng = random.Random(11)
    timings: list[float] = []
    for _ in range(count):
        note, code = rng.choice(notes), rng.choice(codes)
        t0 = time.perf_counter()
        services.tags.toggle(note.id, code.id, "Bench Observer")
        services.notes.note(note.id)
        timings.append(time.perf_counter() - t0)
    return summary(timings)


async def measure_screen(db: Path, meeting_id: str, toggles: int) -> dict[str, Any]:
    services = open_services(db)
    app = make_app(services, poll_seconds=POLL_SECONDS)
    results: dict[str, Any] = {"codes": len(services.projects.meeting(meeting_id).codes)}
    opens: list[float] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        for _ in range(5):
            started = time.perf_counter()
            screen = ObserveScreen(meeting_id, "Bench Observer")
            app.push_screen(screen)
            while screen.meeting is None or not screen.stream.notes:
                await pilot.pause(0.002)
            await pilot.pause()
            opens.append(time.perf_counter() - started)
            results["notes_shown"] = len(screen.stream.notes)
            if len(opens) < 5:
                app.pop_screen()
                await pilot.pause()
        results["open_ms"] = summary(opens)
        results["open_ms"]["first"] = opens[0] * 1000
        frames: list[float] = []
        original = app._display

        def display(target: object, renderable: object) -> None:
            if renderable is not None:
                frames.append(time.perf_counter())
            original(target, renderable)  # type: ignore[arg-type]

        app._display = display  # type: ignore[method-assign]
        committed: list[float] = []
        real_set = services.tags.set

        def timed_set(*args: Any, **kwargs: Any) -> None:
            real_set(*args, **kwargs)
            committed.append(time.perf_counter())

        services.tags.set = timed_set  # type: ignore[method-assign]
        to_frame: list[float] = []
        to_commit: list[float] = []
        for index in range(toggles):
            await post_key(pilot, "3" if index % 2 else "1")
            frames.clear()
            committed.clear()
            t0 = time.perf_counter()
            await post_key(pilot, str(1 + index % 5), wait=False)
            await wait_for(lambda: bool(frames))
            to_frame.append(frames[0] - t0)
            await wait_for(lambda: bool(committed))
            to_commit.append(committed[0] - t0)
            await app.workers.wait_for_complete()
            await pilot.press("up")
        results["toggle_key_to_frame_ms"] = summary(to_frame)
        results["toggle_key_to_commit_ms"] = summary(to_commit)
        results["keys_while_notes_arrive_ms"] = await keys_while_writing(
            pilot, db, meeting_id, frames
        )
    services.close()
    return results


async def post_key(pilot: Any, key: str, *, wait: bool = True) -> None:
    pilot.app.post_message(events.Key(key, key))
    if wait:
        await pilot.pause()


async def wait_for(condition: Callable[[], bool]) -> None:
    while not condition():
        await asyncio.sleep(0)


async def keys_while_writing(
    pilot: Any, db: Path, meeting_id: str, frames: list[float]
) -> dict[str, float]:
    writer = Writer(db, meeting_id)
    writer.stream(0.1, 60)  # a note every 100 ms for about six seconds
    timings: list[float] = []
    try:
        for index in range(120):
            frames.clear()
            t0 = time.perf_counter()
            await post_key(pilot, "up" if index % 2 else "down", wait=False)
            await wait_for(lambda: bool(frames))
            timings.append(frames[0] - t0)
            await pilot.pause(0.05)
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: lines.put(writer.stdout.readline()), daemon=True).start()
        lines.get(timeout=30)
    finally:
        writer.close()
    return summary(timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.observe_bench")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--toggles", type=int, default=100)
    args = parser.parse_args(argv)
    if not args.db.exists():
        raise SystemExit(f"{args.db} is missing; run python -m bench.reference_db --out {args.db}")
    info = json.loads(Path(f"{args.db}.json").read_text("utf-8"))
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=OUT) as folder:
        scratch = Path(folder) / "observe.db"
        shutil.copyfile(args.db, scratch)
        services = open_services(scratch)
        meeting_id = info["meeting_5000_id"]
        services.meetings.reopen(meeting_id)
        services.meetings.start(meeting_id)
        figures: dict[str, Any] = {"meeting": info["meeting_5000"]}
        figures["toggle_service_ms"] = measure_toggle_service(services, meeting_id, args.toggles)
        services.close()
        figures.update(measure_visibility(scratch, meeting_id, args.trials))
        figures.update(asyncio.run(measure_screen(scratch, meeting_id, args.toggles)))
    budgets = {"visible_ms": 1000.0, "open_ms": 500.0, "keys_while_notes_arrive_ms": 33.0}
    for name, value in figures.items():
        if isinstance(value, dict):
            budget = budgets.get(name)
            worst = value["p99"] if name != "open_ms" else value["max"]
            verdict = "" if budget is None else ("ok" if worst <= budget else "OVER")
            cells = "  ".join(f"{k} {v:8.2f}" for k, v in value.items())
            print(f"{name:<28} {cells}  {'' if budget is None else f'budget {budget:g}'} {verdict}")
        else:
            print(f"{name:<28} {value}")
    (OUT / "observe_results.json").write_text(json.dumps(figures, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
