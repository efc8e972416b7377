"""The pending invitations a page at a time, as the app scrolls through a bulk invite of a
few thousand: the same rows and order as ``list_invitations``, counts, the last page, from
either end, and the same permission check."""

from __future__ import annotations

import pytest

from core.db import Database
from core.errors import InvalidInput, NotFound, PermissionDenied
from core.services import Core
from core.views import Principal, TeamView
from tests.conftest import FakeClock
from tests.core.helpers import bulk_invitations

BULK = 3_000


@pytest.fixture
def bulk(core: Core, database: Database, owner: Principal, clock: FakeClock) -> TeamView:
    """A team with BULK pending invitations, and one invitation revoked since."""
    team = core.create_team(owner, "Onboarding")
    bulk_invitations(database, team.id, owner.user_id, BULK, clock.now)
    core.invite_member(owner, team.id, "gone@example.com")
    core.revoke_invitation(owner, team.id, "gone@example.com")
    return team


def test_pages_hold_the_listed_invitations_in_order(
    core: Core, owner: Principal, bulk: TeamView
) -> None:
    whole = core.list_invitations(owner, bulk.id).items
    assert len(whole) == BULK
    assert [view.id for view in whole] == sorted((view.id for view in whole), reverse=True)
    assert whole[0].email == f"guest{BULK - 1:05d}@bulk.example.com"  # newest first
    read = []
    for offset in range(0, BULK, 700):
        page = core.list_invitations(owner, bulk.id, offset, 700)
        assert (page.total, page.offset) == (BULK, offset)
        read.extend(page.items)
    assert read == whole


def test_counts_and_the_last_page(core: Core, owner: Principal, bulk: TeamView) -> None:
    whole = core.list_invitations(owner, bulk.id).items
    counted = core.list_invitations(owner, bulk.id, limit=0)
    assert (counted.items, counted.total) == ([], BULK)
    last = core.list_invitations(owner, bulk.id, offset=2_900, limit=200)
    assert (last.total, last.offset, last.items) == (BULK, 2_900, whole[2_900:])
    assert last.items[-1].email == "guest00000@bulk.example.com"
    beyond = core.list_invitations(owner, bulk.id, offset=BULK, limit=200)
    assert (beyond.items, beyond.total) == ([], BULK)
    everything = core.list_invitations(owner, bulk.id, include_closed=True, limit=1)
    assert everything.total == BULK + 1
    assert everything.items[0].email == "gone@example.com"
    assert everything.items[0].status == "revoked"
    with pytest.raises(InvalidInput):
        core.list_invitations(owner, bulk.id, offset=-1, limit=10)


def test_pages_from_the_end_match_the_same_rows_from_the_start(
    core: Core, owner: Principal, bulk: TeamView
) -> None:
    whole = core.list_invitations(owner, bulk.id).items
    last = core.list_invitations(owner, bulk.id, 0, 200, from_end=True)
    assert (last.total, last.offset, last.items) == (BULK, BULK - 200, whole[-200:])
    before = core.list_invitations(owner, bulk.id, 200, 200, from_end=True)
    assert (before.offset, before.items) == (BULK - 400, whole[-400:-200])
    first = core.list_invitations(owner, bulk.id, BULK - 50, 200, from_end=True)
    assert (first.offset, first.items) == (0, whole[:50])


def test_lapsed_invitations_read_as_expired(
    core: Core, owner: Principal, bulk: TeamView, clock: FakeClock
) -> None:
    clock.advance(days=8)
    page = core.list_invitations(owner, bulk.id, 1_500, 3)
    assert [view.status for view in page.items] == ["expired"] * 3
    assert page.total == BULK  # still pending: they can be resent


def test_only_those_who_manage_members_read_the_pages(
    core: Core, owner: Principal, bulk: TeamView
) -> None:
    for email, role in (("adam@example.com", "admin"), ("mia@example.com", "member")):
        core.add_user(owner, email)
        core.add_member(owner, bulk.id, email, role)
        actor = core.principal_for(email)
        with pytest.raises(PermissionDenied):
            core.list_invitations(actor, bulk.id, limit=0)
        with pytest.raises(PermissionDenied):
            core.list_invitations(actor, bulk.id)
    core.add_user(owner, "out@example.com")
    outsider = core.principal_for("out@example.com")
    with pytest.raises(NotFound):
        core.list_invitations(outsider, bulk.id, limit=10)
