"""DESIGN.md's budgets, each measured as the user feels it, beside its baseline.

    python -m bench.budgets [--db PATH] [--quick] [--only NAME ...] [--json PATH]

Without ``--db`` the reference database is built into ``bench/out/`` when
missing (``--quick``: a small one, in a second or two). Each figure prints its
samples' percentiles, its baseline's from the same run, the ratio, the budget,
the verdict and the load average; the exit status is 1 when any budget is
missed. ``--quick`` (what CI runs) takes fewer samples and checks only the
ratios; it stays well under a minute.

The figures, and how each is taken:

``enter``
    Enter → note committed, in the running app (the real meeting screen,
    headless): characters are posted as key events at a typist's pace, then
    Enter; the time runs from posting Enter to the commit returning. Baseline:
    the same note and revision rows through bare ``sqlite3`` on the same file,
    one between every two notes, into another meeting: a note in the typist's own
    meeting every 60 ms would be another writer's note for the screen to fetch and
    paint at every Enter, which is not what this figure is about (three observers
    writing into the meeting is ``enter_observers``).
``enter_observers``
    the same while three observer processes tag notes of the meeting.
``key_frame``
    key posted → the frame that shows it, encoded for the terminal (the
    app's own ``render_segments``), typing in the 5,000-note meeting with all
    phases shown. Baseline: the same in a meeting without notes, in
    alternating blocks on the same app.
``visible``
    a note committed by another process → shown on the real observer screen
    (the first frame encoded for the terminal with its text in it). Baseline: a bare
    ``sqlite3`` reader polling as fast as it can, seeing the same commits.
``poll_cost``
    one observer poll that finds one new note, in the 5,000-note meeting and
    in a 100-note meeting, interleaved: the ratio must stay near 1.
``open``
    push the meeting screen of the 5,000 (and, when present, 20,000) note
    meeting → its notes shown; baseline: a meeting without notes, alternating.
``export`` / ``report``
    the whole command as a process, against ``samverkan --version``,
    alternating: wall clock and CPU seconds (user + system, ``wait4``); the
    report's peak memory is its own VmHWM at exit. The report runs over one
    project of 100 and of 500 meetings (1,000 notes and 2,000 tags each), built
    into ``bench/out/report{100,500}.db`` on first use (or symlinked there).
``startup``
    start → home screen showing the projects, in a pseudo-terminal, against a
    hello-world Textual app with a Footer, alternating, both at 120x40: until the
    screen holds a project's name and the first meeting of the project it
    highlights (its data, not an empty shell). ``--quick``: 9 pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import pty
import random
import select
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import reference_db
from bench.harness import Figure, report

OUT = Path(__file__).resolve().parent / "out"
QUICK_SIZE = reference_db.Size(projects=2, meetings=6, notes=6000, tags=6000, observers=2)
NAMES = (
    "enter",
    "enter_observers",
    "key_frame",
    "visible",
    "poll_cost",
    "open",
    "export",
    "report",
    "startup",
)
# Start-up holds at 1.3-1.4x on the quick database, also with a second job competing
# (1.28-1.42x, n = 9, load 3.6-4.3): CI guards it.
QUICK = ("enter", "poll_cost", "startup")


class Run:
    def __init__(self, db: Path, info: dict[str, Any], quick: bool) -> None:
        self.db = db
        self.info = info
        self.quick = quick
        OUT.mkdir(parents=True, exist_ok=True)
        self.scratch_dir = Path(tempfile.mkdtemp(prefix="budgets-", dir=OUT))

    def n(self, full: int, quick: int) -> int:
        return quick if self.quick else full

    def scratch(self, name: str) -> Path:
        """A fresh copy of the reference database to write to."""
        target = self.scratch_dir / f"{name}.db"
        source = sqlite3.connect(self.db)
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
            source.close()
        return target

    def close(self) -> None:
        shutil.rmtree(self.scratch_dir, ignore_errors=True)


def _ms(seconds: list[float]) -> list[float]:
    return [s * 1000 for s in seconds]


# ------------------------------------------------------------------ the running app


def _running_meeting(db: Path, ref: str) -> str:
    from samverkan.services import open_services

    services = open_services(db)
    try:
        mid = services.projects.resolve_ref(ref)
        if services.projects.meeting(mid).summary.status == "closed":
            services.meetings.reopen(mid)
        services.meetings.start(mid)
        return mid
    finally:
        services.close()


def _empty_meeting(db: Path, info: dict[str, Any]) -> str:
    """A meeting of the reference database without notes (a planned one), started."""
    sizes = info["meeting_sizes"]
    return _running_meeting(db, min(sizes, key=lambda ref: sizes[ref]))


async def _open(app: Any, screen: Any) -> float:
    """Push ``screen`` and wait (without forcing frames) until its notes are shown."""
    return (await _open_both(app, screen))[0]


async def _open_both(app: Any, screen: Any) -> tuple[float, float]:
    """Seconds until the screen shows its notes, and until it holds every note of the
    meeting (the facilitator's screen loads the rest after showing the phase's newest)."""
    from samverkan.ui.widgets.note_stream import NoteStream

    began = time.perf_counter()
    app.push_screen(screen)
    shown = None
    while True:
        await asyncio.sleep(0.001)
        if shown is None and getattr(screen, "meeting", None) is not None and screen.is_current:
            stream = screen.query(NoteStream)
            if stream and stream.first().size.height:
                shown = time.perf_counter() - began
        if shown is not None and getattr(screen, "_live_cursor", True) is not None:
            return shown, time.perf_counter() - began


class FrameTap:
    """Encodes every frame the app would send to a terminal and notes when."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.frames: list[tuple[float, str]] = []
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None:
                return
            from textual._compositor import CompositorUpdate

            if isinstance(renderable, CompositorUpdate):
                data = renderable.render_segments(app.console)
            else:
                data = app.console._render_buffer(app.console.render(renderable))
            self.frames.append((time.perf_counter(), data))

        app._display = display

    async def wait_for(self, after: float, text: str, timeout: float = 5.0) -> float:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            for at, data in self.frames:
                if at >= after and text in data:
                    return at
            await asyncio.sleep(0)
        raise TimeoutError(f"no frame with {text!r}")


