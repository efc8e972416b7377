"""Many sessions at once demoting, removing and leaving owners of the same teams.

DESIGN §3: every team keeps at least one owner, also when admins act at the same moment from
different sessions. Each worker thread has its own engine (so its own connections) and its own
``Core``; a barrier releases them together so that their transactions collide.

Every (team, owner) pair is targeted exactly once, so each attempt either goes through or is
refused as the last owner, and the sums are exact: a team with n owners ends with exactly one,
after n - 1 changes and exactly one LastOwner refusal.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from core.db import Database, create_engine_for
from core.errors import DomainError, LastOwner
from core.models import AuditEvent, Membership
from core.services import Core
from core.views import Principal
from tests.conftest import PG_URL

WORKERS = 9
DOMAIN = "acme.example.com"
OWNER_NAMES = ("ada", "ben", "cy")
# Owners per team in each round; each round has exactly WORKERS owners to go after.
ROUND_SHAPES = ((3, 3, 3), (2, 2, 2, 3))
OPERATIONS = ("demote", "remove", "leave")

NEEDS_POSTGRES = pytest.mark.skipif(
    not PG_URL,
    reason="AUXOT_TEST_DATABASE_URL is not set; set it to a PostgreSQL URL to run this test there",
)


@dataclass(frozen=True)
class Task:
    round: int
    team_id: int
    owner_email: str
    operation: str


@dataclass
class Attempt:
    task: Task
    outcome: str  # "changed", "last_owner", or the unexpected error
    started: float
    finished: float


def build_rounds(
    core: Core, admin: Principal, rounds: int
) -> tuple[list[list[Task]], dict[int, int]]:
    """Teams for every round, each with 2-3 owners (and a plain member); one task per worker."""
    schedule: list[list[Task]] = []
    owners_at_start: dict[int, int] = {}
    for round_no in range(rounds):
        shape = ROUND_SHAPES[round_no % len(ROUND_SHAPES)]
        assert sum(shape) == WORKERS
        tasks = []
        for team_no, owner_count in enumerate(shape):
            team = core.create_team(admin, f"Round {round_no} team {team_no}")
            owners = [f"{name}@{DOMAIN}" for name in OWNER_NAMES[:owner_count]]
            for address in owners:
                core.add_member(admin, team.id, address, "owner")
            core.add_member(admin, team.id, f"dee@{DOMAIN}", "member")
            # The admin created the team as its owner; step aside so the owners are exactly these.
            core.remove_member(admin, team.id, admin.email)
            owners_at_start[team.id] = owner_count
            for index, address in enumerate(owners):
                operation = OPERATIONS[(round_no + team_no + index) % len(OPERATIONS)]
                tasks.append(Task(round_no, team.id, address, operation))
        # Spread each team's owners over different workers, interleaved.
        tasks.sort(key=lambda t: (OWNER_NAMES.index(t.owner_email.split("@")[0]), t.team_id))
        schedule.append(tasks)
    return schedule, owners_at_start


def run_workers(
    db_url: str, schedule: list[list[Task]], people: dict[str, Principal], admins: list[Principal]
) -> list[Attempt]:
    barrier = threading.Barrier(WORKERS, timeout=60)
    attempts: list[Attempt] = []
    lock = threading.Lock()
    crashes: list[BaseException] = []

    def worker(index: int) -> None:
        database = Database(create_engine_for(db_url))  # its own engine and connections
        core = Core(database)
        admin = admins[index]
        try:
            for tasks in schedule:
                task = tasks[index]
                barrier.wait()
                started = time.perf_counter()
                try:
                    if task.operation == "demote":
                        core.change_role(admin, task.team_id, task.owner_email, "member")
                    elif task.operation == "remove":
                        core.remove_member(admin, task.team_id, task.owner_email)
                    else:
                        core.leave_team(people[task.owner_email], task.team_id)
                    outcome = "changed"
                except LastOwner:
                    outcome = "last_owner"
                except DomainError as error:
                    outcome = f"{type(error).__name__}: {error}"
                finished = time.perf_counter()
                with lock:
                    attempts.append(Attempt(task, outcome, started, finished))
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            crashes.append(exc)
            barrier.abort()
        finally:
            database.dispose()

    threads = [
        threading.Thread(target=worker, args=(i,), name=f"worker-{i}") for i in range(WORKERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    assert not crashes, f"workers crashed: {crashes!r}"
    return attempts


@pytest.mark.parametrize(
    ("db_url", "rounds"),
    [
        pytest.param("sqlite", 4, id="sqlite"),
        pytest.param("postgres", 6, id="postgres", marks=[pytest.mark.postgres, NEEDS_POSTGRES]),
    ],
    indirect=["db_url"],
)
def test_concurrent_owner_changes_never_leave_a_team_without_owner(
    core: Core, database: Database, owner: Principal, db_url: str, rounds: int
) -> None:
    people: dict[str, Principal] = {}
    for name in (*OWNER_NAMES, "dee"):
        view = core.add_user(owner, f"{name}@{DOMAIN}")
        people[view.email] = Principal(view.id, view.email)
    admins = [owner]
    for index in range(1, WORKERS):
        view = core.add_user(owner, f"admin{index}@{DOMAIN}", workspace_role="admin")
        admins.append(Principal(view.id, view.email))
    schedule, owners_at_start = build_rounds(core, owner, rounds)
    first_attempt_id = _last_audit_id(database)

    attempts = run_workers(db_url, schedule, people, admins)

    assert len(attempts) == rounds * WORKERS
    unexpected = [a for a in attempts if a.outcome not in ("changed", "last_owner")]
    assert not unexpected, f"attempts neither changed nor refused as last owner: {unexpected}"

    with database.session(write=False) as session:
        owners_now = dict(
            session.execute(
                select(Membership.team_id, func.count())
                .where(Membership.role == "owner")
                .group_by(Membership.team_id)
            ).all()
        )
        audited = session.execute(
            select(AuditEvent.team_id, AuditEvent.outcome, func.count())
            .where(
                AuditEvent.id > first_attempt_id,
                AuditEvent.action.in_(("member.role", "member.remove", "member.leave")),
            )
            .group_by(AuditEvent.team_id, AuditEvent.outcome)
        ).all()
    audit_counts = {(team, outcome): count for team, outcome, count in audited}

    changed_total = last_owner_total = 0
    for team_id, at_start in owners_at_start.items():
        outcomes = [a.outcome for a in attempts if a.task.team_id == team_id]
        changed, last_owner = outcomes.count("changed"), outcomes.count("last_owner")
        changed_total += changed
        last_owner_total += last_owner
        assert owners_now.get(team_id, 0) >= 1, f"team #{team_id} has no owner left"
        assert owners_now[team_id] == at_start - changed == 1, (
            team_id,
            at_start,
            outcomes,
            owners_now[team_id],
        )
        assert last_owner == 1, (team_id, outcomes)
        assert audit_counts.get((team_id, "ok"), 0) == changed
        assert audit_counts.get((team_id, "denied"), 0) == last_owner
    assert changed_total + last_owner_total == len(attempts)
    assert changed_total == sum(owners_at_start.values()) - len(owners_at_start)

    # The attempts really ran at the same time: within a round, calls overlapped.
    overlaps = 0
    for round_no in range(rounds):
        spans = sorted((a.started, a.finished) for a in attempts if a.task.round == round_no)
        overlaps += sum(1 for (s1, e1), (s2, _) in itertools.pairwise(spans) if s2 < e1)
    assert overlaps > 0, "the workers never overlapped; the test did not exercise concurrency"


def _last_audit_id(database: Database) -> int:
    with database.session(write=False) as session:
        return session.scalar(select(func.max(AuditEvent.id))) or 0


def _race(db_url: str, attempt: Callable[[Core, int], object]) -> list[str]:
    """Run ``attempt`` in WORKERS threads released together; each outcome as a word."""
    barrier = threading.Barrier(WORKERS, timeout=60)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        database = Database(create_engine_for(db_url))
        try:
            core = Core(database)
            barrier.wait()
            try:
                attempt(core, index)
                outcome = "ok"
            except DomainError as error:
                outcome = f"{type(error).__name__}: {error}"
            with lock:
                outcomes.append(outcome)
        finally:
            database.dispose()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == WORKERS, outcomes
    return outcomes


@pytest.mark.parametrize(
    "db_url",
    ["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, NEEDS_POSTGRES])],
    indirect=True,
)
def test_same_team_name_created_at_once_makes_one_team(
    core: Core, database: Database, owner: Principal, db_url: str
) -> None:
    outcomes = _race(db_url, lambda c, i: c.create_team(owner, f"  Platform  ENGINEERING{' ' * i}"))
    assert outcomes.count("ok") == 1, outcomes
    refusals = [o for o in outcomes if o != "ok"]
    assert all(o.startswith("Conflict: ") for o in refusals), refusals
    teams = core.list_teams(owner)
    assert [(t.name, t.member_count) for t in teams.items] == [("Platform ENGINEERING", 1)]
    with database.session(write=False) as session:
        counts = dict(
            session.execute(
                select(AuditEvent.outcome, func.count())
                .where(AuditEvent.action == "team.create")
                .group_by(AuditEvent.outcome)
            ).all()
        )
    assert counts == {"ok": 1, "failed": WORKERS - 1}


@pytest.mark.parametrize(
    "db_url",
    ["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, NEEDS_POSTGRES])],
    indirect=True,
)
def test_same_person_added_at_once_is_one_membership(
    core: Core, database: Database, owner: Principal, db_url: str
) -> None:
    team = core.create_team(owner, "Platform")
    core.add_user(owner, f"alice@{DOMAIN}")
    outcomes = _race(db_url, lambda c, i: c.add_member(owner, team.id, f"alice@{DOMAIN}", "admin"))
    assert outcomes.count("ok") == 1, outcomes
    assert all(o.startswith("Conflict: ") for o in outcomes if o != "ok"), outcomes
    members = core.list_members(owner, team.id)
    assert sorted((m.email, m.role) for m in members.items) == [
        (f"alice@{DOMAIN}", "admin"),
        (owner.email, "owner"),
    ]
