"""Home: the projects and their meetings; where every session starts."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from samverkan.domain.errors import problem_sentence
from samverkan.domain.labels import status_label
from samverkan.domain.overview import MeetingStatus, MeetingSummary, ProjectSummary
from samverkan.i18n import _, pgettext
from samverkan.ui.base import SamverkanScreen
from samverkan.ui.home.meeting_table import MeetingTable
from samverkan.ui.home.project_list import ProjectList
from samverkan.ui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    pass


class HomeScreen(SamverkanScreen):
    # Its stylesheet, screen.tcss beside this file, is in SamverkanApp.CSS_PATH: the
    # home screen is the app's default screen, whose CSS_PATH Textual does not read.
    BINDINGS = [
        Binding(
            "enter",
            "open_meeting",
            _("Open"),
            tooltip=_("Open the highlighted meeting to run it"),
            id="open-meeting",
        ),
        Binding(
            "s",
            "setup",
            _("Attendance"),
            tooltip=_("Attendance, agenda and open action items of the meeting"),
            id="home-setup",
        ),
        Binding(
            "o",
            "observe",
            _("Observe"),
            tooltip=_("Observe the highlighted meeting and tag remarks"),
            id="observe",
        ),
        Binding(
            "e",
            "minutes",
            _("Minutes"),
            tooltip=_("Preview and save the meeting's minutes"),
            id="home-minutes",
        ),
        Binding(
            "a",
            "analysis",
            _("Analysis"),
            tooltip=_("Analyse the project's meetings"),
            id="analysis",
        ),
        Binding("r", "refresh", _("Refresh"), tooltip=_("Read the projects again"), id="refresh"),
        Binding(
            "tab", "app.focus_next", _("Next pane"), show=False, tooltip=_("Move to the next pane")
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.projects: list[ProjectSummary] = []

    def compose(self) -> ComposeResult:
        # Header's look (the app's title — the database) in one widget: Textual's Header
        # is four, each styled and laid out before the first frame.
        yield Static(id="title-bar")
        with Horizontal(id="panes"):
            with Vertical(id="projects-pane"):
                yield Static(_("Learning projects"), classes="pane-title")
                yield ProjectList(id="projects")
            with Vertical(id="meetings-pane"):
                yield Static(_("Meetings"), classes="pane-title", id="meetings-title")
                yield MeetingTable(
                    [
                        ("#", 2),
                        (_("Date"), 10),
                        (_("Host"), 4),
                        (_("Status"), 8),
                        (pgettext("column heading, 5 letters", "Notes"), 5),
                        (_("Title"), 12),  # and the width the others leave
                    ],
                    id="meetings",
                )
                yield Static("", id="project-detail", classes="muted")
        yield Static("", id="empty", classes="empty-state")
        yield KeyFooter()

    def on_mount(self) -> None:
        # The file's name only: the full path is long; `samverkan list` and --db show it.
        # A server database shows its URL, without any password.
        where = self.samverkan.db_path
        self.sub_title = where.name if isinstance(where, Path) else str(where)
        self.query_one("#title-bar", Static).update(
            self.app.format_title(self.app.title, self.sub_title)
        )
        if self.samverkan.services_ready() or not isinstance(where, Path):
            self.load_projects()
            return
        # First start: list with the light reader (a few ms, no ORM; read ahead while the
        # app started, if it was) so the very first frame shows the projects; the
        # services open once it is on screen.
        listing, self.samverkan.first_listing = self.samverkan.first_listing, None
        if listing is None:
            from samverkan.services.listing import list_projects

            listing = partial(list_projects, where)
        try:
            self.show_projects(listing())
        except Exception as exc:  # one sentence, never a traceback
            self.samverkan.show_error(problem_sentence(exc))
        # Counted from the first frame, not from mount or the first refresh: the import
        # holds the GIL, and on a busy machine a timer started earlier fired before the
        # first frame was out.
        self.call_after_frame(lambda: self.set_timer(0.25, self.open_services))

    def title_bar_text(self) -> str:
        """What the title bar shows: the app's title and the database."""
        return str(self.query_one("#title-bar", Static).content)

    def action_refresh(self) -> None:
        self.load_projects()

    def on_screen_resume(self) -> None:
        # Coming back from a meeting: its status and note count have changed.
        if self.projects:
            self.load_projects()

    def action_open_meeting(self) -> None:
        from samverkan.ui.meeting.screen import MeetingScreen
        from samverkan.ui.meeting.setup import MeetingSetupScreen

        meeting = self.selected_meeting()
        if meeting is None:
            return
        if meeting.status == MeetingStatus.PLANNED:
            self.app.push_screen(MeetingSetupScreen(meeting.id))
        else:
            self.app.push_screen(MeetingScreen(meeting.id))

    def action_setup(self) -> None:
        from samverkan.ui.meeting.setup import MeetingSetupScreen

        meeting = self.selected_meeting()
        if meeting is not None:
            self.app.push_screen(MeetingSetupScreen(meeting.id))

    def action_observe(self) -> None:
        meeting = self.selected_meeting()
        if meeting is not None:
            self.samverkan.open_observer(meeting.id)

    def action_minutes(self) -> None:
        from samverkan.ui.minutes.screen import MinutesScreen

        meeting = self.selected_meeting()
        if meeting is not None:
            self.app.push_screen(MinutesScreen(meeting.id))

    def action_analysis(self) -> None:
        from samverkan.ui.analysis.screen import AnalysisScreen

        option_list = self.query_one("#projects", ProjectList)
        if option_list.highlighted is not None and self.projects:
            self.app.push_screen(AnalysisScreen(self.projects[option_list.highlighted].id))

    @on(MeetingTable.RowSelected, "#meetings")
    def _meeting_selected(self) -> None:
        self.action_open_meeting()

    @work(thread=True, exclusive=True, group="home-load")
    def load_projects(self) -> None:
        app = self.samverkan
        try:
            projects = app.services.projects.list_projects()
        except Exception as exc:  # one sentence, never a traceback
            self.app.call_from_thread(app.show_error, problem_sentence(exc))
            return
        self.app.call_from_thread(self.show_projects, projects)

    @work(thread=True, exclusive=True, group="home-open")
    def open_services(self) -> None:
        """Open the database and import the ORM while the user reads the list; not
        before the first frame, or the import would compete with painting it."""
        try:
            self.samverkan.services  # noqa: B018
        except Exception as exc:  # one sentence, never a traceback
            self.app.call_from_thread(self.samverkan.show_error, problem_sentence(exc))

    def show_projects(self, projects: list[ProjectSummary]) -> None:
        self.projects = projects
        option_list = self.query_one("#projects", ProjectList)
        highlighted = option_list.highlighted
        option_list.set_entries([(p.short, p.name) for p in projects])
        empty = not projects
        self.query_one("#panes").display = not empty
        self.query_one("#empty", Static).display = empty
        if empty:
            self.query_one("#empty", Static).update(
                _(
                    "No lärprojekt yet.\n\n"
                    "Import one from its folder of Markdown files:\n"
                    "    samverkan import PATH/TO/PROJECT-FOLDER\n\n"
                    "or try the demo with two recorded meetings:\n"
                    "    samverkan demo"
                )
            )
            return
        if highlighted is None:
            # First view: the project where something has happened (the demo's recorded one).
            busiest = max(
                range(len(projects)), key=lambda i: sum(m.notes for m in projects[i].meetings)
            )
            highlighted = busiest
        option_list.highlighted = min(highlighted, len(projects) - 1)
        if self.focused is None:  # first load; afterwards the focus stays where it was
            option_list.focus()
        self.show_meetings(projects[option_list.highlighted or 0])

    @on(ProjectList.Highlighted, "#projects")
    def _project_highlighted(self, event: ProjectList.Highlighted) -> None:
        if 0 <= event.index < len(self.projects):
            self.show_meetings(self.projects[event.index])

    @on(ProjectList.Selected, "#projects")
    def _project_selected(self) -> None:
        self.query_one("#meetings", MeetingTable).focus()

    def show_meetings(self, project: ProjectSummary) -> None:
        table = self.query_one("#meetings", MeetingTable)
        table.set_rows([self._cells(meeting) for meeting in project.meetings], table.cursor_row)
        self.query_one("#meetings-title", Static).update(
            _("Meetings of {short}").format(short=project.short)
        )
        orgs = ", ".join(o.short for o in project.organisations)
        details = [_("Organisations: {orgs}").format(orgs=orgs)]
        if project.facilitator:
            details.append(_("Facilitator: {name}").format(name=project.facilitator))
        if project.observers:
            details.append(_("Observers: {names}").format(names=", ".join(project.observers)))
        self.query_one("#project-detail", Static).update("\n".join(details))

    @staticmethod
    def _cells(meeting: MeetingSummary) -> tuple[str, ...]:
        return (
            str(meeting.number),
            meeting.date.isoformat() if meeting.date else "",
            meeting.host_short,
            status_label(meeting.status),
            str(meeting.notes),
            meeting.title,
        )

    def selected_meeting(self) -> MeetingSummary | None:
        option_list = self.query_one("#projects", ProjectList)
        if option_list.highlighted is None or not self.projects:
            return None
        project = self.projects[option_list.highlighted]
        table = self.query_one("#meetings", MeetingTable)
        if not project.meetings or table.row_count == 0:
            return None
        return project.meetings[min(table.cursor_row, len(project.meetings) - 1)]
