"""Running a confirmed plan: its one core call, as the acting user, and a summary in words.

Core checks permissions again and raises its typed errors; they are not caught here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from core.agent.answers import AgentResult, Plan
from core.delivery import delivery_lines
from core.errors import InvalidInput, PermissionDenied
from core.permissions import TeamAction
from core.services import Core
from core.usecases import commands as uc
from core.usecases.commands import Command
from core.usecases.effects import DeliverNow
from core.views import (
    CreatedKey,
    InvitationView,
    InviteOutcome,
    KeyView,
    MemberView,
    Page,
    Principal,
    ResourceView,
    TeamView,
)
from core.vocabulary import kind_label, with_article

_LISTED = 20  # names spelled out in a list summary before "and N more"


def execute(core: Core, actor: Principal, plan: Plan) -> AgentResult:
    """Run the plan's command through ``Core.run`` (which also sends any mail it queued).
    A plan is data and could have been edited on its way: only a command the agent has a
    summary for, which is a registered use case, is run."""
    command = plan.command
    if not isinstance(command, uc.InviteMembers) and type(command) not in _SUMMARIES:
        raise InvalidInput(f"The admin agent cannot run {type(command).__name__}.", "command")
    after = core.after_commit
    passes = len(after.reports) if isinstance(after, DeliverNow) else 0
    data = core.run(actor, command)
    if isinstance(command, uc.InviteMembers):
        result = _invited(core, actor, plan, command, data)
    else:
        result = _SUMMARIES[type(command)](plan, plan.target_team or "", data)
    if isinstance(after, DeliverNow):  # mail went out before this returns: say how it went
        lines = [line.text for report in after.reports[passes:] for line in delivery_lines(report)]
        if lines:
            result = replace(result, summary=" ".join([result.summary, *lines]))
    return result


def _invited(
    core: Core,
    actor: Principal,
    plan: Plan,
    command: uc.InviteMembers,
    outcomes: list[InviteOutcome],
) -> AgentResult:
    """Bulk invites report each address; a refusal for want of rights is raised as core's
    PermissionDenied, as every other call does, rather than buried in a line."""
    refused = [o for o in outcomes if o.result == "refused"]
    if refused:
        access = core.team_access(actor, command.team)  # raises NotFound / PlanRequired itself
        if not access.can(TeamAction.MANAGE_MEMBERS):
            raise PermissionDenied(refused[0].message)
    ok = all(o.ok for o in outcomes)
    tab = "members" if any(o.result == "added" for o in outcomes) else "invitations"
    summary = " ".join(o.message if o.message.endswith(".") else f"{o.message}." for o in outcomes)
    return AgentResult(summary, outcomes, ("team", plan.target_team or ""), None, tab, ok)


def _team_link(team: str, tab: str | None = None) -> dict[str, Any]:
    return {"link": ("team", team), "tab": tab}


def _created_team(plan: Plan, team: str, view: TeamView) -> AgentResult:
    return AgentResult(
        f"Created the team {view.name}; you are its owner.", view, ("team", view.name)
    )


def _renamed(plan: Plan, team: str, view: TeamView) -> AgentResult:
    return AgentResult(f"Renamed {team} to {view.name}.", view, ("team", view.name))


def _described(plan: Plan, team: str, view: TeamView) -> AgentResult:
    words = "Updated" if view.description else "Cleared"
    return AgentResult(f"{words} the description of {view.name}.", view, ("team", view.name))


def _archived(plan: Plan, team: str, view: TeamView) -> AgentResult:
    return AgentResult(
        f"Deleted the team {view.name}; its API keys no longer work.", view, ("teams", "")
    )


def _teams(plan: Plan, team: str, page: Page[TeamView]) -> AgentResult:
    if not page.items:
        return AgentResult("There are no teams you can see.", page, ("teams", ""))
    names = [t.name for t in page.items]
    return AgentResult(
        f"{_count(page.total, 'team')}: {_listed(names, page.total)}.", page, ("teams", "")
    )


def _role_changed(plan: Plan, team: str, member: MemberView) -> AgentResult:
    return AgentResult(
        f"{_who(member.display_name, member.email)} is now {with_article(member.role)} in {team}.",
        member,
        **_team_link(team, "members"),
    )


def _removed(plan: Plan, team: str, _: None) -> AgentResult:
    assert isinstance(plan.command, uc.RemoveMember)
    return AgentResult(
        f"Removed {plan.command.email} from {team}.", None, **_team_link(team, "members")
    )


def _left(plan: Plan, team: str, _: None) -> AgentResult:
    return AgentResult(f"You left {team}.", None, ("teams", ""))


def _members(plan: Plan, team: str, page: Page[MemberView]) -> AgentResult:
    names = [f"{_who(m.display_name, m.email)} ({m.role})" for m in page.items]
    return AgentResult(
        f"{team} has {_count(page.total, 'member')}: {_listed(names, page.total)}.",
        page,
        **_team_link(team, "members"),
    )


def _invitations(plan: Plan, team: str, page: Page[InvitationView]) -> AgentResult:
    if not page.items:
        return AgentResult(
            f"{team} has no pending invitations.", page, **_team_link(team, "invitations")
        )
    names = [f"{i.email} ({i.role}, {i.status})" for i in page.items]
    return AgentResult(
        f"{team} has {_count(page.total, 'pending invitation')}: {_listed(names, page.total)}.",
        page,
        **_team_link(team, "invitations"),
    )


def _resent(plan: Plan, team: str, view: InvitationView) -> AgentResult:
    when = view.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    return AgentResult(
        f"Made a new invitation for {view.email} to {team} (the old link no longer works); "
        f"it expires {when}.",
        view,
        **_team_link(team, "invitations"),
    )


def _revoked_invitation(plan: Plan, team: str, view: InvitationView) -> AgentResult:
    return AgentResult(
        f"Revoked the invitation of {view.email} to {team}.",
        view,
        **_team_link(team, "invitations"),
    )


def _invitation_role(plan: Plan, team: str, view: InvitationView) -> AgentResult:
    return AgentResult(
        f"The invitation of {view.email} to {team} now makes them {view.role}.",
        view,
        **_team_link(team, "invitations"),
    )


def _resource_created(plan: Plan, team: str, view: ResourceView) -> AgentResult:
    where = (
        f"for {view.team_name}"
        if view.team_name
        else ("for you only" if view.scope == "user" else "for the whole workspace")
    )
    link = ("team", view.team_name) if view.team_name else None
    return AgentResult(
        f"Created the {kind_label(view.kind)} “{view.name}” {where}.",
        view,
        link,
        tab="resources" if link else None,
    )


def _resource_deleted(plan: Plan, team: str, _: None) -> AgentResult:
    what = plan.description.removeprefix("Delete the ")
    return AgentResult(f"Deleted the {what}.", None, **_team_link(team, "resources"))


def _resources(plan: Plan, team: str, page: Page[ResourceView]) -> AgentResult:
    names = [f"{kind_label(r.kind)} “{r.name}”" for r in page.items]
    where = team or "you can see"
    if not page.items:
        return AgentResult(
            f"There are no resources {('in ' + team) if team else 'you can see'}.", page
        )
    link = ("team", team) if team else None
    return AgentResult(
        f"{_count(page.total, 'resource')} ({where}): {_listed(names, page.total)}.",
        page,
        link,
        tab="resources" if link else None,
    )


def _key_created(plan: Plan, team: str, created: CreatedKey) -> AgentResult:
    key = created.key
    ends = f"; it expires {key.expires_at:%Y-%m-%d}" if key.expires_at else ""
    return AgentResult(
        f"Created the API key “{key.name}” ({key.masked}) for {team}{ends}. "
        "Copy it now: it is shown only once.",
        created,
        secret=created.plaintext,
        **_team_link(team, "keys"),
    )


def _key_rotated(plan: Plan, team: str, created: CreatedKey) -> AgentResult:
    old = created.replaces
    if old is not None and old.status == "revoked":
        after = "the old key stopped working at once"
    elif old is not None and old.expires_at is not None:
        after = f"the old key works until {old.expires_at:%Y-%m-%d %H:%M} UTC"
    else:
        after = "the old key keeps working for its grace period"
    return AgentResult(
        f"Rotated “{created.key.name}” of {team}: the new key is {created.key.masked}; {after}. "
        "Copy the new key now: it is shown only once.",
        created,
        secret=created.plaintext,
        **_team_link(team, "keys"),
    )


def _key_revoked(plan: Plan, team: str, key: KeyView) -> AgentResult:
    return AgentResult(
        f"Revoked the API key “{key.name}” ({key.masked}) of {team}; it no longer works.",
        key,
        **_team_link(team, "keys"),
    )


def _keys(plan: Plan, team: str, page: Page[KeyView]) -> AgentResult:
    if not page.items:
        return AgentResult(f"{team} has no API keys.", page, **_team_link(team, "keys"))
    names = [f"“{k.name}” ({k.masked}, {k.status})" for k in page.items]
    return AgentResult(
        f"{team} has {_count(page.total, 'API key')}: {_listed(names, page.total)}.",
        page,
        **_team_link(team, "keys"),
    )


# How each command the agent plans reads once it ran (InviteMembers reports per address).
_SUMMARIES: dict[type[Command], Callable[..., AgentResult]] = {
    uc.CreateTeam: _created_team,
    uc.RenameTeam: _renamed,
    uc.DescribeTeam: _described,
    uc.ArchiveTeam: _archived,
    uc.ListTeams: _teams,
    uc.ChangeRole: _role_changed,
    uc.RemoveMember: _removed,
    uc.LeaveTeam: _left,
    uc.ListMembers: _members,
    uc.ListInvitations: _invitations,
    uc.ResendInvitation: _resent,
    uc.RevokeInvitation: _revoked_invitation,
    uc.ChangeInvitationRole: _invitation_role,
    uc.CreateResource: _resource_created,
    uc.DeleteResource: _resource_deleted,
    uc.ListResources: _resources,
    uc.CreateKey: _key_created,
    uc.RotateKey: _key_rotated,
    uc.RevokeKey: _key_revoked,
    uc.ListKeys: _keys,
}


def _who(name: str, email: str) -> str:
    return f"{name} ({email})" if name and name.casefold() != email.casefold() else email


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _listed(names: list[str], total: int) -> str:
    shown = names[:_LISTED]
    more = total - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")
