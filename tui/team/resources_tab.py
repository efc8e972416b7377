"""Team → Resources: the team's agents, skills, context files and tool policies. Admins and
owners add and delete them; members see them.

The list is a virtual table over core's ``list_resources``, filtered by name in SQL."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Static
from textual.worker import get_current_worker

from core.permissions import TeamAction
from core.usecases import commands as uc
from core.usecases.commands import CreateResource, DeleteResource, ListResources, PageRequest
from core.views import Page, ResourceView
from tui.bindings import RESOURCES
from tui.dialogs.confirm import ConfirmModal
from tui.dialogs.resource import NewResource, ResourceModal
from tui.dialogs.resource_editor import ResourceChange, ResourceEditorModal
from tui.format import cell, kind_label, plain, safe_markup, shown_count
from tui.team.messages import TeamChanged
from tui.team.tab import TeamTab
from tui.widgets.list_filter import ListFilter
from tui.widgets.table import Column
from tui.widgets.virtual_table import RowSource, VirtualTable

COLUMNS = (
    Column("kind", "Kind", width=12),
    Column("name", "Name", min_width=14, weight=2),
    Column("body", "Body", min_width=14, weight=3),
)


class ResourcesTab(TeamTab, Vertical):
    BINDINGS: ClassVar = [
        Binding(
            "a,n",
            "add",
            "Add resource",
            tooltip="An agent, skill, context file or tool policy",
            id="resources.add",
            group=RESOURCES,
        ),
        Binding(
            "o",
            "open",
            "Open",
            tooltip="Read the selected resource; admins edit or move it",
            id="resources.open",
            group=RESOURCES,
        ),
        Binding(
            "x,delete",
            "delete",
            "Delete",
            tooltip="Delete the selected resource",
            id="resources.delete",
            group=RESOURCES,
        ),
        # Not in the footer: at 80 columns it would push out ? Help. Help lists it.
        Binding("slash", "focus_filter", "Filter", id="resources.filter", group=RESOURCES),
    ]

    class Counted(Message):
        """How many resources the team has, whatever the filter says."""

        def __init__(self, overall: int) -> None:
            super().__init__()
            self.overall = overall

    def __init__(self, team_id: int, id: str | None = None) -> None:
        super().__init__(id=id)
        self.team_id = team_id
        self.query_text = ""
        self.overall: int | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="tab-toolbar"):
            yield Static("", id="resources-count", classes="tab-count")
            yield Static(
                plain("Only the team's admins and owners manage resources."), classes="tab-hint"
            )
            yield Button("Add resource", id="resources-add", variant="primary", compact=True)
            yield Button("Delete", id="resources-delete", variant="error", compact=True)
        yield ListFilter("#resources-table", "Filter by name (Esc clears)", id="resources-filter")
        yield VirtualTable(COLUMNS, id="resources-table")
        yield Static("", id="resources-empty", classes="tab-empty")

    @property
    def table(self) -> VirtualTable[ResourceView]:
        return self.query_one("#resources-table", VirtualTable)

    def on_mount(self) -> None:
        self._show_buttons()
        self.query_one("#resources-empty").display = False
        self.reload()

    @property
    def can_manage(self) -> bool:
        return self.access is not None and self.access.can(TeamAction.MANAGE_RESOURCES)

    @property
    def selected(self) -> ResourceView | None:
        """The highlighted resource; none before the tab is first shown."""
        return self.table.current_row if self.is_mounted else None

    def watch_access(self) -> None:
        if self.is_mounted:
            self._show_buttons()
            self._show_empty()
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
        if action == "focus_filter":  # (before the tab is first shown, it has no screen)
            return not (self.is_attached and isinstance(self.screen.focused, Input))
        if action == "open":
            return self.selected is not None
        return True

    # -- loading ------------------------------------------------------------------------------------

    def reload(self) -> None:
        table = self.table
        if table.source is None:
            table.show(self._source(self.query_text))
        else:
            table.refresh_rows()
        self._count_all()

    def _source(self, query: str) -> RowSource[ResourceView]:
        run, team = self.run, self.team_id

        def fetch(offset: int, limit: int, _total: int | None) -> Page[ResourceView]:
            return run(ListResources(team, None, query, PageRequest(offset, limit)))

        return RowSource(fetch, key=lambda resource: str(resource.id), cells=self._cells)

    @staticmethod
    def _cells(resource: ResourceView) -> tuple[Text, ...]:
        return (
            cell(kind_label(resource.kind)),
            cell(resource.name, "bold"),
            cell(resource.body, "dim"),
        )

    @work(thread=True, exclusive=True, group="resources-count", exit_on_error=False)
    def _count_all(self) -> None:
        overall = self.run(ListResources(self.team_id, page=PageRequest(limit=0))).total
        if not get_current_worker().is_cancelled:
            self.post_message(self.Counted(overall))

    def on_resources_tab_counted(self, message: Counted) -> None:
        self.overall = message.overall
        self._show_count()

    @on(VirtualTable.Loaded, "#resources-table")
    def _loaded(self) -> None:
        self._show_count()
        self._show_empty()
        self.screen.refresh_bindings()

    def _show_count(self) -> None:
        total = self.table.total
        filtered = bool(self.query_text.strip())
        text = "" if total is None else shown_count(total, self.overall, "resource", filtered)
        self.query_one("#resources-count", Static).update(plain(text))

    def _show_empty(self) -> None:
        table = self.table
        empty = self.query_one("#resources-empty", Static)
        empty.display = table.total == 0
        table.display = not empty.display
        if not empty.display:
            return
        if self.query_text.strip():
            empty.update(
                safe_markup("No resource matches “$query”.", query=self.query_text.strip())
            )
            return
        hint = (
            " Press a to add an agent, skill, context file or tool policy."
            if self.can_manage
            else ""
        )
        empty.update(plain("This team has no resources yet." + hint))

    @on(Input.Changed, "#resources-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.table.show(self._source(event.value))

    def action_focus_filter(self) -> None:
        self.query_one("#resources-filter", ListFilter).open()

    @on(VirtualTable.RowHighlighted, "#resources-table")
    def _highlighted(self) -> None:
        self.screen.refresh_bindings()

    # -- add and delete -----------------------------------------------------------------------------

    @on(Button.Pressed, "#resources-add")
    def action_add(self) -> None:
        if not self.can_manage or self.access is None:
            return
        team_id = self.team_id

        def create(new: NewResource) -> ResourceView:
            created: ResourceView = self.run(CreateResource(new.kind, new.name, team_id, new.body))
            return created

        def changed(resource: ResourceView) -> TeamChanged:
            return TeamChanged(f"Created {kind_label(resource.kind).lower()} {resource.name}.")

        self.app.push_screen(ResourceModal(self.access.team.name, self.committing(create, changed)))

    @on(VirtualTable.RowSelected, "#resources-table")
    def action_open(self) -> None:
        resource = self.selected
        if resource is None:
            return
        core, actor = self.core, self.actor

        def save(change: ResourceChange) -> ResourceView:  # in the dialog's worker
            if change.empty:
                return resource
            edit = uc.EditResource(
                resource.id, change.name, change.body, change.move_to, change.to_workspace
            )
            return core.run(actor, edit)

        def saved(result: ResourceView | None) -> None:
            if result is not None and result is not resource:
                where = f" (now in {result.team_name or 'the whole workspace'})"
                moved = where if result.team_id != resource.team_id else ""
                self.post_message(
                    TeamChanged(f"Saved {kind_label(result.kind)} {result.name}{moved}.")
                )

        modal = ResourceEditorModal(resource, save, can_edit=self.can_manage)
        self.app.push_screen(modal, saved)

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
                plain(f"Delete {kind_label(resource.kind).lower()}?"),
                safe_markup(
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
        self.run(DeleteResource(resource.id))
        self.post_message(
            TeamChanged(f"Deleted {kind_label(resource.kind).lower()} {resource.name}.")
        )
