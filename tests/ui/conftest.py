"""UI fixtures: a fixed clock, no cursor blink, a recorded meeting to open."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from samverkan.domain.clock import ManualClock
from samverkan.services import Services
from samverkan.ui.app import SamverkanApp, make_app


@pytest.fixture(autouse=True)
def _no_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture
def app(imported: Services, clock: ManualClock) -> SamverkanApp:
    return make_app(imported, clock)


def meeting_id(services: Services, ref: str) -> str:
    return services.projects.resolve_ref(ref)
