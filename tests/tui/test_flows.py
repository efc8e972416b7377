"""Pilot tests: each flow driven from the keyboard, then checked in core's state."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select

from core.errors import LastOwner, PermissionDenied, PlanRequired
from core.permissions import TeamAction
from core.services import Core
from tests.tui.conftest import MARKUP_DESCRIPTION, MARKUP_TEAM, Workspace
from tests.tui.helpers import (
    move_to,
    notifications,
    screen_text,
    settle,
    static_text,
    table_column,
    type_text,
)
from tui.app import AuxotApp
from tui.dialogs.add_team import AddTeamModal
from tui.dialogs.archive_team import ArchiveTeamModal
from tui.dialogs.confirm import ConfirmModal
from tui.dialogs.help import HelpModal
from tui.dialogs.invite import InviteModal
from tui.dialogs.resource import ResourceModal
from tui.dialogs.role_picker import RolePickerModal
from tui.screens.team_list import TeamListScreen
from tui.team.members_tab import MembersTab
from tui.team.screen import TeamScreen
from tui.widgets.form import FieldError
from tui.widgets.plan_gate import PlanGate

SIZE = (100, 30)


def roles(core: Core, ws: Workspace, team: int) -> dict[str, str]:
    return {m.email: m.role for m in core.list_members(ws.owner, team).items}


async def open_team(pilot, name: str) -> TeamScreen:
    await settle(pilot)
    await move_to(pilot, "#teams-table", name)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TeamScreen)
    return screen


# -- team list ------------------------------------------------------------------------------------


async def test_add_team(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, AddTeamModal)
        assert app.screen.focused is app.screen.query_one("#name")
        await type_text(pilot, "Security")
        await pilot.press("tab")
        await type_text(pilot, "Keeps us safe")
        await pilot.press("enter")
        await settle(pilot)
        created = core.list_teams(ws.owner, query="security").items
        assert [(t.name, t.description, t.my_role) for t in created] == [
            ("Security", "Keeps us safe", "owner")
        ]
        assert isinstance(app.screen, TeamScreen) and app.screen.team.id == created[0].id
        await pilot.press("escape")
        await settle(pilot)
        assert "Security" in table_column(app, "#teams-table")


async def test_add_team_conflict_shows_error_next_to_name(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await type_text(pilot, "platform engineering")
        await pilot.press("ctrl+s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, AddTeamModal)
        assert "already exists" in modal.error_for("name")
        assert modal.focused is modal.query_one("#name")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TeamListScreen)
    assert core.list_teams(ws.owner, query="platform").total == 1


async def test_filter_as_you_type(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert table_column(app, "#teams-table") == [
            MARKUP_TEAM,
            "Data Science",
            "Platform Engineering",
        ]
        await pilot.press("slash")
        assert isinstance(app.screen.focused, Input)
        await type_text(pilot, "dat")
        await pilot.pause(0.3)
        await settle(pilot)
        assert table_column(app, "#teams-table") == ["Data Science"]
        assert "1 of 3 teams" in screen_text(app)
        await type_text(pilot, "zzz")
        await pilot.pause(0.3)
        await settle(pilot)
        assert "No team matches “datzzz”." in screen_text(app)
        await pilot.press("escape")  # clears the filter
        await pilot.pause(0.3)
        await settle(pilot)
        assert len(table_column(app, "#teams-table")) == 3


async def test_long_team_list_scrolls_to_its_end(core: Core, ws: Workspace) -> None:
    for n in range(120):
        core.create_team(ws.owner, f"Team {n:03}")
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(table_column(app, "#teams-table")) == 123
        assert "123 teams" in screen_text(app)
        await pilot.press("end")
        await settle(pilot)
        assert "Team 119" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen) and app.screen.team.name == "Team 119"


async def test_user_sees_only_their_teams(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.cyd)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert table_column(app, "#teams-table") == ["Platform Engineering"]
        assert table_column(app, "#teams-table", 3) == ["Member"]


async def test_open_team_with_enter(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_team(pilot, "Platform Engineering")
        assert screen.team.id == ws.platform.id
        assert screen.access is not None and screen.access.role == "owner"
        assert len(table_column(app, "#members-table")) == 5
        assert "deactivated" in table_column(app, "#members-table", 4)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TeamListScreen)


# -- members ---------------------------------------------------------------------------------------


async def role_picker_for_bob(pilot) -> RolePickerModal:
    """Platform Engineering's members, Bob (a member) selected, r pressed."""
    await open_team(pilot, "Platform Engineering")
    await move_to(pilot, "#members-table", "Bob Builder")
    await pilot.press("r")
    picker = pilot.app.screen
    assert isinstance(picker, RolePickerModal)
    return picker


