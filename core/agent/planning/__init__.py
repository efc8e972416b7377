"""From an intent to a :class:`~core.agent.answers.Plan`: names resolved, typed input checked
with core's validators, the one call described in plain words. Planning only reads; running a
plan is execute.py's job."""

from __future__ import annotations

from core.agent.planning.keys import KeyPlans
from core.agent.planning.members import MemberPlans
from core.agent.planning.questions import QuestionPlans
from core.agent.planning.resources import ResourcePlans
from core.agent.planning.teams import TeamPlans


class Planner(TeamPlans, MemberPlans, ResourcePlans, KeyPlans, QuestionPlans):
    """Every action's plan over one sentence, one actor and one core."""


__all__ = ["Planner"]
