"""Where an admin agent's result points, and the message the agent dialog leaves with.

The dialog does not navigate: when it closes it posts :class:`AgentClosed` to the app,
naming what changed and where to go (the team list, or a team and its tab), and the app,
which owns navigation, goes there."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from core.agent import AgentResult, Clarify, Plan
from core.views import TeamView
from tui.widgets.agent_bar import link_label


@dataclass(frozen=True)
class ResultLink:
    """Where a result points: the team list, or a team (by id when known) and its tab."""

    kind: str  # "team" or "teams"
    team_name: str = ""
    team_ref: int | str = ""
    tab: str | None = None

    @property
    def label(self) -> str:
        return link_label(self.kind, self.team_name, self.tab)


class AgentChanged(Message):
    """The agent dialog has just changed something: a screen under it that lists what changed
    reads it again at once, so that what shows behind the answer agrees with it."""


class AgentClosed(Message):
    """The agent dialog closed. ``changed``: something was done, so what is under it is read
    again; ``gone_team``: the id of a team deleted or left from it; ``to_team_list``, or
    ``team`` with a part of it (members, invitations, resources, keys): where to go."""

    def __init__(
        self,
        *,
        changed: bool,
        gone_team: int | None,
        to_team_list: bool = False,
        team: TeamView | None = None,
        part: str | None = None,
    ) -> None:
        super().__init__()
        self.changed = changed
        self.gone_team = gone_team
        self.to_team_list = to_team_list
        self.team = team
        self.part = part


def choice_sentence(question: Clarify, index: int) -> str:
    return question.sentences[index] if index < len(question.sentences) else ""


def link_of(plan: Plan, result: AgentResult) -> ResultLink | None:
    if result.link is None:
        return None
    kind, name = result.link
    if kind != "team":
        return ResultLink("teams")
    ref: int | str = name
    if isinstance(result.data, TeamView):
        ref = result.data.id
    elif isinstance(getattr(plan.command, "team", None), int):
        ref = plan.command.team
    return ResultLink("team", name, ref, result.tab)


__all__ = ["AgentClosed", "ResultLink", "choice_sentence", "link_of"]
