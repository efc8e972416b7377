"""Settings › Teams › Deleted: the deleted teams you could restore, newest first.

Enter (or r) on one asks, then restores it in a worker; its API keys stay revoked, as the question
says. Escape goes back to the team list, which reads its list again."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from core.usecases import commands as uc
from core.views import ArchivedTeamView, Page, TeamView
from core.vocabulary import count
from tui.bindings import NAVIGATE, TEAMS
from tui.dialogs.confirm import ConfirmModal
from tui.format import plain, safe_markup
from tui.widgets.breadcrumb import Breadcrumb
from tui.widgets.footer import AuxotFooter
from tui.widgets.header import WorkspaceHeader
from tui.workers import CoreClient

SHOWN = 200  # a page of deleted teams; the count line says when there are more
HEADERS = ("Name", "Members", "Deleted", "Description")


class ArchivedTeamsScreen(CoreClient, Screen[None]):
    help_title = "Settings › Teams › Deleted"
    AUTO_FOCUS = "#archived-table"
    BINDINGS: ClassVar = [
        Binding("escape", "back", "Back", id="archived.back", group=NAVIGATE),
        Binding("r", "restore", "Restore", id="archived.restore", group=TEAMS),
    ]

    class Loaded(Message):
        def __init__(self, page: Page[ArchivedTeamView]) -> None:
            super().__init__()
            self.page = page

    class Restored(Message):
        def __init__(self, team: TeamView) -> None:
            super().__init__()
            self.team = team

    def __init__(self) -> None:
        super().__init__()
        self.teams: list[ArchivedTeamView] = []

    def compose(self) -> ComposeResult:
        yield WorkspaceHeader()
        yield Breadcrumb("Settings", "Teams", "Deleted", id="breadcrumb")
        with Vertical(id="archived-section"):
            yield Static("", id="archived-count")
            yield DataTable(id="archived-table", cursor_type="row", zebra_stripes=False)
            yield Static(
                plain("No deleted teams that you could restore."),
                id="archived-empty",
                classes="tab-empty",
            )
        yield AuxotFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*HEADERS)
        self.query_one("#archived-empty").display = False
        self._load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "restore":
            return bool(self.teams)
        return True

    @work(thread=True, exclusive=True, group="archived-read", exit_on_error=False)
    def _load(self) -> None:
        page = self.core.run(self.actor, uc.ListArchivedTeams(uc.PageRequest(limit=SHOWN)))
        self.post_message(self.Loaded(page))

    def on_archived_teams_screen_loaded(self, message: Loaded) -> None:
        self.teams = message.page.items
        table = self.query_one(DataTable)
        rows = [
            (
                Text(team.name),
                Text(f"{team.member_count:,}", justify="right"),
                Text(team.archived_at.strftime("%Y-%m-%d %H:%M")),
                Text(" ".join(team.description.split())),
            )
            for team in self.teams
        ]
        # Each column as wide as its widest cell, given here: the table's own sizing waits
        # until it next goes idle, and rows from a slow database (PostgreSQL under load) could
        # miss that and stay cut to the headers' widths ("Data" under "Name").
        table.clear(columns=True)
        for n, label in enumerate(HEADERS):
            table.add_column(label, width=max([len(label), *(row[n].cell_len for row in rows)]))
        for team, row in zip(self.teams, rows, strict=True):
            table.add_row(*row, key=str(team.id))
        total = message.page.total
        shown = count(total, "deleted team")
        if total > len(self.teams):
            shown = f"{len(self.teams):,} of {shown}"
        self.query_one("#archived-count", Static).update(plain(shown if total else ""))
        table.display = bool(self.teams)
        self.query_one("#archived-empty").display = not self.teams
        self.refresh_bindings()

    def action_restore(self) -> None:
        table = self.query_one(DataTable)
        if not self.teams or table.cursor_row >= len(self.teams):
            return
        team = self.teams[table.cursor_row]
        question = ConfirmModal(
            safe_markup("Restore [b]$team[/b]?", team=team.name),
            plain(
                "Its members and resources come back. Its old API keys stay revoked: "
                "create new ones for whatever used them."
            ),
            "Restore",
            danger=False,
        )
        self.app.push_screen(question, lambda yes: self._restore(team.id) if yes else None)

    @work(thread=True, exclusive=True, group="archived-restore", exit_on_error=False)
    def _restore(self, team_id: int) -> None:
        self.post_message(self.Restored(self.core.run(self.actor, uc.RestoreTeam(team_id))))

    def on_archived_teams_screen_restored(self, message: Restored) -> None:
        self.notify(f"Restored {message.team.name}; its old API keys stay revoked.", markup=False)
        self._load()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_restore()

    def action_back(self) -> None:
        self.app.pop_screen()
