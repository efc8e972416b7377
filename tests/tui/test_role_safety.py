"""The role picker: no wrap-round from Member to Owner, and a second question before making
someone an owner or lowering your own role."""

from __future__ import annotations

from textual.widgets import Input

from core.services import Core
from tests.tui.conftest import Workspace
from tests.tui.helpers import move_to, screen_text, settle, type_text
from tests.tui.test_flows import SIZE, open_team, role_picker_for_bob, roles
from tui.app import AuxotApp
from tui.dialogs.confirm import ConfirmModal
from tui.dialogs.role_picker import RolePickerModal
from tui.screens.team_list import TeamListScreen
from tui.team.screen import TeamScreen


async def test_the_role_list_stops_at_its_ends(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        picker = await role_picker_for_bob(pilot)
        roles_list = picker.query_one("#roles")
        assert roles_list.highlighted == 2  # member, the last one
        await pilot.press("down", "down")
        assert roles_list.highlighted == 2  # not round to owner
        await pilot.press("up", "up", "up", "up")
        assert roles_list.highlighted == 0
        await pilot.press("escape")
        await settle(pilot)
    assert roles(core, ws, ws.platform.id)[ws.bob.email] == "member"


async def test_making_an_owner_asks_naming_the_person_and_team(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await role_picker_for_bob(pilot)
        await pilot.press("up", "up", "enter")  # member → owner
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "Make Bob Builder an owner of Platform Engineering?" in screen_text(app)
        await pilot.press("escape")  # no: back in the picker, nothing changed
        await settle(pilot)
        assert isinstance(app.screen, RolePickerModal)
        assert roles(core, ws, ws.platform.id)[ws.bob.email] == "member"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
    assert roles(core, ws, ws.platform.id)[ws.bob.email] == "owner"


async def test_lowering_your_own_role_asks(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, "Platform Engineering")
        await move_to(pilot, "#members-table", "Olive Owner")
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("down", "enter")  # owner → admin, oneself
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "Lower your own role in Platform Engineering to Admin?" in screen_text(app)
        assert app.focused is not None and app.focused.id == "cancel"
        await pilot.press("enter")  # a stray Enter cancels
        await settle(pilot)
        assert isinstance(app.screen, RolePickerModal)
    assert roles(core, ws, ws.platform.id)[ws.owner.email] == "owner"


async def test_other_changes_need_no_second_question(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await role_picker_for_bob(pilot)
        await pilot.press("up", "enter")  # member → admin, someone else
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
    assert roles(core, ws, ws.platform.id)[ws.bob.email] == "admin"


async def test_escape_asks_before_dropping_an_unsaved_rename(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, "Platform Engineering")
        await pilot.press("4")
        await settle(pilot)
        name = app.screen.query_one("#settings-name", Input)
        name.focus()
        await pilot.press("end")
        await type_text(pilot, " Two")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "Going back drops the team's new name." in screen_text(app)
        await pilot.press("escape")  # keep editing
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen) and name.value == "Platform Engineering Two"
        await pilot.press("escape", "y")  # discard
        await settle(pilot)
        assert isinstance(app.screen, TeamListScreen)
    assert core.team_access(ws.owner, ws.platform.id).team.name == "Platform Engineering"


async def test_escape_with_nothing_unsaved_goes_straight_back(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, "Platform Engineering")
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TeamListScreen)
