"""Team → Activity: the team's audit events, newest first, a page at a time."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from core.views import AuditView, TeamAccess
from tui.bindings import HISTORY
from tui.format import action_label, audit_details, audit_target, cell, minute
from tui.widgets.table import Column, ResponsiveTable, theme_color
from tui.workers import CoreClient

PAGE_SIZE = 50

COLUMNS = (
    Column("when", "When", width=16),
    Column("who", "Who", min_width=10),
    Column("action", "Action", width=16),
    Column("target", "Target", min_width=10),
    Column("outcome", "Outcome", width=7),
)

# outcome → (theme colour, fallback, bold)
_OUTCOME_STYLE = {
    "ok": ("text-success", "green", False),
    "denied": ("text-error", "red", True),
    "failed": ("text-error", "red", True),
}


class ActivityTab(CoreClient, Vertical):
    BINDINGS: ClassVar = [
        Binding("left_square_bracket", "newer", "Newer", id="activity.newer", group=HISTORY),
        Binding("right_square_bracket", "older", "Older", id="activity.older", group=HISTORY),
    ]

    access: reactive[TeamAccess | None] = reactive(None)

    class Loaded(Message):
        def __init__(self, events: list[AuditView], before_id: int | None) -> None:
            super().__init__()
            self.events = events
            self.before_id = before_id

    def __init__(self, team_id: int, id: str | None = None) -> None:
        super().__init__(id=id)
        self.team_id = team_id
        self.events: list[AuditView] = []
        # before_id of each page shown so far: [None] is the newest page.
        self._pages: list[int | None] = [None]
        self._by_key: dict[str, AuditView] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(classes="tab-toolbar"):
            yield Static("", id="activity-count", classes="tab-count")
        yield ResponsiveTable(COLUMNS, id="activity-table")
        yield Static("", id="activity-detail")

    def on_mount(self) -> None:
        self.watch(self.app, "theme", lambda _theme: self._show_rows(), init=False)
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "older":
            return len(self.events) >= PAGE_SIZE or (None if len(self._pages) > 1 else False)
        if action == "newer":
            if len(self._pages) <= 1:
                return False if len(self.events) < PAGE_SIZE else None
            return True
        return True

    def reload(self) -> None:
        self._load(self._pages[-1])

    @work(thread=True, exclusive=True, group="activity", exit_on_error=False)
    def _load(self, before_id: int | None) -> None:
        events = self.core.list_audit(
            self.actor, team=self.team_id, limit=PAGE_SIZE, before_id=before_id
        )
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(events, before_id))

    def on_activity_tab_loaded(self, message: Loaded) -> None:
        self.events = message.events
        self._by_key = {str(event.id): event for event in self.events}
        self._show_rows()
        page = len(self._pages)
        if not self.events:
            text = "No activity yet."
        elif page == 1 and len(self.events) < PAGE_SIZE:
            text = f"{len(self.events)} events, newest first"
        else:
            text = f"Page {page}, newest first"
        self.query_one("#activity-count", Static).update(Content(text))
        self._show_detail()
        self.screen.refresh_bindings()

    def _show_rows(self) -> None:
        self.query_one("#activity-table", ResponsiveTable).set_rows(
            [
                (
                    str(event.id),
                    (
                        cell(minute(event.at)),
                        cell(event.actor),
                        cell(action_label(event.action)),
                        cell(audit_target(event.target)),
                        cell(event.outcome, self._outcome_style(event.outcome)),
                    ),
                )
                for event in self.events
            ]
        )

    def _outcome_style(self, outcome: str) -> str:
        name, fallback, bold = _OUTCOME_STYLE.get(outcome, ("", "", False))
        color = theme_color(self, name, fallback) if name else ""
        return f"bold {color}" if bold else color

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        """The highlighted event in full, as the columns cut long targets and reasons."""
        key = self.query_one("#activity-table", ResponsiveTable).current_key
        event = self._by_key.get(key) if key else None
        detail = self.query_one("#activity-detail", Static)
        if event is None:
            detail.update("")
            return
        summary = audit_details(event.details)
        detail.update(
            Content.from_markup(
                "[b]$who[/b] $action [b]$target[/b]$summary",
                who=event.actor,
                action=action_label(event.action),
                target=audit_target(event.target),
                summary=f" ({summary})" if summary else "",
            )
        )

    def action_older(self) -> None:
        if len(self.events) >= PAGE_SIZE:
            self._pages.append(min(event.id for event in self.events))
            self.reload()

    def action_newer(self) -> None:
        if len(self._pages) > 1:
            self._pages.pop()
            self.reload()
