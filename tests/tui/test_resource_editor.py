"""Resources → Open: read the whole body; admins rename, rewrite and move it."""

from __future__ import annotations

from textual.widgets import Input, Select, TextArea

from core.services import Core
from tests.tui.conftest import SnapshotWorld, Workspace
from tests.tui.helpers import move_to, screen_text, script, settle, table_column, type_text
from tests.tui.test_flows import SIZE, open_team
from tui.app import AuxotApp
from tui.dialogs.resource_editor import ResourceEditorModal
from tui.team.screen import TeamScreen

BODY = "Step one: look.\nStep two: fix.\n" + "More lines.\n" * 20 + "The last line."


def _runbook(core: Core, ws: Workspace) -> None:
    core.create_resource(ws.owner, "skill", "Runbook", ws.platform.id, BODY)


async def _open_runbook(pilot) -> ResourceEditorModal:
    await open_team(pilot, "Platform Engineering")
    await pilot.press("2")
    await settle(pilot)
    await move_to(pilot, "#resources-table", "Runbook", 1)
    await pilot.press("enter")
    await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, ResourceEditorModal)
    return modal


async def test_an_admin_renames_rewrites_and_moves(core: Core, ws: Workspace) -> None:
    _runbook(core, ws)
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        modal = await _open_runbook(pilot)
        assert modal.query_one("#body", TextArea).text == BODY  # the whole body
        modal.query_one("#name", Input).value = "Runbook v2"
        modal.query_one("#body", TextArea).text = "Rewritten."
        modal.query_one("#place", Select).value = str(ws.data.id)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        assert "Runbook" not in table_column(app, "#resources-table", 1)  # moved away
    moved = core.find_resource(ws.owner, "skill", "Runbook v2", ws.data.id)
    assert (moved.body, moved.team_name) == ("Rewritten.", "Data Science")


async def test_closing_unchanged_saves_nothing(core: Core, ws: Workspace) -> None:
    _runbook(core, ws)
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await _open_runbook(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        assert "Saved" not in screen_text(app)
    assert core.find_resource(ws.owner, "skill", "Runbook", ws.platform.id).body == BODY


async def test_a_member_reads_but_cannot_edit(core: Core, ws: Workspace) -> None:
    _runbook(core, ws)
    app = AuxotApp(core, ws.cyd)
    async with app.run_test(size=SIZE) as pilot:
        modal = await _open_runbook(pilot)
        body = modal.query_one("#body", TextArea)
        assert body.read_only and body.text == BODY
        assert modal.query_one("#name", Input).disabled
        assert not modal.query_one("#submit").display
        await type_text(pilot, "typed")
        await pilot.press("ctrl+s", "escape")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
    assert core.find_resource(ws.owner, "skill", "Runbook", ws.platform.id).body == BODY


def test_resource_editor_snapshot(world: SnapshotWorld, snap_compare) -> None:
    world.core.create_resource(world.ws.owner, "skill", "Runbook", world.ws.platform.id, BODY)
    run = script("down", "down", "enter", "2", "enter")
    assert snap_compare(world.app(world.ws.owner), terminal_size=(80, 24), run_before=run)