async def test_change_role(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        picker = await role_picker_for_bob(pilot)
        assert picker.query_one("#roles").highlighted == 2  # the current role, member
        await pilot.press("up", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
    assert roles(core, ws, ws.platform.id)[ws.bob.email] == "admin"


async def test_change_role_shows_the_new_role_in_the_frame_that_closes_the_dialog(
    core: Core, ws: Workspace
) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await role_picker_for_bob(pilot)
        await pilot.press("up")
        # Bob's role in the list, in each frame of the team screen on top from here on.
        frames: list[str] = []
        display = app._display

        def record(screen, renderable) -> None:
            display(screen, renderable)
            # Only frames with the team screen on top: while the dialog is up, the screen
            # under it may repaint too (AuxotApp.on_idle), showing the role not yet saved.
            if renderable is not None and isinstance(screen, TeamScreen) and app.screen is screen:
                frames.append(screen.query_one(MembersTab).selected.role)

        app._display = record  # type: ignore[method-assign]  # records every frame drawn
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        assert frames and frames[0] == "admin"
    assert roles(core, ws, ws.platform.id)[ws.bob.email] == "admin"


async def test_change_role_refused_when_changed_meanwhile(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        picker = await role_picker_for_bob(pilot)
        # Someone else makes Bob an admin while the dialog is open.
        core.change_role(ws.owner, ws.platform.id, ws.bob.email, "admin")
        await pilot.press("up", "enter")  # member → admin, on the version loaded
        await settle(pilot)
        assert app.screen is picker
        assert "changed since you loaded it" in picker.error
        assert roles(core, ws, ws.platform.id)[ws.bob.email] == "admin"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)


async def test_remove_member(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, "Platform Engineering")
        await move_to(pilot, "#members-table", "Cyd Member")
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("enter")  # Cancel has the focus: nothing happens
        await settle(pilot)
        assert ws.cyd.email in roles(core, ws, ws.platform.id)
        await pilot.press("x")
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert ws.cyd.email not in roles(core, ws, ws.platform.id)
        assert len(table_column(app, "#members-table")) == 4


async def test_leave_team(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.bob)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, "Platform Engineering")
        await pilot.press("l")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, TeamListScreen)
        assert table_column(app, "#teams-table") == ["Data Science"]
    assert ws.bob.email not in roles(core, ws, ws.platform.id)


async def test_invite_existing_account_adds_at_once(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, "Platform Engineering")
        await pilot.press("i")
        modal = app.screen
        assert isinstance(modal, InviteModal)
        assert modal.focused is modal.query_one("#email")
        await type_text(pilot, "EVE@acme.example.com")
        modal.query_one("#role", Select).value = "admin"
        await pilot.press("enter")
        await settle(pilot)
        assert modal.result_lines == [
            ("added", "eve@acme.example.com added to Platform Engineering as admin.")
        ]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        assert "Eve Newcomer" in table_column(app, "#members-table")
    assert roles(core, ws, ws.platform.id)[ws.eve.email] == "admin"


