"""Plans for questions: lists of teams, and of a team's members, keys, invitations and
resources. They change nothing, so a screen may run them without asking."""

from __future__ import annotations

from core.agent.answers import Plan
from core.agent.planning.base import PlannerBase
from core.agent.planning.words import quoted
from core.vocabulary import kind_label


class QuestionPlans(PlannerBase):
    def _list_teams(self) -> Plan:
        query = self.intent.query
        text = "List the teams you can see"
        if query:
            text += f" matching {quoted(query)}"
        return Plan(text, "list_teams", {"query": query}, None, changes=False)

    def _list_members(self) -> Plan:
        return self._of_team("List the members of {team}", "list_members")

    def _list_keys(self) -> Plan:
        return self._of_team("List the API keys of {team}", "list_keys")

    def _list_invitations(self) -> Plan:
        return self._of_team("List the pending invitations of {team}", "list_invitations")

    def _list_resources(self) -> Plan:
        kind = self.intent.kind
        what = f"{kind_label(kind)}s" if kind else "resources"
        if self.intent.team is None:
            args = {"team": None, "kind": kind}
            return Plan(f"List the {what} you can see", "list_resources", args, None, changes=False)
        return self._of_team(f"List the {what} of {{team}}", "list_resources", kind=kind)

    def _of_team(self, words: str, call: str, **extra: object) -> Plan:
        team = self._team()
        args = {"team": team.id, **extra}
        return Plan(words.format(team=team.name), call, args, team.name, changes=False)
