"""A tab key (1-5) takes the focus into its tab, wherever it was: from the tab bar too. Tab
from a team's members with no pending invitations lands on the tab bar; 5 then showed API
keys with the focus left on the bar, so the keys' own keys (n New key) did nothing."""

from __future__ import annotations

from textual.widgets import TabbedContent, Tabs

from core.services import Core
from tests.tui.conftest import Workspace
from tests.tui.helpers import settle, wait_until
from tests.tui.test_invitations import open_team
from tui.app import AuxotApp
from tui.dialogs.new_key import NewKeyModal


async def test_a_tab_key_from_the_tab_bar_focuses_the_tab(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_team(pilot, ws.platform)
        await pilot.press("tab")
        await settle(pilot)
        assert isinstance(screen.focused, Tabs)  # as a person who tabs past the members is
        await pilot.press("5")  # API keys, mounted now for the first time
        await settle(pilot)
        assert screen.query_one(TabbedContent).active == "keys"
        keys = screen.query_one("#keys-tab")
        assert keys.has_focus_within or screen.focused is keys
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NewKeyModal))


async def test_arrows_on_the_tab_bar_keep_the_focus_there(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_team(pilot, ws.platform)
        await pilot.press("tab")
        await settle(pilot)
        await pilot.press("right", "right")  # walking the bar shows each tab under it
        await settle(pilot)
        assert screen.query_one(TabbedContent).active == "activity"
        assert isinstance(screen.focused, Tabs)
