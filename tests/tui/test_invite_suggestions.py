"""The Invite dialog suggests people as a name or an address is typed; Tab takes one."""

from __future__ import annotations

from core.services import Core
from tests.tui.conftest import Workspace
from tests.tui.helpers import settle, type_text
from tests.tui.test_invitations import open_dialog, open_team
from tui.app import AuxotApp
from tui.dialogs.invite import AddressArea
from tui.widgets.people_suggestions import PeopleSuggestions

SIZE = (100, 30)


async def test_typing_a_name_suggests_and_tab_takes_it(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, ws.platform)
        modal = await open_dialog(pilot)
        await type_text(pilot, "zed@nowhere.example.com ev")
        await settle(pilot)
        suggestions = modal.query_one(PeopleSuggestions)
        assert [p.email for p in suggestions.people] == [ws.eve.email]
        assert "Tab: Eve Newcomer <eve@acme.example.com>" in str(suggestions.render())
        await pilot.press("tab")
        await settle(pilot)
        area = modal.query_one(AddressArea)
        assert area.text == "zed@nowhere.example.com eve@acme.example.com, "
        assert modal.focused is area  # Tab took the suggestion instead of moving on
        assert not suggestions.display


async def test_no_suggestion_means_tab_moves_on(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, ws.platform)
        modal = await open_dialog(pilot)
        await type_text(pilot, "nobody-like-this")
        await settle(pilot)
        assert not modal.query_one(PeopleSuggestions).display
        await pilot.press("tab")
        await settle(pilot)
        assert modal.focused is not modal.query_one(AddressArea)
        assert modal.query_one(AddressArea).text == "nobody-like-this"
