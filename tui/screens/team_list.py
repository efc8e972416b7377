"""Settings → Teams: the teams you may see, filtered as you type, one page at a time."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, DataTable, Input, Static
from textual.worker import get_current_worker

from core.permissions import WorkspaceAction
from core.views import Me, Page, TeamView
from tui.bindings import PAGES, TEAMS
from tui.commands import PaletteCommand
from tui.format import cell, count, role_label
from tui.widgets.breadcrumb import Breadcrumb
from tui.widgets.footer import AuxotFooter
from tui.widgets.header import WorkspaceHeader
from tui.widgets.plan_gate import PlanGate
from tui.widgets.table import Column, ResponsiveTable
from tui.workers import CoreClient

PAGE_SIZE = 100
FILTER_DELAY = 0.15  # seconds of quiet typing before the list is asked again

COLUMNS = (
    Column("name", "Name", min_width=16, weight=2),
    Column("description", "Description", min_width=12, weight=3),
    Column("members", "Members", width=7, justify="right"),
    Column("role", "Your role", width=9),
)


class TeamTable(ResponsiveTable):
    BINDINGS: ClassVar = [
        Binding("enter", "select_cursor", "Open team", id="teams.open", group=TEAMS),
    ]


class FilterInput(Input):
    BINDINGS: ClassVar = [
        Binding("down", "leave", "To the list", show=False, id="teams.filter.leave", group=TEAMS),
        Binding("escape", "clear", "Clear filter", id="teams.filter.clear", group=TEAMS),
    ]

    def action_leave(self) -> None:
        self.screen.query_one(TeamTable).focus()

    def action_clear(self) -> None:
        if self.value:
            self.value = ""
        else:
            self.action_leave()


class TeamListScreen(CoreClient, Screen[None]):
    help_title = "Settings › Teams"
    AUTO_FOCUS = ""  # nothing until the workspace is known: then the table, or the plan gate
    BINDINGS: ClassVar = [
        Binding("a,n", "add_team", "Add team", id="teams.add", group=TEAMS),
        Binding("slash", "focus_filter", "Filter", id="teams.filter", group=TEAMS),
        Binding(
            "left_square_bracket",
            "page(-1)",
            "Previous page",
            id="teams.previous_page",
            group=PAGES,
        ),
        Binding("right_square_bracket", "page(1)", "Next page", id="teams.next_page", group=PAGES),
        Binding("ctrl+r", "reload", "Reload", show=False, id="teams.reload", group=TEAMS),
    ]

    class PageLoaded(Message):
        def __init__(self, query: str, page: Page[TeamView], overall: int) -> None:
            super().__init__()
            self.query = query
            self.page = page
            self.overall = overall

    def __init__(self) -> None:
        super().__init__()
        self.query_text = ""
        self.page_offset = 0
        self.page: Page[TeamView] | None = None
        self.overall = 0
        self._teams: dict[str, TeamView] = {}
        self._filter_timer: Timer | None = None
        self._cursor_after_load: int | None = None

    # -- what the user may do --------------------------------------------------------------

    @property
    def me(self) -> Me | None:
        return self.auxot.me

    @property
    def teams_enabled(self) -> bool:
        return self.me is not None and self.me.workspace.teams_enabled

    @property
    def can_create(self) -> bool:
        return self.teams_enabled and WorkspaceAction.CREATE_TEAM in self.me.actions  # type: ignore[union-attr]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add_team":
            return self.can_create
        if action == "focus_filter":
            return self.teams_enabled and not isinstance(self.focused, FilterInput)
        if action == "reload":
            return self.teams_enabled
        if action == "page":
            if not self.teams_enabled or self.page is None or self.page.total <= PAGE_SIZE:
                return False
            step = int(parameters[0])  # type: ignore[call-overload]
            return self._page_offset(step) is not None or None
        return True

    def palette_commands(self) -> list[PaletteCommand]:
        commands: list[PaletteCommand] = []
        if self.can_create:
            commands.append(
                PaletteCommand(
                    "Teams: Add team", "Create a team; you become its owner", self.action_add_team
                )
            )
        if self.teams_enabled:
            commands.append(
                PaletteCommand(
                    "Teams: Filter teams", "Type part of a team's name", self.action_focus_filter
                )
            )
            commands.append(
                PaletteCommand("Teams: Reload", "Read the list again", self.action_reload)
            )
        return commands

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield WorkspaceHeader()
        yield Breadcrumb("Settings", "Teams", id="breadcrumb")
        with Vertical(id="teams-section"):
            with Horizontal(id="teams-toolbar"):
                yield FilterInput(placeholder="Filter teams by name  ( / )", id="teams-filter")
                yield Static("", id="teams-count")
                yield Button("Add team", id="add-team", variant="primary", compact=True)
            yield TeamTable(COLUMNS, id="teams-table")
            yield Static("", id="teams-empty")
        yield Vertical(id="teams-gate")
        yield Static(Content("Loading…"), id="teams-message")
        yield AuxotFooter()

    def on_mount(self) -> None:
        self.query_one("#teams-section").display = False
        self.query_one("#teams-gate").display = False
        self.query_one("#teams-empty").display = False
        self.watch(self.app, "me", self._me_changed)
        self.watch(self.app, "me_error", self._me_failed)

    def _me_failed(self, sentence: str) -> None:
        if sentence:
            self.query_one("#teams-message", Static).update(Content(sentence))

    def _me_changed(self, me: Me | None) -> None:
        section = self.query_one("#teams-section")
        gate = self.query_one("#teams-gate")
        message = self.query_one("#teams-message", Static)
        if me is None:
            return
        message.display = False
        self.query_one("#add-team").display = self.can_create
        if not me.workspace.teams_enabled:
            self.set_focus(None)
            section.display = False
            gate.remove_children()
            gate.mount(PlanGate(me))
            gate.display = True
        else:
            gate.display = False
            section.display = True
            self.query_one(TeamTable).focus()
            self.reload()
        self.refresh_bindings()

    def on_screen_resume(self) -> None:
        if self.teams_enabled:
            self.reload()

    # -- loading a page ---------------------------------------------------------------------

    def reload(self) -> None:
        self._load(self.query_text, self.page_offset)

    @work(thread=True, exclusive=True, group="teams", exit_on_error=False)
    def _load(self, query: str, offset: int) -> None:
        core, actor = self.core, self.actor
        page = core.list_teams(actor, query=query, offset=offset, limit=PAGE_SIZE)
        overall = core.list_teams(actor, limit=0).total if query.strip() else page.total
        if not get_current_worker().is_cancelled:
            self.post_message(self.PageLoaded(query, page, overall))

    def on_team_list_screen_page_loaded(self, message: PageLoaded) -> None:
        if message.query != self.query_text:
            return  # an answer for what the filter said before; the newer one is on its way
        page = message.page
        if not page.items and page.offset > 0 and page.total:
            # The page emptied under us (teams deleted elsewhere): show the last one there is.
            self.page_offset = (page.total - 1) // PAGE_SIZE * PAGE_SIZE
            self.reload()
            return
        self.page, self.overall = page, message.overall
        self._teams = {str(team.id): team for team in page.items}
        table = self.query_one(TeamTable)
        table.set_rows(
            [
                (
                    str(team.id),
                    (
                        cell(team.name, "bold"),
                        cell(team.description, "dim"),
                        cell(f"{team.member_count:,}", justify="right"),
                        cell(role_label(team.my_role)),
                    ),
                )
                for team in page.items
            ]
        )
        self.query_one("#teams-count", Static).update(Content(self._count_text()))
        empty = self.query_one("#teams-empty", Static)
        empty.display = not page.items
        table.display = bool(page.items)
        if not page.items:
            empty.update(self._empty_text())
        if self._cursor_after_load is not None and page.items:
            table.move_cursor(row=min(self._cursor_after_load, len(page.items) - 1))
        self._cursor_after_load = None
        self.refresh_bindings()

    def _count_text(self) -> str:
        assert self.page is not None
        page, total = self.page, self.page.total
        shown = f"{page.offset + 1:,}–{page.offset + len(page.items):,} of {total:,}"
        if not self.query_text.strip():
            return count(total, "team") if total <= PAGE_SIZE else f"{shown} teams"
        if total <= PAGE_SIZE:
            return f"{total:,} of {count(self.overall, 'team')}"
        return f"{shown} matching · {count(self.overall, 'team')}"

    def _empty_text(self) -> Content:
        if self.query_text.strip():
            return Content.from_markup("No team matches “$query”.", query=self.query_text.strip())
        if self.can_create:
            return Content("No teams yet. Press a to add the first one.")
        return Content(
            "You are not in any team yet. A team owner or a workspace admin can add you."
        )

    # -- filter and pages -----------------------------------------------------------------------

    @on(Input.Changed, "#teams-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, lambda: self._apply_filter(event.value))

    def _apply_filter(self, value: str) -> None:
        self.query_text, self.page_offset = value, 0
        self.reload()

    @on(Input.Submitted, "#teams-filter")
    def _filter_done(self) -> None:
        self.query_one(TeamTable).focus()

    def action_focus_filter(self) -> None:
        self.query_one("#teams-filter", Input).focus()

    def _page_offset(self, step: int) -> int | None:
        if self.page is None:
            return None
        offset = self.page_offset + step * PAGE_SIZE
        return offset if 0 <= offset < self.page.total else None

    def action_page(self, step: int) -> None:
        offset = self._page_offset(step)
        if offset is not None:
            self.page_offset = offset
            self._cursor_after_load = 0 if step > 0 else PAGE_SIZE - 1
            self.reload()

    @on(ResponsiveTable.PageRequested)
    def _page_requested(self, event: ResponsiveTable.PageRequested) -> None:
        self.action_page(event.step)

    def action_reload(self) -> None:
        self.reload()

    # -- actions ------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#teams-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        team = self._teams.get(str(event.row_key.value))
        if team is not None:
            self.auxot.open_team(team)

    @on(Button.Pressed, "#add-team")
    def action_add_team(self) -> None:
        if self.can_create:
            self.auxot.add_team()