async def _type(app: Any, text: str, pace: float) -> None:
    from textual import events

    for char in text:
        app.post_message(events.Key("space" if char == " " else char, char))
        await asyncio.sleep(pace)


OBSERVER = textwrap.dedent(
    """
    import random, sys, time
    from pathlib import Path
    from samverkan.services import open_services
    services = open_services(Path(sys.argv[1]))
    meeting = sys.argv[2]
    codes = [c.id for c in services.projects.meeting(meeting).codes]
    notes = [n.id for n in services.notes.notes(meeting)][-300:]
    rng = random.Random(sys.argv[3])
    print("ready", flush=True)
    while True:
        services.tags.set(rng.choice(notes), rng.choice(codes), sys.argv[3], rng.random() < 0.7)
        time.sleep(rng.uniform(0.1, 0.5))
    """
)


async def _enter_samples(
    db: Path, info: dict[str, Any], count: int, observers: int
) -> tuple[list, list]:
    from bench.run import RawInserter
    from samverkan.services import open_services
    from samverkan.ui.app import make_app
    from samverkan.ui.meeting.screen import MeetingScreen

    mid = _running_meeting(db, info["meeting_5000"])
    raw = RawInserter(db, _empty_meeting(db, info))  # the same file, another meeting
    services = open_services(db)
    app = make_app(services)
    committed: list[float] = []
    add = services.notes.add

    def timed_add(*args: Any, **kwargs: Any) -> Any:
        note = add(*args, **kwargs)
        committed.append(time.perf_counter())
        return note

    services.notes.add = timed_add  # type: ignore[method-assign]
    tagging = [
        subprocess.Popen(
            [sys.executable, "-c", OBSERVER, str(db), mid, f"observer-{n}"],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(observers)
    ]
    ours: list[float] = []
    base: list[float] = []
    try:
        for child in tagging:
            assert child.stdout is not None
            child.stdout.readline()
        async with app.run_test(size=(120, 40)) as pilot:
            screen = MeetingScreen(mid)
            await _open(app, screen)
            await pilot.pause()
            from textual import events

            writes = screen.writes
            for index in range(count + 10):
                await _type(app, f"n{index} ", 0.005)
                await asyncio.sleep(0.01)
                committed.clear()
                began = time.perf_counter()
                app.post_message(events.Key("enter", "\r"))
                while not committed:
                    await asyncio.sleep(0)
                if index >= 10:  # the first few warm the caches
                    ours.append(committed[0] - began)
                while not writes.idle():
                    await asyncio.sleep(0.001)
                await asyncio.sleep(0.01)
                began = time.perf_counter()
                raw()
                if index >= 10:
                    base.append(time.perf_counter() - began)
    finally:
        for child in tagging:
            child.kill()
            child.wait()
        raw.close()
        services.close()
    return _ms(ours), _ms(base)


def bench_enter(run: Run) -> list[Figure]:
    db = run.scratch("enter")
    ours, base = asyncio.run(_enter_samples(db, run.info, run.n(1000, 200), 0))
    return [
        Figure(
            "enter",
            "Enter → note committed (synchronous=FULL), in the running app",
            "ms",
            ours,
            base,
            "the same rows through bare sqlite3, between the notes",
            limit=5,
            ratio_limit=4,
            ratio_statistic="median",
        )
    ]


def bench_enter_observers(run: Run) -> list[Figure]:
    db = run.scratch("enter-observers")
    ours, base = asyncio.run(_enter_samples(db, run.info, run.n(1000, 200), 3))
    return [
        Figure(
            "enter_observers",
            "Enter → note committed in the running app, three observer processes tagging",
            "ms",
            ours,
            base,
            "bare sqlite3 insert in the same conditions",
            limit=10,
        )
    ]


async def _key_frames(db: Path, big_ref: str, empty: str, count: int) -> tuple[list, list]:
    from textual import events

    from samverkan.services import open_services
    from samverkan.ui.app import make_app
    from samverkan.ui.meeting.screen import MeetingScreen

    big = _running_meeting(db, big_ref)
    services = open_services(db)
    app = make_app(services)
    ours: list[float] = []
    base: list[float] = []
    letters = "abcdefghijklmnopqrstuvwxyz"
    async with app.run_test(size=(120, 40)) as pilot:
        tap = FrameTap(app)
        large = MeetingScreen(big)
        await _open(app, large)
        if not large.all_phases:
            large.action_toggle_phases()  # the whole meeting in the stream
        await pilot.pause(0.2)
        block = 50
        done = 0
        while done < count:
            for target, screen in ((ours, large), (base, None)):
                if screen is None:
                    # A popped screen is gone for good: each baseline block
                    # types into a fresh one on the meeting without notes.
                    screen = MeetingScreen(empty)
                    await _open(app, screen)
                await pilot.pause(0.2)
                for index in range(block):
                    char = letters[index % len(letters)]
                    began = time.perf_counter()
                    app.post_message(events.Key(char, char))
                    shown = await tap.wait_for(began, char)
                    target.append(shown - began)
                    tap.frames.clear()
                    await asyncio.sleep(0.02)  # a typist's pace
                    if index % 20 == 19:
                        app.post_message(events.Key("ctrl+u", None))  # keep the line short
                        await asyncio.sleep(0.05)
                if screen is not large:
                    app.pop_screen()
            done += block
    services.close()
    return _ms(ours), _ms(base)


def bench_key_frame(run: Run) -> list[Figure]:
    db = run.scratch("key-frame")
    empty = _empty_meeting(db, run.info)
    ours, base = asyncio.run(_key_frames(db, run.info["meeting_5000"], empty, run.n(1000, 200)))
    return [
        Figure(
            "key_frame",
            "key → frame encoded for the terminal with the key in it, 5,000-note meeting",
            "ms",
            ours,
            base,
            "the same keys in a meeting without notes, alternating blocks",
            limit=33,
        )
    ]


WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from samverkan.services import NoteDraft, open_services
    services = open_services(Path(sys.argv[1]))
    print("ready", flush=True)
    for line in sys.stdin:
        note = services.notes.add(sys.argv[2], NoteDraft(line.strip()))
        print(note.id, time.monotonic(), flush=True)
    """
)


async def _visible(db: Path, ref: str, count: int) -> tuple[list, list]:
    from samverkan.services import open_services
    from samverkan.ui.app import make_app
    from samverkan.ui.observe.screen import ObserveScreen

    mid = _running_meeting(db, ref)
    services = open_services(db)
    app = make_app(services)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), mid],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdin is not None and writer.stdout is not None
    writer.stdout.readline()
    raw_seen: dict[str, float] = {}
    stop = threading.Event()

    def probe() -> None:
        connection = sqlite3.connect(db, check_same_thread=False)
        last = connection.execute("SELECT max(rowid) FROM note").fetchone()[0] or 0
        while not stop.is_set():
            for rowid, note_id in connection.execute(
                "SELECT rowid, id FROM note WHERE rowid > ?", (last,)
            ).fetchall():
                raw_seen.setdefault(note_id, time.monotonic())
                last = max(last, rowid)
            time.sleep(0.001)
        connection.close()

    thread = threading.Thread(target=probe, daemon=True)
    ours: list[float] = []
    base: list[float] = []
    rng = random.Random(3)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            tap = FrameTap(app)
            screen = ObserveScreen(mid, "Bench")
            await _open(app, screen)
            await pilot.pause(0.3)
            thread.start()
            for index in range(count):
                await asyncio.sleep(rng.uniform(0.0, 0.1))  # anywhere in the poll cycle
                text = f"synlig-{index}-{rng.randrange(10**6)}"
                sent = time.perf_counter()
                writer.stdin.write(text + "\n")
                writer.stdin.flush()
                line = await asyncio.to_thread(writer.stdout.readline)
                note_id, at = line.split()
                committed = float(at)
                # The first frame encoded with the note's text in it: what the observer sees.
                frame = await tap.wait_for(sent, text, timeout=10)
                ours.append(frame + (time.monotonic() - time.perf_counter()) - committed)
                tap.frames.clear()
                deadline = time.monotonic() + 10
                while note_id not in raw_seen:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"note {index}: the bare reader never saw it")
                    await asyncio.sleep(0.001)
                base.append(raw_seen[note_id] - committed)
    finally:
        stop.set()
        writer.stdin.close()
        writer.wait(timeout=30)
        services.close()
    return _ms(ours), _ms(base)


def bench_visible(run: Run) -> list[Figure]:
    db = run.scratch("visible")
    ours, base = asyncio.run(_visible(db, run.info["meeting_5000"], run.n(1000, 100)))
    return [
        Figure(
            "visible",
            "note committed in another process → on the observer screen (5,000-note meeting)",
            "ms",
            ours,
            base,
            "bare sqlite3 reader polling every millisecond, same commits",
            limit=300,
        )
    ]


def bench_poll_cost(run: Run) -> list[Figure]:
    from bench.run import RawInserter
    from samverkan.services import open_services
    from samverkan.services.observations import ObservationService

    db = run.scratch("poll-cost")
    sizes = {ref: n for ref, n in run.info["meeting_sizes"].items() if n > 0}
    big_ref = max(sizes, key=lambda ref: sizes[ref])
    small_ref = min(sizes, key=lambda ref: sizes[ref])
    big = _running_meeting(db, big_ref)
    small = _running_meeting(db, small_ref)
    services = open_services(db)
    watchers = {mid: ObservationService(services.database, services.clock) for mid in (big, small)}
    cursors = {mid: watchers[mid].changes_since(mid, None).cursor for mid in (big, small)}
    inserters = {mid: RawInserter(db, mid) for mid in (big, small)}
    times: dict[str, list[float]] = {big: [], small: []}
    try:
        for _ in range(run.n(1000, 300)):
            for mid in (big, small):
                inserters[mid]()
                began = time.perf_counter()
                changes = watchers[mid].changes_since(mid, cursors[mid])
                times[mid].append(time.perf_counter() - began)
                assert len(changes.notes) == 1
                cursors[mid] = changes.cursor
    finally:
        for inserter in inserters.values():
            inserter.close()
        for watcher in watchers.values():
            watcher.close()
        services.close()
    return [
        Figure(
            "poll_cost",
            f"one observer poll finding one new note, {big_ref} ({sizes[big_ref]:,} notes)",
            "ms",
            _ms(times[big]),
            _ms(times[small]),
            f"the same in {small_ref} ({sizes[small_ref]:,} notes), interleaved",
            ratio_limit=1.5,
            statistic="median",
        )
    ]


async def _opens(db: Path, ref: str, empty: str, count: int) -> tuple[list, list, list]:
    from samverkan.services import open_services
    from samverkan.ui.app import make_app
    from samverkan.ui.meeting.screen import MeetingScreen

    mid = _running_meeting(db, ref)
    services = open_services(db)
    app = make_app(services)
    ours: list[float] = []
    base: list[float] = []
    whole: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(count):
            shown, complete = await _open_both(app, MeetingScreen(mid))
            ours.append(shown)
            whole.append(complete)
            app.pop_screen()
            await pilot.pause(0.05)
            base.append((await _open_both(app, MeetingScreen(empty)))[0])
            app.pop_screen()
            await pilot.pause(0.05)
    services.close()
    return ours, base, whole


def _twenty_thousand(db: Path, info: dict[str, Any]) -> str:
    """The reference's biggest meeting (10,000 notes), doubled in place: its ref."""
    ref = info["big_meeting"]
    connection = sqlite3.connect(db)
    try:
        mid = info["big_meeting_id"]
        columns = [row[1] for row in connection.execute("PRAGMA table_info(note)")]
        chosen = ", ".join("id || '-2'" if c == "id" else c for c in columns)
        with connection:
            connection.execute(
                f"INSERT INTO note ({', '.join(columns)}) SELECT {chosen} FROM note "
                "WHERE meeting_id = ? AND id NOT LIKE '%-2'",
                (mid,),
            )
        count = connection.execute(
            "SELECT count(*) FROM note WHERE meeting_id = ?", (mid,)
        ).fetchone()[0]
        assert count >= 20_000, count
    finally:
        connection.close()
    return str(ref)


def bench_open(run: Run) -> list[Figure]:
    db = run.scratch("open")
    empty = _empty_meeting(db, run.info)
    figures = []
    sizes = [("meeting_5000", 5000)]
    if not run.quick:
        run.info["meeting_20000"] = _twenty_thousand(db, run.info)
        sizes.append(("meeting_20000", 20000))
    for key, notes in sizes:
        ours, base, whole = asyncio.run(_opens(db, run.info[key], empty, run.n(20, 5)))
        figures.append(
            Figure(
                f"open_{notes}",
                f"open a meeting of {notes:,} notes: screen pushed → notes shown",
                "s",
                ours,
                base,
                "a meeting without notes, alternating",
                limit=0.5,
            )
        )
        figures.append(
            Figure(
                f"open_{notes}_all",
                f"the same until the screen holds all {notes:,} notes (loaded after showing)",
                "s",
                whole,
                note="no budget: the user reads the phase meanwhile",
            )
        )
    return figures


# The command runs under this wrapper, which writes the process's own peak resident
# set (VmHWM) when it exits: the kernel's ru_maxrss of a child also counts the
# parent's pages at the fork (here, the benchmark process itself).
_PEAK_WRAPPER = """
import atexit, runpy, sys
out = sys.argv.pop(1)
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(out, "w").write(line.split()[1])
atexit.register(peak)
runpy.run_module("samverkan", run_name="__main__")
"""


def _command(args: list[str]) -> tuple[float, float, float]:
    """Seconds, CPU seconds and peak RSS (MB) of one whole command."""
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
        began = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", _PEAK_WRAPPER, peak.name, *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - began
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"samverkan {' '.join(args)} failed: {child.stderr.read().decode()}")
        child.stderr.close()
        kilobytes = int(peak.read() or 0)
    return elapsed, usage.ru_utime + usage.ru_stime, kilobytes / 1024


