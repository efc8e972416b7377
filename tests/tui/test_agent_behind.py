"""The team list behind the admin agent shows what the agent has just done, while its answer
is still open (it used to be read again only once the dialog closed, so "Created the team
Ops" sat over a list without Ops)."""

from __future__ import annotations

from core.services import Core
from tests.tui.conftest import Workspace
from tests.tui.helpers import settle, wait_until
from tests.tui.test_agent_ui import CREATE_OPS, SIZE, answer, ask, open_agent
from tui.app import AuxotApp
from tui.screens.team_list import TeamListScreen
from tui.widgets.virtual_table import VirtualTable


def listed_behind(app: AuxotApp) -> list[str]:
    (screen,) = [s for s in app.screen_stack if isinstance(s, TeamListScreen)]
    table = screen.query_one("#teams-table", VirtualTable)
    source = table.source
    return [] if source is None else [source.cells(r)[0].plain for r in table.loaded_rows()]


async def test_a_team_the_agent_creates_shows_behind_its_answer(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_agent(pilot)
        assert "Ops" not in listed_behind(app)
        await ask(pilot, CREATE_OPS)
        await pilot.press("enter")  # do it
        await settle(pilot)
        assert "Created the team Ops" in answer(modal)
        assert app.screen is modal  # still open
        await wait_until(pilot, lambda: "Ops" in listed_behind(app))


async def test_a_plan_only_shown_reads_nothing_again(core: Core, ws: Workspace) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_agent(pilot)
        screen = next(s for s in app.screen_stack if isinstance(s, TeamListScreen))
        reloads = []
        screen.reload = lambda *args, **kwargs: reloads.append(args)  # type: ignore[method-assign]
        await ask(pilot, CREATE_OPS)  # the plan, not done
        await settle(pilot)
        assert reloads == []
