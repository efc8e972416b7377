"""The whole permission table: every service action × team role × workspace role × plan.

The expectations below are written from DESIGN §3 (roles) and §4 (plans) by hand; they are
deliberately not derived from ``core.permissions``, which is what is under test. Each plan gets
one workspace holding every combination of roles as separate accounts, and every (actor, team
action) pair gets a team of its own, so that one call's effect cannot hide another's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select

from core.db import Database
from core.errors import DomainError, InvalidInput, NotFound, PermissionDenied, PlanRequired
from core.models import AuditEvent, Membership, Resource, Team, TeamApiKey, User, Workspace
from core.permissions import TeamAction, WorkspaceAction, team_actions, workspace_actions
from core.services import Core
from core.validation import name_key
from core.views import Principal, TeamAccess
from tests.conftest import FakeClock
from tests.core.helpers import AuditRow, audit_since, is_sentence, last_audit_id

PLANS = ("free", "team", "business", "enterprise")
TEAM_ROLES: tuple[str | None, ...] = (None, "member", "admin", "owner")
WORKSPACE_ROLES = ("member", "admin", "owner")

# ---------------------------------------------------------------------------------------------
# The expected table, copied from DESIGN §3 row by row.
# Columns: team member, team admin, team owner, workspace admin/owner (whatever their membership).
# ---------------------------------------------------------------------------------------------
YES, NO, NOT_APPLICABLE = "yes", "no", "—"

DESIGN_TEAM_ROWS: dict[str, tuple[str, str, str, str]] = {
    "see and use the team, its members and resources": (YES, YES, YES, YES),
    "create / edit / delete the team's resources": (NO, YES, YES, YES),
    "see and manage team API keys": (NO, YES, YES, YES),
    "invite or add members, change roles, remove members": (NO, NO, YES, YES),
    "rename, describe, archive the team": (NO, NO, YES, YES),
    # "yes, unless last owner": every team here keeps another owner, so the owner may leave.
    "leave the team": (YES, YES, YES, NOT_APPLICABLE),
}

# Which row of the table each team service call falls under.
TEAM_SERVICE_ROW: dict[str, str] = {
    "view_team": "see and use the team, its members and resources",
    "list_members": "see and use the team, its members and resources",
    "list_resources": "see and use the team, its members and resources",
    "activity": "see and use the team, its members and resources",
    "create_resource": "create / edit / delete the team's resources",
    "delete_resource": "create / edit / delete the team's resources",
    "list_keys": "see and manage team API keys",
    "create_key": "see and manage team API keys",
    "rotate_key": "see and manage team API keys",
    "revoke_key": "see and manage team API keys",
    "add_member": "invite or add members, change roles, remove members",
    "change_role": "invite or add members, change roles, remove members",
    "remove_member": "invite or add members, change roles, remove members",
    "rename_team": "rename, describe, archive the team",
    "describe_team": "rename, describe, archive the team",
    "archive_team": "rename, describe, archive the team",
    "leave_team": "leave the team",
}
TEAM_SERVICE_ACTIONS = tuple(TEAM_SERVICE_ROW)

# Workspace-level actions: (workspace roles that may, needs a plan with teams).
# "create a team" is admin/owner only (§3); the plan and users commands are the workspace owner's
# and admins' (§9); reading the whole audit log is for those who administer every team.
DESIGN_WORKSPACE_ROWS: dict[str, tuple[frozenset[str], bool]] = {
    "create_team": (frozenset({"admin", "owner"}), True),
    "add_user": (frozenset({"admin", "owner"}), False),
    "deactivate_user": (frozenset({"admin", "owner"}), False),
    "reactivate_user": (frozenset({"admin", "owner"}), False),
    "set_plan": (frozenset({"owner"}), False),
    "workspace_audit": (frozenset({"admin", "owner"}), False),
}
WORKSPACE_SERVICE_ACTIONS = tuple(DESIGN_WORKSPACE_ROWS)
TEAM_PLANS = frozenset({"business", "enterprise"})  # §4: teams exist on these only


def expected_team_outcome(
    action: str, team_role: str | None, workspace_role: str, plan: str
) -> type[DomainError] | None:
    """None when the call must succeed, else the error class it must raise."""
    if plan not in TEAM_PLANS:
        return PlanRequired
    is_workspace_admin = workspace_role in ("admin", "owner")
    if team_role is None and not is_workspace_admin:
        return NotFound  # a team you are not in does not exist for you
    member, admin, owner, workspace_admin = DESIGN_TEAM_ROWS[TEAM_SERVICE_ROW[action]]
    by_team_role = {"member": member, "admin": admin, "owner": owner}.get(team_role or "", NO)
    by_workspace_role = workspace_admin if is_workspace_admin else NO
    if YES in (by_team_role, by_workspace_role):
        return None
    if by_workspace_role == NOT_APPLICABLE and team_role is None:
        return InvalidInput  # a workspace admin who is not in the team has nothing to leave
    return PermissionDenied


def expected_workspace_outcome(
    action: str, workspace_role: str, plan: str
) -> type[DomainError] | None:
    roles, needs_teams = DESIGN_WORKSPACE_ROWS[action]
    if needs_teams and plan not in TEAM_PLANS:
        return PlanRequired
    return None if workspace_role in roles else PermissionDenied


# The same table in the vocabulary of core.permissions, for the unit test and TeamAccess.
_ROW_AS_TEAM_ACTION = {
    "see and use the team, its members and resources": TeamAction.VIEW,
    "create / edit / delete the team's resources": TeamAction.MANAGE_RESOURCES,
    "see and manage team API keys": TeamAction.MANAGE_KEYS,
    "invite or add members, change roles, remove members": TeamAction.MANAGE_MEMBERS,
    "rename, describe, archive the team": TeamAction.MANAGE_TEAM,
    "leave the team": TeamAction.LEAVE,
}


def expected_team_action_set(
    team_role: str | None, workspace_role: str, plan: str
) -> frozenset[TeamAction]:
    if plan not in TEAM_PLANS:
        return frozenset()
    allowed = set()
    column = {"member": 0, "admin": 1, "owner": 2}.get(team_role or "")
    for row, cells in DESIGN_TEAM_ROWS.items():
        if (column is not None and cells[column] == YES) or (
            workspace_role in ("admin", "owner") and cells[3] == YES
        ):
            allowed.add(_ROW_AS_TEAM_ACTION[row])
    return frozenset(allowed)


def expected_workspace_action_set(workspace_role: str, plan: str) -> frozenset[WorkspaceAction]:
    allowed = set()
    if workspace_role in ("admin", "owner"):
        allowed |= {WorkspaceAction.MANAGE_USERS, WorkspaceAction.VIEW_AUDIT}
        # Workspace-wide agents and skills are the workspace administrators' (like org-level
        # settings in GitHub); everyone else makes team or personal ones.
        allowed.add(WorkspaceAction.MANAGE_WORKSPACE_RESOURCES)
        if plan in TEAM_PLANS:
            allowed.add(WorkspaceAction.CREATE_TEAM)
    if workspace_role == "owner":
        allowed.add(WorkspaceAction.SET_PLAN)
    return frozenset(allowed)


# ---------------------------------------------------------------------------------------------
# Direct unit test of core.permissions against the table.
# ---------------------------------------------------------------------------------------------
ALL_COMBINATIONS = [
    (team_role, workspace_role, plan)
    for plan in PLANS
    for workspace_role in WORKSPACE_ROLES
    for team_role in TEAM_ROLES
]


@pytest.mark.parametrize(("team_role", "workspace_role", "plan"), ALL_COMBINATIONS)
def test_team_actions_match_the_design_table(
    team_role: str | None, workspace_role: str, plan: str
) -> None:
    assert team_actions(team_role, workspace_role, plan) == expected_team_action_set(
        team_role, workspace_role, plan
    )
    # A deactivated account may do nothing, whatever its roles.
    assert team_actions(team_role, workspace_role, plan, active=False) == frozenset()


@pytest.mark.parametrize("plan", PLANS)
@pytest.mark.parametrize("workspace_role", WORKSPACE_ROLES)
def test_workspace_actions_match_the_design_table(workspace_role: str, plan: str) -> None:
    assert workspace_actions(workspace_role, plan) == expected_workspace_action_set(
        workspace_role, plan
    )
    assert workspace_actions(workspace_role, plan, active=False) == frozenset()


def test_expected_table_is_not_trivial() -> None:
    """Guard against a table that says yes (or no) to everything."""
    outcomes = {
        expected_team_outcome(action, team_role, workspace_role, plan)
        for action in TEAM_SERVICE_ACTIONS
        for team_role, workspace_role, plan in ALL_COMBINATIONS
    }
    assert outcomes == {None, NotFound, PermissionDenied, PlanRequired, InvalidInput}


# ---------------------------------------------------------------------------------------------
# The real services against a real database.
# ---------------------------------------------------------------------------------------------
DOMAIN = "acme.example.com"
ANCHOR = f"anchor@{DOMAIN}"  # a second owner of every team, so nobody is its last owner
TARGET = f"target@{DOMAIN}"  # a plain member of every team, to change and remove
NEWCOMER = f"newcomer@{DOMAIN}"  # in no team, to add
KEY_NAME = "CI Pipeline"  # every team has one key of this name


@dataclass(frozen=True)
class Actor:
    team_role: str | None
    workspace_role: str
    principal: Principal

    @property
    def label(self) -> str:
        return f"workspace {self.workspace_role} / team {self.team_role or 'none'}"


@dataclass
class Scenario:
    plan: str
    actors: list[Actor]
    teams: dict[tuple[int, str], int] = field(default_factory=dict)  # (actor index, action) -> id
    team_names: dict[int, str] = field(default_factory=dict)
    resources: dict[int, int] = field(default_factory=dict)  # team id -> its resource id
    victims: dict[int, str] = field(default_factory=dict)  # actor index -> account to deactivate
    sleepers: dict[int, str] = field(default_factory=dict)  # actor index -> deactivated account


def build_scenario(db: Database, plan: str, clock: FakeClock) -> Scenario:
    """One workspace on ``plan`` with all role combinations, written in one transaction."""
    now = clock()
    with db.session() as session:
        session.add(Workspace(name="Acme", plan=plan, created_at=now))

        def user(email: str, workspace_role: str = "member", status: str = "active") -> User:
            local = email.split("@")[0]
            row = User(
                email=email,
                email_key=email.casefold(),
                display_name=local,
                name_key=local.casefold(),
                workspace_role=workspace_role,
                status=status,
                created_at=now,
            )
            session.add(row)
            return row

        anchor, target, _ = user(ANCHOR, "owner"), user(TARGET), user(NEWCOMER)
        actor_rows: list[tuple[str | None, str, User]] = []
        for workspace_role in WORKSPACE_ROLES:
            for team_role in TEAM_ROLES:
                email = f"ws-{workspace_role}.team-{team_role or 'none'}@{DOMAIN}"
                actor_rows.append((team_role, workspace_role, user(email, workspace_role)))
        victims = {i: user(f"victim-{i}@{DOMAIN}") for i in range(len(actor_rows))}
        sleepers = {
            i: user(f"sleeper-{i}@{DOMAIN}", status="deactivated") for i in range(len(actor_rows))
        }
        session.flush()

        scenario = Scenario(
            plan,
            [Actor(tr, wr, Principal(row.id, row.email)) for tr, wr, row in actor_rows],
            victims={i: u.email for i, u in victims.items()},
            sleepers={i: u.email for i, u in sleepers.items()},
        )
        # All teams in one flush, then everything in them in another: two round trips.
        teams: dict[tuple[int, str], Team] = {}
        for index in range(len(actor_rows)):
            for action in TEAM_SERVICE_ACTIONS:
                name = f"Team {index:02d} {action.replace('_', ' ')}"
                teams[(index, action)] = Team(
                    name=name,
                    name_key=name_key(name),
                    description="",
                    created_by=anchor.id,
                    created_at=now,
                )
        session.add_all(teams.values())
        session.flush()
        resources: dict[int, Resource] = {}
        for (index, action), team in teams.items():
            team_role, _, actor_row = actor_rows[index]
            members = [(anchor, "owner"), (target, "member")]
            if team_role is not None:
                members.append((actor_row, team_role))
            session.add_all(
                Membership(
                    user_id=member.id,
                    team_id=team.id,
                    role=role,
                    added_by=anchor.id,
                    added_at=now,
                    version=1,
                )
                for member, role in members
            )
            resources[team.id] = Resource(
                kind="agent",
                name="Infra Bot",
                name_key="infra bot",
                scope="team",
                team_id=team.id,
                owner_id=None,
                body="",
                created_by=anchor.id,
                created_at=now,
            )
            session.add(
                TeamApiKey(
                    team_id=team.id,
                    name=KEY_NAME,
                    key_id=f"seed{team.id:08d}",
                    secret_hash="0" * 64,
                    created_by=anchor.id,
                    created_at=now,
                )
            )
            session.add(
                AuditEvent(
                    at=now,
                    actor_user_id=anchor.id,
                    actor_label=ANCHOR,
                    action="team.create",
                    target=f"team:{team.name}",
                    team_id=team.id,
                    outcome="ok",
                    details={},
                )
            )
            scenario.teams[(index, action)] = team.id
            scenario.team_names[team.id] = team.name
        session.add_all(resources.values())
        session.flush()
        scenario.resources = {team_id: resource.id for team_id, resource in resources.items()}
    return scenario


# What each service call is, as (how to call it, the audit action it writes, whether it writes).
TeamCall = Callable[[Core, Principal, int, Scenario], Any]
TEAM_CALLS: dict[str, tuple[TeamCall, str, bool]] = {
    "view_team": (lambda c, p, t, s: c.team_access(p, t), "team.read", False),
    "list_members": (lambda c, p, t, s: c.list_members(p, t), "member.list", False),
    "list_resources": (
        lambda c, p, t, s: c.list_resources(p, team=t).items,
        "resource.list",
        False,
    ),
    "activity": (lambda c, p, t, s: c.list_audit(p, team=t).items, "audit.list", False),
    "create_resource": (
        lambda c, p, t, s: c.create_resource(
            p, "skill", "Kubernetes Runbook", team=t, body="kubectl"
        ),
        "resource.create",
        True,
    ),
    "delete_resource": (
        lambda c, p, t, s: c.delete_resource(p, s.resources[t]),
        "resource.delete",
        True,
    ),
    "list_keys": (lambda c, p, t, s: c.list_keys(p, t).items, "key.list", False),
    "create_key": (lambda c, p, t, s: c.create_key(p, t, "Deploy Hook"), "key.create", True),
    "rotate_key": (
        lambda c, p, t, s: c.rotate_key(p, t, KEY_NAME, grace_hours=1),
        "key.rotate",
        True,
    ),
    "revoke_key": (lambda c, p, t, s: c.revoke_key(p, t, KEY_NAME), "key.revoke", True),
    "add_member": (lambda c, p, t, s: c.add_member(p, t, NEWCOMER, "member"), "member.add", True),
    "change_role": (lambda c, p, t, s: c.change_role(p, t, TARGET, "admin"), "member.role", True),
    "remove_member": (lambda c, p, t, s: c.remove_member(p, t, TARGET), "member.remove", True),
    "rename_team": (
        lambda c, p, t, s: c.rename_team(p, t, f"{s.team_names[t]} renamed"),
        "team.rename",
        True,
    ),
    "describe_team": (
        lambda c, p, t, s: c.describe_team(p, t, "Runs the platform."),
        "team.describe",
        True,
    ),
    "archive_team": (lambda c, p, t, s: c.archive_team(p, t), "team.archive", True),
    "leave_team": (lambda c, p, t, s: c.leave_team(p, t), "member.leave", True),
}
assert set(TEAM_CALLS) == set(TEAM_SERVICE_ACTIONS)

WorkspaceCall = Callable[[Core, Actor, int, Scenario], Any]
WORKSPACE_CALLS: dict[str, tuple[WorkspaceCall, str, bool]] = {
    "create_team": (
        lambda c, a, i, s: c.create_team(a.principal, f"New team {i:02d}"),
        "team.create",
        True,
    ),
    "add_user": (
        lambda c, a, i, s: c.add_user(a.principal, f"added-{i}@{DOMAIN}"),
        "user.add",
        True,
    ),
    "deactivate_user": (
        lambda c, a, i, s: c.deactivate_user(a.principal, s.victims[i]),
        "user.deactivate",
        True,
    ),
    "reactivate_user": (
        lambda c, a, i, s: c.reactivate_user(a.principal, s.sleepers[i]),
        "user.reactivate",
        True,
    ),
    # The same plan again: allowed or not, every other actor's expectations stay as they are.
    "set_plan": (lambda c, a, i, s: c.set_plan(a.principal, s.plan), "workspace.plan", True),
    "workspace_audit": (lambda c, a, i, s: c.list_audit(a.principal).items, "audit.list", False),
}
assert set(WORKSPACE_CALLS) == set(WORKSPACE_SERVICE_ACTIONS)

OUTCOME_OF = {
    PermissionDenied: "denied",
    PlanRequired: "denied",
    NotFound: "failed",
    InvalidInput: "failed",
}


TeamState = tuple[Any, ...]  # name, description, archived, members, resources, keys


def all_team_states(db: Database) -> dict[int, TeamState]:
    """Every team's name, description, archived flag, members, resources and keys, read in
    one transaction. Each (actor, action) pair has a team of its own, so comparing these
    before and after all calls shows exactly what each call changed, and nothing else."""
    members: dict[int, list[tuple[str, str]]] = defaultdict(list)
    resources: dict[int, list[tuple[str, str]]] = defaultdict(list)
    keys: dict[int, list[tuple[str, bool, bool]]] = defaultdict(list)
    with db.session(write=False) as session:
        teams = session.execute(
            select(Team.id, Team.name, Team.description, Team.archived_at)
        ).all()
        for team_id, email, role in session.execute(
            select(Membership.team_id, User.email, Membership.role).join(
                User, User.id == Membership.user_id
            )
        ):
            members[team_id].append((email, role))
        for team_id, kind, name in session.execute(
            select(Resource.team_id, Resource.kind, Resource.name).where(
                Resource.team_id.is_not(None)
            )
        ):
            resources[team_id].append((kind, name))
        for team_id, name, revoked, rotated in session.execute(
            select(
                TeamApiKey.team_id, TeamApiKey.name, TeamApiKey.revoked_at, TeamApiKey.rotated_at
            )
        ):
            keys[team_id].append((name, revoked is not None, rotated is not None))
    return {
        team_id: (
            name,
            description,
            archived is not None,
            tuple(sorted(members[team_id])),
            tuple(sorted(resources[team_id])),
            tuple(sorted(keys[team_id])),
        )
        for team_id, name, description, archived in teams
    }


WorkspaceState = tuple[str, tuple[tuple[str, str, str], ...], tuple[str, ...]]


def workspace_state(db: Database) -> WorkspaceState:
    """The plan, every account, and the teams the create_team calls make."""
    with db.session(write=False) as session:
        plan = session.scalar(select(Workspace.plan))
        assert plan is not None
        users = sorted(
            (email, role, status)
            for email, role, status in session.execute(
                select(User.email, User.workspace_role, User.status)
            )
        )
        teams = sorted(
            session.scalars(
                select(Team.name).where(Team.archived_at.is_(None), Team.name.like("New team %"))
            )
        )
    return (plan, tuple(users), tuple(teams))


def audit_by_call(db: Database, since: int) -> dict[tuple[str, str], list[AuditRow]]:
    """Audit rows written after ``since``, by (actor, action). Every call in one run is by a
    different (actor, audit action) pair, so this says what each call wrote."""
    grouped: dict[tuple[str, str], list[AuditRow]] = defaultdict(list)
    for row in audit_since(db, since):
        grouped[(row.actor, row.action)].append(row)
    return grouped


def check_success_effect(
    action: str, actor: Actor, team_id: int, result: Any, before: Any, after: Any
) -> list[str]:
    """What a successful team call must have changed (and nothing else)."""
    name, description, archived, members, resources, keys = before
    problems: list[str] = []

    def expect(state: tuple[Any, ...]) -> None:
        if after != state:
            problems.append(f"state after {action} is {after}, expected {state}")

    if action == "view_team":
        expect(before)
        assert isinstance(result, TeamAccess)
        wanted = expected_team_action_set(actor.team_role, actor.workspace_role, "business")
        if result.actions != wanted or result.role != actor.team_role or result.team.id != team_id:
            problems.append(
                f"team_access gave {sorted(result.actions)} role {result.role}, expected {sorted(wanted)}"
            )
        if result.team.member_count != len(members) or result.team.my_role != actor.team_role:
            problems.append(f"team_access team view is {result.team}")
        if any(result.can(a) != (a in wanted) for a in TeamAction):
            problems.append("TeamAccess.can disagrees with its actions")
    elif action == "list_members":
        expect(before)
        if sorted((m.email, m.role) for m in result.items) != list(members) or result.total != len(
            members
        ):
            problems.append(f"list_members gave {result}")
    elif action == "list_resources":
        expect(before)
        if [(r.kind, r.name, r.scope, r.team_id) for r in result] != [
            ("agent", "Infra Bot", "team", team_id)
        ]:
            problems.append(f"list_resources gave {result}")
    elif action == "activity":
        expect(before)
        if (
            not result
            or any(e.team_id != team_id for e in result)
            or result[-1].action != "team.create"
        ):
            problems.append(f"team activity gave {result}")
    elif action == "create_resource":
        expect(
            (
                name,
                description,
                archived,
                members,
                tuple(sorted((*resources, ("skill", "Kubernetes Runbook")))),
                keys,
            )
        )
    elif action == "delete_resource":
        expect((name, description, archived, members, (), keys))
    elif action == "list_keys":
        expect(before)
        if [(k.name, k.status, k.masked.startswith("team.")) for k in result] != [
            (KEY_NAME, "active", True)
        ]:
            problems.append(f"list_keys gave {result}")
    elif action == "create_key":
        expect(
            (
                name,
                description,
                archived,
                members,
                resources,
                tuple(sorted((*keys, ("Deploy Hook", False, False)))),
            )
        )
        if not result.plaintext.startswith(f"team.{result.key.key_id}."):
            problems.append(f"create_key returned {result.key}")
    elif action == "rotate_key":
        expect(
            (
                name,
                description,
                archived,
                members,
                resources,
                ((KEY_NAME, False, False), (KEY_NAME, False, True)),
            )
        )
    elif action == "revoke_key":
        expect((name, description, archived, members, resources, ((KEY_NAME, True, False),)))
    elif action == "add_member":
        expect(
            (
                name,
                description,
                archived,
                tuple(sorted((*members, (NEWCOMER, "member")))),
                resources,
                keys,
            )
        )
    elif action == "change_role":
        changed = tuple(sorted((e, "admin" if e == TARGET else r) for e, r in members))
        expect((name, description, archived, changed, resources, keys))
    elif action == "remove_member":
        expect(
            (
                name,
                description,
                archived,
                tuple(m for m in members if m[0] != TARGET),
                resources,
                keys,
            )
        )
    elif action == "rename_team":
        expect((f"{name} renamed", description, archived, members, resources, keys))
    elif action == "describe_team":
        expect((name, "Runs the platform.", archived, members, resources, keys))
    elif action == "archive_team":
        expect((name, description, True, members, resources, keys))
    elif action == "leave_team":
        email = actor.principal.email
        expect(
            (
                name,
                description,
                archived,
                tuple(m for m in members if m[0] != email),
                resources,
                keys,
            )
        )
    else:  # pragma: no cover - every action is listed above
        problems.append(f"no effect check for {action}")
    return problems


def apply_workspace_effect(
    action: str, index: int, scenario: Scenario, state: WorkspaceState
) -> WorkspaceState:
    """The workspace after one successful workspace call."""
    plan, users, teams = state
    accounts = {email: (role, status) for email, role, status in users}
    if action == "create_team":
        return (plan, users, tuple(sorted((*teams, f"New team {index:02d}"))))
    if action == "add_user":
        accounts[f"added-{index}@{DOMAIN}"] = ("member", "active")
    elif action == "deactivate_user":
        accounts[scenario.victims[index]] = ("member", "deactivated")
    elif action == "reactivate_user":
        accounts[scenario.sleepers[index]] = ("member", "active")
    else:  # set_plan (to the same plan) and reading the audit log change nothing
        return state
    return (plan, tuple(sorted((email, *rest) for email, rest in accounts.items())), teams)


def check_audit(
    rows: list[AuditRow],
    actor: Actor,
    audit_action: str,
    writes: bool,
    error: DomainError | None,
    team_id: int | None,
) -> list[str]:
    if error is None:
        if writes:
            if [(r.action, r.outcome, r.actor) for r in rows] != [
                (audit_action, "ok", actor.principal.email)
            ]:
                return [f"expected one ok audit row {audit_action}, got {rows}"]
        elif any(r.outcome != "ok" for r in rows):
            return [f"a successful read wrote a refusal: {rows}"]
        return []
    outcome = OUTCOME_OF[type(error)]
    if len(rows) != 1:
        return [f"expected one {outcome} audit row for {audit_action}, got {rows}"]
    row = rows[0]
    problems = []
    if (row.action, row.outcome, row.actor) != (audit_action, outcome, actor.principal.email):
        problems.append(
            f"audit row {row} should be {audit_action}/{outcome} by {actor.principal.email}"
        )
    if row.details.get("reason") != error.message:
        problems.append(
            f"audit reason {row.details!r} is not the error's sentence {error.message!r}"
        )
    if team_id is not None and not isinstance(error, PlanRequired) and row.team_id != team_id:
        problems.append(f"audit row {row} does not name team {team_id}")
    return problems


def run_call(call: Callable[..., Any], *args: Any) -> tuple[Any, DomainError | None]:
    """The call's result, or the domain error it raised."""
    try:
        return call(*args), None
    except DomainError as error:
        return None, error


