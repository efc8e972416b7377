"""Plans for agents, skills, context files and tool policies."""

from __future__ import annotations

from core.agent.answers import Plan
from core.agent.planning.base import PlannerBase
from core.agent.planning.words import clipped, quoted
from core.permissions import CREATE_WORKSPACE_RESOURCE_REFUSAL, WorkspaceAction
from core.usecases import commands as uc
from core.validation import clean_body, clean_resource_name
from core.vocabulary import kind_label, with_article


class ResourcePlans(PlannerBase):
    def _create_resource(self) -> Plan:
        intent = self.intent
        assert intent.name is not None and intent.kind is not None
        name = self._clean(clean_resource_name, intent.name.text)
        body = self._clean(clean_body, intent.text or "")
        kind = kind_label(intent.kind)
        details = (f"Body: {clipped(body)}",) if body else ()
        if intent.scope == "workspace":
            self._require(
                WorkspaceAction.MANAGE_WORKSPACE_RESOURCES, CREATE_WORKSPACE_RESOURCE_REFUSAL
            )
            text = f"Create a workspace-wide {kind} {quoted(name)}"
            command = uc.CreateResource(intent.kind, name, None, body)
            return Plan(text, command, None, details=details)
        if intent.scope == "personal":
            text = f"Create a personal {kind} {quoted(name)} (only you can see it)"
            command = uc.CreateResource(intent.kind, name, None, body, personal=True)
            return Plan(text, command, None, details=details)
        team = self._team(uc.CreateResource)
        text = f"Create {with_article(kind)} {quoted(name)} for {team.name}"
        command = uc.CreateResource(intent.kind, name, team.id, body)
        return Plan(text, command, team.name, details=details)

    def _delete_resource(self) -> Plan:
        team = self._team(uc.DeleteResource)
        assert self.intent.name is not None
        found = self.find.resource(self.intent.kind, self.intent.name, team)
        return Plan(
            f"Delete the {kind_label(found.kind)} {quoted(found.name)} of {team.name}",
            uc.DeleteResource(found.id),
            team.name,
        )
