"""Team → Resources: the team's agents, skills, context files and tool policies. Admins and
owners add and delete them; members see them."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, DataTable, Static
from textual.worker import get_current_worker

from core.permissions import TeamAction
from core.views import ResourceView, TeamAccess
from tui.bindings import PAGES, RESOURCES
from tui.format import cell, count, kind_label
from tui.messages import TeamChanged
from tui.screens.confirm import ConfirmModal
from tui.screens.resource import NewResource, ResourceModal
from tui.widgets.table import Column, ResponsiveTable
from tui.workers import CoreClient

# Core returns a team's resources in one list; the table still gets one page at a time.
PAGE_SIZE = 100

COLUMNS = (
    Column("kind", "Kind", width=12),
    Column("name", "Name", min_width=14, weight=2),
    Column("body", "Body", min_width=14, weight=3),
)


class ResourcesTab(CoreClient, Vertical):
    BINDINGS: ClassVar = [
        Binding("a,n", "add", "Add resource", id="resources.add", group=RESOURCES),
        Binding("x,delete", "delete", "Delete", id="resources.delete", group=RESOURCES),
        Binding(
            "left_square_bracket",
            "page(-1)",
            "Previous page",
            id="resources.previous_page",
            group=PAGES,
        ),
        Binding(
            "right_square_bracket", "page(1)", "Next page", id="resources.next_page", group=PAGES
        ),
    ]

    access: reactive[TeamAccess | None] = reactive(None)

    class Loaded(Message):
        def __init__(self, resources: list[ResourceView]) -> None:
            super().__init__()
            self.resources = resources

    def __init__(self, team_id: int, id: str | None = None) -> None:
        super().__init__(id=id)
        self.team_id = team_id
        self.page_offset = 0
        self.resources: list[ResourceView] = []
        self._loaded = False
        self._by_key: dict[str, ResourceView] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(classes="tab-toolbar"):
            yield Static("", id="resources-count", classes="tab-count")
            yield Static(
                Content("Only the team's admins and owners manage resources."), classes="tab-hint"
            )
            yield Button("Add resource", id="resources-add", variant="primary", compact=True)
            yield Button("Delete", id="resources-delete", variant="error", compact=True)
        yield ResponsiveTable(COLUMNS, id="resources-table")
        yield Static("", id="resources-empty", classes="tab-empty")

    def on_mount(self) -> None:
        self._show_buttons()
        self.query_one("#resources-empty").display = False
        self.reload()

    @property
    def can_manage(self) -> bool:
        return self.access is not None and self.access.can(TeamAction.MANAGE_RESOURCES)

    @property
    def selected(self) -> ResourceView | None:
        key = self.query_one("#resources-table", ResponsiveTable).current_key
        return self._by_key.get(key) if key else None

    def watch_access(self) -> None:
        if self.is_mounted:
            self._show_buttons()
            if self._loaded:
                self._show_page()
            self.screen.refresh_bindings()

    def _show_buttons(self) -> None:
        for button in self.query(".tab-toolbar Button"):
            button.display = self.can_manage
        self.query_one(".tab-hint").display = self.access is not None and not self.can_manage

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add", "delete"):
            if not self.can_manage:
                return False
            if action == "delete" and self.selected is None:
                return None
        if action == "page":
            if len(self.resources) <= PAGE_SIZE:
                return False
            return self._page_offset(int(parameters[0])) is not None or None  # type: ignore[call-overload]
        return True

    # -- loading ------------------------------------------------------------------------------------

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="resources", exit_on_error=False)
    def _load(self) -> None:
        resources = self.core.list_resources(self.actor, self.team_id)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(resources))

    def on_resources_tab_loaded(self, message: Loaded) -> None:
        self.resources = message.resources
        self._loaded = True
        if self.page_offset >= len(self.resources):
            self.page_offset = max(0, (len(self.resources) - 1) // PAGE_SIZE * PAGE_SIZE)
        self._show_page()

    def _show_page(self) -> None:
        page = self.resources[self.page_offset : self.page_offset + PAGE_SIZE]
        self._by_key = {str(resource.id): resource for resource in page}
        table = self.query_one("#resources-table", ResponsiveTable)
        table.set_rows(
            [
                (
                    str(resource.id),
                    (
                        cell(kind_label(resource.kind)),
                        cell(resource.name, "bold"),
                        cell(resource.body, "dim"),
                    ),
                )
                for resource in page
            ]
        )
        total = len(self.resources)
        if total <= PAGE_SIZE:
            text = count(total, "resource")
        else:
            text = (
                f"{self.page_offset + 1:,}–{self.page_offset + len(page):,} of {total:,} resources"
            )
        self.query_one("#resources-count", Static).update(Content(text))
        empty = self.query_one("#resources-empty", Static)
        empty.display = not page
        table.display = bool(page)
        if not page:
            hint = (
                " Press a to add an agent, skill, context file or tool policy."
                if self.can_manage
                else ""
            )
            empty.update(Content("This team has no resources yet." + hint))
        self.screen.refresh_bindings()

    def _page_offset(self, step: int) -> int | None:
        offset = self.page_offset + step * PAGE_SIZE
        return offset if 0 <= offset < len(self.resources) else None

    def action_page(self, step: int) -> None:
        offset = self._page_offset(step)
        if offset is not None:
            self.page_offset = offset
            self._show_page()
            self.query_one("#resources-table", ResponsiveTable).move_cursor(row=0)

    @on(ResponsiveTable.PageRequested)
    def _page_requested(self, event: ResponsiveTable.PageRequested) -> None:
        self.action_page(event.step)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.screen.refresh_bindings()

    # -- add and delete -----------------------------------------------------------------------------

    @on(Button.Pressed, "#resources-add")
    def action_add(self) -> None:
        if not self.can_manage or self.access is None:
            return
        core, actor, team_id = self.core, self.actor, self.team_id

        def create(new: NewResource) -> ResourceView:
            return core.create_resource(actor, new.kind, new.name, team=team_id, body=new.body)

        def created(resource: ResourceView | None) -> None:
            if resource is not None:
                self.post_message(
                    TeamChanged(f"Created {kind_label(resource.kind).lower()} {resource.name}.")
                )

        self.app.push_screen(ResourceModal(self.access.team.name, create), created)

    @on(Button.Pressed, "#resources-delete")
    def action_delete(self) -> None:
        resource = self.selected
        if resource is None or not self.can_manage:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._delete(resource)

        self.app.push_screen(
            ConfirmModal(
                Content(f"Delete {kind_label(resource.kind).lower()}?"),
                Content.from_markup(
                    "Delete the $kind [b]$name[/b]? Members of the team can no longer use it.",
                    kind=kind_label(resource.kind).lower(),
                    name=resource.name,
                ),
                "Delete",
            ),
            confirmed,
        )

    @work(thread=True, exclusive=True, group="resources-change", exit_on_error=False)
    def _delete(self, resource: ResourceView) -> None:
        self.core.delete_resource(self.actor, resource.id)
        self.post_message(
            TeamChanged(f"Deleted {kind_label(resource.kind).lower()} {resource.name}.")
        )