@dataclass(frozen=True)
class Call:
    actor: Actor
    action: str
    key: int  # the team's id for team actions, the actor's index for workspace actions
    result: Any
    error: DomainError | None


@pytest.mark.parametrize("plan", PLANS)
def test_every_team_action_for_every_role_on_every_plan(
    core: Core, database: Database, clock: FakeClock, plan: str
) -> None:
    scenario = build_scenario(database, plan, clock)
    before, since = all_team_states(database), last_audit_id(database)
    calls = []
    for index, actor in enumerate(scenario.actors):
        for action in TEAM_SERVICE_ACTIONS:
            team_id = scenario.teams[(index, action)]
            call = TEAM_CALLS[action][0]
            result, error = run_call(call, core, actor.principal, team_id, scenario)
            calls.append(Call(actor, action, team_id, result, error))
    after, audit = all_team_states(database), audit_by_call(database, since)

    problems: list[str] = []
    for done in calls:
        actor, action, team_id, error = done.actor, done.action, done.key, done.error
        _, audit_action, writes = TEAM_CALLS[action]
        expected = expected_team_outcome(action, actor.team_role, actor.workspace_role, plan)
        where = f"[{plan}] {actor.label}: {action}"
        got = type(error) if error else None
        if got is not expected:
            problems.append(f"{where}: expected {_name(expected)}, got {_name(got)} ({error})")
            continue
        if error is not None:
            if after[team_id] != before[team_id]:
                problems.append(
                    f"{where}: refused but changed the team: {before[team_id]} -> {after[team_id]}"
                )
            if not is_sentence(error.message):
                problems.append(f"{where}: refusal is not a sentence: {error.message!r}")
            if (
                isinstance(error, NotFound)
                and scenario.team_names[team_id].casefold() in error.message.casefold()
            ):
                problems.append(f"{where}: NotFound names the hidden team: {error.message!r}")
        else:
            problems += [
                f"{where}: {p}"
                for p in check_success_effect(
                    action, actor, team_id, done.result, before[team_id], after[team_id]
                )
            ]
        rows = audit[(actor.principal.email, audit_action)]
        problems += [
            f"{where}: {p}" for p in check_audit(rows, actor, audit_action, writes, error, team_id)
        ]
    assert not problems, "\n".join(problems)
    assert len(calls) == len(scenario.actors) * len(TEAM_SERVICE_ACTIONS) == len(before)
    assert set(after) == set(before)  # no call made or lost a team


