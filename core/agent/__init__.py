"""The admin agent: plain-English Teams commands, read by a deterministic parser.

    from core.agent import Agent, Plan, Clarify, NotUnderstood, Refused
    agent = Agent(core)
    answer = agent.plan(actor, "Invite alice@example.com to the Platform Engineering team as a member")
    if isinstance(answer, Plan):
        result = agent.execute(actor, answer)   # one core call, with the actor's permissions

Nothing is sent off the machine and no model is involved: a fixed grammar (``grammar/``) over
a fixed vocabulary (``lexicon.py``), names matched through core's read-only services
(``resolve.py``).
"""

from __future__ import annotations

from core.agent.agent import Agent
from core.agent.answers import AgentResult, Answer, Clarify, NotUnderstood, Plan, Refused
from core.agent.examples import ALL_EXAMPLES

__all__ = [
    "ALL_EXAMPLES",
    "Agent",
    "AgentResult",
    "Answer",
    "Clarify",
    "NotUnderstood",
    "Plan",
    "Refused",
]
