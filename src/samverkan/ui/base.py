"""What every samverkan screen shares: typed access to the app and its services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from samverkan.ui.app import SamverkanApp


class SamverkanScreen(Screen[None]):
    @property
    def samverkan(self) -> SamverkanApp:
        """The app, typed: its services, clock and error display."""
        from samverkan.ui.app import SamverkanApp

        assert isinstance(self.app, SamverkanApp)
        return self.app