async def test_invite_unknown_email_makes_a_pending_invitation(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, "Platform Engineering")
        await pilot.press("i")
        await type_text(pilot, "zed@nowhere.example.com")
        await pilot.press("enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, InviteModal)
        assert modal.result_lines == [("invited", "Invited zed@nowhere.example.com as member.")]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        assert table_column(app, "#invitations-table") == ["zed@nowhere.example.com"]
    assert len(roles(core, ws, ws.platform.id)) == 5
    assert [v.email for v in core.list_invitations(ws.owner, ws.platform.id).items] == [
        "zed@nowhere.example.com"
    ]


async def test_last_owner_refusal_leaves_roles_unchanged(core: Core, ws: Workspace) -> None:
    before = roles(core, ws, ws.markup.id)
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, MARKUP_TEAM)
        await pilot.press("r")
        await pilot.press("down", "down", "enter")  # owner → member
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)  # lowering your own role asks first
        await pilot.press("y")
        await settle(pilot)
        # The refusal is said in the dialog, which stays open to choose again or cancel.
        picker = app.screen
        assert isinstance(picker, RolePickerModal)
        assert "last owner" in picker.error
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        assert table_column(app, "#members-table", 2) == ["Owner"]
        await pilot.press("x", "y")
        await settle(pilot)
        assert sum("last owner" in message for message in notifications(app)) == 1
    assert roles(core, ws, ws.markup.id) == before == {ws.owner.email: "owner"}
    with pytest.raises(LastOwner):
        core.change_role(ws.owner, ws.markup.id, ws.owner.email, "member")


# -- resources -------------------------------------------------------------------------------------


async def test_create_and_delete_resource(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.ada)  # a team admin manages resources
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, "Platform Engineering")
        await pilot.press("2")
        await settle(pilot)
        assert len(table_column(app, "#resources-table")) == 3
        await pilot.press("a")
        modal = app.screen
        assert isinstance(modal, ResourceModal)
        assert modal.focused is modal.query_one("#kind")
        modal.query_one("#kind", Select).value = "tool_policy"
        await pilot.press("tab")
        await type_text(pilot, "No prod writes")
        await pilot.press("tab")
        await type_text(pilot, "deny: prod/*")
        await pilot.press("ctrl+s")
        await settle(pilot)
        created = [
            r
            for r in core.list_resources(ws.ada, ws.platform.id).items
            if r.name == "No prod writes"
        ]
        assert [(r.kind, r.body) for r in created] == [("tool_policy", "deny: prod/*")]
        await move_to(pilot, "#resources-table", "Infra Bot", column=1)
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
    names = {r.name for r in core.list_resources(ws.ada, ws.platform.id).items}
    assert names == {"Kubernetes Runbook", "oncall.md", "No prod writes"}


async def test_member_sees_resources_but_cannot_manage(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.cyd)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, "Platform Engineering")
        await pilot.press("2")
        await settle(pilot)
        assert len(table_column(app, "#resources-table")) == 3
        shown = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not {"add", "delete"} & shown
        await pilot.press("a")
        assert isinstance(app.screen, TeamScreen)
    with pytest.raises(PermissionDenied):
        core.create_resource(ws.cyd, "agent", "Sneaky", team=ws.platform.id)


# -- activity and settings --------------------------------------------------------------------------


async def test_activity_newest_first(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, "Platform Engineering")
        await pilot.press("3")
        await settle(pilot)
        actions = table_column(app, "#activity-table", 2)
        assert actions[0] == "created resource"
        assert actions[-1] == "created team"
        assert table_column(app, "#activity-table", 0)[-1] == "2026-01-15 10:35"


