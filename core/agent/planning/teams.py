"""Plans for teams themselves: create, rename, describe, delete."""

from __future__ import annotations

from core.agent.answers import Plan
from core.agent.planning.base import PlannerBase
from core.agent.planning.words import quoted
from core.permissions import WorkspaceAction
from core.usecases import commands as uc
from core.validation import clean_description, clean_team_name


class TeamPlans(PlannerBase):
    def _create_team(self) -> Plan:
        assert self.intent.name is not None
        name = self._clean(clean_team_name, self.intent.name.text)
        description = self._clean(clean_description, self.intent.text or "")
        self.core.list_teams(self.actor, limit=1)  # a plan without teams refuses in core's words
        self._require(WorkspaceAction.CREATE_TEAM)
        text = f"Create a team {quoted(name)}"
        if description:
            text += f" with the description {quoted(description)}"
        return Plan(
            text,
            uc.CreateTeam(name, description),
            target_team=name,
            details=("You will be its owner.",),
        )

    def _rename_team(self) -> Plan:
        team = self._team(uc.RenameTeam)
        assert self.intent.name is not None
        new = self._clean(clean_team_name, self.intent.name.text)
        return Plan(
            f"Rename {team.name} to {quoted(new)}",
            uc.RenameTeam(team.id, new),
            team.name,
        )

    def _describe_team(self) -> Plan:
        team = self._team(uc.DescribeTeam)
        text = self._clean(clean_description, self.intent.text or "")
        if not text:
            description = f"Clear the description of {team.name}"
        else:
            description = f"Set the description of {team.name} to {quoted(text)}"
        return Plan(description, uc.DescribeTeam(team.id, text), team.name)

    def _archive_team(self) -> Plan:
        team = self._team(uc.ArchiveTeam)
        return Plan(
            f"Delete the team {team.name}",
            uc.ArchiveTeam(team.id),
            team.name,
            details=(
                (
                    f"{team.name} disappears from every list, its API keys stop working and its "
                    "name becomes free; the record stays in the audit log."
                ),
            ),
        )
