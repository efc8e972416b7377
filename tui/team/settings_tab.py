"""Team → Settings: rename, describe, and delete (archive) the team; leave it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Static
from textual.worker import Worker

from core.errors import Conflict, DomainError, InvalidInput
from core.permissions import TeamAction
from core.usecases.commands import ArchiveTeam, DescribeTeam, RenameTeam
from core.views import TeamView
from tui.bindings import SETTINGS
from tui.dialogs.archive_team import ArchiveRequest, ArchiveTeamModal
from tui.format import plain
from tui.team.messages import TeamArchived, TeamChanged
from tui.team.tab import TeamTab
from tui.widgets.form import FieldError, FieldLabel

# core's field names → this tab's inputs
_FIELDS = {"name": "settings-name", "description": "settings-description"}


@dataclass(frozen=True)
class TeamSettings:
    name: str
    description: str


class TeamSettingsTab(TeamTab, VerticalScroll):
    BINDINGS: ClassVar = [
        Binding(
            "ctrl+s",
            "save",
            "Save",
            tooltip="Save the team's name and description",
            id="settings.save",
            group=SETTINGS,
        ),
        Binding(
            "f2",
            "focus_field('name')",
            "Rename team",
            tooltip="Change the team's name",
            id="settings.rename",
            group=SETTINGS,
        ),
        Binding(
            "f4",
            "focus_field('description')",
            "Edit description",
            show=False,
            tooltip="Change the team's description",
            id="settings.describe",
            group=SETTINGS,
        ),
        Binding(
            "f8",
            "delete_team",
            "Delete team",
            show=False,
            tooltip="Archive the team after typing its name",
            id="settings.delete",
            group=SETTINGS,
        ),
    ]

    def __init__(self, team_id: int, id: str | None = None) -> None:
        super().__init__(id=id)
        self.team_id = team_id
        self._shown = TeamSettings("", "")

    def compose(self) -> ComposeResult:
        yield FieldLabel("Name", "settings-name")
        yield Input(id="settings-name")
        yield FieldError("settings-name")
        yield FieldLabel("Description", "settings-description")
        yield Input(id="settings-description", placeholder="What the team works on")
        yield FieldError("settings-description")
        with Horizontal(classes="settings-buttons", id="settings-save-row"):
            yield Button("Save", id="settings-save", variant="primary", compact=True)
        yield Static(
            plain("Only the team's owners and workspace admins can change these settings."),
            id="settings-readonly",
            classes="field-help",
        )
        yield Static("", id="settings-danger-title", classes="section-title")
        with Horizontal(classes="settings-buttons"):
            yield Button("Leave team…", id="settings-leave", compact=True)
            yield Button("Delete team…", id="settings-delete", variant="error", compact=True)

    def on_mount(self) -> None:
        self._apply_access()

    @property
    def can_manage(self) -> bool:
        return self.access is not None and self.access.can(TeamAction.MANAGE_TEAM)

    @property
    def can_leave(self) -> bool:
        return (
            self.access is not None
            and self.access.role is not None
            and self.access.can(TeamAction.LEAVE)
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save", "focus_field", "delete_team"):
            return self.can_manage
        return True

    def watch_access(self) -> None:
        if self.is_mounted:
            self._apply_access()
            self.screen.refresh_bindings()

    def _apply_access(self) -> None:
        manage = self.can_manage
        for field in _FIELDS.values():
            self.query_one(f"#{field}", Input).disabled = not manage
        leave = self.can_leave
        self.query_one("#settings-save-row").display = manage
        self.query_one("#settings-readonly").display = self.access is not None and not manage
        self.query_one("#settings-delete").display = manage
        self.query_one("#settings-leave").display = leave
        title = {(True, True): "Leave or delete", (True, False): "Delete", (False, True): "Leave"}
        danger = self.query_one("#settings-danger-title", Static)
        danger.display = manage or leave
        danger.update(plain(title.get((manage, leave), "")))
        if self.access is not None:
            self._show_team(self.access.team)

    def _show_team(self, team: TeamView) -> None:
        """Fill the fields from the team, but never over what the user is typing."""
        name = self.query_one("#settings-name", Input)
        description = self.query_one("#settings-description", Input)
        if name.value == self._shown.name:
            name.value = team.name
        if description.value == self._shown.description:
            description.value = team.description
        self._shown = TeamSettings(team.name, team.description)

    # -- save -----------------------------------------------------------------------------------------

    @on(Button.Pressed, "#settings-save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        if not self.can_manage:
            return
        for error in self.query(FieldError):
            error.clear()
        self._save(
            TeamSettings(
                self.query_one("#settings-name", Input).value,
                self.query_one("#settings-description", Input).value,
            ),
            self._shown,
        )

    @work(thread=True, exclusive=True, group="settings", exit_on_error=False)
    def _save(self, wanted: TeamSettings, shown: TeamSettings) -> None:
        changed = []
        if wanted.name != shown.name:
            self.run(RenameTeam(self.team_id, wanted.name))
            changed.append("name")
        if wanted.description != shown.description:
            try:
                self.run(DescribeTeam(self.team_id, wanted.description))
            except DomainError:
                if changed:  # the new name is saved; show it even though the rest failed
                    self.post_message(TeamChanged("Saved the team's name."))
                raise
            changed.append("description")
        notice = f"Saved the team's {' and '.join(changed)}." if changed else "Nothing to save."
        self.post_message(TeamChanged(notice))

    def worker_failed(self, worker: Worker[object], error: BaseException) -> None:
        if worker.group == "settings" and isinstance(error, DomainError):
            field = error.field if isinstance(error, InvalidInput) else None
            if isinstance(error, Conflict):
                field = "name"
            if field in _FIELDS:
                self.query_one(f"#{_FIELDS[field]}-error", FieldError).show(str(error))
                self.query_one(f"#{_FIELDS[field]}").focus()
                return
        super().worker_failed(worker, error)

    # -- leave and delete -------------------------------------------------------------------------------

    @on(Button.Pressed, "#settings-leave")
    async def _leave(self) -> None:
        await self.run_action("screen.leave")

    @on(Button.Pressed, "#settings-delete")
    def action_delete_team(self) -> None:
        if not self.can_manage or self.access is None:
            return

        def archive(request: ArchiveRequest) -> TeamView:
            archived: TeamView = self.run(ArchiveTeam(request.team_id))
            return archived

        def archived(team: TeamView | None) -> None:
            if team is not None:
                self.post_message(TeamArchived(team))

        self.app.push_screen(ArchiveTeamModal(self.access.team, archive), archived)

    def unsaved_changes(self) -> str | None:
        if not self.is_mounted or not self.can_manage:
            return None
        edited = [
            label
            for label, field, shown in (
                ("name", "settings-name", self._shown.name),
                ("description", "settings-description", self._shown.description),
            )
            if self.query_one(f"#{field}", Input).value != shown
        ]
        return f"the team's new {' and '.join(edited)}" if edited else None

    def action_focus_field(self, field: str) -> None:
        self.query_one(f"#{_FIELDS[field]}", Input).focus()
