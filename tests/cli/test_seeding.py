"""Bulk seeding: valid rows on both backends, an owner in every team, and ``auxot seed``."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.db import Database
from core.errors import InvalidInput
from core.models import AuditEvent, Membership, Team, User
from core.seeding import SEED_OWNER_EMAIL, seed_workspace
from core.services import Core
from tests.cli.conftest import Auxot


def _count(database: Database, stmt) -> int:
    with database.session(write=False) as session:
        return session.scalar(stmt) or 0


def test_seed_counts_and_owners(database: Database) -> None:
    result = seed_workspace(database, 50, 300, 10, big_team_members=120)
    assert (result.workspace_created, result.users, result.teams, result.memberships) == (
        True,
        300,
        51,
        50 * 10 + 120,
    )
    assert _count(database, select(func.count()).select_from(User)) == 301
    assert _count(database, select(func.count()).select_from(Team)) == 51
    assert _count(database, select(func.count()).select_from(Membership)) == 620
    with database.session(write=False) as session:
        teams_without_owner = session.scalar(
            select(func.count())
            .select_from(Team)
            .where(
                ~select(Membership.id)
                .where(Membership.team_id == Team.id, Membership.role == "owner")
                .exists()
            )
        )
        sizes = session.execute(
            select(Membership.team_id, func.count()).group_by(Membership.team_id)
        ).all()
        keys = session.execute(select(Team.name, Team.name_key)).all()
        roles = set(session.scalars(select(Membership.role).distinct()))
        versions = set(session.scalars(select(Membership.version).distinct()))
        audit = session.scalar(select(AuditEvent).where(AuditEvent.action == "workspace.seed"))
    assert teams_without_owner == 0
    assert sorted(n for _, n in sizes) == [10] * 50 + [120]
    assert all(key == name.casefold() for name, key in keys)
    assert roles == {"owner", "admin", "member"}
    assert versions == {1}
    assert audit is not None and audit.details["memberships"] == 620


def test_seeded_workspace_works_through_the_services(core: Core) -> None:
    seed_workspace(core.db, 20, 100, 8, big_team_members=60)
    owner = core.principal_for(SEED_OWNER_EMAIL)
    page = core.list_teams(owner, limit=5)
    assert page.total == 21 and len(page.items) == 5
    big = core.list_teams(owner, "All Hands").items[0]
    assert big.member_count == 60
    members = core.list_members(owner, big.id, limit=10)
    assert members.total == 60 and len(members.items) == 10
    target = next(m for m in members.items if m.role == "member")
    assert core.change_role(owner, big.id, target.email, "admin").role == "admin"
    # The services and the seeded rows share one id sequence on PostgreSQL too.
    assert core.add_user(owner, "late@example.com").email == "late@example.com"
    assert core.create_team(owner, "Made By Hand").member_count == 1


def test_seeding_twice_adds_more(database: Database) -> None:
    seed_workspace(database, 5, 20, 3)
    again = seed_workspace(database, 5, 20, 3, rng_seed=2)
    assert again.workspace_created is False
    assert _count(database, select(func.count()).select_from(User)) == 41
    assert _count(database, select(func.count()).select_from(Team)) == 10


def test_seed_sizes_are_checked(database: Database) -> None:
    with pytest.raises(InvalidInput, match="more members than"):
        seed_workspace(database, 2, 5, 6)
    with pytest.raises(InvalidInput, match="negative"):
        seed_workspace(database, -1, 5, 1)


def test_seed_command(auxot: Auxot) -> None:
    run = auxot(
        "seed", "--teams", "12", "--users", "40", "--members-per-team", "5", "--big-team", "30"
    )
    assert run.code == 0, run.err
    assert run.out.startswith("Seeded 40 users, 13 teams and 90 memberships in ")
    assert f"--user {SEED_OWNER_EMAIL}" in run.out
    data = auxot("--json", "seed", "--teams", "1", "--users", "2", "--members-per-team", "2").json()
    assert {k: data[k] for k in ("workspace_created", "users", "teams", "memberships")} == {
        "workspace_created": False,
        "users": 2,
        "teams": 1,
        "memberships": 2,
    }
    assert auxot("seed", "--teams", "1", "--users", "1", "--members-per-team", "3").code == 1
    assert auxot("seed", "--teams", "-1", "--users", "1", "--members-per-team", "1").code == 2
    teams = auxot("teams", "list", "--user", SEED_OWNER_EMAIL, "--json").json()
    assert len(teams) == 14
