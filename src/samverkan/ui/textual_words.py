"""Textual's own words in the user's language: its keys' descriptions and the palette's words.

Textual names its keys in English ("Scroll Up", "Move cursor left"); they show in
the Keys panel (ctrl+p → Keys) and wherever a widget's inherited keys are listed.
Each description below is marked for samverkan's catalogue; :func:`translate_textual`
gives Textual's classes the descriptions in the current language, always from the
English it saved the first time, so switching the language twice never compounds.
"""

from __future__ import annotations

from dataclasses import replace

from samverkan.i18n import N_, _, current_language

# The words of the Textual classes samverkan uses (App, Screen, Input, OptionList,
# DataTable, Button, Markdown, the scrolling containers and the command palette).
WORDS = (
    N_("Bottom"), N_("Copy selected text"), N_("Cursor down"), N_("Cursor left"),
    N_("Cursor right"), N_("Cursor up"), N_("Cut selected text"), N_("Delete all to the left"),
    N_("Delete all to the right"), N_("Delete character left"), N_("Delete character right"),
    N_("Delete left to start of word"), N_("Delete right to start of word"), N_("Down"),
    N_("End"), N_("Exit the command palette"), N_("First"), N_("Focus Next"),
    N_("Focus Previous"), N_("Go to bottom"), N_("Go to end"), N_("Go to start"),
    N_("Go to top"), N_("Home"), N_("Last"), N_("Move cursor left"),
    N_("Move cursor left a word"), N_("Move cursor left a word and select"),
    N_("Move cursor left and select"), N_("Move cursor right a word"),
    N_("Move cursor right a word and select"), N_("Move cursor right and select"),
    N_("Move cursor right or accept the completion suggestion"), N_("Next command"),
    N_("Next page"), N_("Page Down"), N_("Page Left"), N_("Page Right"), N_("Page Up"),
    N_("Page down"), N_("Page up"), N_("Paste text from the clipboard"), N_("Press button"),
    N_("Previous command"), N_("Previous page"), N_("Quit"), N_("Scroll Down"),
    N_("Scroll End"), N_("Scroll Home"), N_("Scroll Left"), N_("Scroll Right"),
    N_("Scroll Up"), N_("Select"), N_("Select all"), N_("Select line end"),
    N_("Select line start"), N_("Submit"), N_("Top"), N_("Up"),
)  # fmt: skip

_ENGLISH = "_samverkan_english_bindings"
# Whether any class's words were ever changed (then English must be put back, too).
_translated = False
_ENGLISH_LIST = "_samverkan_english_binding_list"


def translate_textual() -> None:
    """Every loaded class's key descriptions from Textual in the current language.

    Textual's own ``BINDINGS`` lists are translated, so classes defined later
    inherit the words; classes already defined have their merged bindings (from
    which each widget copies its keys) translated too.
    """
    global _translated
    if current_language() == "en" and not _translated:
        return  # Textual's words are English already, and none was changed to restore
    _translated = True
    from textual.binding import Binding
    from textual.dom import DOMNode

    words = frozenset(WORDS)

    def translated(binding: Binding) -> Binding:
        if binding.description in words:
            return replace(binding, description=_(binding.description))
        return binding

    classes = _subclasses(DOMNode)
    for cls in classes:
        if not cls.__module__.startswith("textual") or "BINDINGS" not in cls.__dict__:
            continue
        original = cls.__dict__.get(_ENGLISH_LIST)
        if original is None:
            original = list(cls.__dict__["BINDINGS"])
            setattr(cls, _ENGLISH_LIST, original)
        cls.BINDINGS = [  # type: ignore[attr-defined]
            translated(item if isinstance(item, Binding) else Binding(*item)) for item in original
        ]
    for cls in classes:
        merged = cls.__dict__.get("_merged_bindings")
        if merged is None:
            continue
        english = cls.__dict__.get(_ENGLISH)
        if english is None:
            english = {key: list(bindings) for key, bindings in merged.key_to_bindings.items()}
            setattr(cls, _ENGLISH, english)
        for key, bindings in english.items():
            merged.key_to_bindings[key] = [translated(b) for b in bindings]


def _subclasses(root: type) -> list[type]:
    found, todo = [], [root]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found
