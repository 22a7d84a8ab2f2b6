"""The Textual application: holds the services, opens screens, shows errors.

Built by :func:`make_app`, shared by the CLI and the tests (posting's
``make_posting`` habit), so the tests run exactly the app users get, on a
throw-away database and a fixed clock.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual._path import CSSPathType
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from samverkan.i18n import _, ngettext
from samverkan.store.location import DatabaseLocation
from samverkan.ui import heap
from samverkan.ui.commands import SamverkanCommands
from samverkan.ui.home.screen import HomeScreen

if TYPE_CHECKING:
    from textual.driver import Driver

    from samverkan.domain.overview import ProjectSummary
    from samverkan.services import Services
    from samverkan.services.recovery import RecoveryFile
    from samverkan.ui.meeting.writer import WriteQueue

# Seconds a thread holds the interpreter while another waits (Python's default: 0.005).
SWITCH_INTERVAL = 0.001


class SamverkanApp(App[None]):
    """samverkan's terminal interface."""

    TITLE = "samverkan"
    # Absolute: subclasses in other folders (the observer's app) find it too.
    # The home screen's own is read with it: the home screen is the default screen, and
    # Textual loads a screen's CSS_PATH only when the screen is pushed.
    CSS_PATH: ClassVar[CSSPathType | None] = [
        Path(__file__).with_name("app.tcss"),
        Path(__file__).parent / "home" / "screen.tcss",
    ]
    COMMANDS = App.COMMANDS | {SamverkanCommands}
    BINDINGS = [
        Binding(
            "f1,question_mark",
            "help",
            _("Help"),
            tooltip=_("Show every key of this screen"),
            id="help",
        ),
        Binding("ctrl+q", "quit", _("Quit"), tooltip=_("Quit samverkan"), id="quit", priority=True),
        # Textual adds its own, in English, unless the app has one.
        Binding(
            "ctrl+p",
            "command_palette",
            _("Commands"),
            show=False,
            priority=True,
            tooltip=_("Open the command palette"),
            id="command-palette",
        ),
    ]

    def __init__(
        self,
        services: Services | Callable[[], Services],
        clock: Callable[[], datetime] | None = None,
        *,
        path: Path | None = None,  # or a ServerURL
        poll_seconds: float = 0.1,
        listing: Callable[[], list[ProjectSummary]] | None = None,
    ) -> None:
        """``services`` may be a function that opens them: then the first screen is
        painted before SQLAlchemy is imported, and ``path`` says which file to list.
        ``listing``, if given, gives the home screen's first listing of that file (read
        ahead in a thread: services.listing.list_projects_ahead)."""
        from samverkan.ui.textual_words import translate_textual

        translate_textual()  # before any widget copies Textual's key descriptions
        # Workers read the database while the UI thread lays out and paints. SQLite
        # hands the interpreter back at every row, and with Python's default 5 ms
        # switch interval each row then waited up to 5 ms for the busy UI thread: the
        # first 500 notes of a meeting took 150-430 ms to read instead of 12 ms, and
        # the writer's commit waited the same way. 1 ms keeps both near their own cost.
        sys.setswitchinterval(SWITCH_INTERVAL)
        super().__init__()
        if callable(services):
            self._opener: Callable[[], Services] | None = services
            self._services: Services | None = None
            assert path is not None, "a lazily opened database needs its path"
            self.db_path: DatabaseLocation = path
        else:
            self._opener = None
            self._services = services
            self.db_path = services.location
        self.first_listing = listing
        self._open_lock = threading.Lock()
        # Every meeting screen's write queue, finished (or kept) before the app exits.
        self._adopted: list[WriteQueue] = []
        self._recovery: RecoveryFile | None = None
        # The system's clock unless one is given (tests); domain.clock is not imported
        # for it before the first frame.
        self.clock: Callable[[], datetime] = clock or _system_clock
        # How often open screens look for other processes' changes (≤ 1 s budget).
        self.poll_seconds = poll_seconds
        # (meeting id, planned?) to open on start, for `samverkan run REF`.
        self.start_meeting: tuple[str, bool] | None = None
        # Ring the terminal bell at a timebox's warning and overtime (settings: bell = true).
        self.bell_enabled = False
        # When a key was last pressed: the held-back full collection waits for a pause.
        self.last_key = time.monotonic()

    def get_driver_class(self) -> type[Driver]:
        # Esc then a letter is Esc then a letter, even when they arrive together.
        from samverkan.ui import terminal_keys

        terminal_keys.install()
        return super().get_driver_class()

    def get_default_screen(self) -> Screen[Any]:
        # The home screen is the app's first screen, not pushed over a blank one: the
        # first frame is the home screen's, composed once, with its stylesheet already
        # parsed with the app's (CSS_PATH) instead of re-parsing everything at a push.
        return HomeScreen()

    def _end_batch(self) -> None:
        super()._end_batch()
        if not self._batch_count and self.screen_stack:
            # What SamverkanScreen did not render during the batch, now.
            self.screen.check_idle()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)):
            self.last_key = time.monotonic()
        await super().on_event(event)

    def tidy_heap(self) -> None:
        """The full garbage collection an open meeting holds back, at a pause in the
        typing (see ui/heap.py): not between a key and its frame. Called by the
        screens that hold the heap, from the timers they have anyway (a timer of the
        app's own, ticking once a second, cost 2 MB a round of the memory test)."""
        now = time.monotonic()
        if heap.due(now, self.last_key):
            heap.tidy(now)

    def on_mount(self) -> None:
        self._apply_settings()
        home = self.screen
        assert isinstance(home, HomeScreen)
        # After the home screen's first frame: the data folder's look-up can wait (and
        # with `samverkan run` the offer comes when the meeting is left, as before).
        home.call_after_frame(self._offer_recovery)
        if self.start_meeting is not None:
            from samverkan.ui.meeting.screen import MeetingScreen
            from samverkan.ui.meeting.setup import MeetingSetupScreen

            meeting_id, planned = self.start_meeting
            self.push_screen(
                MeetingSetupScreen(meeting_id) if planned else MeetingScreen(meeting_id)
            )

    def _apply_settings(self) -> None:
        """The theme last chosen and the user's own keys; a chosen theme is remembered."""
        from samverkan.config import load_settings

        settings, _problem = load_settings()
        self.bell_enabled = settings.bell
        if settings.theme and settings.theme in self.available_themes:
            self.theme = settings.theme
        if settings.keys:
            from samverkan.ui.meeting.keys import with_linked_keys

            self.set_keymap(with_linked_keys(settings.keys))
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        from samverkan.ui.theme_colours import use_theme

        use_theme(self.theme_variables)  # nothing drawn in them yet: no repaint
        self.theme_changed_signal.subscribe(self, lambda _theme: self._use_theme_colours())

    def _use_theme_colours(self) -> None:
        """The screens' colours from the theme's variables; drawn again in the new ones."""
        from samverkan.ui.theme_colours import use_theme
        from samverkan.ui.widgets.note_stream import NoteStream

        use_theme(self.theme_variables)
        for screen in self.screen_stack:
            for stream in screen.query(NoteStream):
                stream.refresh_notes()
            repaint = getattr(screen, "_refresh_all", None)
            if callable(repaint):
                repaint()

    def _remember_theme(self, theme: object) -> None:
        from samverkan.config import load_settings, save_settings

        settings, problem = load_settings()
        if problem is not None or settings.theme == self.theme:
            return  # never overwrite a file we could not read
        settings.theme = self.theme
        try:
            save_settings(settings)
        except OSError as exc:
            self.show_error(_("could not remember the theme ({reason})").format(reason=exc))

    def action_command_palette(self) -> None:
        """Textual's palette, with a placeholder in the user's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(
                CommandPalette(placeholder=_("Search for commands…"), id="--command-palette")
            )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands (theme, quit, keys …), named in the user's language."""
        names = {
            "Bell": (_("Bell"), _("Ring the bell")),
            "Theme": (_("Theme"), _("Change the current theme")),
            "Quit": (_("Quit"), _("Quit samverkan")),
            "Keys": (_("Keys"), _("Show or hide the keys of the focused part")),
            "Minimize": (_("Minimize"), _("Restore the widget to its normal size")),
            "Maximize": (_("Maximize"), _("Maximize the focused widget")),
            "Screenshot": (_("Screenshot"), _("Save an SVG picture of the current screen")),
        }
        for command in super().get_system_commands(screen):
            title, help_text = names.get(command.title, (command.title, command.help))
            yield SystemCommand(title, help_text, command.callback, command.discover)

    @property
    def services(self) -> Services:
        """The services, opened on first use (from a worker thread, off the UI)."""
        with self._open_lock:
            if self._services is None:
                assert self._opener is not None
                self._services = self._opener()
            return self._services

    def services_ready(self) -> bool:
        return self._services is not None

    def adopt_writes(self, writes: WriteQueue, *, released: bool = False) -> None:
        """Keep a screen's queue until its notes are on disk or kept (see finish_writes).

        ``released``: its screen is closing. Queues of closed screens that have written
        everything are let go here, so a day of opening meetings keeps none of them.
        """
        writes.released = writes.released or released
        self._adopted = [w for w in self._adopted if not w.retire()]
        if writes not in self._adopted and not writes.retire():
            self._adopted.append(writes)

    def waiting_writes(self) -> int:
        """Notes and changes not yet in the database, in every screen's queue."""
        return sum(writes.pending() for writes in self._adopted)

    def finish_writes(self, timeout: float = 5.0) -> tuple[list[dict[str, object]], list[str]]:
        """Write what can be written within ``timeout``; then (the records of the notes
        still unwritten, kept in the recovery file; the texts that could not even be kept)."""
        from samverkan.services.recovery import record_text

        left: list[dict[str, object]] = []
        unsaved: list[str] = []
        for writes in self._adopted:
            left.extend(writes.close(timeout))
            unsaved.extend(record_text(r) for r in writes.unsaved())
        return left, unsaved

    def _recovery_anchor(self) -> Path:
        """The file the recovery file sits beside: the database, or for a team
        database on a server a name in this laptop's data folder."""
        if isinstance(self.db_path, Path):
            return self.db_path
        from samverkan import locations

        return locations.data_dir() / "team-database"

    def recovery_file(self) -> Path:
        from samverkan.services.recovery import recovery_path

        return recovery_path(self._recovery_anchor())

    def recovery(self) -> RecoveryFile:
        """This process's recovery file, one object for every meeting screen's queue
        (so that one queue done cannot remove what another still waits to write)."""
        from samverkan.services.recovery import RecoveryFile

        if self._recovery is None:
            self._recovery = RecoveryFile(self.recovery_file())
        return self._recovery

    async def action_quit(self) -> None:
        """Quitting with notes still waiting for the database asks first."""
        waiting = self.waiting_writes()
        if waiting == 0:
            self.exit()
            return
        from samverkan.ui.dialogs.confirm import ConfirmDialog

        def answered(leave: bool | None) -> None:
            if leave:
                self.exit()

        self.push_screen(
            ConfirmDialog(
                ngettext(
                    "{n} note is still waiting for the database. Quit anyway?",
                    "{n} notes are still waiting for the database. Quit anyway?",
                    waiting,
                ).format(n=waiting),
                _(
                    "They are kept in `{path}`, and samverkan offers to import them the "
                    "next time it starts. Stay, and they are written as soon as the "
                    "database is free."
                ).format(path=self.recovery_file()),
                yes=_("Quit, keep them for later"),
                no=_("Stay"),
                letters=False,
            ),
            answered,
        )

    def _offer_recovery(self) -> None:
        """Notes kept by an earlier session that could not write them: offer to import."""
        from samverkan.services.recovery import count_notes, left_behind

        try:
            files = left_behind(self._recovery_anchor())
        except OSError:
            return
        count = count_notes(files)
        if not files:
            return
        from samverkan.ui.dialogs.confirm import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self._import_recovered(files)

        self.push_screen(
            ConfirmDialog(
                ngettext(
                    "{n} note of an earlier session did not reach the database. Import it now?",
                    "{n} notes of an earlier session did not reach the database. Import them now?",
                    count,
                ).format(n=count),
                _(
                    "They were kept in {files}. Notes already in the database are not "
                    "added twice. If you say no, you are asked again next time."
                ).format(files=", ".join(f"`{f}`" for f in files)),
                yes=_("Import"),
                no=_("Not now"),
                letters=False,
            ),
            answered,
        )

    @work(thread=True, group="recovery")
    def _import_recovered(self, files: list[Path]) -> None:
        from samverkan.services.recovery import import_recovered

        try:
            result = import_recovered(self.services, files)
        except Exception as exc:
            from samverkan.domain.errors import problem_sentence

            self.call_from_thread(self.show_error, problem_sentence(exc))
            return
        message = ngettext(
            "{n} kept note written to the database ({already} were there already)",
            "{n} kept notes written to the database ({already} were there already)",
            result.added,
        ).format(n=result.added, already=result.already)
        self.call_from_thread(self.notify, message, markup=False)
        for problem in result.problems[:3]:
            self.call_from_thread(self.show_error, problem)

    def close_services(self) -> None:
        if self._services is not None:
            self._services.close()

    def action_help(self) -> None:
        # Imported here: the help brings the Markdown widget, which start-up need not pay for.
        from samverkan.ui.help.screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def open_observer(self, meeting_id: str, observer: str | None = None) -> None:
        """Open the observer screen; the observer's name is asked once and remembered."""
        from samverkan.config import load_settings, save_settings
        from samverkan.ui.dialogs.text_input import TextInputDialog
        from samverkan.ui.observe.screen import ObserveScreen

        settings, _problem = load_settings()
        name = observer or settings.observer
        if name:
            self.push_screen(ObserveScreen(meeting_id, name))
            return

        def named(answer: str | None) -> None:
            if not answer:
                return
            settings.observer = answer
            try:
                save_settings(settings)
            except OSError as exc:
                self.show_error(_("could not remember your name ({reason})").format(reason=exc))
            self.push_screen(ObserveScreen(meeting_id, answer))

        self.push_screen(TextInputDialog(_("Your name as observer")), named)

    def show_error(self, message: str) -> None:
        """Errors are one sentence in a notification, never a traceback."""
        # No markup: a message may quote a path or the user's text with [brackets].
        self.notify(message, title=_("Error"), severity="error", timeout=8, markup=False)


def _system_clock() -> datetime:
    """domain.clock.system_clock, imported when the time is first asked for."""
    from samverkan.domain.clock import system_clock

    return system_clock()


def make_app(
    services: Services, clock: Callable[[], datetime] | None = None, *, poll_seconds: float = 0.1
) -> SamverkanApp:
    return SamverkanApp(services, clock, poll_seconds=poll_seconds)