def _commands(
    args: list[str], count: int
) -> tuple[list[float], list[float], list[float], list[float], list[float]]:
    """The command and ``samverkan --version`` alternating: seconds and CPU seconds of
    each, and the command's peak memory."""
    ours, base, cpu, base_cpu, memory = [], [], [], [], []
    _command(args)  # the file cache, warm
    for _ in range(count):
        seconds, used, peak = _command(args)
        ours.append(seconds)
        cpu.append(used)
        memory.append(peak)
        seconds, used, _peak = _command(["--version"])
        base.append(seconds)
        base_cpu.append(used)
    return ours, base, cpu, base_cpu, memory


def bench_export(run: Run) -> list[Figure]:
    ref = run.info["big_meeting"]
    notes = run.info["big_meeting_notes"]
    out = run.scratch_dir / "minutes.md"
    ours, base, cpu, base_cpu, _memory = _commands(
        ["--db", str(run.db), "export", ref, "-o", str(out), "--force"], run.n(10, 5)
    )
    return [
        Figure(
            "export",
            f"samverkan export of a {notes:,}-note meeting, whole command",
            "s",
            ours,
            base,
            "samverkan --version, alternating",
            limit=1.0,
        ),
        _cpu_figure("export_cpu", "export", cpu, base_cpu, 1.0),
    ]


