"""The app shell: how it is built and started, and what it does when the account cannot act."""

from __future__ import annotations

import inspect
from pathlib import Path

from textual.widgets import Input

from core.services import Core
from tests.tui.conftest import Workspace
from tests.tui.helpers import notifications, settle, static_text
from tui import AuxotApp, run_app
from tui.dialogs.add_team import AddTeamModal
from tui.screens.team_list import TeamListScreen
from tui.widgets.virtual_table import VirtualTable

ROOT = Path(__file__).resolve().parents[2]


def test_stylesheet_ships_inside_the_package() -> None:
    css = Path(AuxotApp.CSS_PATH)
    assert css.parent == ROOT / "tui"
    assert css.is_symlink() and css.readlink() == Path("../auxot.tcss")
    assert css.resolve() == ROOT / "auxot.tcss"


def test_run_app_takes_core_and_actor() -> None:
    assert list(inspect.signature(run_app).parameters) == ["core", "actor"]


def test_importing_the_app_connects_to_nothing() -> None:
    import tui.app

    assert not [
        name for name in vars(tui.app) if name in ("engine", "core", "settings", "database")
    ]


async def test_header_shows_workspace_plan_and_who_you_are(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.cyd)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = static_text(app)
        assert "Acme · Business plan" in text
        assert "cyd@acme.example.com · workspace member" in text
        assert "Settings › Teams" in text


async def test_deactivated_account_sees_the_sentence_not_a_traceback(
    core: Core, ws: Workspace
) -> None:
    app = AuxotApp(core, ws.dee)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TeamListScreen)
        sentence = "The account dee@acme.example.com is deactivated; a workspace admin must reactivate it first."
        assert sentence in static_text(app)
        assert sentence in notifications(app)


async def test_filter_keys_follow_the_focus(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}
        assert {"add_team", "focus_filter", "select_cursor"} <= shown
        await pilot.press("slash")
        shown = {b.binding.action for b in app.screen.active_bindings.values() if b.binding.show}
        assert "focus_filter" not in shown and "clear" in shown
        await pilot.press("escape")  # empty filter: back to the list
        assert app.screen.focused is app.screen.query_one("#teams-table")


async def test_escape_in_a_filter_makes_the_next_key_a_shortcut(core: Core, ws: Workspace) -> None:
    """`/ d a t Esc a` opens Add team, not a filter for "data"."""
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "d", "a", "t")
        await settle(pilot, "1 of 3 teams")
        await pilot.press("escape")
        await settle(pilot, "3 teams")
        assert app.screen.query_one("#teams-filter", Input).value == ""
        assert app.screen.focused is app.screen.query_one("#teams-table")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AddTeamModal)


async def test_escape_in_a_tab_filter_goes_back_to_its_list(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the first team
        await settle(pilot)
        await pilot.press("slash", "b", "o", "b")
        await settle(pilot)
        assert isinstance(app.screen.focused, Input)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.focused is app.screen.query_one("#members-table")
        assert app.screen.query_one("#members-filter", Input).value == ""


async def test_user_in_no_team_is_told_why_the_list_is_empty(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.eve)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = static_text(app)
        assert "You are not in any team yet." in text
        assert "0 teams" in text
        assert "add_team" not in {b.binding.action for b in app.screen.active_bindings.values()}


async def test_columns_follow_the_width(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#teams-table", VirtualTable)
        narrow = list(table.column_widths)
        await pilot.resize_terminal(140, 30)
        await settle(pilot)
        wide = list(table.column_widths)
        assert wide[1] > narrow[1] and wide[2:] == narrow[2:]
        assert sum(wide) + 2 * len(wide) <= 140
