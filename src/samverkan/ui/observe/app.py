"""``samverkan observe REF``: the app, opened straight on the observer screen.

The home screen stays underneath, so Esc leads back to the projects.
"""

from __future__ import annotations

from samverkan.services import Services
from samverkan.ui.app import SamverkanApp


class ObserverApp(SamverkanApp):
    """The usual app that opens one meeting's observer screen once it is up."""

    def __init__(self, services: Services, meeting_id: str, observer: str | None) -> None:
        super().__init__(services)
        self.start_meeting_id = meeting_id
        self.start_observer = observer

    def on_mount(self) -> None:
        # SamverkanApp.on_mount (called after this one) pushes the home screen;
        # the observer screen goes on top of it once that is done.
        self.call_after_refresh(self.open_observer, self.start_meeting_id, self.start_observer)


def run_observer(services: Services, meeting_id: str, observer: str | None) -> None:
    ObserverApp(services, meeting_id, observer).run()