def _cpu_figure(name: str, what: str, cpu: list[float], base: list[float], limit: float) -> Figure:
    """The same budget on the command's CPU time: what it costs on a machine of its own
    (the wall-clock figure on a loaded machine also holds the other jobs' share)."""
    return Figure(
        name,
        f"CPU seconds (user + system) of {what}",
        "s",
        cpu,
        base,
        "samverkan --version, alternating",
        limit=limit,
    )


def _series_db(meetings: int) -> tuple[Path, str]:
    """A one-project database of ``meetings`` meetings at the reference density (1,000
    notes and 2,000 tags a meeting), built into bench/out once (500 meetings: ~3 min)."""
    from samverkan.store.migrations import HEAD

    path = OUT / f"report{meetings}.db"
    size = reference_db.Size(
        projects=1, meetings=meetings, notes=1000 * meetings, tags=2000 * meetings
    )
    try:
        info = reference_db.load_info(path)
        fresh = (
            path.exists()
            and info.get("schema") == HEAD
            and info.get("generator") == reference_db.GENERATOR
            and info.get("size", {}).get("meetings") == meetings
        )
    except (OSError, ValueError):
        fresh = False
    if not fresh:
        info = reference_db.build(path, size)
    short = str(info["big_meeting"]).split("/")[0]
    return path, short


