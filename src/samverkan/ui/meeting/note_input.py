"""The note line: every key is handled here, in the order it was typed.

Textual delivers a key to the focused widget, which inserts a letter at once;
a key the widget leaves alone travels up to the App, whose bindings run it
later. When the app falls behind the keyboard (start-up, a stalled laptop, a
burst), letters typed after Enter were inserted before Enter's binding ran,
and a submit that then cleared the line took them too. Here Enter, Tab, Esc,
↑ and the keys of the note list are handled by this widget's own key handler,
in the same queue as the letters, so nothing typed can overtake anything else:
a note is exactly the keys typed before its Enter and after the previous one.

The note list never takes the focus: ↑ puts this line into *browsing*, where
the arrows move the list's cursor and keys that type nothing act on the
selected note (Enter edits, Delete deletes, ctrl+t changes its kind, ctrl+x
ticks done, ctrl+f and ctrl+k filter). The screen's own keys (ctrl+n next phase, ctrl+t kind …) are
run from here too, so a phase change or a kind chosen lands exactly between the
notes typed before and after it. Letters are never commands: a letter
typed while browsing goes back to writing and is typed, so a note typed after
a stray ↑ is a note.

A terminal sends Esc followed by a letter and Alt+letter as the same bytes
(Textual reads ``ESC d`` within ``ESCDELAY``, 100 ms, as ``alt+d``; when the
app lags, the two are read together whatever the delay). samverkan binds no
Alt key, so ``alt+<letter>`` is taken for what a typist means: Esc, then the
letter.

A question answered by one key (ctrl+t: which kind? ctrl+o: who speaks?) is
asked here too, not in a dialog: the key after it answers, in order with the
letters, so what is typed after the answer lands in the line however far the
app lags. Esc cancels; any other key drops the question and acts as usual (a
letter is typed), so nothing typed is lost to a question.

A pasted text is kept whole: its line breaks are shown as ``⏎`` in the line
and become line breaks again in the note.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import events
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input

LINE_BREAK = "⏎"


@dataclass(frozen=True)
class Question:
    """Asked in the note line: the next key answers it (see the module docstring)."""

    keys: frozenset[str]  # the answers, casefolded
    answer: Callable[[str | None], None]  # the key, or None: cancelled


@dataclass
class NoteKeys:
    """What the keys of the note line do; the meeting screen fills it in."""

    submit: Callable[[str], bool]  # the line as typed; True: taken, the line is cleared
    escape: Callable[[], None]  # Esc while writing: cancel an edit, or ask to leave
    complete: Callable[[str, int], tuple[str, int] | None]  # Tab: new value and cursor
    browse: Callable[[str], bool]  # a key while browsing; True: handled
    start_browsing: Callable[[], bool]  # ↑ while writing; True: now browsing
    stop_browsing: Callable[[], None]
    # A key the screen binds (ctrl+n, ctrl+t, F2 …), run now; True: it was the screen's.
    screen_key: Callable[[str], bool] = lambda key: False


def to_line(text: str) -> str:
    """A note's text as the one-line input shows it."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", LINE_BREAK)


def from_line(line: str) -> str:
    """The note's text from the line: ``⏎`` is a line break again (spaces around it go)."""
    return "\n".join(part.strip() for part in line.split(LINE_BREAK))


# Keys that act while browsing but type nothing (the screen sets them as remapped).
BROWSE_KEYS = frozenset(
    {"up", "down", "pageup", "pagedown", "home", "end", "enter", "delete", "backspace"}
    | {"ctrl+x", "ctrl+f", "ctrl+k", "ctrl+t"}
)