@pytest.mark.parametrize("plan", PLANS)
def test_every_workspace_action_for_every_role_on_every_plan(
    core: Core, database: Database, clock: FakeClock, plan: str
) -> None:
    scenario = build_scenario(database, plan, clock)
    before, since = workspace_state(database), last_audit_id(database)
    expected_state = before
    problems: list[str] = []
    calls = []
    for action in WORKSPACE_SERVICE_ACTIONS:
        for index, actor in enumerate(scenario.actors):
            result, error = run_call(WORKSPACE_CALLS[action][0], core, actor, index, scenario)
            calls.append(Call(actor, action, index, result, error))
    after, audit = workspace_state(database), audit_by_call(database, since)

    for done in calls:
        actor, action, index, result, error = (
            done.actor,
            done.action,
            done.key,
            done.result,
            done.error,
        )
        _, audit_action, writes = WORKSPACE_CALLS[action]
        expected = expected_workspace_outcome(action, actor.workspace_role, plan)
        where = f"[{plan}] {actor.label}: {action}"
        got = type(error) if error else None
        if got is not expected:
            problems.append(f"{where}: expected {_name(expected)}, got {_name(got)} ({error})")
        elif error is not None:
            if not is_sentence(error.message):
                problems.append(f"{where}: refusal is not a sentence: {error.message!r}")
        else:
            expected_state = apply_workspace_effect(action, index, scenario, expected_state)
            if action == "set_plan" and result.plan != plan:
                problems.append(f"{where}: set_plan returned {result}")
            if action == "workspace_audit" and not result:
                problems.append(f"{where}: the workspace audit log came back empty")
        rows = audit[(actor.principal.email, audit_action)]
        if action == "workspace_audit":  # the same audit action as nothing else here
            rows = [r for r in rows if r.team_id is None]
        problems += [
            f"{where}: {p}" for p in check_audit(rows, actor, audit_action, writes, error, None)
        ]
    # Successes did exactly their part, and refusals nothing.
    if after != expected_state:
        problems.append(f"workspace is {after}, expected {expected_state}")
    assert not problems, "\n".join(problems)


