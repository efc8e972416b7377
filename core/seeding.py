"""A large synthetic workspace for benchmarks: bulk inserts, not one service call per row.

The rows are written with SQLAlchemy Core ``insert()`` in chunks (executemany), in one
transaction, and satisfy every constraint the services rely on (case-folded keys, version 1,
an owner in every team), so the app and the services work on the result as on real data.
Names are generated from a seeded random source, so a given ``rng_seed`` always gives the
same workspace.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select

from core.db import Database
from core.errors import InvalidInput
from core.models import AuditEvent, Base, Membership, Team, User, Workspace
from core.seed_words import FIRST_NAMES, LAST_NAMES, TEAM_AREAS, TEAM_WORDS
from core.services.base import Clock, utcnow
from core.validation import name_key

SEED_DOMAIN = "seed.example.com"
SEED_OWNER_EMAIL = f"owner@{SEED_DOMAIN}"
SEED_WORKSPACE_NAME = "Seeded Workspace"
# Rows per executemany call: large enough to amortise the round trip, small enough that
# PostgreSQL's parameter limit and memory stay comfortable.
CHUNK = 5_000


@dataclass(frozen=True)
class SeedResult:
    workspace_created: bool
    users: int
    teams: int
    memberships: int
    seconds: float


def seed_workspace(
    db: Database,
    teams: int,
    users: int,
    members_per_team: int,
    *,
    big_team_members: int = 0,
    rng_seed: int = 1,
    clock: Clock = utcnow,
) -> SeedResult:
    """Add ``users`` accounts and ``teams`` teams of ``members_per_team`` distinct members
    (plus one team of ``big_team_members`` when asked), creating the workspace if absent.
    Running it again adds more, numbered after the earlier ones."""
    _check_sizes(teams, users, members_per_team, big_team_members)
    started = time.perf_counter()
    rng = random.Random(rng_seed)
    now = clock()
    with db.session() as session:
        conn = session.connection()
        created, owner_id = _ensure_workspace(conn, now)
        workspace = conn.scalar(select(Workspace.name).limit(1))
        user_ids = _insert_users(conn, users, now, rng)
        team_specs = _team_specs(conn, teams, members_per_team, big_team_members, rng)
        team_ids = _insert_teams(
            conn, [(name, desc) for name, desc, _ in team_specs], owner_id, now
        )
        sizes = [size for _, _, size in team_specs]
        memberships = _insert_memberships(conn, team_ids, sizes, user_ids, owner_id, now, rng)
        conn.execute(
            insert(_table(AuditEvent)),
            [
                {
                    "at": now,
                    "actor_user_id": None,
                    "actor_key_id": None,
                    "actor_label": "system",
                    "action": "workspace.seed",
                    "target": f"workspace:{workspace}",
                    "team_id": None,
                    "outcome": "ok",
                    "details": {"users": users, "teams": len(team_ids), "memberships": memberships},
                }
            ],
        )
        if not db.is_sqlite:
            # Fresh planner statistics: until autovacuum gets round to the new rows, PostgreSQL
            # would plan the first queries as if the tables were still nearly empty.
            conn.exec_driver_sql("ANALYZE users, teams, memberships")
    return SeedResult(created, users, len(team_ids), memberships, time.perf_counter() - started)


def _check_sizes(teams: int, users: int, members_per_team: int, big_team_members: int) -> None:
    for value, what in (
        (teams, "The number of teams"),
        (users, "The number of users"),
        (members_per_team, "The number of members per team"),
        (big_team_members, "The size of the big team"),
    ):
        if value < 0:
            raise InvalidInput(f"{what} cannot be negative.")
    if teams and members_per_team < 1:
        raise InvalidInput("Every team needs an owner; use at least 1 member per team.")
    if max(members_per_team if teams else 0, big_team_members) > users:
        raise InvalidInput(
            f"A team cannot have more members than the {users} users being seeded; "
            "add users or shrink the teams."
        )


def _table(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _insert_all(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    for chunk in _chunks(rows):
        conn.execute(insert(table), list(chunk))


def _ensure_workspace(conn: Connection, now: datetime) -> tuple[bool, int]:
    """The workspace (created on the business plan if absent) and the owner who adds rows."""
    created = conn.scalar(select(Workspace.id).limit(1)) is None
    if created:
        conn.execute(
            insert(_table(Workspace)),
            [{"name": SEED_WORKSPACE_NAME, "plan": "business", "created_at": now}],
        )
    owner_id = conn.scalar(select(User.id).where(User.email_key == SEED_OWNER_EMAIL))
    if owner_id is None and created:
        conn.execute(
            insert(_table(User)), [_user_row(SEED_OWNER_EMAIL, "Seed Owner", "owner", now)]
        )
        owner_id = conn.scalar(select(User.id).where(User.email_key == SEED_OWNER_EMAIL))
    if owner_id is None:
        # An existing workspace made by hand: its first owner adds the seeded rows.
        owner_id = conn.scalar(
            select(User.id).where(User.workspace_role == "owner").order_by(User.id).limit(1)
        )
    if owner_id is None:
        raise InvalidInput("The workspace has no owner account to seed it as.")
    return created, owner_id


def _user_row(email: str, display: str, role: str, now: datetime) -> dict[str, Any]:
    return {
        "email": email,
        "email_key": email.casefold(),
        "display_name": display,
        "name_key": display.casefold(),
        "workspace_role": role,
        "status": "active",
        "created_at": now,
    }


def _insert_users(conn: Connection, count: int, now: datetime, rng: random.Random) -> list[int]:
    """Insert ``count`` accounts numbered after earlier seeded ones; their ids in order."""
    pattern = f"user%@{SEED_DOMAIN}"
    first = (conn.scalar(select(func.count()).where(User.email_key.like(pattern))) or 0) + 1
    emails = [f"user{n:06d}@{SEED_DOMAIN}" for n in range(first, first + count)]
    rows = [
        _user_row(email, f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", "member", now)
        for email in emails
    ]
    _insert_all(conn, _table(User), rows)
    if not emails:
        return []
    # Ids are read back rather than assumed, so concurrent writers and PostgreSQL sequences
    # with gaps are handled the same way.
    found = conn.execute(select(User.email_key, User.id).where(User.email_key.like(pattern)))
    ids = {key: user_id for key, user_id in found}
    return [ids[email] for email in emails]


def _team_specs(
    conn: Connection, teams: int, size: int, big_team_members: int, rng: random.Random
) -> list[tuple[str, str, int]]:
    """(name, description, member count) of every team to create.
    The running number keeps names unique, also across repeated runs."""
    first = (conn.scalar(select(func.count()).select_from(Team)) or 0) + 1
    specs: list[tuple[str, str, int]] = []
    for n in range(first, first + teams):
        word, area = rng.choice(TEAM_WORDS), rng.choice(TEAM_AREAS)
        specs.append((f"{word} {area} {n:05d}", f"{area} work of the {word} group.", size))
    if big_team_members:
        n = first + teams
        specs.append((f"All Hands {n:05d}", "Everyone, for announcements.", big_team_members))
    return specs


def _insert_teams(
    conn: Connection, specs: Sequence[tuple[str, str]], owner_id: int, now: datetime
) -> list[int]:
    rows = [
        {
            "name": name,
            "name_key": name_key(name),
            "description": description,
            "created_by": owner_id,
            "created_at": now,
            "archived_at": None,
        }
        for name, description in specs
    ]
    _insert_all(conn, _table(Team), rows)
    keys = [row["name_key"] for row in rows]
    wanted = set(keys)
    ids: dict[Any, int] = {}
    live = select(Team.name_key, Team.id).where(Team.archived_at.is_(None))
    for key, team_id in conn.execute(live):
        if key in wanted:
            ids[key] = team_id
    return [ids[key] for key in keys]


def _roles(size: int) -> Iterable[str]:
    """A plausible team: one owner (two in larger teams), about a tenth admins, the rest members."""
    owners = 2 if size >= 20 else 1
    admins = size // 10
    for index in range(size):
        yield "owner" if index < owners else "admin" if index < owners + admins else "member"


def _insert_memberships(
    conn: Connection,
    team_ids: Sequence[int],
    sizes: Sequence[int],
    user_ids: Sequence[int],
    owner_id: int,
    now: datetime,
    rng: random.Random,
) -> int:
    """Each team gets ``size`` distinct users, the first of them its owner."""
    rows: list[dict[str, Any]] = []
    total = 0
    name_keys: dict[int, str] = {
        row[0]: row[1] for row in conn.execute(select(User.id, User.name_key))
    }
    for team_id, size in zip(team_ids, sizes, strict=True):
        picked = rng.sample(user_ids, size)
        for user_id, role in zip(picked, _roles(len(picked)), strict=True):
            rows.append(
                {
                    "user_id": user_id,
                    "team_id": team_id,
                    "role": role,
                    "added_by": owner_id,
                    "added_at": now,
                    "version": 1,
                    "member_key": name_keys[user_id],
                }
            )
        if len(rows) >= CHUNK * 4:
            _insert_all(conn, _table(Membership), rows)
            total += len(rows)
            rows = []
    _insert_all(conn, _table(Membership), rows)
    return total + len(rows)
