"""Preview the minutes of one meeting and save them as a Markdown file.

The data is read once, in a worker; switching the organisation or the
language only renders again. Rendering runs on the UI thread on purpose:
``use_language`` switches a process-wide catalogue, and the UI thread is the
one place where no other screen's ``_()`` can run at the same moment.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, MarkdownViewer

from samverkan.domain.errors import problem_sentence
from samverkan.domain.minutes_data import MinutesData
from samverkan.i18n import LANGUAGES, _, use_language
from samverkan.ui.base import SamverkanScreen
from samverkan.ui.minutes.dialogs import ConfirmOverwriteDialog, SaveMinutesDialog
from samverkan.ui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    pass


class MinutesScreen(SamverkanScreen):
    CSS_PATH = "screen.tcss"
    BINDINGS = [
        Binding(
            "s",
            "save",
            _("Save"),
            tooltip=_("Save the minutes as a Markdown file"),
            id="minutes-save",
        ),
        Binding(
            "o",
            "cycle_organisation",
            _("Organisation"),
            tooltip=_("Show one organisation's version, the next one, then the whole group's"),
            id="minutes-organisation",
        ),
        Binding(
            "l",
            "toggle_language",
            _("Language"),
            tooltip=_("Switch the minutes between Swedish and English"),
            id="minutes-language",
        ),
        Binding(
            "escape", "back", _("Back"), tooltip=_("Back to the previous screen"), id="minutes-back"
        ),
    ]

    def __init__(self, meeting_id: str) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.data: MinutesData | None = None
        self.organisation: str | None = None
        """Short code of the organisation whose version is shown; None: the whole group's."""
        self.language = "sv"
        """Language of the minutes; the project's until the user switches."""
        self.markdown = ""
        """The Markdown on screen, exactly what saving writes."""

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        yield MarkdownViewer(id="minutes", show_table_of_contents=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = _("Minutes")
        self.query_one(MarkdownViewer).loading = True
        self.load()

    @work(thread=True, exclusive=True, group="minutes-load")
    def load(self) -> None:
        from samverkan.services.minutes import MinutesService

        try:
            data = MinutesService(self.samverkan.services.database).load(self.meeting_id)
        except Exception as exc:  # one sentence, never a traceback
            self.app.call_from_thread(self._failed, problem_sentence(exc))
            return
        self.app.call_from_thread(self._loaded, data)

    def _failed(self, message: str) -> None:
        self.query_one(MarkdownViewer).loading = False
        self._error(message)

    def _loaded(self, data: MinutesData) -> None:
        self.data = data
        lang = data.meeting.project.lang
        self.language = lang if lang in LANGUAGES else "sv"
        self.call_next(self.show)

    async def show(self) -> None:
        """Render for the chosen organisation and language, and paint."""
        if self.data is None:
            return
        from samverkan.domain.minutes import render_minutes

        with use_language(self.language):
            self.markdown = render_minutes(self.data, org=self.organisation)
        summary = self.data.meeting.summary
        parts = [summary.ref, self.organisation or _("whole group"), self.language]
        self.sub_title = " · ".join(parts)
        viewer = self.query_one(MarkdownViewer)
        await viewer.document.update(self.markdown)
        viewer.loading = False

    # ------------------------------------------------------------ actions

    async def action_cycle_organisation(self) -> None:
        if self.data is None:
            return
        shorts = [None, *(o.short for o in self.data.meeting.organisations)]
        self.organisation = shorts[(shorts.index(self.organisation) + 1) % len(shorts)]
        await self.show()

    async def action_toggle_language(self) -> None:
        self.language = "en" if self.language == "sv" else "sv"
        await self.show()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        if self.data is None:
            self.notify(_("The minutes are still loading."))
            return
        self.app.push_screen(SaveMinutesDialog(Path(self.suggested_name())), self._chosen)

    def suggested_name(self) -> str:
        """``grupp-1-mote-2-minnesanteckningar.md``, in the minutes' language."""
        assert self.data is not None
        summary = self.data.meeting.summary
        with use_language(self.language):
            name = _("{project}-meeting-{number}-minutes").format(
                project=summary.project_short, number=summary.number
            )
        if self.organisation:
            name = f"{name}-{self.organisation}"
        # File names travel by e-mail and USB sticks: keep them plain.
        return re.sub(r"[^\w.-]+", "-", name.casefold()).strip("-") + ".md"

    def _chosen(self, path: Path | None) -> None:
        if path is None:
            return
        if not path.is_absolute():
            path = Path.cwd() / path
        text = self.markdown  # what is on screen now, whatever is switched meanwhile
        if path.is_dir():
            self._error(
                _("{path} is a folder; give a file name, e.g. {path}/minutes.md").format(path=path)
            )
        elif path.exists():

            def answered(overwrite: bool | None) -> None:
                if overwrite:
                    self.write(path, text, overwrite=True)

            self.app.push_screen(ConfirmOverwriteDialog(path), answered)
        else:
            self.write(path, text, overwrite=False)

    @work(thread=True, group="minutes-save")
    def write(self, path: Path, text: str, *, overwrite: bool) -> None:
        from samverkan.fileio import write_atomically

        try:
            write_atomically(path, text, overwrite=overwrite)
        except FileExistsError:
            # Created by someone else since we looked: ask, never overwrite silently.
            self.app.call_from_thread(self._chosen, path)
            return
        except OSError as exc:
            message = _("Cannot save the minutes to {path} ({reason}).").format(
                path=path, reason=exc.strerror or exc
            )
            self.app.call_from_thread(self._error, message)
            return
        self.app.call_from_thread(
            self.notify, _("Minutes saved to {path}.").format(path=path), markup=False
        )

    def _error(self, message: str) -> None:
        # Not app.show_error: a path may hold [brackets] that markup would eat.
        self.notify(message, title=_("Error"), severity="error", timeout=8, markup=False)
