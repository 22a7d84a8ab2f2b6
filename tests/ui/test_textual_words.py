"""Textual's own key words follow the interface language, and come back to English."""

from __future__ import annotations

from textual.widgets import OptionList

from samverkan.i18n import _, current_language, set_language
from samverkan.ui.textual_words import translate_textual


def _down() -> str:
    merged = OptionList._merged_bindings
    assert merged is not None
    return merged.key_to_bindings["down"][0].description


def test_textual_words_follow_the_language_and_come_back() -> None:
    before = current_language()
    try:
        set_language("en")
        translate_textual()  # nothing to do in English before any translation
        assert _down() == "Down"
        set_language("sv")
        translate_textual()
        assert _down() == _("Down") != "Down"
        set_language("en")
        translate_textual()
        assert _down() == "Down"
    finally:
        set_language(before)
        translate_textual()
