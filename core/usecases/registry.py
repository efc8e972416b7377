"""The table of use cases: for each command, once, the service method that carries it out,
the permission it needs (from :mod:`core.permissions`), its audit action and what must happen
after it commits. ``Core.run`` reads nothing else."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.permissions import (
    TEAM_REFUSALS,
    WORKSPACE_REFUSALS,
    TeamAction,
    WorkspaceAction,
)
from core.usecases import commands as c
from core.views import InvitationView, InviteOutcome


class Effect(StrEnum):
    """What a committed use case leaves for afterwards, outside its transaction."""

    MAIL = "mail"  # messages were queued in the outbox: deliver them now
    END_SESSIONS = "end_sessions"  # an account or its SSH key lost access: end its sessions


Permission = TeamAction | WorkspaceAction | None


@dataclass(frozen=True)
class UseCase:
    command: type[c.Command]
    method: str  # the Core method; the command's fields are its keyword arguments
    permission: Permission  # None: any active account, on its own things
    audit: str  # the audit log's action for it (reads are audited on refusal only)
    effects: frozenset[Effect] = frozenset()
    # How many messages a result queued, for an announcement; only with Effect.MAIL.
    mail_count: Callable[[Any], int] | None = None
    # Cannot be undone from the product: the admin agent asks for the name to be typed, as
    # the screens do, before it runs one.
    irreversible: bool = False

    @property
    def refusal(self) -> str | None:
        """Core's sentence when the permission is missing (team ones name the team and role)."""
        if isinstance(self.permission, TeamAction):
            return TEAM_REFUSALS[self.permission]
        if isinstance(self.permission, WorkspaceAction):
            return WORKSPACE_REFUSALS[self.permission]
        return None

    @property
    def changes(self) -> bool:
        """False for queries: nothing to confirm, nothing written when allowed."""
        return not self.audit.endswith((".list", ".read"))


def _invited(outcomes: list[InviteOutcome]) -> int:
    return sum(1 for outcome in outcomes if outcome.ok)


def _one(_: InvitationView) -> int:
    return 1


_T, _W = TeamAction, WorkspaceAction
_MAIL = frozenset({Effect.MAIL})
_END = frozenset({Effect.END_SESSIONS})

_TABLE = (
    # workspace and accounts
    UseCase(c.ShowMe, "me", None, "workspace.read"),
    UseCase(c.SetPlan, "set_plan", _W.SET_PLAN, "workspace.plan"),
    UseCase(c.AddUser, "add_user", _W.MANAGE_USERS, "user.add"),
    UseCase(c.ListUsers, "list_users", None, "user.list"),
    UseCase(c.GetUser, "get_user", None, "user.read"),
    UseCase(c.DeactivateUser, "deactivate_user", _W.MANAGE_USERS, "user.deactivate", _END),
    UseCase(c.ReactivateUser, "reactivate_user", _W.MANAGE_USERS, "user.reactivate"),
    UseCase(c.ListOutbox, "list_outbox", _W.MANAGE_USERS, "outbox.list"),
    # teams
    UseCase(c.CreateTeam, "create_team", _W.CREATE_TEAM, "team.create"),
    UseCase(c.ListTeams, "list_teams", None, "team.list"),
    UseCase(c.OpenTeam, "team_access", _T.VIEW, "team.read"),
    UseCase(c.RenameTeam, "rename_team", _T.MANAGE_TEAM, "team.rename"),
    UseCase(c.DescribeTeam, "describe_team", _T.MANAGE_TEAM, "team.describe"),
    UseCase(c.ArchiveTeam, "archive_team", _T.MANAGE_TEAM, "team.archive", irreversible=True),
    UseCase(c.ListArchivedTeams, "list_archived_teams", None, "team.archived.list"),
    UseCase(c.SuggestPeople, "suggest_people", None, "user.suggest.list"),
    UseCase(c.PlanOffboarding, "plan_offboarding", _W.MANAGE_USERS, "user.offboard.read"),
    UseCase(c.OffboardUser, "offboard_user", _W.MANAGE_USERS, "user.offboard", _END),
    UseCase(c.RestoreTeam, "restore_team", _T.MANAGE_TEAM, "team.restore"),
    # members and invitations
    UseCase(c.ListMembers, "list_members", _T.VIEW, "member.list"),
    UseCase(c.ChangeRole, "change_role", _T.MANAGE_MEMBERS, "member.role"),
    UseCase(c.RemoveMember, "remove_member", _T.MANAGE_MEMBERS, "member.remove"),
    UseCase(c.LeaveTeam, "leave_team", _T.LEAVE, "member.leave"),
    UseCase(
        c.InviteMembers,
        "invite_members",
        _T.MANAGE_MEMBERS,
        "member.invite",
        _MAIL,
        mail_count=_invited,
    ),
    UseCase(c.ListInvitations, "list_invitations", _T.MANAGE_MEMBERS, "invitation.list"),
    UseCase(
        c.ResendInvitation,
        "resend_invitation",
        _T.MANAGE_MEMBERS,
        "invitation.resend",
        _MAIL,
        mail_count=_one,
    ),
    UseCase(c.RevokeInvitation, "revoke_invitation", _T.MANAGE_MEMBERS, "invitation.revoke"),
    UseCase(c.ChangeInvitationRole, "change_invitation_role", _T.MANAGE_MEMBERS, "invitation.role"),
    UseCase(c.InvitationLink, "invitation_link", _T.MANAGE_MEMBERS, "invitation.link"),
    UseCase(c.AcceptInvitation, "accept_invitation", None, "invitation.accept"),
    # team API keys
    UseCase(c.CreateKey, "create_key", _T.MANAGE_KEYS, "key.create"),
    UseCase(c.ListKeys, "list_keys", _T.MANAGE_KEYS, "key.list"),
    UseCase(c.RevokeKey, "revoke_key", _T.MANAGE_KEYS, "key.revoke", irreversible=True),
    UseCase(c.RotateKey, "rotate_key", _T.MANAGE_KEYS, "key.rotate"),
    UseCase(c.SetKeyScope, "set_key_scope", _T.MANAGE_KEYS, "key.scope"),
    UseCase(c.ListExpiringKeys, "list_expiring_keys", None, "key.list"),
    # resources
    UseCase(c.CreateResource, "create_resource", _T.MANAGE_RESOURCES, "resource.create"),
    UseCase(c.ListResources, "list_resources", _T.VIEW, "resource.list"),
    UseCase(c.FindResource, "find_resource", _T.VIEW, "resource.list"),
    UseCase(c.DeleteResource, "delete_resource", _T.MANAGE_RESOURCES, "resource.delete"),
    UseCase(c.EditResource, "edit_resource", _T.MANAGE_RESOURCES, "resource.edit"),
    # audit and SSH keys
    UseCase(c.ListAudit, "list_audit", _T.VIEW, "audit.list"),
    UseCase(c.AddSshKey, "add_ssh_key", None, "ssh_key.add"),
    UseCase(c.SshKeyChallenge, "ssh_key_challenge", None, "ssh_key.read"),
    UseCase(c.ListSshKeys, "list_ssh_keys", None, "ssh_key.list"),
    UseCase(c.RemoveSshKey, "remove_ssh_key", None, "ssh_key.remove", _END),
)

REGISTRY: dict[type[c.Command], UseCase] = {case.command: case for case in _TABLE}


def use_case(command: c.Command | type[c.Command]) -> UseCase:
    kind = command if isinstance(command, type) else type(command)
    try:
        return REGISTRY[kind]
    except KeyError:
        raise LookupError(f"{kind.__name__} is not a registered use case") from None
