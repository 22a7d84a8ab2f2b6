"""Textual's Footer, rebuilt once for a burst of binding changes instead of once per change.

Textual's Footer rebuilds all its keys after the next refresh each time the screen
says its bindings changed, and a screen says so for every focus change, every
reactive with ``bindings=True`` and every ``refresh_bindings()``. Opening a meeting
said so six to eight times in a row; each rebuild mounts and styles some thirty
keys (15-20 ms here), so the footer alone held the interpreter for over 100 ms
while the meeting's notes waited to be read and shown. The rebuild reads the
bindings as they are when it runs, so one rebuild after the burst shows exactly
what the last of them would have.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """A Footer that coalesces the rebuilds asked for before the next refresh."""

    _rebuild_pending = False

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        await self.recompose()
