"""The command palette: every action the current user may take, "Area: action" labels.

Each screen says what it offers through ``palette_commands()``, built from its bindings and
those of its parts by :func:`binding_commands`, so that a new binding is a new entry and the
palette offers what the footer does; this provider adds "Go to team <name>" from core's team
list, looked up in a thread worker as the user types, then the app's own commands. It is the
app's only provider, so that the screen's actions come first in the list."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.actions import parse
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.worker import WorkerError

from tui.format import plain

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from core.views import Page, TeamView
    from tui.app import AuxotApp

_GO_PREFIXES = ("go to team", "go to", "go", "team", "open")
_TEAM_HITS = 50


@dataclass(frozen=True)
class PaletteCommand:
    label: str  # plain text; may hold user text, never read as markup
    help: str  # fixed text only
    callback: Callable[[], Any]
    binding: str | None = None  # the id of the binding it stands for, if any


def palette_commands_of(screen: object) -> list[PaletteCommand]:
    commands = getattr(screen, "palette_commands", None)
    return list(commands()) if callable(commands) else []


def own_bindings(node: DOMNode) -> list[Binding]:
    """The bindings ``node``'s classes declare that have an id and a group (ours: Textual's
    own, such as cursor keys, have neither), once each."""
    found: dict[str, Binding] = {}
    for cls in reversed(type(node).__mro__):
        for binding in Binding.make_bindings(vars(cls).get("BINDINGS", ())):
            if binding.id is not None and binding.group is not None:
                found.setdefault(binding.id, binding)
    return list(found.values())


def binding_commands(
    node: DOMNode, before: Callable[[], Awaitable[object]] | None = None
) -> list[PaletteCommand]:
    """An entry for each of ``node``'s bindings that the user may use, by the footer's rule:
    one that ``check_action`` refuses (False) is left out; one it only disables for now
    (None: nothing selected) is offered and does nothing until it applies. The label is
    "Group: Description" ("API keys: Rotate"), the help the binding's tooltip. ``before``
    runs first (showing the tab that holds the action, say)."""
    commands = []
    for binding in own_bindings(node):
        _namespace, action, parameters = parse(binding.action)
        if node.check_action(action, parameters) is False:
            continue
        assert binding.group is not None  # own_bindings keeps only those with a group

        async def run(binding: Binding = binding) -> None:
            if before is not None:
                await before()
            await node.app.run_action(binding.action, node)

        commands.append(
            PaletteCommand(
                f"{binding.group.description}: {binding.description}",
                binding.tooltip or binding.description,
                run,
                binding.id,
            )
        )
    return commands


def highlight(matcher: Matcher, label: str) -> Content:
    """Like ``Matcher.highlight`` but without reading ``label`` as markup."""
    content = plain(label)
    score, offsets = matcher.fuzzy_search.match(matcher.query, label)
    if score:
        for offset in offsets:
            if not label[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class TeamsCommands(Provider):
    @property
    def auxot(self) -> AuxotApp:
        return cast("AuxotApp", self.app)

    async def startup(self) -> None:
        self._commands = palette_commands_of(self.screen)
        # The app's own commands (help, theme, quit, ...) come last, after the teams.
        self._app_commands = [
            PaletteCommand(command.title, command.help, command.callback)
            for command in self.app.get_system_commands(self.screen)
        ]

    async def discover(self) -> Hits:
        for command in [*self._commands, *await self._team_commands(""), *self._app_commands]:
            yield DiscoveryHit(
                plain(command.label), command.callback, text=command.label, help=command.help
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in [*self._commands, *await self._team_commands(query), *self._app_commands]:
            score = matcher.match(command.label)
            if score > 0:
                yield Hit(
                    score,
                    highlight(matcher, command.label),
                    command.callback,
                    text=command.label,
                    help=command.help,
                )

    async def _team_commands(self, query: str) -> Iterable[PaletteCommand]:
        app = self.auxot
        if app.me is None or not app.me.workspace.teams_enabled:
            return []
        words = query.strip().casefold()
        for prefix in _GO_PREFIXES:
            if words.startswith(prefix):
                words = words[len(prefix) :].strip()
                break
        teams = await self._list_teams(words)
        if not teams and words:
            teams = await self._list_teams("")  # let the fuzzy match find "pleng"
        return [
            PaletteCommand(f"Go to team {team.name}", "Open the team", partial(app.open_team, team))
            for team in teams
        ]

    async def _list_teams(self, words: str) -> list[TeamView]:
        app = self.auxot
        worker = app.run_worker(
            partial(app.core.list_teams, app.actor, query=words, limit=_TEAM_HITS),
            thread=True,
            group="palette",
            exit_on_error=False,
        )
        try:
            page = cast("Page[TeamView]", await worker.wait())
        except WorkerError:  # the app's error handler has the failure; the palette goes on
            return []
        return page.items
