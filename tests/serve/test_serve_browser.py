"""End to end in a real headless Chromium: the invitation link, tagging with the code
keys, an observation, Esc without a way out, and how soon the facilitator's notes show.

``samverkan serve`` runs as users start it (a subprocess, ``--port 0``), Debian's
``/usr/bin/chromium`` is driven by Playwright (no browser download), and what the
browser shows is read from xterm.js's rows: Chromium runs with ``--disable-3d-apis``
so that xterm.js draws with its DOM renderer instead of WebGL, the same text.

Under ``CI=true`` a missing browser or Playwright is a failure, not a skip:
``.ci/run`` installs Chromium.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.ui.observe_fixtures import Meeting, meeting

from samverkan.domain.model import NoteKind
from samverkan.services import NoteDraft, Services

__all__ = ["meeting"]  # the fixture, imported for pytest

CHROMIUM = os.environ.get("SAMVERKAN_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",  # tests run as root in CI
    "--disable-gpu",
    "--disable-3d-apis",  # xterm.js falls back to DOM rows we can read
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUDGET_SECONDS = 1.0  # DESIGN.md: a facilitator's note visible in a browser observer
SAMPLES = int(os.environ.get("SAMVERKAN_E2E_SAMPLES", "10"))  # more for a measurement
ROWS_JS = "() => { const r = document.querySelector('.xterm-rows'); return r ? r.innerText : ''; }"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; .ci/run installs it, so CI must have it")
    pytest.skip(reason)


@pytest.fixture
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        _unavailable(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed")
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


class Serving:
    """``samverkan serve`` in a subprocess, and the links it printed."""

    def __init__(self, db: Path, ref: str, names: list[str]) -> None:
        command = [sys.executable, "-m", "samverkan", "--db", str(db), "serve", ref]
        command += ["--port", "0", "--as-observers", *names]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "SAMVERKAN_LANG": "en"},
        )
        self.output: list[str] = []
        self.links: dict[str, str] = {}
        deadline = time.monotonic() + 60
        assert self.process.stdout is not None
        while len(self.links) < len(names):
            line = self.process.stdout.readline()
            assert line and time.monotonic() < deadline, "".join(self.output)
            self.output.append(line)
            found = re.match(r"(.+): (http://127\.0\.0\.1:\d+/join/\S+)$", line.strip())
            if found:
                self.links[found.group(1)] = found.group(2)

    def children(self) -> list[int]:
        """The observer apps running now (children of the server process)."""
        found: list[int] = []
        for task in Path(f"/proc/{self.process.pid}/task").glob("*"):
            with open(task / "children") as listing:
                found += [int(pid) for pid in listing.read().split()]
        return found

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _until(condition: Callable[[], object], seconds: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.05)


def test_an_invited_observer_works_in_chromium(
    browser: Any, imported: Services, meeting: Meeting, tmp_path: Path
) -> None:
    serving = Serving(imported.path, "grupp-1/1", ["Cecilia"])
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        link = serving.links["Cecilia"]
        base = link.split("/join/")[0]
        page.goto(link)
        assert page.url == base + "/", "the token must leave the address bar"

        def shows(text: str) -> bool:
            return text in page.evaluate(ROWS_JS)

        def footer() -> str:
            rows = [row for row in page.evaluate(ROWS_JS).splitlines() if row.strip()]
            return rows[-1] if rows else ""

        _until(lambda: shows("Alla vill ha kortare beslutsvägar"), 60, "the meeting's notes")
        # xterm.js may draw the header a frame after the notes: wait for it too.
        _until(lambda: shows("Observing grupp-1/1") and shows("Cecilia"), 30, "the header")
        assert len(serving.children()) == 1

        # Tag the selected (last) note with the code keys 2 4: korta-beslutsvagar.
        page.locator(".xterm-screen").click()
        _until(lambda: "Write" in footer(), 30, "the note list to have the focus")
        page.keyboard.press("2")
        page.keyboard.press("4")
        last = meeting.notes[-1].id

        def tagged() -> bool:
            tags = imported.notes.note(last).tags
            return [(t.slug, t.observer) for t in tags] == [("korta-beslutsvagar", "Cecilia")]

        _until(tagged, 30, "the tag in the database")
        if os.environ.get("SAMVERKAN_SCREENSHOT"):  # the README's picture
            time.sleep(1.0)
            page.screenshot(path=os.environ["SAMVERKAN_SCREENSHOT"])

        # An observation of her own, with an organisation and an inline code.
        page.keyboard.press("w")
        # The focus moves to the input only once "w" has bubbled up to the screen's
        # binding; keys sent before that reach the note list and are lost (seen here
        # under load). The footer tells: "Write" and "Tally" go when the input has it.
        _until(lambda: "Write" not in footer() and "Search codes" in footer(), 30, "input")
        page.keyboard.type("@ume Webbläsaren fungerar #samlokalisering")
        page.keyboard.press("Enter")

        def observation() -> Any:
            notes = imported.notes.notes(meeting.id)
            return next(
                (n for n in notes if n.kind == NoteKind.OBSERVATION and "Webbläsaren" in n.text),
                None,
            )

        _until(observation, 30, "the observation in the database")
        written = observation()
        assert written.text == "Webbläsaren fungerar" and written.author == "Cecilia"
        assert [t.slug for t in written.tags] == ["samlokalisering"]

        # Esc, again and again: still the observer screen of this meeting.
        for _ in range(8):
            page.keyboard.press("Escape")
            time.sleep(0.1)
        time.sleep(1.0)
        _until(
            lambda: shows("Observing grupp-1/1") and shows("Webbläsaren fungerar"),
            30,
            "the observer screen after Esc",
        )
        assert page.url == base + "/"
        assert len(serving.children()) == 1

        # The facilitator writes; how soon does the browser show it?
        phase = imported.meetings.clock(meeting.id).phase_id
        delays = []
        for number in range(SAMPLES):
            text = f"Mätpunkt {number} zebrafink"
            # The list keeps the selected note in view; select the newest, so the next
            # one arrives in view (past a screenful it would arrive below the fold).
            page.keyboard.press("End")
            time.sleep(0.3)
            start = time.perf_counter()
            imported.notes.add(meeting.id, NoteDraft(text, phase_id=phase))
            _until(lambda text=text: shows(text), 30, text)
            delays.append(time.perf_counter() - start)
            time.sleep(0.2)
        delays.sort()
        load = os.getloadavg()[0]
        print(
            f"\nfacilitator note -> visible in Chromium, n={SAMPLES}: "
            f"p50 {statistics.median(delays) * 1000:.0f} ms, "
            f"max {delays[-1] * 1000:.0f} ms (budget {BUDGET_SECONDS * 1000:.0f} ms), "
            f"load average {load:.1f}"
        )
        # Timing is reported, not asserted tightly: the machine may be loaded.
        assert statistics.median(delays) < 10 * BUDGET_SECONDS

        outside = [u for u in requests if not u.startswith(base + "/")]
        assert outside == [], f"requests left the server: {outside}"

        # Closing the tab ends the observer's process.
        page.close()
        _until(lambda: not serving.children(), 30, "the observer's process to end")
    finally:
        serving.stop()


def test_a_revoked_link_shows_a_refusal(browser: Any, imported: Services, meeting: Meeting) -> None:
    from samverkan.services.invitations import InvitationService

    serving = Serving(imported.path, "grupp-1/1", ["Anders"])
    try:
        InvitationService(imported.database, imported.clock).revoke(meeting.id, "Anders")
        page = browser.new_page()
        response = page.goto(serving.links["Anders"])
        assert response is not None and response.status == 403
        assert "not valid" in page.content()
        assert serving.children() == []
    finally:
        serving.stop()
