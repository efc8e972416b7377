"""Settings → Teams: the teams you may see, filtered as you type.

The list is a virtual table: however many teams there are, only the rows in view are read
(a page of 200 at a time, in a worker) and drawn; the filter runs in core's SQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Static
from textual.worker import get_current_worker

from core.permissions import WorkspaceAction
from core.usecases.commands import ListTeams, PageRequest
from tui.bindings import TEAMS, WORKSPACE
from tui.commands import PaletteCommand, binding_commands
from tui.format import cell, count, plain, role_label, safe_markup, shown_count
from tui.widgets.breadcrumb import Breadcrumb
from tui.widgets.footer import AuxotFooter
from tui.widgets.header import WorkspaceHeader
from tui.widgets.list_filter import FilterInput
from tui.widgets.plan_gate import PlanGate
from tui.widgets.table import Column
from tui.widgets.virtual_table import RowSource, VirtualTable
from tui.workers import CoreClient

if TYPE_CHECKING:
    from core.views import Me, Page, TeamView
    from tui.dialogs.agent_result import AgentChanged  # the agent is imported when opened

COLUMNS = (
    Column("name", "Name", min_width=16, weight=2),
    Column("description", "Description", min_width=12, weight=3),
    Column("members", "Members", width=7, justify="right"),
    Column("role", "Your role", width=9),
)


class TeamTable(VirtualTable["TeamView"]):
    BINDINGS: ClassVar = [
        Binding("enter", "select_cursor", "Open team", id="teams.open", group=TEAMS),
    ]


class TeamFilter(FilterInput):
    BINDINGS: ClassVar = [
        Binding("down", "leave", "To the list", show=False, id="teams.filter.leave", group=TEAMS),
        Binding("escape", "clear", "Clear filter", id="teams.filter.clear", group=TEAMS),
    ]


class TeamListScreen(CoreClient, Screen[None]):
    help_title = "Settings › Teams"
    AUTO_FOCUS = ""  # nothing until the workspace is known: then the table, or the plan gate
    BINDINGS: ClassVar = [
        Binding(
            "a,n",
            "add_team",
            "Add team",
            tooltip="Create a team; you become its owner",
            id="teams.add",
            group=TEAMS,
        ),
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            tooltip="Type part of a team's name",
            id="teams.filter",
            group=TEAMS,
        ),
        Binding(
            "d",
            "deleted_teams",
            "Deleted",
            tooltip="Deleted teams you could restore",
            id="teams.deleted",
            group=TEAMS,
        ),
        Binding(
            "p",
            "people",
            "People",
            tooltip="Every account in the workspace; offboard someone who leaves",
            id="workspace.people",
            group=WORKSPACE,
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            tooltip="Read the list again",
            id="teams.reload",
            group=TEAMS,
        ),
    ]

    class Counted(Message):
        """How many teams the actor may see, whatever the filter says."""

        def __init__(self, overall: int) -> None:
            super().__init__()
            self.overall = overall

    def __init__(self) -> None:
        super().__init__()
        self.query_text = ""  # what the list was last asked for
        self.overall: int | None = None

    # -- what the user may do --------------------------------------------------------------

    @property
    def me(self) -> Me | None:
        return self.auxot.me

    @property
    def teams_enabled(self) -> bool:
        return self.me is not None and self.me.workspace.teams_enabled

    @property
    def can_create(self) -> bool:
        return self.teams_enabled and self.may(WorkspaceAction.CREATE_TEAM)

    @property
    def can_manage_people(self) -> bool:
        return self.may(WorkspaceAction.MANAGE_USERS)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add_team":
            return self.can_create
        if action == "focus_filter":
            return self.teams_enabled and not isinstance(self.focused, FilterInput)
        if action in ("reload", "deleted_teams"):
            return self.teams_enabled
        if action == "people":
            return self.can_manage_people
        return True

    def palette_commands(self) -> list[PaletteCommand]:
        return binding_commands(self)

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield WorkspaceHeader()
        yield Breadcrumb("Settings", "Teams", id="breadcrumb")
        with Vertical(id="teams-section"):
            with Horizontal(id="teams-toolbar"):
                yield TeamFilter(
                    "#teams-table", "Filter teams by name  ( / )", id="teams-filter", compact=False
                )
                yield Static("", id="teams-count")
                yield Button("Add team", id="add-team", variant="primary", compact=True)
            yield TeamTable(COLUMNS, id="teams-table")
            yield Static("", id="teams-empty")
        yield Vertical(id="teams-gate")
        yield Static(plain("Loading…"), id="teams-message")
        yield AuxotFooter()

    def on_mount(self) -> None:
        self.query_one("#teams-section").display = False
        self.query_one("#teams-gate").display = False
        self.query_one("#teams-empty").display = False
        self.watch(self.app, "me", self._me_changed)
        self.watch(self.app, "me_error", self._me_failed)

    def _me_failed(self, sentence: str) -> None:
        if sentence:
            self.query_one("#teams-message", Static).update(plain(sentence))

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

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the list again where it stands (the same filter), and the overall count."""
        table = self.query_one(TeamTable)
        if table.source is None:
            table.show(self._source(self.query_text))
        else:
            table.refresh_rows()
        self._count_all()

    def _source(self, query: str) -> RowSource[TeamView]:
        run = self.run

        def fetch(offset: int, limit: int, _total: int | None) -> Page[TeamView]:
            return run(ListTeams(query, PageRequest(offset, limit)))

        return RowSource(fetch, key=lambda team: str(team.id), cells=self._cells)

    @staticmethod
    def _cells(team: TeamView) -> tuple[Text, ...]:
        description = cell(team.description, "dim")
        if team.keys_expiring:  # shown to those who manage the team's keys
            soon = count(team.keys_expiring, "key")
            description = Text.assemble(
                (f"⚠ {soon} expiring · ", "bold yellow"),
                description,
                no_wrap=True,
                overflow="ellipsis",
                end="",
            )
        return (
            cell(team.name, "bold"),
            description,
            cell(f"{team.member_count:,}", justify="right"),
            cell(role_label(team.my_role)),
        )

    @work(thread=True, exclusive=True, group="teams-count", exit_on_error=False)
    def _count_all(self) -> None:
        overall = self.run(ListTeams(page=PageRequest(limit=0))).total
        if not get_current_worker().is_cancelled:
            self.post_message(self.Counted(overall))

    def on_team_list_screen_counted(self, message: Counted) -> None:
        self.overall = message.overall
        self._show_count()

    @on(VirtualTable.Loaded, "#teams-table")
    def _loaded(self) -> None:
        table = self.query_one(TeamTable)
        empty = self.query_one("#teams-empty", Static)
        empty.display = table.total == 0
        table.display = not empty.display
        if empty.display:
            empty.update(self._empty_text())
        self._show_count()
        self.refresh_bindings()

    def _show_count(self) -> None:
        self.query_one("#teams-count", Static).update(plain(self._count_text()))

    def _count_text(self) -> str:
        total = self.query_one(TeamTable).total
        if total is None:
            return ""
        return shown_count(total, self.overall, "team", bool(self.query_text.strip()))

    def _empty_text(self) -> Content:
        if self.query_text.strip():
            return safe_markup("No team matches “$query”.", query=self.query_text.strip())
        if self.can_create:
            return plain("No teams yet. Press a to add the first one.")
        return plain("You are not in any team yet. A team owner or a workspace admin can add you.")

    # -- the filter ---------------------------------------------------------------------------

    @on(Input.Changed, "#teams-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        # Asked at once; while a read is under way the table holds later keystrokes back and
        # reads only the newest text when it answers, so fast typing costs one query or two.
        self.query_text = event.value
        self.query_one(TeamTable).show(self._source(event.value))

    def action_focus_filter(self) -> None:
        self.query_one("#teams-filter", Input).focus()

    def action_reload(self) -> None:
        self.reload()

    def on_agent_changed(self, _message: AgentChanged) -> None:
        self.reload()  # behind the admin agent's answer, at once

    def action_deleted_teams(self) -> None:
        from tui.screens.archived_teams import ArchivedTeamsScreen

        self.app.push_screen(ArchivedTeamsScreen())

    def action_people(self) -> None:
        from tui.screens.people import PeopleScreen

        if self.can_manage_people:
            self.app.push_screen(PeopleScreen())

    # -- actions ------------------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#teams-table")
    def _open(self, event: VirtualTable.RowSelected) -> None:
        self.auxot.open_team(cast("TeamView", event.row))  # this table's rows are TeamViews

    @on(Button.Pressed, "#add-team")
    def action_add_team(self) -> None:
        if self.can_create:
            self.auxot.add_team()
