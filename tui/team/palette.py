"""The team screen's entries in the command palette, each offered only when the user may
do it (core's TeamAccess says so)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from core.permissions import TeamAction, WorkspaceAction
from tui.commands import PaletteCommand
from tui.team.keys_tab import KeysTab
from tui.team.members_tab import MembersTab
from tui.team.resources_tab import ResourcesTab
from tui.team.settings_tab import TeamSettingsTab

if TYPE_CHECKING:
    from tui.team.screen import TeamScreen

TABS = ("members", "resources", "activity", "settings")


def team_palette_commands(screen: TeamScreen) -> list[PaletteCommand]:
    access = screen.access
    commands = [
        PaletteCommand("Teams: Back to all teams", "Return to the team list", screen.action_back)
    ]
    me = screen.auxot.me
    if me is not None and WorkspaceAction.CREATE_TEAM in me.actions:
        commands.append(
            PaletteCommand(
                "Teams: Add team", "Create a team; you become its owner", screen.auxot.add_team
            )
        )
    for tab in TABS:
        commands.append(
            PaletteCommand(
                f"Team: Show {tab}",
                f"Open the {tab.capitalize()} tab",
                lambda tab=tab: screen.action_show_tab(tab),
            )
        )
    if access is None:
        return commands
    members = screen.query_one(MembersTab)
    resources = screen.later_tab("resources")
    settings = screen.later_tab("settings")
    assert isinstance(resources, ResourcesTab) and isinstance(settings, TeamSettingsTab)

    def on_tab(tab: str, then: Callable[[], object]) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await screen.show_tab_mounted(tab)
            then()

        return run

    if access.can(TeamAction.MANAGE_MEMBERS):
        commands += [
            PaletteCommand(
                "Team: Invite members",
                "Add or invite people by email, one or many at once",
                on_tab("members", members.action_invite),
            ),
            PaletteCommand(
                "Team: Change role",
                "Change the selected member's role",
                on_tab("members", members.action_change_role),
            ),
            PaletteCommand(
                "Team: Remove member",
                "Remove the selected member",
                on_tab("members", members.action_remove),
            ),
        ]
        commands += members.invitation_commands(lambda: screen.action_show_tab("members"))
    if access.can(TeamAction.MANAGE_RESOURCES):
        commands += [
            PaletteCommand(
                "Team: Add resource",
                "An agent, skill, context file or tool policy",
                on_tab("resources", resources.action_add),
            ),
            PaletteCommand(
                "Team: Delete resource",
                "Delete the selected resource",
                on_tab("resources", resources.action_delete),
            ),
        ]
    if access.can(TeamAction.MANAGE_TEAM):
        commands += [
            PaletteCommand(
                "Team: Rename team",
                "Change the team's name",
                on_tab("settings", lambda: settings.focus_field("name")),
            ),
            PaletteCommand(
                "Team: Edit description",
                "Change the team's description",
                on_tab("settings", lambda: settings.focus_field("description")),
            ),
            PaletteCommand(
                "Team: Delete team",
                "Archive the team after typing its name",
                on_tab("settings", settings.action_delete_team),
            ),
        ]
    keys = screen.later_tab("keys")
    if isinstance(keys, KeysTab):
        # Each waits for the tab to be mounted: rotate and revoke read its selection.
        commands += [
            replace(command, callback=on_tab("keys", command.callback))
            for command in keys.palette_commands(lambda: screen.action_show_tab("keys"))
        ]
    if screen.check_action("leave", ()):
        commands.append(PaletteCommand("Team: Leave team", "Leave this team", screen.action_leave))
    return commands
