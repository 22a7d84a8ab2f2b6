"""Analysis: codes × meetings (or × organisations) across a project's series.

The series is read and analysed in a worker, which posts :class:`AnalysisScreen.Loaded`;
the handler paints. Moving over the matrix shows, beside it, the remarks behind the
cell (meeting, phase, organisation, observers), the code's trend over the meetings
and its observer agreement. Sorting, the polarity and dimension filters and the
text filter only repaint the matrix from the analysis already in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from samverkan.domain.agreement import Agreement
from samverkan.domain.analysis import Analysis, View, filter_codes, sort_codes
from samverkan.domain.errors import problem_sentence
from samverkan.domain.model import CodeView, Polarity
from samverkan.i18n import _
from samverkan.ui.analysis.format import (
    MAX_REMARKS,
    agreement_line,
    cell_title,
    code_agreement_line,
    column_label,
    polarity_mark,
    remark_prompt,
    status_line,
    totals_lines,
    trend_bars,
    trend_title,
)
from samverkan.ui.base import SamverkanScreen
from samverkan.ui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    pass

POLARITIES: tuple[Polarity | None, ...] = (None, *Polarity)
LABEL, TOTAL = "label", "total"
NO_ORGANISATION = "-"  # column key of remarks without an organisation


class AnalysisScreen(SamverkanScreen):
    CSS_PATH = "screen.tcss"
    BINDINGS = [
        Binding("escape", "back", _("Back"), tooltip=_("Back to the projects"), id="analysis.back"),
        Binding(
            "v",
            "toggle_view",
            _("Meetings/organisations"),
            tooltip=_("Show codes by meeting or by organisation"),
            id="analysis.view",
        ),
        Binding(
            "s",
            "toggle_sort",
            _("Sort"),
            tooltip=_("Sort codes by total or in codebook order"),
            id="analysis.sort",
        ),
        Binding(
            "p",
            "cycle_polarity",
            _("Polarity"),
            tooltip=_("Show all codes, only success factors, obstacles or ambivalent codes"),
            id="analysis.polarity",
        ),
        Binding(
            "d",
            "cycle_dimension",
            _("Dimension"),
            tooltip=_("Show the codes of one dimension at a time"),
            id="analysis.dimension",
        ),
        Binding(
            "slash",
            "focus_filter",
            _("Filter"),
            tooltip=_("Filter the codes by label, slug or description"),
            id="analysis.filter",
        ),
        Binding(
            "r", "reload", _("Reload"), tooltip=_("Read the series again"), id="analysis.reload"
        ),
    ]

    @dataclass
    class Loaded(Message):
        """The worker read and analysed the series."""

        analysis: Analysis

    @dataclass
    class AgreementReady(Message):
        """The worker computed the observer agreement, after the matrix was shown."""

        agreement: Agreement

    @dataclass
    class Failed(Message):
        message: str

    def __init__(self, project_id: str) -> None:
        super().__init__()
        self.project_id = project_id
        self.analysis: Analysis | None = None
        self.agreement: Agreement | None = None
        self.view = View.MEETINGS
        self.by_total = False
        self.polarity: Polarity | None = None
        self.dimension: str | None = None
        self.text_filter = ""
        self.shown: tuple[CodeView, ...] = ()
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        with Horizontal(id="analysis-bar"):
            yield Input(placeholder=_("Filter codes (/)"), id="analysis-filter")
            yield Static("", id="analysis-status")
        with Horizontal(id="analysis-body"):
            # The code's name stays in view when the meetings scroll sideways.
            yield DataTable(id="matrix", cursor_type="cell", zebra_stripes=True, fixed_columns=1)
            with Vertical(id="analysis-side"):
                yield Static(_("Loading the series…"), id="cell-title", classes="pane-title")
                yield OptionList(id="remarks")
                yield Static("", id="trend-title", classes="pane-title")
                yield Static("", id="trend")
                yield Static("", id="code-agreement")
        yield Static("", id="analysis-totals")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#matrix", DataTable).focus()
        self.load()

    # ------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, group="analysis-load", exit_on_error=False)
    def load(self) -> None:
        from samverkan.domain.analysis import analyse
        from samverkan.services.analysis import AnalysisService

        try:
            series = AnalysisService(self.samverkan.services.database).series(self.project_id)
            analysis = analyse(series)
            self.post_message(self.Loaded(analysis))
            # The matrix first: agreement figures follow a moment later.
            self.post_message(self.AgreementReady(analysis.agreement))
        except Exception as exc:  # shown as one sentence, never a traceback
            self.post_message(self.Failed(problem_sentence(exc)))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.analysis = event.analysis
        self.agreement = None
        self.sub_title = event.analysis.series.name
        self.refresh_matrix()
        self._show_totals()

    @on(AgreementReady)
    def _agreement_ready(self, event: AgreementReady) -> None:
        self.agreement = event.agreement
        self._show_totals()
        self.show_cell()

    def _show_totals(self) -> None:
        if self.analysis is None:
            return
        lines = [*totals_lines(self.analysis), agreement_line(self.agreement)]
        self.query_one("#analysis-totals", Static).update(Text("\n").join(lines))

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.query_one("#cell-title", Static).update(_("The series could not be read."))
        self.samverkan.show_error(event.message)

    # ------------------------------------------------------------ the matrix

    def refresh_matrix(self) -> None:
        analysis = self.analysis
        if analysis is None:
            return
        matrix = analysis.matrix(self.view)
        codes = filter_codes(
            matrix.codes, polarity=self.polarity, dimension=self.dimension, text=self.text_filter
        )
        self.shown = sort_codes(codes, matrix.row_totals, by_total=self.by_total)
        table = self.query_one("#matrix", DataTable)
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        table.add_column(_("Code"), key=LABEL, width=30)
        table.add_column("Σ", key=TOTAL, width=4)
        for column in matrix.columns:
            label = column_label(analysis, self.view, column)
            table.add_column(label, key=column or NO_ORGANISATION, width=max(3, len(label)))
        for code in self.shown:
            cells: list[str | Text] = [
                Text.assemble(polarity_mark(code.polarity), code.label),
                str(matrix.row_totals.get(code.id, 0)),
            ]
            cells += [str(n) if n else "·" for n in matrix.row(code.id)]
            table.add_row(*cells, key=code.id)
        self.query_one("#analysis-status", Static).update(
            status_line(self.view, self.by_total, self.polarity, self.dimension, len(self.shown))
        )
        if self.shown:
            table.move_cursor(
                row=min(cursor.row, len(self.shown) - 1),
                column=min(max(cursor.column, 1), len(matrix.columns) + 1),
            )
        self.show_cell()

    @on(DataTable.CellHighlighted, "#matrix")
    def _cell_highlighted(self) -> None:
        self.show_cell()

    def show_cell(self) -> None:
        """The remarks, trend and agreement of the code and column under the cursor."""
        analysis = self.analysis
        if analysis is None:
            return
        table = self.query_one("#matrix", DataTable)
        remarks_list = self.query_one("#remarks", OptionList)
        remarks_list.clear_options()
        if not self.shown or table.row_count == 0:
            self.query_one("#cell-title", Static).update(_("No code matches the filter."))
            self.query_one("#trend", Static).update("")
            self.query_one("#trend-title", Static).update("")
            self.query_one("#code-agreement", Static).update("")
            return
        row, column = table.cursor_coordinate
        code = self.shown[min(row, len(self.shown) - 1)]
        matrix = analysis.matrix(self.view)
        key = matrix.columns[column - 2] if column >= 2 else None
        view = self.view if column >= 2 else None
        remarks = analysis.remarks_behind(code.id, view, key)
        self.query_one("#cell-title", Static).update(
            cell_title(analysis, code, view, key, len(remarks))
        )
        options = [Option(remark_prompt(analysis, r, code.id)) for r in remarks[:MAX_REMARKS]]
        if len(remarks) > MAX_REMARKS:
            more = _("… and {count} more").format(count=len(remarks) - MAX_REMARKS)
            options.append(Option(Text(more, style="dim"), disabled=True))
        remarks_list.add_options(options)
        trend = analysis.trend(code.id)
        self.query_one("#trend-title", Static).update(trend_title(trend))
        self.query_one("#trend", Static).update(trend_bars(trend))
        self.query_one("#code-agreement", Static).update(
            code_agreement_line(self.agreement, code.id)
        )

    # ------------------------------------------------------------ actions

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#matrix", DataTable).focus()
            return
        self.dismiss()

    def action_toggle_view(self) -> None:
        self.view = View.ORGANISATIONS if self.view is View.MEETINGS else View.MEETINGS
        self.refresh_matrix()

    def action_toggle_sort(self) -> None:
        self.by_total = not self.by_total
        self.refresh_matrix()

    def action_cycle_polarity(self) -> None:
        self.polarity = POLARITIES[(POLARITIES.index(self.polarity) + 1) % len(POLARITIES)]
        self.refresh_matrix()

    def action_cycle_dimension(self) -> None:
        if self.analysis is None:
            return
        dimensions: list[str | None] = [None]
        dimensions += list(dict.fromkeys(c.dimension for c in self.analysis.series.codes))
        index = dimensions.index(self.dimension) if self.dimension in dimensions else 0
        self.dimension = dimensions[(index + 1) % len(dimensions)]
        self.refresh_matrix()

    def action_focus_filter(self) -> None:
        self.query_one("#analysis-filter", Input).focus()

    def action_reload(self) -> None:
        self.load()

    @on(Input.Changed, "#analysis-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        # Debounced: typing must not rebuild the matrix on every key.
        if self._debounce is not None:
            self._debounce.stop()
        value = event.value
        self._debounce = self.set_timer(0.2, lambda: self._apply_filter(value))

    @on(Input.Submitted, "#analysis-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._apply_filter(event.value)
        self.query_one("#matrix", DataTable).focus()

    def _apply_filter(self, value: str) -> None:
        if value != self.text_filter:
            self.text_filter = value
            self.refresh_matrix()