async def test_rename_and_describe(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_team(pilot, "Data Science")
        await pilot.press("4", "f2")
        await settle(pilot)
        name = screen.query_one("#settings-name", Input)
        assert screen.focused is name
        name.value = ""
        await type_text(pilot, "Data Platform")
        await pilot.press("tab")
        screen.query_one("#settings-description", Input).value = ""
        await type_text(pilot, "Pipelines and models")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Data Platform" in screen_text(app)  # the breadcrumb follows
    access = core.team_access(ws.owner, ws.data.id)
    assert (access.team.name, access.team.description) == ("Data Platform", "Pipelines and models")


async def test_rename_to_taken_name_shows_error_next_to_name(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_team(pilot, "Data Science")
        await pilot.press("4", "f2")
        screen.query_one("#settings-name", Input).value = "Platform Engineering"
        await pilot.press("enter")
        await settle(pilot)
        assert "already exists" in screen.query_one("#settings-name-error", FieldError).message
    assert core.team_access(ws.owner, ws.data.id).team.name == "Data Science"


async def test_archive_needs_the_exact_name(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_team(pilot, "Data Science")
        await pilot.press("4")
        await settle(pilot)
        screen.query_one("#settings-delete").focus()
        await pilot.press("enter")
        modal = app.screen
        assert isinstance(modal, ArchiveTeamModal)
        assert modal.focused is modal.query_one("#confirm-name")
        await type_text(pilot, "data science")
        await pilot.press("enter")
        await settle(pilot)
        assert "not the team's name" in modal.error_for("confirm-name")
        assert core.list_teams(ws.owner, query="Data Science").total == 1
        modal.query_one("#confirm-name", Input).value = ""
        await type_text(pilot, "Data Science")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TeamListScreen)
        assert "Data Science" not in table_column(app, "#teams-table")
    assert core.list_teams(ws.owner, query="Data Science").total == 0


# -- roles and plans --------------------------------------------------------------------------------


async def test_plain_member_sees_no_manage_actions(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.cyd)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "add_team" not in {b.binding.action for b in app.screen.active_bindings.values()}
        screen = await open_team(pilot, "Platform Engineering")
        assert screen.access is not None and screen.access.actions == {
            TeamAction.VIEW,
            TeamAction.LEAVE,
        }
        shown = {b.binding.action for b in screen.active_bindings.values()}
        assert not {"invite", "change_role", "remove"} & shown
        assert "leave" in shown
        members = screen.query_one(MembersTab)
        assert not any(button.display for button in members.query(".tab-toolbar Button"))
        labels = [command.label for command in screen.palette_commands()]
        assert "Team: Leave team" in labels
        assert not [
            label for label in labels if "Invite" in label or "role" in label or "Delete" in label
        ]
        await pilot.press("i", "r", "x")
        assert isinstance(app.screen, TeamScreen)
        await pilot.press("4")
        await settle(pilot)
        assert screen.query_one("#settings-name", Input).disabled
        assert not screen.query_one("#settings-delete").display
    with pytest.raises(PermissionDenied):
        core.add_member(ws.cyd, ws.platform.id, ws.eve.email)
    with pytest.raises(PermissionDenied):
        core.change_role(ws.cyd, ws.platform.id, ws.bob.email, "admin")


async def test_plan_gate_on_free_plan(core: Core, ws: Workspace) -> None:
    core.set_plan(ws.owner, "free")
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TeamListScreen)
        assert screen.query_one(PlanGate).display
        assert not screen.query_one("#teams-section").display
        text = static_text(app)
        assert "Teams need the Business or Enterprise plan" in text
        assert "On Free and Team plans all users share a single workspace." in text
        actions = {b.binding.action for b in screen.active_bindings.values()}
        assert not {"add_team", "focus_filter", "page"} & actions
        # Accounts are not a team feature: People stays, on every plan.
        assert [command.label for command in screen.palette_commands()] == ["Workspace: People"]
        await pilot.press("a", "n", "slash")
        assert app.screen is screen
    with pytest.raises(PlanRequired):
        core.list_teams(ws.owner)


async def test_plan_gate_on_team_plan_for_a_member(core: Core, ws: Workspace) -> None:
    core.set_plan(ws.owner, "team")
    app = AuxotApp(core, ws.cyd)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = static_text(app)
        assert "This workspace is on the Team plan." in text
        assert "Ask the workspace owner to upgrade" in text


# -- user text is never markup -------------------------------------------------------------------------


async def test_markup_like_names_render_literally(core: Core, ws: Workspace) -> None:
    core.add_user(ws.owner, "mal@acme.example.com", "[red]Mal[/red] [b")
    core.add_member(ws.owner, ws.markup.id, "mal@acme.example.com")
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert MARKUP_TEAM in text
        assert "[red]not red[/red]" in text
        await open_team(pilot, MARKUP_TEAM)
        text = screen_text(app)
        assert f"Settings › Teams › {MARKUP_TEAM}" in text  # breadcrumb
        assert MARKUP_DESCRIPTION in text  # summary line
        assert "[red]Mal[/red] [b" in text  # members table
        await move_to(pilot, "#members-table", "[red]Mal")
        await pilot.press("r")
        assert "Change the role of [red]Mal[/red] [b" in screen_text(app)
        await pilot.press("escape", "x")
        assert (
            f"Remove [red]Mal[/red] [b (mal@acme.example.com) from {MARKUP_TEAM}?"
            in screen_text(app)
        )
        await pilot.press("escape", "i")
        assert f"Invite members to {MARKUP_TEAM}" in screen_text(app)
        await pilot.press("escape", "4")
        await settle(pilot)
        app.screen.query_one("#settings-delete").focus()
        await pilot.press("enter")
        assert f"Delete team {MARKUP_TEAM}" in screen_text(app)
        await type_text(pilot, MARKUP_TEAM)
        await pilot.press("enter")
        await settle(pilot)
        assert f"Deleted the team {MARKUP_TEAM}." in notifications(app)
        assert f"Deleted the team {MARKUP_TEAM}." in screen_text(app)  # the toast


# -- shell: help, palette, theme, errors -------------------------------------------------------------------


async def test_help_lists_the_screens_bindings(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpModal)
        described = {row.description: row.keys for row in help_screen.keys}
        assert described["Add team"] == "a, n"
        assert "Filter" in described and "Help" in described
        await pilot.press("escape")
        assert isinstance(app.screen, TeamListScreen)


async def test_help_for_a_member_hides_manage_keys(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.cyd)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, "Platform Engineering")
        await pilot.press("f1")
        help_screen = app.screen
        assert isinstance(help_screen, HelpModal)
        described = {row.description for row in help_screen.keys}
        assert "Leave team" in described
        assert not {"Invite", "Change role", "Remove"} & described


