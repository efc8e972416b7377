"""A team's API keys a page at a time: the same rows and order as ``list_keys`` (live keys
first, newest first), counts, the last page, the active count, and no key data for those
who may not manage keys."""

from __future__ import annotations

import pytest

from core.db import Database
from core.errors import InvalidInput, NotFound, PermissionDenied
from core.services import Core
from core.views import Principal, TeamView
from tests.conftest import FakeClock
from tests.core.helpers import bulk_keys

MANY = 2_000


@pytest.fixture
def keyed(core: Core, database: Database, owner: Principal, clock: FakeClock) -> TeamView:
    """MANY keys, every seventh revoked, then one rotated and one that has expired."""
    team = core.create_team(owner, "Integrations")
    bulk_keys(database, team.id, owner.user_id, MANY, clock.now, revoked_every=7)
    clock.advance(hours=1)
    core.create_key(owner, team.id, "Short lived", expires_in_days=1)
    core.create_key(owner, team.id, "Nightly export")
    core.rotate_key(owner, team.id, "Nightly export", grace_hours=48)
    clock.advance(hours=36)  # the short-lived key has expired; the rotated one still works
    return team


def test_pages_hold_the_listed_keys_in_order(core: Core, owner: Principal, keyed: TeamView) -> None:
    whole = core.list_keys(owner, keyed.id).items
    assert len(whole) == MANY + 3
    revoked = [key.status == "revoked" for key in whole]
    assert revoked == sorted(revoked)  # live keys first
    read = []
    for offset in range(0, len(whole), 450):
        page = core.list_keys(owner, keyed.id, offset, 450)
        assert (page.total, page.offset) == (MANY + 3, offset)
        read.extend(page.items)
    assert read == whole


def test_counts_the_last_page_and_the_active_keys(
    core: Core, owner: Principal, keyed: TeamView
) -> None:
    whole = core.list_keys(owner, keyed.id).items
    assert core.list_keys(owner, keyed.id, limit=0).total == MANY + 3
    last = core.list_keys(owner, keyed.id, offset=MANY, limit=200)
    assert (last.offset, last.items) == (MANY, whole[MANY:])
    assert last.items[-1].name == "Service 0000" and last.items[-1].status == "revoked"
    statuses = {key.status for key in whole}
    assert statuses == {"active", "revoked", "rotated", "expired"}
    active = [key for key in whole if key.status == "active"]
    assert core.list_keys(owner, keyed.id, limit=0, active_only=True).total == len(active)
    assert core.list_keys(owner, keyed.id, active_only=True).items == active
    with pytest.raises(InvalidInput):
        core.list_keys(owner, keyed.id, limit=-1)


def test_members_read_no_key_data(core: Core, owner: Principal, keyed: TeamView) -> None:
    key_ids = [key.key_id for key in core.list_keys(owner, keyed.id, limit=50).items]
    core.add_user(owner, "mia@example.com")
    core.add_member(owner, keyed.id, "mia@example.com", "member")
    mia = core.principal_for("mia@example.com")
    for read in (
        lambda: core.list_keys(mia, keyed.id, limit=50),
        lambda: core.list_keys(mia, keyed.id, limit=0, active_only=True),
        lambda: core.list_keys(mia, keyed.id).items,
    ):
        with pytest.raises(PermissionDenied) as refused:
            read()
        assert not any(key_id in refused.value.message for key_id in key_ids)
    core.add_user(owner, "adam@example.com")
    core.add_member(owner, keyed.id, "adam@example.com", "admin")
    adam = core.principal_for("adam@example.com")
    assert core.list_keys(adam, keyed.id, limit=0).total == MANY + 3
    core.add_user(owner, "out@example.com")
    with pytest.raises(NotFound):
        core.list_keys(core.principal_for("out@example.com"), keyed.id, limit=1)
