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
    from contextlib import AbstractContextManager

    from samverkan.domain.series import Series
    from samverkan.store.reading import Reader

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
        help=_("write every note and its tags as CSV"),
        description=_(
            "Write every note of a project as CSV (UTF-8 with BOM; ';' between fields in "
            "Swedish, ',' in English): one row per tag, and one row with empty observer "
            "and code for each note nobody tagged. Each row names the meeting's coders, so "
            "agreement can be recomputed from the file. Cells that would start a formula "
            "get a leading apostrophe."
        ),
    )
    tags.add_argument("project", metavar="PROJECT", help=_("the project's short name"))
    _output(tags, required=True)
    _separator(tags)

    agree = sub.add_parser(
        "agreement",
        help=_("print the observers' agreement at full precision"),
        description=_(
            "Print Cohen's κ and Krippendorff's α per code and pooled, with a bootstrap 95 % "
            "interval for α, the units and the coders, computed over the facilitator's notes "
            "of the meetings two or more observers tagged."
        ),
    )
    agree.add_argument("project", metavar="PROJECT", help=_("the project's short name"))
    agree.add_argument("--meeting", type=int, metavar="N", help=_("only meeting number N"))
    agree.add_argument(
        "--format",
        dest="figures_format",
        choices=["table", "csv", "json"],
        default="table",
        help=_("how to print the figures (default: table)"),
    )
    agree.add_argument(
        "--matrix",
        type=Path,
        metavar="FILE",
        help=_(
            "also write the reliability data to FILE as CSV: one row per remark and code, "
            "one column per observer, 1 present, 0 absent, NA missing"
        ),
    )
    agree.add_argument(
        "--samples",
        type=int,
        default=10_000,
        metavar="N",
        help=_("bootstrap samples for the interval (default: 10000)"),
    )
    agree.add_argument(
        "--seed",
        default="hayes-krippendorff-2007",
        help=_("seed of the bootstrap, so reruns agree"),
    )
    _output(agree, required=False)
    _separator(agree)
    return {
        "report": _cmd_report,
        "codebook": _cmd_codebook,
        "export-tags": _cmd_export_tags,
        "agreement": _cmd_agreement,
    }


def _separator(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sep",
        choices=[",", ";", "tab"],
        help=_("field separator of the CSV (default: ';' in Swedish, ',' in English)"),
    )


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
    from samverkan.services.analysis import project_id, read_series

    # The tagged notes only counted: the report prints figures and a few quotes.
    with _reader(args) as reader:
        analysis = analyse(read_series(reader, project_id(reader, args.project), tagged=False))
    return render_report(analysis, lang=args.report_lang)


def _cmd_export_tags(args: argparse.Namespace) -> int:
    from samverkan.domain.series import paused_gc
    from samverkan.domain.tag_export import render_tags_csv

    check_target(args.output, force=args.force)
    with paused_gc():
        text = render_tags_csv(_load(args, every_note=True)[0], separator=_sep(args))
    return _deliver(args, text, _("tags written to {path}"))


def _cmd_agreement(args: argparse.Namespace) -> int:
    from samverkan.domain.agreement_export import (
        agreement_figures,
        matrix_rows,
        render_csv,
        render_json,
        render_matrix,
        render_table,
    )

    if args.samples < 1:
        raise UserError(_("--samples needs a number of 1 or more"))
    check_target(args.output, force=args.force)
    check_target(args.matrix, force=args.force)
    series, record = _load(args, with_record=args.matrix is not None)
    meetings = None
    if args.meeting is not None:
        found = [m.id for m in series.meetings if m.number == args.meeting]
        if not found:
            raise UserError(
                _("{project} has no meeting {number}").format(
                    project=series.short, number=args.meeting
                )
            )
        meetings = set(found)
    figures = agreement_figures(series, meetings=meetings, samples=args.samples, seed=args.seed)
    if args.figures_format == "json":
        text = render_json(figures)
    elif args.figures_format == "csv":
        text = render_csv(figures, separator=_sep(args))
    else:
        text = render_table(figures)
    if args.matrix is not None:
        to_file(args.matrix, render_matrix(matrix_rows(series, record, meetings=meetings)),
                force=args.force)  # fmt: skip
        print(_("reliability data written to {path}").format(path=args.matrix), file=sys.stderr)
    return _deliver(args, text, _("agreement written to {path}"))


def _sep(args: argparse.Namespace) -> str:
    from samverkan.domain.csv_safe import SEPARATORS, default_separator
    from samverkan.i18n import current_language

    return SEPARATORS[args.sep] if args.sep else default_separator(current_language())


def _cmd_codebook(args: argparse.Namespace) -> int:
    if args.codebook_command == "export":
        return _codebook_export(args)
    return _codebook_import(args)


def _codebook_export(args: argparse.Namespace) -> int:
    from samverkan import __version__
    from samverkan.domain.refiqda import export_codebook
    from samverkan.services.analysis import project_id, read_codebook

    check_target(args.output, force=args.force)
    with _reader(args) as reader:
        book = read_codebook(reader, project_id(reader, args.project))
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


def _reader(args: argparse.Namespace) -> AbstractContextManager[Reader]:
    from samverkan.cli import open_cli_reader

    return open_cli_reader(args)


def _load(
    args: argparse.Namespace, *, with_record: bool = False, every_note: bool = False
) -> tuple[Series, tuple[tuple[str, str], ...]]:
    from samverkan.services.analysis import project_id, read_record, read_series

    with _reader(args) as reader:
        project = project_id(reader, args.project)
        record = read_record(reader, project) if with_record else ()
        return read_series(reader, project, every_note=every_note), record


def _deliver(args: argparse.Namespace, text: str, done: str, **extra: object) -> int:
    output: Path | None = args.output
    if output is None:
        to_stdout(text)
        return 0
    to_file(output, text, force=args.force)
    print(done.format(path=output, **extra))
    return 0
