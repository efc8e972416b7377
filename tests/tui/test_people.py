"""Settings › People: the workspace's accounts, and offboarding someone with its plan shown
before it runs."""

from __future__ import annotations

from textual.widgets import Input

from core.services import Core
from tests.tui.conftest import SnapshotWorld, Workspace
from tests.tui.helpers import (
    move_to,
    notifications,
    screen_text,
    script,
    settle,
    table_column,
    type_text,
)
from tui.app import AuxotApp
from tui.dialogs.offboard import OffboardModal
from tui.screens.people import PeopleScreen
from tui.screens.team_list import TeamListScreen

SIZE = (120, 36)  # the plan's longest lines unwrapped


def _bob_last_owner_of_data(core: Core, ws: Workspace) -> None:
    """The workspace owner leaves Data Science, so Bob is its only owner."""
    core.leave_team(ws.owner, ws.data.id)


def _teams_of(core: Core, ws: Workspace, email: str) -> list[str]:
    return [
        team.name
        for team in core.list_teams(ws.owner).items
        if email in [m.email for m in core.list_members(ws.owner, team.id).items]
    ]


async def _offboard(pilot, email: str) -> OffboardModal:
    await pilot.press("p")
    await settle(pilot, "6 accounts")
    await move_to(pilot, "#people-table", email, 1)
    await pilot.press("o")
    await settle(pilot, "Offboarding ")
    modal = pilot.app.screen
    assert isinstance(modal, OffboardModal)
    return modal


async def test_an_owner_opens_people_and_sees_every_account(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, "Platform Engineering")
        await pilot.press("p")
        await settle(pilot, "6 accounts")
        assert isinstance(app.screen, PeopleScreen)
        text = screen_text(app)
        assert "Settings › People" in text
        assert "Role" in text and "Status" in text
        assert table_column(app, "#people-table", 1) == [
            "ada@acme.example.com",
            "bob@acme.example.com",
            "cyd@acme.example.com",
            "dee@acme.example.com",
            "eve@acme.example.com",
            "owner@acme.example.com",
        ]
        assert "deactivated" in table_column(app, "#people-table", 3)
        await pilot.press("slash")
        await type_text(pilot, "bob")
        await settle(pilot, "1 of 6 accounts")
        assert table_column(app, "#people-table", 1) == ["bob@acme.example.com"]
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, TeamListScreen)


async def test_offboarding_a_member_shows_the_plan_then_runs_it(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, "Platform Engineering")
        modal = await _offboard(pilot, "cyd@")
        text = screen_text(app)
        for line in (
            "Offboarding Cyd Member <cyd@acme.example.com>:",
            "remove from Platform Engineering (member)",
            "remove 0 SSH keys",
            "revoke 0 pending invitations they sent",
            "deactivate the account",
        ):
            assert line in text
        assert not modal.query_one("#offboard-successor").display  # no team of theirs to hand on
        assert core.get_user(ws.owner, ws.cyd.email).status == "active"  # the plan changes nothing
        await pilot.click("#confirm")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
        assert "Offboarded cyd@acme.example.com; the account is deactivated." in notifications(app)
        statuses = dict(
            zip(
                table_column(app, "#people-table", 1),
                table_column(app, "#people-table", 3),
                strict=True,
            )
        )
        assert statuses["cyd@acme.example.com"] == "deactivated"
    assert core.get_user(ws.owner, ws.cyd.email).status == "deactivated"
    assert _teams_of(core, ws, ws.cyd.email) == []


async def test_a_last_owner_needs_a_successor(core: Core, ws: Workspace) -> None:
    _bob_last_owner_of_data(core, ws)
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, "Platform Engineering")
        modal = await _offboard(pilot, "bob@")
        assert "they are its last active owner: name a successor" in screen_text(app)
        assert modal.query_one("#offboard-successor").display
        assert isinstance(app.focused, Input)

        await pilot.click("#confirm")  # without a successor: core refuses, nothing changes
        await settle(pilot)
        assert app.screen is modal
        assert "last active owner of Data Science" in modal.error
        assert core.get_user(ws.owner, ws.bob.email).status == "active"
        assert sorted(_teams_of(core, ws, ws.bob.email)) == ["Data Science", "Platform Engineering"]

        modal.query_one("#successor", Input).focus()
        await type_text(pilot, "nobody@acme.example.com")
        await pilot.press("enter")
        await settle(pilot)
        assert "There is no account" in screen_text(app)
        assert app.screen is modal

        modal.query_one("#successor", Input).value = ""
        await type_text(pilot, "ada@acme.example.com")
        await pilot.press("enter")
        await settle(pilot, "ada@acme.example.com becomes its owner")
        assert core.get_user(ws.owner, ws.bob.email).status == "active"  # still only a plan
        await pilot.click("#confirm")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
        assert "Offboarded bob@acme.example.com; the account is deactivated." in notifications(app)
    assert core.get_user(ws.owner, ws.bob.email).status == "deactivated"
    assert _teams_of(core, ws, ws.bob.email) == []
    owners = [m.email for m in core.list_members(ws.owner, ws.data.id).items if m.role == "owner"]
    assert owners == [ws.ada.email]


async def test_a_successor_typed_but_not_planned_is_planned_first(
    core: Core, ws: Workspace
) -> None:
    _bob_last_owner_of_data(core, ws)
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, "Platform Engineering")
        modal = await _offboard(pilot, "bob@")
        await type_text(pilot, "ada@acme.example.com")
        await pilot.click("#confirm")  # the plan shown named nobody: it is read again first
        await settle(pilot, "ada@acme.example.com becomes its owner")
        assert app.screen is modal and "press Offboard again" in modal.error
        assert core.get_user(ws.owner, ws.bob.email).status == "active"


async def test_a_member_has_no_people(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.cyd)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, "Platform Engineering")
        assert "People" not in screen_text(app)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, TeamListScreen)
        labels = [command.label for command in app.screen.palette_commands()]
        assert "Workspace: People" not in labels
    owner_app = AuxotApp(core, ws.owner)
    async with owner_app.run_test(size=SIZE) as pilot:
        await settle(pilot, "Platform Engineering")
        labels = [command.label for command in owner_app.screen.palette_commands()]
        assert "Workspace: People" in labels


def test_offboarding_plan_snapshot(world: SnapshotWorld, snap_compare) -> None:
    world.core.leave_team(world.ws.owner, world.ws.data.id)
    run = script("p", "down", "o")
    assert snap_compare(world.app(world.ws.owner), terminal_size=(80, 24), run_before=run)
