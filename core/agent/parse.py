"""One sentence in, one intent (or a failure that says what could not be read) out.

Deterministic: a fixed grammar over a fixed vocabulary, nothing else.
"""

from __future__ import annotations

import re
from dataclasses import replace

from core.agent.grammar import FAMILIES
from core.agent.grammar.shapes import SCOPES, reshape
from core.agent.intents import Failure, Intent
from core.agent.lexicon import COMMAND_VERBS, STRONG_COMMAND_VERBS, other_reading
from core.agent.text import MAX_LENGTH, Sentence, Slot, normalise


def _joined(verbs: tuple[str, ...]) -> re.Pattern[str]:
    # "…, and then invite", "… and remove", "…; delete", "…. Create": a second command.
    return re.compile(
        r"(?:[,;]\s*|\.\s+|\b(?:and|then|also)\s+)(?:(?:and|then|also|please)\s+)*"
        rf"(?:{'|'.join(verbs)})\b",
        re.IGNORECASE,
    )


_TWO_COMMANDS = _joined(COMMAND_VERBS)
_TWO_COMMANDS_IN_TEXT = _joined(STRONG_COMMAND_VERBS)
ONE_AT_A_TIME = (
    "That looks like more than one command; I do one thing at a time, so send them one by one."
)


def parse(typed: str, *, other: bool = False) -> tuple[Intent | Failure, Sentence]:
    """The sentence's reading; with ``other``, the reading that splits its parts at the last
    "to", "for", "as"… instead of the first (see :class:`~core.agent.lexicon.Rule`)."""
    sentence = normalise(typed)
    if other:
        with other_reading():
            return read(sentence), sentence
    return read(sentence), sentence


def read(s: Sentence) -> Intent | Failure:
    result = _read(s)
    if isinstance(result, Intent) or (shape := reshape(s.text)) is None:
        return result
    # "Platform Engineering: make Dave an admin": the command, said of the topic's team.
    topic = s.restore(shape.team).casefold()
    for scope in SCOPES:
        again = _read(replace(s, text=f"{shape.command} {scope} {shape.team}"))
        if isinstance(again, Intent) and again.team is not None and topic in _said(again.team):
            return again
    return result


def _said(slot: Slot) -> tuple[str, str]:
    return slot.raw.casefold(), slot.text.casefold()


def _read(s: Sentence) -> Intent | Failure:
    if not s.text:
        return Failure("There is nothing to do in an empty sentence.", "sentence")
    if len(s.original) > MAX_LENGTH:
        return Failure(
            f"That is {len(s.original)} characters; one command is at most {MAX_LENGTH}.",
            "sentence",
        )
    for family in FAMILIES:
        result = family(s)
        if result is None:
            continue
        if isinstance(result, Failure):
            if _TWO_COMMANDS.search(s.text):
                return Failure(ONE_AT_A_TIME, "command", result.action)
            return result
        if _runs_on(result):
            return Failure(ONE_AT_A_TIME, "command", result.action)
        return result
    if _TWO_COMMANDS.search(s.text):
        return Failure(ONE_AT_A_TIME, "command")
    return Failure("I could not read that as a Teams command.", "sentence")


def _runs_on(intent: Intent) -> bool:
    """A name part that holds a second command ("team X and invite alice") was over-read."""
    names = [intent.team, intent.name, intent.key, *intent.people]
    for slot in names:
        if slot is not None and not slot.quoted and _TWO_COMMANDS.search(slot.raw):
            return True
    return any(_TWO_COMMANDS_IN_TEXT.search(text) for text in intent.free_slots)
