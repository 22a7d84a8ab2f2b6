"""``check``, ``import`` and ``new``: the files of a lärprojekt, from a blank folder to the store.

``check`` and ``import`` stand on the same plan (:func:`samverkan.domain.check.plan_import`),
so they agree on every path; ``import`` opens the database only once the files checked clean,
so a refused import leaves no database file, no lock file and no rows behind.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from samverkan.i18n import _

EXIT_OK, EXIT_INPUT = 0, 1


def add_commands(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    check = sub.add_parser("check", help=_("check project, agenda and codebook files"))
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    imp = sub.add_parser("import", help=_("import a project folder or single files"))
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp.add_argument(
        "--prune",
        action="store_true",
        help=_("remove meetings and organisations gone from the files that nothing refers to"),
    )

    new = sub.add_parser("new", help=_("write a new lärprojekt folder, ready to edit"))
    new.add_argument("folder", type=Path, metavar="FOLDER")
    new.add_argument(
        "--from",
        dest="source",
        type=Path,
        metavar="PROJECT-FOLDER",
        help=_("take the organisations, people and codebook from this project folder"),
    )
    return {"check": _cmd_check, "import": _cmd_import, "new": _cmd_new}


def _cmd_check(args: argparse.Namespace) -> int:
    from samverkan.domain.check import plan_import

    plan = plan_import(list(args.paths))
    for result in plan.checks:
        if result.problems:
            for problem in result.problems:
                print(problem)
        else:
            print(_("ok: {path}").format(path=result.path))
    return EXIT_OK if plan.ok else EXIT_INPUT


def _cmd_import(args: argparse.Namespace) -> int:
    from samverkan.cli import open_cli_services
    from samverkan.domain.check import plan_import
    from samverkan.services.importing import ImportRefused

    plan = plan_import(list(args.paths))
    try:
        if not plan.ok:
            raise ImportRefused(plan.problems)  # before the database is even opened
        if not plan.bundles:
            print(
                _(
                    "nothing to import: no project uses {paths}; import the project folder instead"
                ).format(paths=", ".join(str(p) for p in args.paths))
            )
            return EXIT_OK
        services = open_cli_services(args)
        try:
            lines = services.importer.import_plan(plan, prune=args.prune)
        finally:
            services.close()
    except ImportRefused as refused:
        for problem in refused.problems:
            print(problem, file=sys.stderr)
        raise
    labels = {
        "created": _("created"),
        "updated": _("updated"),
        "unchanged": _("unchanged"),
        "skipped": _("skipped"),
        "renamed": _("renamed"),
        "kept": _("kept"),
        "gone": _("gone from the files"),
        "removed": _("removed"),
    }
    for line in lines:
        detail = f" ({line.detail})" if line.detail else ""
        print(f"{labels.get(line.action, line.action)}: {line.what}{detail}")
    return EXIT_OK


def _cmd_new(args: argparse.Namespace) -> int:
    from samverkan.domain.new_project import write_new_project

    written = write_new_project(args.folder, args.source)
    for path in written:
        print(_("wrote {path}").format(path=path))
    print(
        _(
            "next: edit {folder}/project.md and the agendas, then run "
            "'samverkan check {folder}' and 'samverkan import {folder}'"
        ).format(folder=args.folder)
    )
    return EXIT_OK