def bench_report(run: Run) -> list[Figure]:
    figures = []
    sizes = ((100, 2.0, None),) if run.quick else ((100, 2.0, None), (500, 5.0, 300.0))
    for meetings, limit, memory_limit in sizes:
        key = f"report_{meetings}"
        db, ref = _series_db(meetings)
        path = str(db)
        ours, base, cpu, base_cpu, memory = _commands(["--db", path, "report", ref], run.n(5, 3))
        figures.append(
            Figure(
                key,
                f"samverkan report over {meetings} meetings, whole command",
                "s",
                ours,
                base,
                "samverkan --version, alternating",
                limit=limit,
            )
        )
        what = f"report over {meetings} meetings"
        figures.append(_cpu_figure(f"{key}_cpu", what, cpu, base_cpu, limit))
        if memory_limit:
            figures.append(
                Figure(
                    f"{key}_memory",
                    f"peak RSS of samverkan report over {meetings} meetings",
                    "MB",
                    memory,
                    limit=memory_limit,
                )
            )
    return figures


# ------------------------------------------------------------------ start-up in a terminal

HELLO = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Footer, Static

    class Hello(App):
        BINDINGS = [("q", "quit", "Quit")]

        def compose(self):
            yield Static("Hello, World!")
            yield Footer()

    Hello().run()
    """
)


def _in_terminal(argv: list[str], markers: tuple[bytes, ...], env: dict[str, str]) -> float:
    """Seconds from spawning ``argv`` in a pseudo-terminal to every one of ``markers``
    on its screen."""
    import fcntl
    import struct
    import termios

    began = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: its terminal has its size from the start, as a real one has
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.execvpe(argv[0], argv, env)
    seen = b""
    try:
        deadline = began + 30
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                seen = (seen + chunk)[-200_000:]
                if all(marker in seen for marker in markers):
                    return time.perf_counter() - began
        raise RuntimeError(f"{argv} never showed {markers!r}")
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)


def bench_startup(run: Run) -> list[Figure]:
    env = {**os.environ, "TERM": "xterm-256color"}
    env.pop("TEXTUAL", None)
    # The home screen with its data: a project's name in the list and a meeting of the
    # project it highlights (the busiest) in the table, not an empty shell.
    data = (run.info["first_project_word"].encode(), run.info["first_meeting_word"].encode())
    ours_argv = [sys.executable, "-m", "samverkan", "--db", str(run.db)]
    hello_argv = [sys.executable, "-c", HELLO]
    ours: list[float] = []
    base: list[float] = []
    _in_terminal(ours_argv, data, env)  # the file cache, warm
    _in_terminal(hello_argv, (b"Hello",), env)
    for _ in range(run.n(15, 9)):
        ours.append(_in_terminal(ours_argv, data, env))
        base.append(_in_terminal(hello_argv, (b"Hello",), env))
    return [
        Figure(
            "startup",
            "start → home screen showing the projects, in a pseudo-terminal",
            "s",
            ours,
            base,
            "hello-world Textual app with a Footer, alternating",
            ratio_limit=1.5,
            statistic="median",
        )
    ]


BENCHMARKS: dict[str, Callable[[Run], list[Figure]]] = {
    "enter": bench_enter,
    "enter_observers": bench_enter_observers,
    "key_frame": bench_key_frame,
    "visible": bench_visible,
    "poll_cost": bench_poll_cost,
    "open": bench_open,
    "export": bench_export,
    "report": bench_report,
    "startup": bench_startup,
}


def reference(db: Path | None, quick: bool) -> tuple[Path, dict[str, Any]]:
    from samverkan.store.migrations import HEAD

    if db is not None:
        return db, _facts(db, reference_db.load_info(db))
    path = OUT / ("quick.db" if quick else "reference.db")
    try:
        info = reference_db.load_info(path)
        fresh = info.get("schema") == HEAD and info.get("generator") == reference_db.GENERATOR
    except (OSError, ValueError):
        fresh = False
    if not fresh or not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        info = reference_db.build(path, QUICK_SIZE if quick else None)
    return path, _facts(path, info)


def _facts(db: Path, info: dict[str, Any]) -> dict[str, Any]:
    """What the benchmarks need beyond the generator's sidecar."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT p.short, m.number, count(n.id) FROM meeting m JOIN project p "
            "ON p.id = m.project_id LEFT JOIN note n ON n.meeting_id = m.id GROUP BY m.id"
        ).fetchall()
        info["meeting_sizes"] = {f"{short}/{number}": notes for short, number, notes in rows}
        names = [row[0] for row in connection.execute("SELECT name FROM project")]
        # A word the home screen's project list shows and nothing else on it does.
        info["first_project_word"] = next(
            (w for n in names for w in n.split() if len(w) > 5 and w.isascii()), "samverkan"
        )
        # The home screen highlights the project with the most notes (the first of equals
        # by short name) and lists its meetings by number: the first one's longest word.
        busiest = connection.execute(
            "SELECT p.id FROM project p LEFT JOIN meeting m ON m.project_id = p.id "
            "LEFT JOIN note n ON n.meeting_id = m.id AND NOT n.deleted "
            "GROUP BY p.id ORDER BY count(n.id) DESC, p.short LIMIT 1"
        ).fetchone()
        title = connection.execute(
            "SELECT title FROM meeting WHERE project_id = ? ORDER BY number LIMIT 1", busiest
        ).fetchone()
        info["first_meeting_word"] = max((title or ("",))[0].split() or ["#"], key=len)
    finally:
        connection.close()
    info.setdefault("meeting_5000", max(info["meeting_sizes"], key=info["meeting_sizes"].get))
    return info


