"""Notifications never cover what a person acts on next: a dialog's buttons or the admin
agent's answer (issue: toasts at the bottom right sat on both at 80x24)."""

from __future__ import annotations

from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button

from core.services import Core
from tests.tui.conftest import Workspace
from tests.tui.helpers import settle, type_text, wait_until
from tests.tui.test_agent_ui import ask, open_agent
from tests.tui.test_keys import open_keys
from tui.app import AuxotApp
from tui.dialogs.key_reveal import KeyRevealModal
from tui.widgets.agent_bar import AgentChoices

SMALL = (80, 24)
LONG = "A notice long enough to wrap over two lines of a toast at eighty columns, or more."


def toast_regions(app: AuxotApp) -> list[Region]:
    return [toast.region for toast in app.screen.query("Toast") if toast.region.area]


def covered(app: AuxotApp, widgets: list[Widget]) -> list[str]:
    return [
        f"{widget!r} under a toast"
        for widget in widgets
        for toast in toast_regions(app)
        if widget.region.overlaps(toast)
    ]


async def test_a_toast_leaves_the_key_dialog_buttons_visible(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.ada)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await open_keys(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "ci bot")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, KeyRevealModal))
        await pilot.press("c")  # copies, and says so
        app.notify(LONG)
        await wait_until(pilot, lambda: len(toast_regions(app)) == 2)
        buttons = list(app.screen.query(Button))
        assert len(buttons) == 2
        assert not covered(app, buttons)


async def test_a_toast_leaves_the_agent_answer_visible(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await open_agent(pilot)
        modal = await ask(pilot, 'Create a team called "Ops"')
        answer = modal.query_one("#agent-answer")
        assert answer.region.area
        app.notify(LONG)
        app.notify(LONG, severity="error")
        await wait_until(pilot, lambda: len(toast_regions(app)) == 2)
        shown = [answer, *modal.query(AgentChoices), *modal.query(Button)]
        assert answer.region.bottom > SMALL[1] // 2  # the answer sits low in the dialog
        assert not covered(app, shown)
