"""The app shows hostile user text literally: escape sequences, C1 controls and bidirectional
overrides as visible escapes, markup-like text as written, never obeyed or parsed."""

from __future__ import annotations

from sqlalchemy import update

from core.models import Team
from core.services import Core
from tests.tui.conftest import Workspace
from tests.tui.helpers import notifications, screen_text, settle, static_text, table_column
from tui.app import AuxotApp

SIZE = (120, 30)
NAME = "Ops\x1b]0;owned\x07 [bold]x[/] \u202etxt"
DESCRIPTION = "clear\x1b[2J and \x9b31m red"
NEVER_SENT = ("\x1b", "\x9b", "\x07", "\u202e")


async def test_hostile_names_and_descriptions_are_shown_literally(core: Core, ws: Workspace):
    # Stored as a database written before today's checks could hold them.
    with core.db.session() as session:
        session.execute(
            update(Team).where(Team.id == ws.platform.id).values(name=NAME, description=DESCRIPTION)
        )
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = table_column(app, "#teams-table")
        shown = "Ops\\x1b]0;owned\\x07 [bold]x[/] \\u202etxt"
        assert shown in names
        assert not [ch for ch in NEVER_SENT if any(ch in name for name in names)]
        screen = screen_text(app)
        assert "[bold]x[/]" in screen
        assert not [ch for ch in NEVER_SENT if ch in screen]
        app.notify(f"Deleted the team {NAME}.", markup=False)
        await pilot.pause()
        assert notifications(app)[-1] == f"Deleted the team {shown}."
        await pilot.press("home")
        while app.screen.query_one("#teams-table").cursor_row < names.index(shown):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        text = static_text(app) + screen_text(app)
        assert "\\x1b" in text
        assert not [ch for ch in NEVER_SENT if ch in text]