def compiled() -> None:
    """Compile samverkan's modules, as pip does when it installs the app: an editable
    checkout run with PYTHONDONTWRITEBYTECODE compiles every module at every start,
    which no user pays (0.05 s of ``--version`` and 0.1–0.3 s of ``export`` measured
    on a slow VM), and which would not touch the baselines, compiled at install."""
    import samverkan

    compileall.compile_dir(Path(samverkan.__file__).parent, quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.budgets", description=__doc__)
    parser.add_argument("--db", type=Path, help="a reference database (default: build one)")
    parser.add_argument("--quick", action="store_true", help="CI: fewer samples, ratios only")
    parser.add_argument("--only", nargs="+", choices=NAMES, metavar="NAME")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    names = args.only or (QUICK if args.quick else NAMES)
    db, info = reference(args.db, args.quick)
    compiled()
    run = Run(db, info, args.quick)
    print(f"reference: {db} · load average {os.getloadavg()}", flush=True)
    figures: list[Figure] = []
    try:
        for name in names:
            began = time.perf_counter()
            found = BENCHMARKS[name](run)
            for figure in found:
                print("\n".join(figure.lines(quick=args.quick)), flush=True)
            print(f"    ({name}: {time.perf_counter() - began:.1f} s)\n", flush=True)
            figures.extend(found)
    finally:
        run.close()
    print("-" * 72)
    return report(figures, quick=args.quick, json_path=args.json)


if __name__ == "__main__":
    raise SystemExit(main())
