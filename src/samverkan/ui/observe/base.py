"""The observer screen's plumbing: its state and its three kinds of worker.

* ``load``: the meeting and all its notes, once (and again on ``r``).
* ``poll``: every ``app.poll_seconds``, what other processes changed
  (:meth:`ObservationService.changes_since`); never two at once.
* ``write``: the observer's own writes, one after another in a single
  worker, so two quick toggles of one tag land in the order pressed.

Workers do I/O and hand their result to the UI thread; handlers paint.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from textual import work
from textual.suggester import Suggester
from textual.timer import Timer

from samverkan.domain.errors import problem_sentence
from samverkan.domain.model import MeetingStatus, MeetingView, NoteView
from samverkan.domain.observing import complete_observation
from samverkan.i18n import _
from samverkan.services.observation_live import ChangeCursor, Changes
from samverkan.services.observations import ObservationService
from samverkan.ui import heap
from samverkan.ui.base import SamverkanScreen
from samverkan.ui.observe.format import NoteFilter, NoteFormatter, has_own_tag
from samverkan.ui.widgets.note_stream import NoteStream

if TYPE_CHECKING:
    pass

T = TypeVar("T")
_Job = tuple[Callable[[], Any], Callable[[Any], None], Callable[[str], None]]


def problem(exc: Exception) -> str:
    """One sentence for the user, whatever went wrong."""
    return problem_sentence(exc)


class ObservationSuggester(Suggester):
    """Completes the last ``@organisation`` or ``#code`` of the observation line."""

    def __init__(self, meeting: MeetingView) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.meeting = meeting

    async def get_suggestion(self, value: str) -> str | None:
        return complete_observation(value, self.meeting.organisations, self.meeting.codes)


class ObserveBase(SamverkanScreen):
    def __init__(self, meeting_id: str, observer: str) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.observer = " ".join(observer.split())
        self.meeting: MeetingView | None = None
        self.formatter: NoteFormatter | None = None
        self.notes: dict[str, NoteView] = {}
        self.untagged: set[str] = set()  # ids of notes without this observer's tag
        self.phase_id: str | None = None
        self.status: MeetingStatus | None = None
        self.filter = NoteFilter()
        self.filter_by_code = False  # the next code keys set the filter, not a tag
        self.pending: str | None = None  # first key of a code sequence, waiting for the second
        self.live_problem = ""
        self._tally_timer: Timer | None = None
        self._marks_timer: Timer | None = None
        self._cursor: ChangeCursor | None = None
        self._polling = False
        self._jobs: deque[_Job] = deque()
        self._jobs_lock = threading.Lock()
        self._draining = False
        self.observations: ObservationService

    @property
    def stream(self) -> NoteStream:
        return self.query_one("#observe-stream", NoteStream)

    def remember(self, notes: Iterable[NoteView]) -> None:
        """Keep the notes as they now are (and whether they still need our tag)."""
        for note in notes:
            self.notes[note.id] = note
            if has_own_tag(note, self.observer):
                self.untagged.discard(note.id)
            else:
                self.untagged.add(note.id)

    def forget(self, note_id: str) -> None:
        self.notes.pop(note_id, None)
        self.untagged.discard(note_id)

    def loaded(self, changes: Changes) -> None:
        raise NotImplementedError

    def applied(self, changes: Changes) -> None:
        raise NotImplementedError

    def refresh_panes(self) -> None:
        raise NotImplementedError

    def refresh_status(self) -> None:
        raise NotImplementedError

    def on_mount(self) -> None:
        services = self.samverkan.services
        self.observations = ObservationService(services.database, services.clock)
        self.load()
        self.set_interval(self.samverkan.poll_seconds, self._tick)

    def on_unmount(self) -> None:
        heap.release()
        self.observations.close()

    def action_reload(self) -> None:
        self.load()

    # ------------------------------------------------------------ reading

    @work(thread=True, exclusive=True, group="observe-load", exit_on_error=False)
    def load(self) -> None:
        try:
            meeting = self.samverkan.services.projects.meeting(self.meeting_id)
            changes = self.observations.changes_since(self.meeting_id, None)
        except Exception as exc:
            self._post(partial(self.samverkan.show_error, problem(exc)))
            return
        self._post(partial(self._loaded, meeting, changes))

    def _loaded(self, meeting: MeetingView, changes: Changes) -> None:
        self.meeting = meeting
        self._cursor = changes.cursor
        self.loaded(changes)
        heap.hold()

    def _tick(self) -> None:
        self.samverkan.tidy_heap()
        # Asking whether anything was committed is a pragma: no worker for an idle file.
        if (
            self._cursor is not None
            and not self._polling
            and not self.observations.unchanged(self._cursor)
        ):
            self._polling = True
            self.poll(self._cursor)

    @work(thread=True, group="observe-poll", exit_on_error=False)
    def poll(self, cursor: ChangeCursor) -> None:
        try:
            changes = self.observations.changes_since(self.meeting_id, cursor)
        except Exception as exc:
            self._post(partial(self._poll_failed, problem(exc)))
            return
        self._post(partial(self._polled, changes))

    def _polled(self, changes: Changes) -> None:
        self._polling = False
        self._cursor = changes.cursor
        recovered = bool(self.live_problem)
        self.live_problem = ""
        if (
            not changes.empty
            or recovered
            or (changes.phase_id, changes.status) != (self.phase_id, self.status)
        ):
            self.applied(changes)

    def _poll_failed(self, message: str) -> None:
        self._polling = False
        self.live_problem = _("live updates paused: {problem}").format(problem=message)

    # ------------------------------------------------------------ writing

    def write(
        self, run: Callable[[], T], done: Callable[[T], None], failed: Callable[[str], None]
    ) -> None:
        """Run ``run`` after every earlier write; then ``done(result)`` or ``failed(why)``."""
        with self._jobs_lock:
            self._jobs.append((run, done, failed))
            start, self._draining = not self._draining, True
        if start:
            self._drain()

    @work(thread=True, group="observe-writes", exit_on_error=False)
    def _drain(self) -> None:
        while True:
            with self._jobs_lock:
                if not self._jobs:
                    self._draining = False
                    return
                run, done, failed = self._jobs.popleft()
            try:
                result = run()
            except Exception as exc:
                self._post(partial(failed, problem(exc)))
            else:
                self._post(partial(done, result))