def test_refusals_are_listed_in_the_audit_log(core: Core, owner: Principal) -> None:
    """The audit list a workspace admin reads shows refusals with their outcome and sentence."""
    core.create_team(owner, "Platform Engineering")
    member = core.add_user(owner, f"mallory@{DOMAIN}")
    outsider = Principal(member.id, member.email)
    with pytest.raises(NotFound) as hidden:
        core.rename_team(outsider, "Platform Engineering", "Mine")
    with pytest.raises(PermissionDenied) as denied:
        core.create_team(outsider, "Shadow team")
    core.set_plan(owner, "team")
    with pytest.raises(PlanRequired) as plan_error:
        core.list_teams(owner)
    events = core.list_audit(owner, limit=4).items
    assert [(e.action, e.outcome, e.actor, e.details.get("reason")) for e in events[:4]] == [
        ("team.list", "denied", owner.email, plan_error.value.message),
        ("workspace.plan", "ok", owner.email, None),
        ("team.create", "denied", outsider.email, denied.value.message),
        ("team.rename", "failed", outsider.email, hidden.value.message),
    ]


def _name(error: type[DomainError] | None) -> str:
    return "success" if error is None else error.__name__


def test_team_access_is_what_the_screens_show_and_follows_changes(
    core: Core, owner: Principal
) -> None:
    """Core.team_access returns a TeamAccess: the team as the user sees it and the exact set of
    actions to offer. It follows role, plan and account changes at once."""
    team = core.create_team(owner, "Platform Engineering")
    people = {}
    for name in ("mia", "ari", "oscar", "outsider"):
        view = core.add_user(owner, f"{name}@{DOMAIN}")
        people[name] = Principal(view.id, view.email)
    core.add_member(owner, team.id, people["mia"].email, "member")
    core.add_member(owner, team.id, people["ari"].email, "admin")
    core.add_member(owner, team.id, people["oscar"].email, "owner")

    def offered(who: Principal) -> frozenset[TeamAction]:
        access = core.team_access(who, "platform engineering")
        assert access.team.id == team.id and access.team.member_count == 4
        assert {a for a in TeamAction if access.can(a)} == access.actions
        return access.actions

    assert offered(people["mia"]) == expected_team_action_set("member", "member", "business")
    assert offered(people["ari"]) == expected_team_action_set("admin", "member", "business")
    assert offered(people["oscar"]) == expected_team_action_set("owner", "member", "business")
    assert offered(owner) == expected_team_action_set("owner", "owner", "business")
    assert TeamAction.MANAGE_MEMBERS not in offered(people["ari"])
    with pytest.raises(NotFound):
        core.team_access(people["outsider"], team.id)

    core.change_role(people["oscar"], team.id, people["ari"].email, "owner")
    assert offered(people["ari"]) == expected_team_action_set("owner", "member", "business")
    core.change_role(people["ari"], team.id, people["oscar"].email, "member")
    assert TeamAction.MANAGE_TEAM not in offered(people["oscar"])

    core.deactivate_user(owner, people["mia"].email)
    with pytest.raises(PermissionDenied, match="deactivated"):
        core.team_access(people["mia"], team.id)

    core.set_plan(owner, "team")
    with pytest.raises(PlanRequired):
        core.team_access(people["ari"], team.id)
    core.set_plan(owner, "business")
    assert offered(people["ari"]) == expected_team_action_set("owner", "member", "business")
