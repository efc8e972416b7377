"""The planner's shared steps: find the team and check the actor may act on it, check typed
input with core's own validators, find a member. Everything here only reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from core.agent.answers import Plan, Refused
from core.agent.intents import Failure, Intent
from core.agent.resolve import Person, Resolver, Stop
from core.agent.text import Sentence
from core.errors import InvalidInput
from core.permissions import WORKSPACE_REFUSALS, TeamAction, WorkspaceAction, team_refusal
from core.services import Core
from core.usecases.commands import Command
from core.usecases.registry import use_case
from core.views import Principal, TeamView

T = TypeVar("T")


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
        return replace(build(), action=self.intent.action, sentence=self.sentence.original)

    def _team(self, command: type[Command]) -> TeamView:
        """The team the sentence names; when the actor may not run ``command`` on it, a
        refusal in core's words (or, not refusing early, ``allowed`` is False). Leaving is
        left to core, which says why one cannot leave."""
        assert self.intent.team is not None
        team = self.find.team(self.intent.team)
        need = use_case(command).permission
        if isinstance(need, TeamAction) and need not in (TeamAction.VIEW, TeamAction.LEAVE):
            access = self.core.team_access(self.actor, team.id)
            if not access.can(need):
                if self.refuse_early:
                    raise Stop(Refused(team_refusal(need, team.name, access.role)))
                self.allowed = False
        return team

    def _require(self, action: WorkspaceAction, sentence: str | None = None) -> None:
        if self.refuse_early and action not in self.core.me(self.actor).actions:
            raise Stop(Refused(sentence or WORKSPACE_REFUSALS[action]))

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