async def test_palette_goes_to_a_team(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "go data")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        assert app.screen.team.id == ws.data.id


async def test_palette_offers_team_actions_by_role(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.ada)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_team(pilot, "Platform Engineering")
        labels = {command.label for command in screen.palette_commands()}
        assert {"Resources: Add resource", "Resources: Delete", "Team: Leave team"} <= labels
        assert (
            not {"Members: Invite", "Members: Change role", "Team settings: Delete team"} & labels
        )
        await pilot.press("ctrl+p")
        await type_text(pilot, "add res")
        await pilot.pause(0.5)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ResourceModal)


async def test_theme_toggle(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dark = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != dark and "light" in app.theme
        await pilot.press("ctrl+t")
        assert app.theme == dark


async def test_unexpected_error_is_a_short_notification(
    core: Core, ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("connection reset\nTraceback (most recent call last): ...")

    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(core, "list_members", broken)
        await open_team(pilot, "Data Science")
        assert isinstance(app.screen, TeamScreen)
        messages = notifications(app)
        assert any("That did not work (RuntimeError)" in message for message in messages)
        assert not any("Traceback" in message for message in messages)


async def test_tab_keys_pass_through_settings_without_touching_the_name(
    core: Core, ws: Workspace
) -> None:
    """4 then 5 goes to Settings, then on to API keys: Settings used to focus its name field
    with the text selected, so the 5 replaced the team's name."""
    from textual.widgets import TabbedContent

    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_team(pilot, "Platform Engineering")
        await pilot.press("4")
        await settle(pilot)
        tabs = screen.query_one(TabbedContent)
        assert tabs.active == "settings" and not isinstance(screen.focused, Input)
        await pilot.press("5")
        await settle(pilot)
        assert tabs.active == "keys"
        await pilot.press("4")
        await settle(pilot)
        assert screen.query_one("#settings-name", Input).value == "Platform Engineering"
        await pilot.press("f2")  # renaming is one key away
        await settle(pilot)
        assert screen.focused is screen.query_one("#settings-name")
