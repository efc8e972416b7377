"""The team list marks teams whose keys stop working within 14 days, for those who manage
the keys; a member of the team sees no mark (key metadata is not theirs to see)."""

from __future__ import annotations

from core.services import Core
from tests.tui.conftest import Workspace
from tests.tui.helpers import settle, table_column
from tui.app import AuxotApp


async def test_expiring_keys_are_marked_for_key_managers_only(core: Core, ws: Workspace) -> None:
    core.create_key(ws.owner, ws.platform.id, "Soon", expires_in_days=3)
    core.create_key(ws.owner, ws.platform.id, "Far", expires_in_days=60)
    for actor, marked in ((ws.owner, True), (ws.ada, True), (ws.cyd, False)):
        app = AuxotApp(core, actor)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            names = table_column(app, "#teams-table", 0)
            descriptions = table_column(app, "#teams-table", 1)
            row = descriptions[names.index(ws.platform.name)]
            assert row.startswith("⚠ 1 key expiring · ") is marked, (actor.email, row)
            others = [d for n, d in zip(names, descriptions) if n != ws.platform.name]
            assert not any("expiring" in d for d in others)
