"""Sentence shapes beyond the rules' own: read again as the plain command they stand for.

- Topic first, with a colon: "Platform Engineering: make Dave an admin" is "make Dave an
  admin" said of Platform Engineering.
- A person named in a first clause and meant by a pronoun in the second: "Dave is in
  Platform Engineering; make him an admin", "Find Carol in Design and make her an admin".

Each gives the command part and the team it is said of; the caller reads the command with the
team put back ("… in Platform Engineering") and keeps the reading only when the team read is
exactly that topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.agent.lexicon import COMMAND_VERBS, search

_VERB = rf"(?:{'|'.join(COMMAND_VERBS)}|promote|demote|upgrade|downgrade|kick|take|put|send)"
_TOPIC = search(
    rf"^(?P<topic>(?!{_VERB}\b)[^:,]+?)\s*:\s*(?P<rest>{_VERB}\b.+)$"
    rf"|^(?:in|on|for|within|over\s+in)\s+(?P<topic2>[^:,]+?)\s*,\s*(?P<rest2>{_VERB}\b.+)$"
)
_PRONOUN_CLAUSE = search(
    r"^(?:(?:find|take|look\s+up|get|for|as\s+for|about|regarding|re)\s+)?"
    r"(?P<person>(?!(?:he|she|they)\b)\S+(?:\s+(?!(?:is|who|in|on|from|at)\b)\S+)?)\s+(?:is\s+|who\s+is\s+|'s\s+)?"
    r"(?:in|on|from|at)\s+(?P<team>.+?)\s*(?:[;,:.\u2014-]\s*(?:and\s+|then\s+|so\s+)*|\s+(?:and|then|so)\s+"
    r"(?:then\s+)?)"
    rf"(?P<rest>{_VERB}\b.*\b(?:him|her|them)\b.*)$"
)
_PRONOUN = re.compile(r"\b(?:him|her|them)\b", re.IGNORECASE)
_TEAM_PRONOUN = re.compile(
    r"\s+(?:in|on|from|of|to)\s+(?:it|there|that\s+team|the\s+team)$|\s+there$", re.IGNORECASE
)
# How a team is put back after a command: the first that reads the topic back as the team.
SCOPES = ("in", "from", "of", "for", "to")


@dataclass(frozen=True)
class Reshaped:
    command: str  # the command part, in the sentence's own text (quoted spans as placeholders)
    team: str  # the team it is said of, the same way


def reshape(text: str) -> Reshaped | None:
    if (m := _TOPIC.match(text)) is not None:
        rest, topic = m.group("rest") or m.group("rest2"), m.group("topic") or m.group("topic2")
        return Reshaped(rest.strip(), topic.strip())
    if (m := _PRONOUN_CLAUSE.match(text)) is not None:
        rest = _PRONOUN.sub(m.group("person"), m.group("rest"), count=1)
        rest = _TEAM_PRONOUN.sub("", rest)
        return Reshaped(rest.strip(), m.group("team").strip())
    return None
