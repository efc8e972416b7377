"""Plans for agents, skills, context files and tool policies."""

from __future__ import annotations

from core.agent.answers import Plan
from core.agent.lexicon import with_article
from core.agent.planning.base import PlannerBase
from core.agent.planning.words import clipped, quoted
from core.permissions import WorkspaceAction
from core.validation import clean_body, clean_resource_name
from core.vocabulary import kind_label

# The same sentence as ResourceServices.create_resource's refusal (written inline there).
WORKSPACE_RESOURCE_REFUSAL = (
    "Only workspace admins and owners can create workspace-wide resources; "
    "name a team or make it personal."
)


class ResourcePlans(PlannerBase):
    def _create_resource(self) -> Plan:
        intent = self.intent
        assert intent.name is not None and intent.kind is not None
        name = self._clean(clean_resource_name, intent.name.text)
        body = self._clean(clean_body, intent.text or "")
        kind = kind_label(intent.kind)
        args: dict[str, object] = {"kind": intent.kind, "name": name, "body": body}
        details = (f"Body: {clipped(body)}",) if body else ()
        if intent.scope == "workspace":
            self._require(WorkspaceAction.MANAGE_WORKSPACE_RESOURCES, WORKSPACE_RESOURCE_REFUSAL)
            args["team"] = None
            text = f"Create a workspace-wide {kind} {quoted(name)}"
            return Plan(text, "create_resource", args, None, details=details)
        if intent.scope == "personal":
            args["team"], args["personal"] = None, True
            text = f"Create a personal {kind} {quoted(name)} (only you can see it)"
            return Plan(text, "create_resource", args, None, details=details)
        team = self._team()
        args["team"] = team.id
        text = f"Create {with_article(kind)} {quoted(name)} for {team.name}"
        return Plan(text, "create_resource", args, team.name, details=details)

    def _delete_resource(self) -> Plan:
        team = self._team()
        assert self.intent.name is not None
        found = self.find.resource(self.intent.kind, self.intent.name, team)
        return Plan(
            f"Delete the {kind_label(found.kind)} {quoted(found.name)} of {team.name}",
            "delete_resource",
            {"resource_id": found.id},
            team.name,
        )
