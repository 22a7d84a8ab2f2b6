"""The app a browser observer runs: one meeting's observer screen and nothing else.

``samverkan serve`` starts one process of this module per connected browser
(``python -m samverkan.serve.observer_app``), with the database, the meeting
and the invited name in its environment, never on its command line or in the
user's config. Unlike ``samverkan observe`` there is no home screen
underneath: the observer screen is the base screen of the app's only mode,
so Esc has nothing to go back to. The command palette, screenshots, file deliveries and
opening URLs are switched off, so the only writes are the observer's own tags
and observations.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.screen import Screen

from samverkan.services import Services
from samverkan.store.location import parse_location
from samverkan.ui import app as ui_app
from samverkan.ui.app import SamverkanApp

ENV_DB = "SAMVERKAN_SERVE_DB"
ENV_MEETING = "SAMVERKAN_SERVE_MEETING"
ENV_OBSERVER = "SAMVERKAN_SERVE_OBSERVER"
ENV_POLL = "SAMVERKAN_SERVE_POLL"


class BrowserObserverApp(SamverkanApp):
    """One meeting, one observer name; no way to the rest of samverkan."""

    # The app's stylesheet, found beside SamverkanApp's module, not this one.
    CSS_PATH = str(Path(ui_app.__file__).with_name("app.tcss"))
    DEFAULT_MODE = "observe"
    ENABLE_COMMAND_PALETTE = False
    COMMANDS = set()
    # Only help; no quit key either: closing the tab ends the process.
    BINDINGS: ClassVar[list[BindingType]] = [
        *(b for b in SamverkanApp.BINDINGS if isinstance(b, Binding) and b.id == "help"),
        # Hides and disarms SamverkanApp's quit key (Textual merges the bindings).
        Binding("ctrl+q", "nothing", show=False, priority=True, system=True),
    ]

    def __init__(
        self, services: Services, meeting_id: str, observer: str, *, poll_seconds: float = 0.5
    ) -> None:
        super().__init__(services, poll_seconds=poll_seconds)
        self.meeting_id = meeting_id
        self.observer = observer
        # The observer screen is the base of the app's only mode (a mode's base screen
        # gets its stylesheet loaded; a plain default screen would not).
        self.add_mode("observe", self._observe_screen)

    def _observe_screen(self) -> Screen[Any]:
        from samverkan.ui.observe.screen import ObserveScreen

        return ObserveScreen(self.meeting_id, self.observer)

    def on_mount(self, event: events.Mount) -> None:  # type: ignore[override]
        # SamverkanApp.on_mount would push the home screen: stop it here.
        event.prevent_default()

    # Everything below could reach files or other pages; none of it is offered.
    def action_command_palette(self) -> None:
        return

    def action_quit(self) -> None:  # type: ignore[override]
        return

    def action_nothing(self) -> None:
        return

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        return

    def deliver_screenshot(self, *args: Any, **kwargs: Any) -> str | None:
        return None

    def deliver_text(self, *args: Any, **kwargs: Any) -> str | None:
        return None

    def deliver_binary(self, *args: Any, **kwargs: Any) -> str | None:
        return None

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        return

    def open_observer(self, meeting_id: str, observer: str | None = None) -> None:
        return


def main() -> int:
    """Entry point of one browser observer's process (started by the server)."""
    from samverkan.i18n import resolve_language, set_language
    from samverkan.services import open_services

    set_language(resolve_language(None))
    try:
        path = parse_location(os.environ[ENV_DB])
        meeting_id = os.environ[ENV_MEETING]
        observer = os.environ[ENV_OBSERVER]
    except KeyError as missing:
        print(f"samverkan: {missing} is not set; this process is started by 'samverkan serve'")
        return 2
    poll = float(os.environ.get(ENV_POLL) or 0.5)
    services = open_services(path, author=observer)
    try:
        BrowserObserverApp(services, meeting_id, observer, poll_seconds=poll).run()
    finally:
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
