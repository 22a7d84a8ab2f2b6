"""Command palette: every action of the current screen, found by its description."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from samverkan.i18n import _

# Keys every Textual screen has (Tab moves the focus); not worth a line in the help.
_TEXTUAL_DEFAULTS = frozenset({"app.focus_next", "app.focus_previous", "screen.copy_text"})


def own_bindings(screen: Screen[object]) -> list[Binding]:
    """The keys of this screen that samverkan defines (its screens, widgets and app),
    without the text-editing and scrolling keys every Textual input has."""
    found: list[Binding] = []
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or binding.system or binding.action in _TEXTUAL_DEFAULTS:
            continue
        if type(active.node).__module__.startswith("samverkan") and not _inherited(
            type(active.node), binding
        ):
            found.append(binding)
    # The screen's own keys too, where a focused widget uses the same key for now:
    # as the user's keymap left them.
    own = screen._bindings.copy()
    if screen.app._keymap:
        own.apply_keymap(screen.app._keymap)
    found += [
        b
        for bindings in own.key_to_bindings.values()
        for b in bindings
        if b.description and b.action not in _TEXTUAL_DEFAULTS and not b.system
    ]
    return found


def _inherited(cls: type, binding: Binding) -> bool:
    """A binding a samverkan widget inherits from Textual's (the note line's cursor keys)."""
    for base in cls.__mro__:
        if base.__module__.startswith("textual"):
            for own in base.__dict__.get("BINDINGS", ()):
                same = (own.action, own.description, own.tooltip, own.id)
                if isinstance(own, Binding) and same == (
                    binding.action,
                    binding.description,
                    binding.tooltip,
                    binding.id,
                ):
                    return True
    return False


class SamverkanCommands(Provider):
    """Offers the active bindings of the screen, so every key is also a command."""

    def _commands(self) -> list[tuple[str, str, str]]:
        screen = self.screen
        # A screen may name some commands better than its bindings can (e.g. the
        # floor keys by organisation); those replace the bindings of the same action.
        named: list[tuple[str, str, str]] = list(getattr(screen, "palette_commands", list)())
        covered = {action for _title, action, _help in named}
        found: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        for binding in own_bindings(screen):
            if binding.description in seen or binding.action in covered:
                continue
            seen.add(binding.description)
            found.append((binding.description, binding.action, binding.tooltip))
        return named + found

    async def discover(self) -> Hits:
        for description, action, tooltip in self._commands():
            yield DiscoveryHit(description, partial(self._run, action), help=tooltip)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for description, action, tooltip in self._commands():
            score = matcher.match(description)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(description),
                    partial(self._run, action),
                    help=tooltip or _("Run this action"),
                )

    async def _run(self, action: str) -> None:
        await self.screen.run_action(action)
