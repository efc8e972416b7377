"""Team → Activity: the team's audit events, newest first, the whole log in one list.

The list is a virtual table over core's ``list_audit``: only the events in view are read,
and End reads the oldest ones from the far end of the log."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from core.usecases.commands import ListAudit, PageRequest
from core.views import AuditView, Page
from tui.format import (
    action_label,
    audit_details,
    audit_target,
    cell,
    count,
    minute,
    plain,
    safe_markup,
)
from tui.team.tab import TeamTab
from tui.widgets.table import Column, theme_color
from tui.widgets.virtual_table import RowSource, VirtualTable, nearer_end

COLUMNS = (
    Column("when", "When", width=16),
    Column("who", "Who", min_width=10),
    Column("action", "Action", width=16),
    Column("target", "Target", min_width=10, weight=2),  # gets the spare width
    Column("outcome", "Outcome", width=7),
)

# outcome → (theme colour, fallback, bold)
_OUTCOME_STYLE = {
    "ok": ("text-success", "green", False),
    "denied": ("text-error", "red", True),
    "failed": ("text-error", "red", True),
}


class ActivityTab(TeamTab, Vertical):
    def __init__(self, team_id: int, id: str | None = None) -> None:
        super().__init__(id=id)
        self.team_id = team_id

    def compose(self) -> ComposeResult:
        with Horizontal(classes="tab-toolbar"):
            yield Static("", id="activity-count", classes="tab-count")
        yield VirtualTable(COLUMNS, id="activity-table")
        yield Static("", id="activity-detail")

    @property
    def table(self) -> VirtualTable[AuditView]:
        return self.query_one("#activity-table", VirtualTable)

    def on_mount(self) -> None:
        self.reload()  # (the table redraws itself when the theme changes)

    def reload(self) -> None:
        if self.table.source is None:
            self.table.show(self._source())
        else:
            self.table.refresh_rows()

    def _source(self) -> RowSource[AuditView]:
        run, team = self.run, self.team_id

        def fetch(offset: int, limit: int, total: int | None) -> Page[AuditView]:
            return run(ListAudit(team, PageRequest(*nearer_end(offset, limit, total))))

        return RowSource(fetch, key=lambda event: str(event.id), cells=self._cells)

    def _cells(self, event: AuditView) -> tuple[Text, ...]:
        return (
            cell(minute(event.at)),
            cell(event.actor),
            cell(action_label(event.action)),
            cell(audit_target(event.target)),
            cell(event.outcome, self._outcome_style(event.outcome)),
        )

    def _outcome_style(self, outcome: str) -> str:
        name, fallback, bold = _OUTCOME_STYLE.get(outcome, ("", "", False))
        color = theme_color(self, name, fallback) if name else ""
        return f"bold {color}" if bold else color

    @on(VirtualTable.Loaded, "#activity-table")
    def _loaded(self, event: VirtualTable.Loaded) -> None:
        text = f"{count(event.total, 'event')}, newest first" if event.total else "No activity yet."
        self.query_one("#activity-count", Static).update(plain(text))

    @on(VirtualTable.RowHighlighted, "#activity-table")
    def _show_detail(self, event: VirtualTable.RowHighlighted) -> None:
        """The highlighted event in full, as the columns cut long targets and reasons."""
        detail = self.query_one("#activity-detail", Static)
        audit = event.row
        if not isinstance(audit, AuditView):
            detail.update("")
            return
        summary = audit_details(audit.details)
        detail.update(
            safe_markup(
                "[b]$who[/b] $action [b]$target[/b]$summary",
                who=audit.actor,
                action=action_label(audit.action),
                target=audit_target(audit.target),
                summary=f" ({summary})" if summary else "",
            )
        )
