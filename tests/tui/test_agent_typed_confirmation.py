"""The admin agent's irreversible plans ask for the name typed, as the Settings tab does:
two Enters never delete a team or revoke a key."""

from __future__ import annotations

from core.services import Core
from tests.tui.conftest import Workspace
from tests.tui.helpers import screen_text, settle, type_text
from tests.tui.test_agent_ui import SIZE, ask, open_agent, team_names
from tui.app import AuxotApp
from tui.dialogs.agent import AgentModal
from tui.dialogs.type_name import ConfirmPlanModal


async def test_deleting_a_team_needs_its_name_typed(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_agent(pilot)
        await ask(pilot, "Delete the Data Science team")
        await pilot.press("enter")  # the second Enter: asks for the name, does nothing yet
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ConfirmPlanModal)
        assert "Type the team's name to confirm" in screen_text(app)
        await pilot.press("enter")  # nothing typed
        await settle(pilot)
        await type_text(pilot, "data science")  # not exactly as shown
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is modal
        assert "not the team's name" in modal.error_for("confirm-name")
        assert "Data Science" in team_names(core, ws)
        await pilot.press("escape")  # cancelled: back at the agent, nothing done
        await settle(pilot)
        assert isinstance(app.screen, AgentModal)
    assert "Data Science" in team_names(core, ws)


async def test_revoking_a_key_needs_its_name_typed(core: Core, ws: Workspace) -> None:
    core.create_key(ws.owner, ws.platform.id, "Deploy Bot")
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_agent(pilot)
        await ask(pilot, "Revoke the Deploy Bot key of Platform Engineering")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmPlanModal)
        assert "Type the key's name to confirm" in screen_text(app)
        await type_text(pilot, "Deploy Bot")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AgentModal)
    keys = core.list_keys(ws.owner, ws.platform.id).items
    assert [k.status for k in keys if k.name == "Deploy Bot"] == ["revoked"]
