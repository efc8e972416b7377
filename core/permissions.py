"""The one permission table (DESIGN §3) and the plan rule (DESIGN §4).

Every service asks :func:`team_allows` or :func:`workspace_allows`; screens ask
:func:`team_actions` to decide what to show. Nothing else decides who may do what.
"""

from __future__ import annotations

from enum import StrEnum

from core.vocabulary import TEAM_PLANS, with_article


class TeamAction(StrEnum):
    VIEW = "view"  # see the team, its members, its resources and activity; use its resources
    MANAGE_RESOURCES = "manage_resources"  # create / edit / delete agents, skills, files, policies
    MANAGE_KEYS = "manage_keys"  # see key metadata; create, rotate, revoke team API keys
    MANAGE_MEMBERS = "manage_members"  # invite or add members, change roles, remove members
    MANAGE_TEAM = "manage_team"  # rename, describe, archive (delete) the team
    LEAVE = "leave"  # leave the team (the last-owner rule is checked separately)


class WorkspaceAction(StrEnum):
    CREATE_TEAM = "create_team"
    MANAGE_USERS = "manage_users"  # add, deactivate, reactivate accounts
    SET_PLAN = "set_plan"
    VIEW_AUDIT = "view_audit"  # the whole workspace's audit log
    MANAGE_WORKSPACE_RESOURCES = "manage_workspace_resources"


WORKSPACE_ADMIN_ROLES = frozenset({"owner", "admin"})

# team role -> what that role may do on its team (DESIGN §3, columns member/admin/owner).
_TEAM_TABLE: dict[str, frozenset[TeamAction]] = {
    "member": frozenset({TeamAction.VIEW, TeamAction.LEAVE}),
    "admin": frozenset(
        {TeamAction.VIEW, TeamAction.LEAVE, TeamAction.MANAGE_RESOURCES, TeamAction.MANAGE_KEYS}
    ),
    "owner": frozenset(TeamAction),
}

# Workspace admins and owners administer every team, whatever their membership says.
_WORKSPACE_ADMIN_ON_TEAMS = frozenset(TeamAction) - {TeamAction.LEAVE}

_WORKSPACE_TABLE: dict[str, frozenset[WorkspaceAction]] = {
    "owner": frozenset(WorkspaceAction),
    "admin": frozenset(WorkspaceAction) - {WorkspaceAction.SET_PLAN},
    "member": frozenset(),
}


def plan_has_teams(plan: str) -> bool:
    return plan in TEAM_PLANS


def team_actions(
    team_role: str | None, workspace_role: str, plan: str, *, active: bool = True
) -> frozenset[TeamAction]:
    """Everything a user may do on one team: the table's row for them, nothing on a plan
    without teams or for a deactivated account."""
    if not active or not plan_has_teams(plan):
        return frozenset()
    allowed: set[TeamAction] = set(_TEAM_TABLE.get(team_role or "", frozenset()))
    if workspace_role in WORKSPACE_ADMIN_ROLES:
        allowed |= _WORKSPACE_ADMIN_ON_TEAMS
    return frozenset(allowed)


def team_allows(
    action: TeamAction,
    team_role: str | None,
    workspace_role: str,
    plan: str,
    *,
    active: bool = True,
) -> bool:
    return action in team_actions(team_role, workspace_role, plan, active=active)


def workspace_actions(
    workspace_role: str, plan: str, *, active: bool = True
) -> frozenset[WorkspaceAction]:
    if not active:
        return frozenset()
    allowed = set(_WORKSPACE_TABLE.get(workspace_role, frozenset()))
    if not plan_has_teams(plan):
        allowed.discard(WorkspaceAction.CREATE_TEAM)
    return frozenset(allowed)


def workspace_allows(
    action: WorkspaceAction, workspace_role: str, plan: str, *, active: bool = True
) -> bool:
    return action in workspace_actions(workspace_role, plan, active=active)


# -- refusals: core's one sentence for each missing permission --------------------------------

# Team sentences take the team's name and the actor's role on it ("not a member" when none).
TEAM_REFUSALS: dict[TeamAction, str] = {
    TeamAction.VIEW: "There is no team {team!r} that you can see.",
    TeamAction.MANAGE_RESOURCES: (
        "Only the team's admins and owners can change the resources of {team}; you are {role}."
    ),
    TeamAction.MANAGE_KEYS: (
        "Only the team's admins and owners can manage the API keys of {team}; you are {role}."
    ),
    TeamAction.MANAGE_MEMBERS: (
        "Only the team's owners and workspace admins can manage members of {team}; you are {role}."
    ),
    TeamAction.MANAGE_TEAM: (
        "Only the team's owners and workspace admins can change {team}; you are {role}."
    ),
    TeamAction.LEAVE: "You are not a member of {team}.",
}

WORKSPACE_REFUSALS: dict[WorkspaceAction, str] = {
    WorkspaceAction.CREATE_TEAM: "Only workspace admins and owners can create teams.",
    WorkspaceAction.MANAGE_USERS: "Only workspace admins and owners can manage accounts.",
    WorkspaceAction.SET_PLAN: "Only the workspace owner can change the plan.",
    WorkspaceAction.VIEW_AUDIT: (
        "Only workspace admins and owners can read the whole audit log; name a team."
    ),
    WorkspaceAction.MANAGE_WORKSPACE_RESOURCES: (
        "Only workspace admins and owners can delete workspace-wide resources."
    ),
}
# Creating one is refused with a way out: the same resource can live in a team or be personal.
CREATE_WORKSPACE_RESOURCE_REFUSAL = (
    "Only workspace admins and owners can create workspace-wide resources; "
    "name a team or make it personal."
)


def team_refusal(action: TeamAction, team: str, role: str | None) -> str:
    return TEAM_REFUSALS[action].format(
        team=team, role=with_article(role) if role else "not a member"
    )


# -- the owner-only rules ---------------------------------------------------------------------

# What only a workspace owner may do to (or make of) another workspace owner, and the sentence
# that refuses it. Deactivating and reactivating are one rule: whoever may not stop an owner
# may not bring one back either.
OWNER_ONLY: dict[str, str] = {
    "make": "Only a workspace owner can make another workspace owner.",
    "deactivate": "Only a workspace owner can deactivate a workspace owner.",
    "reactivate": "Only a workspace owner can reactivate a workspace owner.",
    "ssh_keys": "Only a workspace owner can manage the SSH keys of a workspace owner.",
}


def owner_only_refusal(
    what: str, actor_workspace_role: str, target_workspace_role: str
) -> str | None:
    """The sentence refusing ``what`` when the target is a workspace owner and the actor is
    not one; None when allowed."""
    if target_workspace_role == "owner" and actor_workspace_role != "owner":
        return OWNER_ONLY[what]
    return None
