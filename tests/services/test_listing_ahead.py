"""The listing read ahead in a thread is the listing, and its failure is the caller's."""

from __future__ import annotations

from pathlib import Path

import pytest

from samverkan.services.demo import build_demo
from samverkan.services.listing import list_projects, list_projects_ahead
from samverkan.store.inspection import StoreError


def test_the_listing_read_ahead_is_the_listing(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    build_demo(path)
    assert list_projects_ahead(path)() == list_projects(path)


def test_a_file_that_cannot_be_read_fails_when_the_listing_is_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(b"not a database at all" * 100)
    wait = list_projects_ahead(path)  # no exception in the thread escapes here
    with pytest.raises(StoreError):
        wait()
