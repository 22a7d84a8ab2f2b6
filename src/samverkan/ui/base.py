"""What every samverkan screen shares: typed access to the app and its services."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events, on
from textual.screen import Screen
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from textual.app import App

    from samverkan.ui.app import SamverkanApp


class SamverkanScreen(Screen[None]):
    # Callbacks waiting for this screen's next frame (see call_after_frame).
    _after_frame: list[Callable[[], object]] | None = None
    _resumed_once = False

    @property
    def samverkan(self) -> SamverkanApp:
        """The app, typed: its services, clock and error display."""
        from samverkan.ui.app import SamverkanApp

        assert isinstance(self.app, SamverkanApp)
        return self.app

    def call_after_frame(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once this screen's next frame has been drawn for the terminal.

        Unlike ``call_after_refresh`` (which runs when the screen is idle, frame or not),
        this waits for a frame: work that would compete with painting the first one
        (the ORM's import) starts after it."""
        if self._after_frame is None:
            self._after_frame = []
        self._after_frame.append(callback)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # The first resume comes right after the screen was composed and each widget
        # styled as it mounted: Textual's restyle of every node then changes nothing
        # (~7 ms of the home screen's start).
        if not self._resumed_once:
            self._resumed_once = True
            event.refresh_styles = False
        super()._on_screen_resume(event)

    def _compositor_refresh(self) -> None:
        # Textual 8.2 renders a screen whose layout changed during a batch update (all of
        # the app's start-up is one) and then drops the frame unseen in App._display: at
        # start the whole home screen was rendered twice (~45 ms). Render once the batch
        # is over instead; SamverkanApp._end_batch asks for that repaint.
        if self.app._batch_count:
            self._repaint_required = True
            return
        super()._compositor_refresh()
        if self._after_frame and self is self.app.screen:
            callbacks, self._after_frame = self._after_frame, None
            for callback in callbacks:
                self.call_later(callback)

    def _post(self, callback: Callable[[], None]) -> None:
        """From a thread worker: run ``callback`` on the UI thread, unless the worker was
        cancelled or the app or this screen is closing (no one is left to paint)."""
        if get_current_worker().is_cancelled:
            return
        try:
            self.app.call_from_thread(callback)
        except Exception:
            return

    @on(events.Unmount)
    def _release_render_caches(self) -> None:
        release_render_caches()
        # After the screen's widgets have closed: drop the app's watchers of them.
        self.app.call_later(forget_closed_watchers, self.app)


def release_render_caches() -> None:
    """Let a closed screen's widgets go.

    Textual 8.2 memoises ``StylesCache.get_inner_outer`` with ``lru_cache`` on
    the instance, so the 1,024 most recent widgets' style caches (and every
    line they rendered) outlive their screens: about 3 MB for each meeting
    opened and closed until the cache is full. The cache only saves a colour
    sum; emptying it when a screen goes costs nothing measurable.
    """
    try:
        from textual._styles_cache import StylesCache

        StylesCache.get_inner_outer.cache_clear()
    except (ImportError, AttributeError):  # a Textual without the memo: nothing to do
        pass


def forget_closed_watchers(app: App[object]) -> None:
    """Let closed widgets go that watch a widget still open.

    Textual drops a closed widget's watcher only when the watched value
    changes: until then a ``Header`` keeps itself alive through the app's
    title, and every ``FooterKey`` a footer ever composed (the footer below
    recomposes whenever a screen comes or goes) through the footer's
    ``compact``. Pruning those lists here keeps a day of meetings flat.
    """
    nodes: list[object] = [app]
    for screen in app.screen_stack:
        nodes.append(screen)
        nodes.extend(screen.walk_children())
    for node in nodes:
        watchers = getattr(node, "__watchers", None)
        if not isinstance(watchers, dict):
            continue
        for entries in watchers.values():
            entries[:] = [
                (watcher, callback)
                for watcher, callback in entries
                if not (getattr(watcher, "_closing", False) or getattr(watcher, "_closed", False))
            ]
