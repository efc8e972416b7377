"""Settings › People: every account in the workspace, and offboarding someone who leaves.

Workspace admins and owners reach it from the team list with p. The list is a virtual table
read a page at a time from core, filtered in SQL by name or email; o on a person opens the
offboarding dialog, which shows core's plan before anything runs. Escape goes back."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static

from core.permissions import WorkspaceAction
from core.usecases.commands import ListUsers, PageRequest
from core.views import UserView
from tui.bindings import NAVIGATE, PEOPLE
from tui.commands import PaletteCommand, binding_commands
from tui.dialogs.offboard import OffboardModal
from tui.format import cell, plain, role_label, safe_markup, shown_count
from tui.widgets.breadcrumb import Breadcrumb
from tui.widgets.footer import AuxotFooter
from tui.widgets.header import WorkspaceHeader
from tui.widgets.list_filter import ListFilter
from tui.widgets.table import Column, theme_color
from tui.widgets.virtual_table import RowSource, VirtualTable
from tui.workers import CoreClient

if TYPE_CHECKING:
    from core.views import OffboardingPlan, Page

COLUMNS = (
    Column("name", "Name", min_width=14, weight=2),
    Column("email", "Email", min_width=16, weight=3),
    Column("role", "Role", width=6),  # the workspace role: this is the workspace's list
    Column("status", "Status", width=11),
)


class PeopleScreen(CoreClient, Screen[None]):
    help_title = "Settings › People"
    AUTO_FOCUS = "#people-table"
    BINDINGS: ClassVar = [
        Binding("escape", "back", "Back", id="people.back", group=NAVIGATE),
        Binding(
            "o",
            "offboard",
            "Offboard…",
            tooltip="Remove the highlighted person from every team and deactivate them",
            id="people.offboard",
            group=PEOPLE,
        ),
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            tooltip="Type part of a name or an email",
            id="people.filter",
            group=PEOPLE,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_text = ""
        self.overall: int | None = None  # accounts in all, whatever the filter says

    @property
    def table(self) -> VirtualTable[UserView]:
        return self.query_one("#people-table", VirtualTable)

    @property
    def can_manage(self) -> bool:
        return self.may(WorkspaceAction.MANAGE_USERS)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "offboard":
            if not self.can_manage:
                return False
            return None if self.table.current_row is None else True
        if action == "focus_filter":
            return not isinstance(self.focused, Input)
        return True

    def palette_commands(self) -> list[PaletteCommand]:
        return binding_commands(self)

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield WorkspaceHeader()
        yield Breadcrumb("Settings", "People", id="breadcrumb")
        with Vertical(id="people-section"):
            yield Static("", id="people-count")
            yield ListFilter(
                "#people-table", "Filter by name or email (Esc clears)", id="people-filter"
            )
            yield VirtualTable(COLUMNS, id="people-table")
            yield Static("", id="people-empty", classes="tab-empty")
        yield AuxotFooter()

    def on_mount(self) -> None:
        self.query_one("#people-empty").display = False
        self.reload()

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        table = self.table
        if table.source is None:
            table.show(self._source(self.query_text))
        else:
            table.refresh_rows()

    def _source(self, query: str) -> RowSource[UserView]:
        run = self.run

        def fetch(offset: int, limit: int, _total: int | None) -> Page[UserView]:
            return run(ListUsers(query, PageRequest(offset, limit)))

        return RowSource(fetch, key=lambda user: str(user.id), cells=self._cells)

    def _cells(self, user: UserView) -> tuple[Text, ...]:
        name = cell(user.display_name, "bold")
        if user.id == self.actor.user_id:
            name.append(" (you)", style="dim")
        return (
            name,
            cell(user.email),
            cell(role_label(user.workspace_role)),
            cell(
                user.status,
                "dim" if user.active else f"bold {theme_color(self, 'text-error', 'red')}",
            ),
        )

    @on(VirtualTable.Loaded, "#people-table")
    def _loaded(self, event: VirtualTable.Loaded) -> None:
        filtered = bool(self.query_text.strip())
        if not filtered:
            self.overall = event.total
        text = shown_count(event.total, self.overall, "account", filtered)
        self.query_one("#people-count", Static).update(plain(text))
        empty = self.query_one("#people-empty", Static)
        empty.display = event.total == 0
        self.table.display = not empty.display
        if empty.display:
            empty.update(self._empty_text())
        self.refresh_bindings()

    def _empty_text(self) -> Content:
        query = self.query_text.strip()
        if query:
            return safe_markup("Nobody matches “$query”.", query=query)
        return plain("No accounts.")

    @on(VirtualTable.RowHighlighted, "#people-table")
    def _highlighted(self) -> None:
        self.refresh_bindings()

    # -- the filter ---------------------------------------------------------------------------

    @on(Input.Changed, "#people-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.table.show(self._source(event.value))

    def action_focus_filter(self) -> None:
        self.query_one("#people-filter", ListFilter).open()

    # -- actions ------------------------------------------------------------------------------

    def action_offboard(self) -> None:
        person = self.table.current_row
        if person is not None and self.can_manage:
            self.app.push_screen(OffboardModal(person), self._offboarded)

    def _offboarded(self, done: OffboardingPlan | None) -> None:
        if done is not None:
            self.notify(f"Offboarded {done.email}; the account is deactivated.", markup=False)
            self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()
