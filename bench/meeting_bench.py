"""The facilitator's budgets, measured in the real app (headless) on the reference database.

    python -m bench.meeting_bench [--db bench/out/reference.db] [--keys 200]

- open a meeting of 5,000 notes: from pushing the meeting screen to its notes shown;
- keypress → frame while typing in that meeting: each key through ``pilot.press``,
  which returns after the app has handled the key and refreshed (an upper bound);
- Enter → note committed through the screen's write queue;
- start → home screen showing the projects, against a bare Textual app with the
  same widgets (both whole processes, median of several runs).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from textual import events
from textual.widgets import Input

from bench.run import DEFAULT_DB, OUT
from samverkan.services import open_services
from samverkan.ui.app import make_app
from samverkan.ui.meeting.screen import MeetingScreen
from samverkan.ui.widgets.note_stream import NoteStream


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def measure_meeting(db: Path, ref: str, keys: int) -> dict[str, float]:
    services = open_services(db)
    mid = services.projects.resolve_ref(ref)
    meeting = services.projects.meeting(mid)
    if meeting.summary.status == "closed":
        services.meetings.reopen(mid)
    services.meetings.start(mid)
    app = make_app(services)
    results: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        app.push_screen(MeetingScreen(mid))
        while True:
            await pilot.pause(0.005)
            screen = app.screen
            if isinstance(screen, MeetingScreen) and screen.meeting is not None:
                break
        await pilot.pause()
        results["open_s"] = time.perf_counter() - started
        results["notes_shown"] = len(app.screen.query_one("#notes", NoteStream).notes)
        await pilot.press("ctrl+a")  # all phases: the whole 5,000 in the stream
        await pilot.pause()
        note_input = app.screen.query_one("#note-input", Input)
        note_input.focus()
        await pilot.pause()
        frames: list[float] = []
        original = app._display

        def display(screen: object, renderable: object) -> None:
            if renderable is not None:
                frames.append(time.perf_counter())
            original(screen, renderable)  # type: ignore[arg-type]

        app._display = display  # type: ignore[method-assign]
        timings: list[float] = []
        text = "vi har en gemensam kartläggning med arbetsförmedlingen "
        for index in range(keys):
            char = text[index % len(text)]
            frames.clear()
            t0 = time.perf_counter()
            app.post_message(events.Key("space" if char == " " else char, char))
            while not frames:
                await asyncio.sleep(0)
            timings.append(frames[0] - t0)
            await pilot.pause(0.02)  # a typist's pace: the next key comes later
        results["key_p50_ms"] = statistics.median(timings) * 1000
        results["key_p99_ms"] = percentile(timings, 0.99) * 1000
        commits: list[float] = []
        committed: list[float] = []
        add = services.notes.add

        def timed_add(*args: object, **kwargs: object) -> object:
            note = add(*args, **kwargs)  # type: ignore[arg-type]
            committed.append(time.perf_counter())
            return note

        services.notes.add = timed_add  # type: ignore[method-assign]
        writes = app.screen.writes  # type: ignore[attr-defined]
        for index in range(300):
            note_input.value = f"Anteckning nummer {index} om samverkan"
            committed.clear()
            t0 = time.perf_counter()
            app.post_message(events.Key("enter", "\r"))
            while not committed:
                await asyncio.sleep(0)
            commits.append(committed[0] - t0)
            while not writes.idle():
                await asyncio.sleep(0)
            await pilot.pause(0.02)
        results["enter_commit_p50_ms"] = statistics.median(commits) * 1000
        results["enter_commit_p99_ms"] = percentile(commits, 0.99) * 1000
        results["enter_commit_p90_ms"] = percentile(commits, 0.90) * 1000
        results["enter_commit_max_ms"] = max(commits) * 1000
    services.close()
    return results


# Both programs report when their first frame with the project list is drawn:
# the moment a person sees the home screen. Process start-up counts for both.
FRAME_HOOK = """
def _hook(app, ready):
    original = app._display

    def display(screen, renderable):
        original(screen, renderable)
        if renderable is not None and ready(app):
            print("SHOWN", flush=True)
            app._display = original

    app._display = display
"""

STARTUP_APP = FRAME_HOOK + textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from samverkan.ui.app import SamverkanApp

    def opener():
        from samverkan.services import open_services
        return open_services(Path(sys.argv[1]))

    def ready(app):
        found = app.screen.query("#projects")
        return bool(found) and found.first().option_count > 0

    # As `samverkan` starts the app on an up-to-date database (cli._run_tui).
    app = SamverkanApp(opener, path=Path(sys.argv[1]))
    _hook(app, ready)
    app.run(headless=True)
    """
)

BARE_APP = FRAME_HOOK + textwrap.dedent(
    """
    from textual.app import App
    from textual.containers import Horizontal, Vertical
    from textual.widgets import DataTable, Footer, Header, OptionList, Static

    class Bare(App):
        def compose(self):
            yield Header()
            with Horizontal():
                with Vertical():
                    yield Static("Lärprojekt")
                    yield OptionList("grupp-1", "foretag")
                with Vertical():
                    yield Static("Meetings")
                    yield DataTable()
                    yield Static("")
            yield Footer()

    app = Bare()
    _hook(app, lambda app: True)
    app.run(headless=True)
    """
)


def measure_startup(db: Path, runs: int = 7) -> dict[str, float]:
    def timed(code: str, *args: str) -> float:
        """From starting the process to its first frame with the projects on it."""
        t0 = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        for line in child.stdout:
            if "SHOWN" in line:
                break
        elapsed = time.perf_counter() - t0
        child.kill()
        child.wait()
        return elapsed

    timed(STARTUP_APP, str(db))  # warm the file cache
    ours = statistics.median(timed(STARTUP_APP, str(db)) for _ in range(runs))
    bare = statistics.median(timed(BARE_APP) for _ in range(runs))
    return {"startup_s": ours, "bare_s": bare, "startup_ratio": ours / bare}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--keys", type=int, default=200)
    args = parser.parse_args()
    if not args.db.exists():
        raise SystemExit(f"{args.db} is missing; run python -m bench.run first")
    info = __import__("json").loads(Path(f"{args.db}.json").read_text("utf-8"))
    with tempfile.TemporaryDirectory(dir=OUT) as folder:
        scratch = Path(folder) / "meeting.db"
        shutil.copyfile(args.db, scratch)
        figures = asyncio.run(measure_meeting(scratch, info["meeting_5000"], args.keys))
    figures.update(measure_startup(args.db))
    budgets = {
        "open_s": 0.5,
        "key_p99_ms": 33,
        "enter_commit_p99_ms": 5,
        "startup_ratio": 1.5,
    }
    for name, value in figures.items():
        budget = budgets.get(name)
        verdict = "" if budget is None else ("ok" if value <= budget else "OVER")
        print(f"{name:<22} {value:10.3f}  {'' if budget is None else budget:>6}  {verdict}")


if __name__ == "__main__":
    main()
