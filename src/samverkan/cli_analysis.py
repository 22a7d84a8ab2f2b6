"""``report``, ``codebook export|import`` and ``export-tags``: the analysis across meetings.

Imported whenever the parser is built, so only argparse-level things are imported
at the top; the database, the analysis and the writers load inside the handlers.
Files are written atomically and never over an existing file without ``--force``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from samverkan.cli_output import check_target, to_file, to_stdout
from samverkan.domain.errors import UserError
from samverkan.i18n import _

if TYPE_CHECKING:
    from samverkan.domain.series import Series

Handler = Callable[[argparse.Namespace], int]


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Handler]:
    report = sub.add_parser(
        "report",
        help=_("write the report for the steering group"),
        description=_(
            "Write the report for the steering group as Markdown: recurring success factors "
            "and obstacles, differences between organisations, participation, decisions, "
            "action items and observer agreement, across all meetings of a project."
        ),
    )
    report.add_argument("project", metavar="PROJECT", help=_("the project's short name"))
    _output(report, required=False)
    # Its own dest: the global --lang sets the interface, this one the report.
    report.add_argument(
        "--lang",
        dest="report_lang",
        choices=["sv", "en"],
        help=_("language of the report (default: the project's)"),
    )

    codebook = sub.add_parser(
        "codebook",
        help=_("exchange a codebook with QDA tools (REFI-QDA .qdc)"),
        description=_(
            "Export a project's codebook as a REFI-QDA codebook (.qdc) for QualCoder, "
            "ATLAS.ti, MAXQDA or NVivo, or import one as a samverkan codebook file."
        ),
    )
    actions = codebook.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)
    export = actions.add_parser("export", help=_("write the project's codebook as .qdc"))
    export.add_argument("project", metavar="PROJECT", help=_("the project's short name"))
    _output(export, required=True)
    imp = actions.add_parser("import", help=_("read a .qdc file into a codebook file"))
    imp.add_argument(
        "source",
        type=Path,
        metavar="FILE.qdc",
        help=_("the REFI-QDA codebook to read (a .qdc file, or the project.qde of a .qdpx)"),
    )
    _output(imp, required=False)

    tags = sub.add_parser(
        "export-tags",
        help=_("write every tagged remark as CSV"),
        description=_(
            "Write every tagged remark of a project as CSV (UTF-8 with BOM, comma-separated), "
            "one row per tag: meeting, phase, organisation, observer, code, dimension, "
            "polarity, text and time."
        ),
    )
    tags.add_argument("project", metavar="PROJECT", help=_("the project's short name"))
    _output(tags, required=True)
    return {"report": _cmd_report, "codebook": _cmd_codebook, "export-tags": _cmd_export_tags}


def _output(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        required=required,
        help=_("write to FILE") if required else _("write to FILE, not to standard output"),
    )
    parser.add_argument("--force", action="store_true", help=_("overwrite FILE if it exists"))


# ------------------------------------------------------------------ handlers


def _cmd_report(args: argparse.Namespace) -> int:
    from samverkan.domain.series import paused_gc

    check_target(args.output, force=args.force)
    # The series (up to 100,000 remarks, no cycles) is freed by reference counting
    # when _report_text returns, before the collector runs again.
    with paused_gc():
        text = _report_text(args)
    return _deliver(args, text, _("report written to {path}"))


def _report_text(args: argparse.Namespace) -> str:
    from samverkan.domain.analysis import analyse
    from samverkan.domain.report import render_report

    return render_report(analyse(_load_series(args)), lang=args.report_lang)


def _cmd_export_tags(args: argparse.Namespace) -> int:
    from samverkan.domain.series import paused_gc
    from samverkan.domain.tag_export import render_tags_csv

    check_target(args.output, force=args.force)
    with paused_gc():
        text = render_tags_csv(_load_series(args))
    return _deliver(args, text, _("tags written to {path}"))


def _cmd_codebook(args: argparse.Namespace) -> int:
    if args.codebook_command == "export":
        return _codebook_export(args)
    return _codebook_import(args)


def _codebook_export(args: argparse.Namespace) -> int:
    from samverkan import __version__
    from samverkan.cli import open_cli_services
    from samverkan.domain.refiqda import export_codebook
    from samverkan.services.analysis import AnalysisService

    check_target(args.output, force=args.force)
    services = open_cli_services(args)
    try:
        analysis = AnalysisService(services.database)
        book = analysis.codebook(services.projects.project_id(args.project))
    finally:
        services.close()
    text = export_codebook(
        book.short, book.codes, lang=book.lang, origin=f"samverkan {__version__}"
    )
    return _deliver(args, text, _("codebook written to {path}"))


def _codebook_import(args: argparse.Namespace) -> int:
    from samverkan.domain.refiqda_import import import_codebook

    source: Path = args.source
    check_target(args.output, force=args.force)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise UserError(
            _("cannot read {path} ({reason})").format(path=source, reason=exc.strerror or exc)
        ) from exc
    try:
        imported = import_codebook(data)
    except UserError as exc:
        raise UserError(f"{source}: {exc}") from exc
    for warning in imported.warnings:
        print(_("warning: {message}").format(message=warning), file=sys.stderr)
    message = _("codebook with {count} codes written to {path}")
    return _deliver(args, imported.text, message, count=imported.codes)


# ------------------------------------------------------------------ shared


def _load_series(args: argparse.Namespace) -> Series:
    from samverkan.cli import open_cli_services
    from samverkan.services.analysis import AnalysisService

    services = open_cli_services(args)
    try:
        project_id = services.projects.project_id(args.project)
        return AnalysisService(services.database).series(project_id)
    finally:
        services.close()


def _deliver(args: argparse.Namespace, text: str, done: str, **extra: object) -> int:
    output: Path | None = args.output
    if output is None:
        to_stdout(text)
        return 0
    to_file(output, text, force=args.force)
    print(done.format(path=output, **extra))
    return 0
