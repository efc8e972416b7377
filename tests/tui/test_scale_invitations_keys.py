"""The pending invitations and the API keys on a team with thousands of them: they read a
page at a time, count, reach their last row with End, keep the selected row when read again,
and act on a row far down the list. Functional, not timed."""

from __future__ import annotations

from typing import Any

import pytest

from core.services import Core
from tests.conftest import FakeClock
from tests.core.helpers import bulk_invitations, bulk_keys
from tests.tui.conftest import Workspace
from tests.tui.helpers import notifications, screen_text, settle
from tests.tui.test_invitations import focus_invitations, open_team
from tests.tui.test_keys import open_keys
from tui.app import AuxotApp
from tui.dialogs.confirm import ConfirmModal
from tui.widgets.virtual_table import PAGE_SIZE, VirtualTable

INVITED, KEYS = 3_000, 300
SIZE = (100, 30)


def calls(core: Core, name: str, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """Record the arguments of every call of ``core.<name>``."""
    seen: list[dict[str, object]] = []
    real = getattr(core, name)

    def recording(
        actor: object, team: object, offset: int = 0, limit: object = None, **kw: object
    ) -> object:
        seen.append({"offset": offset, "limit": limit, **kw})
        return real(actor, team, offset, limit, **kw)

    monkeypatch.setattr(core, name, recording)
    return seen


def table(app: AuxotApp, selector: str) -> VirtualTable[Any]:
    return app.screen.query_one(selector, VirtualTable)


# -- pending invitations ------------------------------------------------------------------------


@pytest.fixture
def invited(core: Core, ws: Workspace, clock: FakeClock) -> list[str]:
    """INVITED pending invitations to Platform Engineering; their emails, oldest first."""
    return bulk_invitations(core.db, ws.platform.id, ws.owner.user_id, INVITED, clock.now)


async def test_invitations_count_and_end_reaches_the_oldest(
    core: Core, ws: Workspace, invited: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = calls(core, "list_invitations", monkeypatch)
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, ws.platform)
        invitations = table(app, "#invitations-table")
        assert invitations.total == INVITED
        assert "Pending invitations · 3,000" in screen_text(app)
        assert len(invitations.loaded_rows()) == PAGE_SIZE  # one page, not 3,000 rows
        assert reads and all(read["limit"] == PAGE_SIZE for read in reads)
        await focus_invitations(pilot)
        await pilot.press("end")
        await settle(pilot)
        assert invitations.cursor_row == INVITED - 1
        assert invitations.current_row is not None
        assert invitations.current_row.email == invited[0]
        assert reads[-1]["from_end"] is True  # the oldest, read from the end of the order
        await pilot.press("pageup", "home")
        await settle(pilot)
        assert invitations.current_row is not None
        assert invitations.current_row.email == invited[-1]
        await pilot.press("pagedown")
        await settle(pilot)
        assert invitations.cursor_row > 0 and invitations.current_row is not None


async def test_invitations_refresh_keeps_the_row_and_revoke_far_down(
    core: Core, ws: Workspace, invited: list[str]
) -> None:
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_team(pilot, ws.platform)
        await focus_invitations(pilot)
        invitations = table(app, "#invitations-table")
        await pilot.press("end")
        await settle(pilot)
        invitations.move_cursor(INVITED - 25)
        await settle(pilot)
        chosen = invitations.current_row
        assert chosen is not None and chosen.email == invited[24]
        core.invite_member(ws.owner, ws.platform.id, "newest@example.com")  # first in the list
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert invitations.total == INVITED + 1
        assert "Pending invitations · 3,001" in screen_text(app)
        assert (invitations.cursor_row, invitations.current_row) == (INVITED - 24, chosen)
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert f"Revoked the invitation of {invited[24]}." in notifications(app)
        assert invitations.total == INVITED
        assert "Pending invitations · 3,000" in screen_text(app)
    pending = {view.email for view in core.list_invitations(ws.owner, ws.platform.id).items}
    assert len(pending) == INVITED and invited[24] not in pending
    assert {invited[23], invited[25], "newest@example.com"} <= pending


async def test_invitation_resend_far_down(
    core: Core, ws: Workspace, invited: list[str], clock: FakeClock
) -> None:
    clock.advance(days=8)  # every bulk invitation has lapsed
    app = AuxotApp(core, ws.owner)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot, ws.platform)
        await focus_invitations(pilot)
        invitations = table(app, "#invitations-table")
        invitations.move_cursor(2_400)
        await settle(pilot)
        chosen = invitations.current_row
        assert chosen is not None and chosen.status == "expired"
        assert "Expired on" in str(app.screen.query_one("#invitation-detail").render())
        await pilot.press("s")
        await settle(pilot)
        assert invitations.current_row is not None
        assert invitations.current_row.email == chosen.email
        assert invitations.current_row.status == "pending"
    renewed = core.list_invitations(ws.owner, ws.platform.id, 2_400, 1).items[0]
    assert renewed.email == chosen.email
    assert renewed.status == "pending" and renewed.expires_at > clock.now


# -- API keys -----------------------------------------------------------------------------------


@pytest.fixture
def keyed(core: Core, ws: Workspace, clock: FakeClock) -> list[str]:
    """KEYS active keys of Platform Engineering, made by Ada; their key ids, oldest first."""
    return bulk_keys(core.db, ws.platform.id, ws.ada.user_id, KEYS, clock.now)


async def test_keys_count_and_end_reaches_the_oldest(
    core: Core, ws: Workspace, keyed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = calls(core, "list_keys", monkeypatch)
    app = AuxotApp(core, ws.ada)
    async with app.run_test(size=SIZE) as pilot:
        await open_keys(pilot)
        keys = table(app, "#keys-table")
        assert keys.total == KEYS
        assert "300 keys, 300 active" in screen_text(app)
        assert len(keys.loaded_rows()) == PAGE_SIZE
        assert all(read["limit"] in (PAGE_SIZE, 0) for read in reads)
        await pilot.press("end")
        await settle(pilot)
        assert keys.cursor_row == KEYS - 1
        assert keys.current_row is not None
        assert keys.current_row.key_id == keyed[0]
        assert "Service 0000" in screen_text(app)
        await pilot.press("home", "pagedown")
        await settle(pilot)
        assert keys.cursor_row > 0 and keys.current_row is not None


async def test_keys_refresh_keeps_the_row_and_revoke_far_down(
    core: Core, ws: Workspace, keyed: list[str]
) -> None:
    app = AuxotApp(core, ws.ada)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_keys(pilot)
        keys = table(app, "#keys-table")
        await pilot.press("end")
        await settle(pilot)
        keys.move_cursor(KEYS - 10)
        await settle(pilot)
        chosen = keys.current_row
        assert chosen is not None and chosen.key_id == keyed[9]
        core.create_key(ws.owner, ws.platform.id, "Newest")  # first in the list
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "301 keys, 301 active" in screen_text(app)
        assert (keys.cursor_row, keys.current_row) == (KEYS - 9, chosen)
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert "Revoked the key Service 0009; it stops working at once." in notifications(app)
        assert "301 keys, 300 active" in screen_text(app)
    statuses = {key.key_id: key.status for key in core.list_keys(ws.ada, ws.platform.id).items}
    assert statuses[keyed[9]] == "revoked"
    assert list(statuses.values()).count("active") == KEYS
