"""The command palette is built from the bindings: every key the footer shows on a team tab
is also a palette entry, and nobody is offered an action the footer would not show them."""

from __future__ import annotations

from textual.app import App
from textual.widgets import TabbedContent

from core.services import Core
from core.usecases.commands import InviteMembers
from tests.tui.conftest import Workspace
from tests.tui.helpers import settle, wait_for
from tui.app import AuxotApp
from tui.dialogs.archive_team import ArchiveTeamModal
from tui.team.screen import TAB_LABELS, TeamScreen

SIZE = (100, 30)

# What only those who manage a team do (owners and admins; workspace admins).
ADMIN_ACTIONS = {
    "members.invite",
    "members.role",
    "members.remove",
    "invitations.resend",
    "invitations.revoke",
    "invitations.copy_link",
    "resources.add",
    "resources.delete",
    "settings.save",
    "settings.rename",
    "settings.describe",
    "settings.delete",
    "keys.new",
    "keys.rotate",
    "keys.revoke",
    "team.keys",
    "team.add_team",
}


async def open_platform(pilot, ws: Workspace) -> TeamScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.open_team(ws.platform)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TeamScreen)
    return screen


def palette_ids(screen: TeamScreen) -> set[str]:
    return {command.binding for command in screen.palette_commands() if command.binding}


def footer_ids(screen: TeamScreen) -> set[str]:
    """The bindings the footer shows now, but the app's own (the palette lists those too,
    from the app's system commands)."""
    return {
        binding.id
        for node, binding, _enabled, _tooltip in screen.active_bindings.values()
        if binding.show and binding.id is not None and not isinstance(node, App)
    }


async def test_every_key_a_team_tab_shows_is_in_the_palette(core: Core, ws: Workspace) -> None:
    core.run(ws.owner, InviteMembers(ws.platform.id, "zed@example.com"))
    core.create_key(ws.owner, ws.platform.id, "CI pipeline")
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_platform(pilot, ws)
        await wait_for("TabPane#keys")(pilot)
        seen: set[str] = set()
        for tab in TAB_LABELS:
            screen.action_show_tab(tab)  # (a digit would be typed into the settings' fields)
            await settle(pilot)
            assert screen.query_one(TabbedContent).active == tab
            shown = footer_ids(screen)
            assert shown - palette_ids(screen) == set(), tab
            seen |= shown
        screen.action_show_tab("members")
        await settle(pilot)
        await pilot.press("tab")  # the pending invitations' list
        await settle(pilot)
        shown = footer_ids(screen)
        assert shown - palette_ids(screen) == set()
        seen |= shown
        # Each tab's own keys were among them, so the test saw every tab.
        for expected in ("members.invite", "invitations.resend", "resources.add", "keys.rotate"):
            assert expected in seen
        assert "settings.save" in seen
        labels = {command.label for command in screen.palette_commands()}
        assert {"API keys: Rotate", "Team settings: Delete team", "Teams: Add team"} <= labels


async def test_a_member_is_offered_no_admin_action(core: Core, ws: Workspace) -> None:
    core.run(ws.owner, InviteMembers(ws.platform.id, "zed@example.com"))
    app = AuxotApp(core, ws.cyd)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_platform(pilot, ws)
        for tab in ("members", "resources", "activity", "settings"):
            screen.action_show_tab(tab)
            await settle(pilot)
            offered = palette_ids(screen)
            assert offered & ADMIN_ACTIONS == set()
            assert {"team.leave", "team.back", "team.members"} <= offered
            assert footer_ids(screen) & ADMIN_ACTIONS == set()


async def test_an_entry_of_a_tab_not_shown_yet_shows_it_and_acts(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_platform(pilot, ws)
        assert not screen.query("TeamSettingsTab")
        [delete] = [c for c in screen.palette_commands() if c.binding == "settings.delete"]
        assert delete.label == "Team settings: Delete team"
        assert delete.help == "Archive the team after typing its name"
        await delete.callback()
        await settle(pilot)
        assert screen.query_one(TabbedContent).active == "settings"
        assert isinstance(app.screen, ArchiveTeamModal)
