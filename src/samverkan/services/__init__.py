"""Use cases: one call is one unit of work and returns plain domain dataclasses.

The UI and the CLI talk only to :class:`Services`; neither writes SQL.

The names below are loaded on first use (PEP 562), so that light modules of
this package (``listing``) can be imported before SQLAlchemy is: the app paints
its first screen without waiting for the ORM.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from samverkan.services.core import Services, open_services
    from samverkan.services.notes import NoteDraft
    from samverkan.store.engine import DatabaseBusy

__all__ = ["DatabaseBusy", "NoteDraft", "Services", "open_services"]

_WHERE = {
    "Services": "samverkan.services.core",
    "open_services": "samverkan.services.core",
    "NoteDraft": "samverkan.services.notes",
    "DatabaseBusy": "samverkan.store.engine",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
