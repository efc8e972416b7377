"""Paging the long lists the app scrolls through: teams with their member counts at any
offset, and a large team's members read from either end."""

from __future__ import annotations

import pytest

from core.db import Database
from core.errors import InvalidInput
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


def test_pages_refuse_negative_bounds(core: Core, seeded: tuple[Principal, int]) -> None:
    owner, big_id = seeded
    with pytest.raises(InvalidInput):
        core.list_members(owner, big_id, offset=-1, limit=10, from_end=True)
    with pytest.raises(InvalidInput):
        core.list_teams(owner, offset=0, limit=-5)
