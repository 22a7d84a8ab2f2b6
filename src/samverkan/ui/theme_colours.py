"""Colours from the theme the user chose (ctrl+p → Theme), not fixed Rich colours.

Screens build Rich ``Text`` with a *role* (``style("decision")``); the roles take
their colours from the theme's variables (``$success``, ``$error`` …) and follow a
change of theme. Every signal a colour gives also has a sign or a word (§ » ⚠ ✓,
"overdue", "min left"), so the colours only help.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.color import Color

# role → (theme variable, bold, as a badge: contrasting text on the colour)
_ROLES: dict[str, tuple[str, bool, bool]] = {
    "decision": ("text-success", True, False),
    "action": ("text-accent", True, False),
    "question": ("text-primary", True, False),
    "observation": ("text-secondary", True, False),
    "owner": ("text-accent", False, False),
    "tags": ("text-primary", False, False),
    "overdue": ("text-error", True, False),
    "warn": ("text-warning", True, False),
    "over": ("error", True, True),
    "ok": ("text-success", False, False),
    "waiting": ("warning", True, True),
    "gone": ("error", True, True),
    "browsing": ("primary", True, True),
    "editing": ("warning", True, True),
    "mine": ("text-success", True, False),
    "others": ("text-accent", False, False),
}
# Before an app has a theme (pure functions in tests): Textual's default theme's colours.
_DEFAULTS = {
    "text-success": "#8AD4A1",
    "text-accent": "#FFC473",
    "text-primary": "#57A5E2",
    "text-secondary": "#5684A5",
    "text-error": "#D17E92",
    "text-warning": "#FFC473",
    "error": "#B93C5B",
    "warning": "#FEA62B",
    "primary": "#0178D4",
}
_styles: dict[str, str] = {}


def use_theme(variables: Mapping[str, str]) -> None:
    """Take the roles' colours from a theme's variables (``App.theme_variables``)."""
    styles = {}
    for role, (name, bold, badge) in _ROLES.items():
        colour = Color.parse(variables.get(name) or _DEFAULTS[name])
        if badge:
            text = colour.get_contrast_text(1.0)
            styles[role] = f"bold {text.hex} on {colour.hex}"
        else:
            styles[role] = ("bold " if bold else "") + colour.hex
    _styles.clear()
    _styles.update(styles)


def style(role: str) -> str:
    """The Rich style of a role in the current theme."""
    if not _styles:
        use_theme({})
    return _styles[role]
