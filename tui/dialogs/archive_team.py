"""Settings → Delete team: archive it once its exact name is typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.views import TeamView
from tui.dialogs.type_name import TypeNameModal
from tui.format import plain, safe_markup


@dataclass(frozen=True)
class ArchiveRequest:
    team_id: int


class ArchiveTeamModal(TypeNameModal[ArchiveRequest, TeamView]):
    """Dismisses with the archived :class:`TeamView`, or None when cancelled."""

    SUBMIT_LABEL = "Delete team"

    def __init__(self, team: TeamView, submit: Callable[[ArchiveRequest], TeamView]) -> None:
        super().__init__(
            safe_markup("Delete team [b]$team[/b]", team=team.name),
            plain(
                "The team disappears from every list, its resources and API keys stop "
                "working for its members, and its name becomes free. The audit record stays."
            ),
            name=team.name,
            what="the team's name",
            request=ArchiveRequest(team.id),
            submit=submit,
        )
        self.team = team
