"""``samverkan run REF``: open the app straight on one meeting."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from samverkan.i18n import _


def add_commands(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    run = sub.add_parser("run", help=_("open a meeting to run it, e.g. grupp-1/2"))
    run.add_argument("ref", metavar="REF")
    return {"run": _cmd_run}


def _cmd_run(args: argparse.Namespace) -> int:
    from samverkan.cli import open_cli_services, run_app
    from samverkan.domain.model import MeetingStatus
    from samverkan.ui.app import make_app

    services = open_cli_services(args)
    try:
        meeting_id = services.projects.resolve_ref(args.ref)
        planned = services.projects.meeting(meeting_id).summary.status == MeetingStatus.PLANNED
    except BaseException:
        services.close()
        raise
    app = make_app(services)
    app.start_meeting = (meeting_id, planned)
    return run_app(app)
