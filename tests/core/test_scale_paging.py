"""Paging the long lists the app scrolls through: teams with their member counts at any
offset, and a large team's members read from either end."""

from __future__ import annotations

import pytest

from core.db import Database
from core.errors import InvalidInput, NotFound, PermissionDenied
from core.seeding import SEED_OWNER_EMAIL, seed_workspace
from core.services import Core
from core.views import MemberView, Principal


@pytest.fixture
def seeded(core: Core, database: Database) -> tuple[Principal, int]:
    """60 teams of 3 members and one team of 250, over 400 people; the owner and the big
    team's id."""
    seed_workspace(database, 60, 400, 3, big_team_members=250, rng_seed=7)
    owner = core.principal_for(SEED_OWNER_EMAIL)
    big = core.list_teams(owner, "All Hands").items[0]
    return owner, big.id


def keys(members: list[MemberView]) -> list[tuple[str, int]]:
    return [(m.display_name.casefold(), m.user_id) for m in members]


def test_team_pages_count_members_at_every_offset(
    core: Core, seeded: tuple[Principal, int]
) -> None:
    owner, big_id = seeded
    whole = core.list_teams(owner)
    assert whole.total == 61 and len(whole.items) == 61
    for offset in (0, 7, 40, 58):
        page = core.list_teams(owner, offset=offset, limit=5)
        assert (page.total, page.offset) == (61, offset)
        assert page.items == whole.items[offset : offset + 5]
    counts = {team.id: team.member_count for team in whole.items}
    assert counts[big_id] == 250
    assert set(counts.values()) == {3, 250}


def test_team_pages_for_a_member_hold_only_their_teams(core: Core, database: Database) -> None:
    owner = core.init_workspace("Acme", "owner@acme.example.com", "Olive Owner", plan="business")
    member = core.add_user(owner, "mo@acme.example.com", "Mo")
    mo = Principal(member.id, member.email)
    for n in range(12):
        team = core.create_team(owner, f"Team {n:02d}")
        if n % 3 == 0:
            core.add_member(owner, team.id, mo.email, "admin" if n == 3 else "member")
    page = core.list_teams(mo, offset=1, limit=2)
    assert [(t.name, t.my_role, t.member_count) for t in page.items] == [
        ("Team 03", "admin", 2),
        ("Team 06", "member", 2),
    ]
    assert page.total == 4
    assert core.list_teams(mo, "9").total == 1


def test_members_from_the_end_match_the_same_rows_from_the_start(
    core: Core, seeded: tuple[Principal, int]
) -> None:
    owner, big_id = seeded
    whole = core.list_members(owner, big_id).items
    assert len(whole) == 250
    assert keys(whole) == sorted(keys(whole))
    last = core.list_members(owner, big_id, limit=40, from_end=True)
    assert (last.total, last.offset) == (250, 210)
    assert last.items == whole[210:]
    before = core.list_members(owner, big_id, offset=40, limit=40, from_end=True)
    assert before.offset == 170 and before.items == whole[170:210]
    first = core.list_members(owner, big_id, offset=230, limit=40, from_end=True)
    assert first.offset == 0 and first.items == whole[:20]
    beyond = core.list_members(owner, big_id, offset=300, limit=40, from_end=True)
    assert (beyond.items, beyond.total, beyond.offset) == ([], 250, 0)


def test_filtered_members_from_the_end(core: Core, seeded: tuple[Principal, int]) -> None:
    owner, big_id = seeded
    query = core.list_members(owner, big_id, limit=1).items[0].display_name.split()[0]
    matching = core.list_members(owner, big_id, query=query.upper())
    assert 0 < matching.total < 250
    tail = core.list_members(owner, big_id, query=query, limit=3, from_end=True)
    assert tail.total == matching.total
    assert tail.items == matching.items[-3:]
    assert tail.offset == max(0, matching.total - 3)
    # The count rides on the page's rows; with no row to carry it, it is counted apart.
    assert core.list_members(owner, big_id, query=query, offset=1_000, limit=5).total == (
        matching.total
    )
    assert core.list_members(owner, big_id, query=query, limit=0).total == matching.total
    assert core.list_members(owner, big_id, query="no such person").total == 0


def test_pages_refuse_negative_bounds(core: Core, seeded: tuple[Principal, int]) -> None:
    owner, big_id = seeded
    with pytest.raises(InvalidInput):
        core.list_members(owner, big_id, offset=-1, limit=10, from_end=True)
    with pytest.raises(InvalidInput):
        core.list_teams(owner, offset=0, limit=-5)


def test_audit_pages_newest_first_from_either_end(core: Core, owner: Principal) -> None:
    team = core.create_team(owner, "Busy")
    for n in range(30):
        core.describe_team(owner, team.id, f"take {n}")
    newest = core.list_audit(owner, team=team.id, limit=1000).items
    assert len(newest) == 31  # the creation and 30 descriptions
    first = core.list_audit(owner, team.id, offset=0, limit=10)
    assert (first.total, first.offset, first.items) == (31, 0, newest[:10])
    middle = core.list_audit(owner, team.id, offset=10, limit=10)
    assert middle.items == newest[10:20]
    oldest = core.list_audit(owner, team.id, limit=10, from_end=True)
    assert (oldest.offset, oldest.items) == (21, newest[21:])
    assert oldest.items[-1].action == "team.create"
    everything = core.list_audit(owner, offset=0, limit=5)
    assert everything.total > 31 and everything.items[0].id > everything.items[-1].id


def test_audit_pages_keep_the_log_to_those_who_may_read_it(core: Core, owner: Principal) -> None:
    team = core.create_team(owner, "Quiet")
    account = core.add_user(owner, "mo@acme.example.com", "Mo")
    mo = Principal(account.id, account.email)
    with pytest.raises(PermissionDenied):
        core.list_audit(mo)
    with pytest.raises(NotFound):
        core.list_audit(mo, team.id)
    core.add_member(owner, team.id, mo.email)
    # The creation, mo's refused read (refusals are audited too) and the addition.
    assert core.list_audit(mo, team.id, limit=1).total == 3


def test_resource_pages_filter_and_count(core: Core, owner: Principal) -> None:
    team = core.create_team(owner, "Platform")
    for n in range(12):
        core.create_resource(owner, "skill", f"Runbook {n:02d}", team=team.id)
    core.create_resource(owner, "agent", "Infra Bot", team=team.id)
    core.create_resource(owner, "agent", "Elsewhere", team=core.create_team(owner, "Other").id)
    whole = core.list_resources(owner, team.id)
    assert whole.total == 13
    assert [r.name for r in whole.items[:2]] == ["Infra Bot", "Runbook 00"]  # by kind, then name
    page = core.list_resources(owner, team.id, offset=5, limit=4)
    assert (page.total, page.offset, page.items) == (13, 5, whole.items[5:9])
    assert all(r.team_name == "Platform" for r in page.items)
    found = core.list_resources(owner, team.id, query="BOOK 1", limit=50)
    assert [r.name for r in found.items] == ["Runbook 10", "Runbook 11"] and found.total == 2
