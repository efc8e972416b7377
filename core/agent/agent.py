"""The admin agent: one English sentence in, one planned core call out; run it on confirmation.

Planning only reads. A plan can be shown, confirmed and then executed with the same
permissions as the screens: core checks them again on execute and raises its typed errors.
"""

from __future__ import annotations

import re

from core.agent.answers import AgentResult, Answer, Clarify, NotUnderstood, Plan, Refused
from core.agent.corrections import corrected, worth_correcting
from core.agent.examples import closest
from core.agent.execute import execute
from core.agent.grammar.guards import missing_name, refusal
from core.agent.intents import Failure, Intent
from core.agent.parse import parse
from core.agent.planning import Planner
from core.agent.resolve import Stop
from core.agent.text import Sentence, normalise
from core.errors import DomainError, PermissionDenied, PlanRequired
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
        """The answer to the sentence; when it could not be read and one word is a near-typo of
        a role or a command word, a question offering the corrected sentence's plan."""
        answer = self._plan(actor, sentence)
        if worth_correcting(answer):
            return corrected(sentence, lambda fixed: self._plan(actor, fixed)) or answer
        return answer

    def _plan(self, actor: Principal, sentence: str) -> Answer:
        """Read the sentence both ways its parts can split (at the first "to", "for", "as"…
        or at the last) and answer with the reading that makes sense; when both do and they
        differ, ask which was meant."""
        typed = normalise(sentence)
        if (reason := refusal(typed)) is not None:
            return Refused(reason)
        if (failure := missing_name(typed)) is not None:
            return _not_understood(typed.original, failure)
        first, typed = parse(sentence)
        other, _ = parse(sentence, other=True)
        answer, loose = self._answer(actor, typed, first)
        if other == first or isinstance(other, Failure):
            return answer
        if isinstance(answer, Plan):
            alternative, other_loose = self._answer(actor, typed, other)
            if not isinstance(alternative, Plan) or not _differ(answer, alternative):
                return answer
            if loose != other_loose:  # one reading's names matched exactly: that one is meant
                return answer if loose < other_loose else alternative
            return self._which_reading(actor, typed, [(first, answer), (other, alternative)])
        if isinstance(answer, NotUnderstood):
            alternative, _ = self._answer(actor, typed, other)
            if not isinstance(alternative, NotUnderstood):
                return alternative
        return answer

    def execute(self, actor: Principal, plan: Plan) -> AgentResult:
        """Run the plan's one core call as ``actor``. Core's errors propagate."""
        return execute(self.core, actor, plan)

    def _answer(
        self, actor: Principal, typed: Sentence, intent: Intent | Failure
    ) -> tuple[Answer, int]:
        """The answer to one reading, with how many of its names matched only forgivingly."""
        if isinstance(intent, Failure):
            return _not_understood(typed.original, intent), 0
        planner = Planner(self.core, actor, typed, intent, self.refuse_early)
        try:
            return planner.plan(), planner.find.forgiving
        except Stop as stop:
            if isinstance(stop.answer, Failure):
                return _not_understood(typed.original, stop.answer), 0
            assert isinstance(stop.answer, (Clarify, Refused))
            return stop.answer, 0
        except (PermissionDenied, PlanRequired) as error:
            return Refused(error.message), 0
        except DomainError as error:  # NotFound, InvalidInput…: an explanation, not a crash
            failure = Failure(error.message, "sentence", intent.action)
            return _not_understood(typed.original, failure), 0

    def _which_reading(
        self, actor: Principal, typed: Sentence, readings: list[tuple[Intent | Failure, Plan]]
    ) -> Clarify:
        plans = [plan for _, plan in readings]
        options = [plan.description for plan in plans]
        question = f"Which do you mean: {options[0]}, or {options[1]}?"
        sentences = [_spelled_out(typed, intent, plan) for intent, plan in readings]
        # Offer rewritten sentences only when each one, read either way, plans exactly its reading.
        for sentence, plan in zip(sentences, plans, strict=True):
            for other in (False, True):
                intent, rewritten = parse(sentence, other=other)
                again = self._answer(actor, rewritten, intent)[0] if sentence else None
                if not isinstance(again, Plan) or _differ(again, plan):
                    return Clarify(question, options, [], "reading", plans)
        return Clarify(question, options, sentences, "reading", plans)


def _differ(one: Plan, other: Plan) -> bool:
    return one.command != other.command


def _not_understood(sentence: str, failure: Failure) -> NotUnderstood:
    return NotUnderstood(
        message=failure.message,
        examples=closest(sentence, failure.action),
        missing=failure.missing,
        understood=failure.action,
    )


def _spelled_out(typed: Sentence, intent: Intent | Failure, plan: Plan) -> str:
    """The sentence with every name of this reading in quotes, so it reads only one way."""
    if isinstance(intent, Failure):
        return ""
    text = typed.restore(typed.text, keep_quotes=True)
    parts = [(intent.team, plan.target_team), (intent.name, None), (intent.key, None)]
    parts += [(person, None) for person in intent.people]
    for slot, exact in parts:
        if slot is None or slot.quoted:
            continue
        words = r"\s+".join(re.escape(w) for w in slot.raw.split())
        found = re.search(rf"(?<![\w\"“]){words}(?![\w\"”])", text, re.IGNORECASE)
        if not words or found is None:
            return ""
        value = exact or slot.text
        quoted = f"“{value}”" if '"' in value else f'"{value}"'
        text = text[: found.start()] + quoted + text[found.end() :]
    return text
