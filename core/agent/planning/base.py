"""The planner's shared steps: find the team and check the actor may act on it, check typed
input with core's own validators, find a member. Everything here only reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from core.agent.answers import Plan, Refused
from core.agent.intents import Failure, Intent
from core.agent.resolve import Person, Resolver, Stop
from core.agent.text import Sentence
from core.errors import InvalidInput
from core.permissions import TeamAction, WorkspaceAction
from core.services import Core

# Core's own refusal sentences, so an early refusal reads exactly like the one core would give
# (a test compares them word for word).
from core.services.keys import _MANAGE_KEYS
from core.services.members import _MANAGE_MEMBERS
from core.services.resources import _MANAGE as _MANAGE_RESOURCES
from core.services.teams import _MANAGE_TEAM
from core.views import Principal, TeamView

T = TypeVar("T")

# What each action needs on its team, and core's sentence when it is missing.
NEEDS: dict[str, tuple[TeamAction, str]] = {
    "invite": (TeamAction.MANAGE_MEMBERS, _MANAGE_MEMBERS),
    "change_role": (TeamAction.MANAGE_MEMBERS, _MANAGE_MEMBERS),
    "remove_member": (TeamAction.MANAGE_MEMBERS, _MANAGE_MEMBERS),
    "list_invitations": (TeamAction.MANAGE_MEMBERS, _MANAGE_MEMBERS),
    "resend_invitation": (TeamAction.MANAGE_MEMBERS, _MANAGE_MEMBERS),
    "revoke_invitation": (TeamAction.MANAGE_MEMBERS, _MANAGE_MEMBERS),
    "create_resource": (TeamAction.MANAGE_RESOURCES, _MANAGE_RESOURCES),
    "delete_resource": (TeamAction.MANAGE_RESOURCES, _MANAGE_RESOURCES),
    "create_key": (TeamAction.MANAGE_KEYS, _MANAGE_KEYS),
    "revoke_key": (TeamAction.MANAGE_KEYS, _MANAGE_KEYS),
    "rotate_key": (TeamAction.MANAGE_KEYS, _MANAGE_KEYS),
    "list_keys": (TeamAction.MANAGE_KEYS, _MANAGE_KEYS),
    "rename_team": (TeamAction.MANAGE_TEAM, _MANAGE_TEAM),
    "describe_team": (TeamAction.MANAGE_TEAM, _MANAGE_TEAM),
    "archive_team": (TeamAction.MANAGE_TEAM, _MANAGE_TEAM),
}


class PlannerBase:
    """Builds the one Plan for one Intent; each action has a ``_<action>`` method in a mixin."""

    def __init__(
        self, core: Core, actor: Principal, sentence: Sentence, intent: Intent, refuse_early: bool
    ) -> None:
        self.core = core
        self.actor = actor
        self.sentence = sentence
        self.intent = intent
        self.refuse_early = refuse_early
        self.find = Resolver(core, actor, sentence, intent.action)
        # False when the actor may not do it (only seen when not refusing early): lookups that
        # core would refuse are then skipped, and core refuses the call on execute.
        self.allowed = True

    def plan(self) -> Plan:
        build: Callable[[], Plan] = getattr(self, f"_{self.intent.action}")
        plan = build()
        return Plan(
            description=plan.description,
            call=plan.call,
            args=plan.args,
            target_team=plan.target_team,
            action=self.intent.action,
            details=plan.details,
            changes=plan.changes,
            sentence=self.sentence.original,
        )

    def _team(self) -> TeamView:
        assert self.intent.team is not None
        team = self.find.team(self.intent.team)
        need = NEEDS.get(self.intent.action)
        if need is not None:
            access = self.core.team_access(self.actor, team.id)
            if not access.can(need[0]):
                if self.refuse_early:
                    role = access.role or "not a member"
                    raise Stop(Refused(need[1].format(team=team.name, role=role)))
                self.allowed = False
        return team

    def _require(self, action: WorkspaceAction, sentence: str) -> None:
        if self.refuse_early and action not in self.core.me(self.actor).actions:
            raise Stop(Refused(sentence))

    @staticmethod
    def _clean(check: Callable[..., T], *args: object) -> T:
        """One of core's input checks, run now, so a plan never fails on what was typed."""
        try:
            return check(*args)
        except InvalidInput as error:
            raise Stop(Failure(error.message, error.field or "sentence")) from None

    def _person(self, team: TeamView, *, member: bool) -> Person:
        assert self.intent.people
        return self.find.person(self.intent.people[0], team=team, members_only=member)

    def _current_role(self, team: TeamView, person: Person) -> str | None:
        """The member's role now (None when not looked up); a non-member is explained before
        anything is planned."""
        if not self.allowed:
            return None
        role = self.find.member_role(team, person.email)
        if role is None:
            raise Stop(
                Failure(
                    f"{person.label} is not a member of {team.name}.", "person", self.intent.action
                )
            )
        return role
