"""The admin agent: one English sentence in, one planned core call out; run it on confirmation.

Planning only reads. A plan can be shown, confirmed and then executed with the same
permissions as the screens: core checks them again on execute and raises its typed errors.
"""

from __future__ import annotations

from core.agent.answers import AgentResult, Answer, Clarify, NotUnderstood, Plan, Refused
from core.agent.examples import closest
from core.agent.execute import execute
from core.agent.intents import Failure
from core.agent.parse import parse
from core.agent.planning import Planner
from core.agent.resolve import Stop
from core.errors import DomainError, NotFound, PermissionDenied, PlanRequired
from core.services import Core
from core.views import Principal


class Agent:
    """``Agent(core).plan(actor, sentence)`` → Plan | Clarify | NotUnderstood | Refused.

    With ``refuse_early`` (the default) a sentence the actor may not carry out is answered
    with core's refusal at once, instead of a plan that would fail on confirmation. Without
    it, such a plan is still produced and :meth:`execute` raises core's PermissionDenied."""

    def __init__(self, core: Core, *, refuse_early: bool = True) -> None:
        self.core = core
        self.refuse_early = refuse_early

    def plan(self, actor: Principal, sentence: str) -> Answer:
        intent, typed = parse(sentence)
        if isinstance(intent, Failure):
            return self._not_understood(sentence, intent)
        try:
            return Planner(self.core, actor, typed, intent, self.refuse_early).plan()
        except Stop as stop:
            if isinstance(stop.answer, Failure):
                return self._not_understood(sentence, stop.answer)
            assert isinstance(stop.answer, (Clarify, Refused))
            return stop.answer
        except (PermissionDenied, PlanRequired) as error:
            return Refused(error.message)
        except NotFound as error:
            return self._not_understood(sentence, Failure(error.message, "team", intent.action))
        except DomainError as error:
            return self._not_understood(sentence, Failure(error.message, "sentence", intent.action))

    def execute(self, actor: Principal, plan: Plan) -> AgentResult:
        """Run the plan's one core call as ``actor``. Core's errors propagate."""
        return execute(self.core, actor, plan)

    @staticmethod
    def _not_understood(sentence: str, failure: Failure) -> NotUnderstood:
        return NotUnderstood(
            message=failure.message,
            examples=closest(sentence, failure.action),
            missing=failure.missing,
            understood=failure.action,
        )
