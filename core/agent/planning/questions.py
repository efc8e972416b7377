"""Plans for questions: lists of teams, and of a team's members, keys, invitations and
resources. They change nothing, so a screen may run them without asking."""

from __future__ import annotations

from core.agent.answers import Plan
from core.agent.planning.base import PlannerBase
from core.agent.planning.words import quoted
from core.usecases import commands as uc
from core.vocabulary import kind_label


class QuestionPlans(PlannerBase):
    def _list_teams(self) -> Plan:
        query = self.intent.query
        text = "List the teams you can see"
        if query:
            text += f" matching {quoted(query)}"
        return Plan(text, uc.ListTeams(query), None)

    def _list_members(self) -> Plan:
        team = self._team(uc.ListMembers)
        return Plan(f"List the members of {team.name}", uc.ListMembers(team.id), team.name)

    def _list_keys(self) -> Plan:
        team = self._team(uc.ListKeys)
        return Plan(f"List the API keys of {team.name}", uc.ListKeys(team.id), team.name)

    def _list_invitations(self) -> Plan:
        team = self._team(uc.ListInvitations)
        words = f"List the pending invitations of {team.name}"
        return Plan(words, uc.ListInvitations(team.id), team.name)

    def _list_resources(self) -> Plan:
        kind = self.intent.kind
        what = f"{kind_label(kind)}s" if kind else "resources"
        if self.intent.team is None:
            return Plan(f"List the {what} you can see", uc.ListResources(None, kind), None)
        team = self._team(uc.ListResources)
        return Plan(f"List the {what} of {team.name}", uc.ListResources(team.id, kind), team.name)
