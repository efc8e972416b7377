"""A list behind a dialog follows a change as soon as core has committed it: the new or
rotated key is in the keys list, and on screen, while its one-time reveal is still open."""

from __future__ import annotations

from core.services import Core
from tests.tui.conftest import Workspace
from tests.tui.helpers import busy_workers, move_to, screen_text, settle, type_text
from tests.tui.test_keys import SIZE, open_keys
from tui.app import AuxotApp
from tui.dialogs.key_reveal import KeyRevealModal
from tui.team.keys_tab import KeysTab
from tui.team.screen import TeamScreen


def listed(screen: TeamScreen) -> list[tuple[str, str]]:
    """The keys list's rows as read: (name, status)."""
    return [(key.name, key.status) for key in screen.query_one(KeysTab).table.loaded_rows()]


def behind_dialog(app: AuxotApp) -> str:
    """The screen's text above the reveal dialog's frame: the rows of the list behind it."""
    return screen_text(app).split("New API key")[0].split("New key for")[0]


async def close_reveal(pilot) -> None:  # type: ignore[no-untyped-def]
    pilot.app.screen.query_one("#key-stored").focus()
    await pilot.press("enter")
    await settle(pilot)


async def test_a_new_key_is_listed_while_its_reveal_is_open(core: Core, ws: Workspace) -> None:
    core.create_key(ws.ada, ws.platform.id, "Webhook")
    app = AuxotApp(core, ws.ada)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_keys(pilot)
        await pilot.press("n")
        await type_text(pilot, "CI pipeline")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, KeyRevealModal)
        assert listed(screen) == [("CI pipeline", "active"), ("Webhook", "active")]
        assert "2 keys, 2 active" in behind_dialog(app)
        await close_reveal(pilot)
        assert app.screen is screen
        assert listed(screen) == [("CI pipeline", "active"), ("Webhook", "active")]
        assert screen.query_one(KeysTab).selected.name == "CI pipeline"  # type: ignore[union-attr]
        assert "CI pipeline" in screen_text(app)


async def test_a_rotated_key_is_listed_while_its_reveal_is_open(core: Core, ws: Workspace) -> None:
    core.create_key(ws.ada, ws.platform.id, "Webhook")
    app = AuxotApp(core, ws.ada)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_keys(pilot)
        await move_to(pilot, "#keys-table", "Webhook")
        await pilot.press("o", "enter")
        await settle(pilot)
        assert isinstance(app.screen, KeyRevealModal)
        assert listed(screen) == [("Webhook", "active"), ("Webhook", "rotated")]
        assert "2 keys, 1 active" in behind_dialog(app)
        await close_reveal(pilot)
        assert listed(screen) == [("Webhook", "active"), ("Webhook", "rotated")]
        assert "rotated" in screen_text(app)


async def test_the_list_under_a_dialog_paints_after_a_batch(core: Core, ws: Workspace) -> None:
    """The list read again while the app batched updates (a dialog composing) is painted
    once the batch ends, with no other event: before, it stayed at the old rows."""
    app = AuxotApp(core, ws.ada)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_keys(pilot)
        await pilot.press("n")
        await type_text(pilot, "CI pipeline")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, KeyRevealModal)
        assert "Nightly export" not in screen_text(app)
        core.create_key(ws.ada, ws.platform.id, "Nightly export")  # meanwhile, elsewhere
        with app.batch_update():
            screen.query_one(KeysTab).reload()
            while ("Nightly export", "active") not in listed(screen) or busy_workers(app):
                await pilot.pause(0.01)
            for _ in range(10):  # every message the read caused is handled inside the batch
                await pilot.pause(0.01)
        await settle(pilot)
        assert "Nightly ex" in behind_dialog(app)  # cut by the dialog's frame
        assert "2 keys, 2 active" in behind_dialog(app)