class NoteInput(Input):
    """An Input whose Enter, Tab, Esc and ↑ run in order with the letters."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.keys: NoteKeys | None = None
        self.browsing = False
        self.browse_keys = BROWSE_KEYS
        self.question: Question | None = None

    def ask(self, question: Question) -> None:
        """The next key answers ``question`` (one at a time: a new one replaces it)."""
        self.question = question

    def _watch_value(self, value: str) -> None:
        # Textual's Input sets its virtual size, a reactive that lays out the whole
        # screen, on every key: 5 ms a key in a meeting of 5,000 notes, and the next
        # key and its frame waited for it. The line's height is fixed (one row) and
        # its width by the layout; the virtual width only says how far the line
        # scrolls, so it is set here without a layout (the same value then leaves
        # Input's own assignment with nothing to do).
        if not self.styles.auto_dimensions:
            self.set_reactive(Widget.virtual_size, Size(self.content_width, 1))
            self.refresh()
        super()._watch_value(value)

    def load(self, text: str) -> None:
        """Put a note's text in the line (editing), cursor at its end."""
        self.value = to_line(text)
        self.cursor_position = len(self.value)

    async def _on_key(self, event: events.Key) -> None:
        keys = self.keys
        if keys is None:
            await super()._on_key(event)
            return
        key, character = event.key, event.character
        alt_letter = key.startswith("alt+") and character and len(character) == 1
        question, self.question = self.question, None
        if question is not None:
            if key == "escape" or alt_letter:
                self._handled(event)
                question.answer(None)  # Esc cancels; Esc then a letter types it
                if alt_letter and character is not None and character.isprintable():
                    self._type(character)
                return
            if event.is_printable and character and character.casefold() in question.keys:
                self._handled(event)
                question.answer(character.casefold())
                return
            question.answer(None)  # any other key: acts as usual below
        if alt_letter and character is not None and character.isprintable():
            self._handled(event)
            self._escape(keys)
            self._type(character)
            return
        if self.browsing:
            if key == "escape":
                self._handled(event)
                self._stop_browsing(keys)
                return
            if key in self.browse_keys:
                if keys.browse(key):
                    self._handled(event)
                return  # not handled: the screen's bindings may have it
            if event.is_printable and character:
                self._handled(event)
                self._stop_browsing(keys)
                self._type(character)
                return
            if keys.screen_key(key):
                self._handled(event)
            return  # other ctrl and function keys: Textual's bindings
        if key == "enter":
            self._handled(event)
            self._submit(keys)
            return
        if key == "escape":
            self._handled(event)
            self._escape(keys)
            return
        if key == "tab":
            completed = keys.complete(self.value, self.cursor_position)
            if completed is not None:
                self._handled(event)
                self.value, self.cursor_position = completed
            return
        if key == "up":
            self.browsing = True
            if keys.start_browsing():
                self._handled(event)
            else:
                self.browsing = False
            return
        if not event.is_printable and keys.screen_key(key):
            self._handled(event)  # e.g. ctrl+n: the next note goes to the next phase
            return
        await super()._on_key(event)

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # Input's own paste keeps only the first line
        question, self.question = self.question, None
        if question is not None:
            question.answer(None)
        if self.keys is not None and self.browsing:
            self._stop_browsing(self.keys)
        if event.text:
            self._type(to_line(event.text.strip("\r\n")))

    # ------------------------------------------------------------ the steps

    @staticmethod
    def _handled(event: events.Key) -> None:
        event.stop()
        event.prevent_default()

    def _type(self, text: str) -> None:
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)

    def _submit(self, keys: NoteKeys) -> None:
        line = self.value
        if not line.strip():
            return
        # Synchronously, before the next key is read: the line is exactly what was
        # typed before this Enter, and clearing it takes nothing typed after.
        # The line goes as shown (``⏎`` for a pasted line break): the note syntax
        # reads words and spaces, and the caller restores the breaks (from_line).
        if keys.submit(line):
            self.value = ""

    def _escape(self, keys: NoteKeys) -> None:
        if self.browsing:
            self._stop_browsing(keys)
        else:
            keys.escape()

    def _stop_browsing(self, keys: NoteKeys) -> None:
        self.browsing = False
        keys.stop_browsing()
