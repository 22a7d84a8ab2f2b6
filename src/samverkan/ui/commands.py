"""Command palette: every action of the current screen, found by its description."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from samverkan.i18n import _


class SamverkanCommands(Provider):
    """Offers the active bindings of the screen, so every key is also a command."""

    def _commands(self) -> list[tuple[str, str, str]]:
        screen = self.screen
        found: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.description in seen or binding.system:
                continue
            seen.add(binding.description)
            found.append((binding.description, binding.action, binding.tooltip))
        return found

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
