"""What is checked before any rule reads a sentence, and before any name is looked up.

- A naming word ("called", "named", "titled") with no name after it, or only a scope
  ("named for Design"), means the name is missing: the word is never taken as the name.
- Conditions ("if he is an admin"), times ("next Monday", "tomorrow") and hypotheticals
  ("would you …", "what if …") are refused with that reason. The agent acts now, once, on
  confirmation: a team whose name happens to hold the leftover words cannot turn them into
  an action.

Quoted spans are placeholders here, so a quoted name may hold any of these words.
"""

from __future__ import annotations

from core.agent.intents import Failure
from core.agent.lexicon import NUMBER, search
from core.agent.text import Sentence, unpadded

_NAMING = r"(?:called|named|titled|labell?ed)"
_SCOPE = (
    r"(?:(?:only\s+)?(?:for|in|into|to|on|within|under|inside|from|of|at)|scoped\s+to"
    r"|belonging\s+to|owned\s+by|available\s+to|restricted\s+to|limited\s+to)"
)
_NO_NAME = search(rf"\b(?P<word>{_NAMING})(?:\s*$|\s+{_SCOPE}\b)")

_DAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_UNIT = r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)"
_TIME = search(
    r"\b(?P<time>tomorrow|tonight|today|yesterday|later\s+on|later\s+today|later|eventually"
    rf"|someday|some\s+day|soon|next\s+(?:week|month|year|quarter|sprint|time|{_DAYS})"
    rf"|this\s+(?:evening|afternoon|morning|weekend|week|month|{_DAYS})"
    rf"|(?:on|by|before|after|until|till)\s+(?:{_DAYS}|tomorrow|tonight|noon|midnight)"
    r"|(?:at|by)\s+\d{1,2}(?::\d\d)?\s*(?:am|pm|o'?clock)?(?!\S)|at\s+(?:noon|midnight)"
    r"|(?:at|by|before|after)\s+the\s+end\s+of\s+\S+|end\s+of\s+(?:day|the\s+day|week|month)"
    rf"|(?:(?:in|within)\s+(?:a|an|one|{NUMBER})\s+{_UNIT})|{NUMBER}\s+{_UNIT}\s+from\s+now"
    rf"|every\s+(?:day|week|month|{_DAYS}))\b"
)
# "expiring in 30 days", "valid for a week", "a 2 hour grace period": a key's own times.
_KEY_TIME = search(
    r"(?:expir\w*|valid|lasting|lasts|good|active|runs\s+out|grace|keep\w*|working|alive"
    r"|leav\w*|giving|allowing)\s*(?:\S+\s+){0,3}$"
)
_CONDITION = search(
    r"(?:^|\s|,)(?P<cond>if|unless|whenever|provided(?:\s+that)?|in\s+case|as\s+long\s+as"
    r"|only\s+if|as\s+soon\s+as"
    r"|(?:when|once|after|before|until|till)\s+(?:he|she|they|it|we|i|you|his|her|their"
    r"|the\s+\w+\s+(?:is|are|was|has|ends|starts|finishes)|\w+\s+(?:is|are|was|has|leaves|joins"
    r"|agrees|objects|returns|gets|comes|says|asks|confirms|accepts|finishes|starts)))\b"
)
_HYPOTHETICAL = search(
    r"^(?P<hyp>would\s+you(?!\s+(?:please|kindly|mind)\b)|what\s+(?:would|if|happens\s+if)"
    r"|what\s+will\s+happen|should\s+(?:i|we|you)|shall\s+(?:i|we)|suppose|imagine"
    r"|hypothetically|pretend|let'?s\s+say|say\s+that|in\s+theory|could\s+i\s+(?:in\s+theory)?"
    r"|would\s+it\s+be|would\s+(?:i|we)|is\s+it\s+(?:ok|okay|possible|safe)\s+to)\b"
)


def missing_name(s: Sentence) -> Failure | None:
    m = _NO_NAME.search(s.text)
    if m is None:
        return None
    word = m.group("word").casefold()
    return Failure(
        f"The name is missing: nothing names it after '{word}', so nothing was done; write the "
        f'name after it, for example {word} "CI Pipeline".',
        "name",
    )


def refusal(s: Sentence) -> str | None:
    """Why the sentence is not a command to carry out now, or None when it is one."""
    typed = unpadded(s.original)
    if (m := _HYPOTHETICAL.search(typed)) is not None:
        return (
            f"That is a hypothetical ('{_said(m.group('hyp'))}'), not a command; I change nothing "
            "for it. Say the command itself to see its plan: nothing happens until you confirm."
        )
    for text in (s.text, typed):
        if (m := _CONDITION.search(text)) is not None:
            return (
                f"That has a condition ('{_said(m.group('cond'))}'); I cannot check conditions "
                "or wait for them, so I change nothing. Check it first, then send the command "
                "without it."
            )
        for m in _TIME.finditer(text):
            if _KEY_TIME.search(text[: m.start()]):
                continue
            return (
                f"That names a time ('{_said(m.group('time'))}'); I cannot schedule, I act only "
                "when you confirm, so I change nothing. Send the command without it when it is due."
            )
    return None


def _said(words: str) -> str:
    return " ".join(words.split()).casefold()
