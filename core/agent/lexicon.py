"""The admin agent's vocabulary: verbs, roles, resource kinds, numbers and durations.

Grammar rules are written with ``{NAME}`` macros that expand to the fragments below, so the
same word lists serve every rule and a new synonym is added in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# -- regular-expression fragments -------------------------------------------------------------

# Quoted spans are replaced by one opaque token before any rule runs (see text.py); a rule that
# wants "a quoted name" matches this.
QUOTE_OPEN = "\ue000"
QUOTE_CLOSE = "\ue001"
PLACEHOLDER = f"{QUOTE_OPEN}\\d+{QUOTE_CLOSE}"

ROLE_CORE = r"(?:co-?owners?|owners?|administrators?|admins?|members?)"
FRAGMENTS: dict[str, str] = {
    "ART": r"(?:(?:the|a|an|our|my|this|that)\s+)",
    "NEW": r"(?:(?:new|another|brand\s+new|fresh|second)\s+)",
    "CALLED": r"(?:called|named|titled|labell?ed|with\s+(?:the\s+)?name|name)",
    "Q": PLACEHOLDER,
    "ROLE": (
        r"(?:(?:an?|the)\s+)?(?:(?:team|regular|normal|plain|ordinary|full|standard|basic)\s+)?"
        rf"{ROLE_CORE}(?:\s+(?:role|rights|permissions|access))?"
    ),
    "KIND": (
        r"(?:skills?|agents?|context[ -]?files?|context[ -]?docs?|context[ -]?documents?"
        r"|tools?[ -]?polic(?:y|ies)|polic(?:y|ies))"
    ),
    "KEY": r"(?:(?:team|service|new)\s+)*(?:api[ -]?)?(?:keys?|tokens?)",
    # After a part that ends where a two-word preposition could: in the reading that splits at
    # the last preposition, "X scoped to T" must not read the name "X scoped" and "to T".
    # ("Read Only in Mobile" is a name: "only" is half of "only for", not of "only in".)
    "NOT_HALF": r"(?<!scoped)(?<!belonging)(?<!owned)(?<!available)(?!(?<=only)\s+for\b)"
    r"(?<!limited)(?<!restricted)(?<!shared)(?<!sent)(?<!addressed)",
    "SCOPEADJ": (
        r"(?:(?:team[ -]scoped|team|personal|private|my\s+own|workspace[ -]wide|workspace"
        r"|global|shared|company[ -]wide)\s+)"
    ),
}


def expand(pattern: str) -> str:
    """Replace ``{NAME}`` macros (upper-case names only, so ``{2}`` quantifiers survive)."""
    return re.sub(r"\{([A-Z_]+)\}", lambda m: FRAGMENTS[m.group(1)], pattern)


_OTHER_READING: ContextVar[bool] = ContextVar("other_reading", default=False)


class Rule:
    """A whole-sentence rule: anchored at both ends, case-insensitive.

    Its parts are read lazily, so the first "to" or "for" splits them: "Rename Back to School
    to Summer" reads the team "Back". Inside :func:`other_reading` the same rule splits at the
    last one instead ("Back to School"). The agent tries both and asks when both make sense."""

    def __init__(self, pattern: str) -> None:
        body = expand(pattern)
        self.first = re.compile(f"^(?:{body})$", re.IGNORECASE)
        self.last = re.compile(f"^(?:{body.replace('.+?', '.+')})$", re.IGNORECASE)

    def match(self, text: str) -> re.Match[str] | None:
        return (self.last if _OTHER_READING.get() else self.first).match(text)


@contextmanager
def other_reading() -> Iterator[None]:
    token = _OTHER_READING.set(True)
    try:
        yield
    finally:
        _OTHER_READING.reset(token)


def rx(pattern: str) -> Rule:
    return Rule(pattern)


def search(pattern: str) -> re.Pattern[str]:
    """A clause looked for anywhere in the sentence."""
    return re.compile(expand(pattern), re.IGNORECASE)


# -- roles --------------------------------------------------------------------------------------

_ROLE_WORDS = {
    "owner": "owner",
    "coowner": "owner",
    "co-owner": "owner",
    "admin": "admin",
    "administrator": "admin",
    "member": "member",
}
_ROLE_NOISE_BEFORE = re.compile(
    r"^(?:(?:to\s+be|be|to|as|an?|the|team|regular|normal|plain|ordinary|full|standard|basic"
    r"|new)\s+)+",
    re.IGNORECASE,
)
_ROLE_NOISE_AFTER = re.compile(
    r"(?:\s+(?:role|rights|permissions|privileges|access|level|instead|now|again|too|as\s+well))+$",
    re.IGNORECASE,
)


def read_role(text: str) -> str | None:
    """'an Admin', 'admins', 'to be an owner', 'the member role' → the role; anything else → None.

    Unknown words (maintainer, viewer, guest…) are not mapped to a near role: a wrong role is
    worse than a question."""
    cleaned = " ".join(text.replace("’", "'").strip(" .,!?'\"").split())
    cleaned = _ROLE_NOISE_BEFORE.sub("", cleaned)
    cleaned = _ROLE_NOISE_AFTER.sub("", cleaned).casefold()
    if cleaned.endswith("s") and cleaned[:-1] in _ROLE_WORDS:
        cleaned = cleaned[:-1]  # plural: "as admins"
    return _ROLE_WORDS.get(cleaned)


# -- resource kinds -------------------------------------------------------------------------------


def read_kind(text: str) -> str | None:
    """'skills', 'Context-File', 'tool policy', 'policy' → the resource kind."""
    word = re.sub(r"[\s-]+", " ", text.strip().casefold())
    if word.startswith("skill"):
        return "skill"
    if word.startswith("agent"):
        return "agent"
    if word.startswith("context"):
        return "context_file"
    if "polic" in word:
        return "tool_policy"  # the only policies the product has are tool policies
    return None


# -- numbers and durations ----------------------------------------------------------------------

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fourteen": 14,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "sixty": 60,
    "ninety": 90,
    "hundred": 100,
}
NUMBER = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
FRAGMENTS["NUM"] = NUMBER

_DAYS_PER_UNIT = {
    "minute": 1 / 1440,
    "min": 1 / 1440,
    "hour": 1 / 24,
    "hr": 1 / 24,
    "h": 1 / 24,
    "day": 1,
    "d": 1,
    "week": 7,
    "w": 7,
    "month": 30,
    "year": 365,
    "y": 365,
}


def read_number(text: str) -> float | None:
    word = text.strip().casefold()
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    try:
        return float(word)
    except ValueError:
        return None


def to_days(amount: str, unit: str) -> float | None:
    number = read_number(amount)
    unit = unit.strip().casefold().rstrip("s") or "s"
    if number is None or unit not in _DAYS_PER_UNIT:
        return None
    return number * _DAYS_PER_UNIT[unit]


# -- conversational padding ---------------------------------------------------------------------

# Said before the command: dropped, repeatedly ("hey, could you please …").
LEADING_PADDING = re.compile(
    r"^(?:please|pls|plz|kindly|could\s+you|can\s+you|would\s+you|will\s+you|would\s+you\s+mind"
    r"|i'?d\s+like\s+(?:you\s+)?to|i\s+would\s+like\s+(?:you\s+)?to|i\s+want\s+(?:you\s+)?to"
    r"|i\s+need\s+(?:you\s+)?to|i\s+wanna|help\s+me|let'?s|go\s+ahead\s+and|hey|hi|hello"
    r"|ok|okay|now|then|and|also|just|quickly|admin\s+agent|agent|auxot)\b[\s,:;!-]*",
    re.IGNORECASE,
)
# Said after the command: dropped, with the punctuation around it. "Now" and "immediately"
# say when to act (on confirmation, always), not how: "rotate … now" keeps the default grace.
TRAILING_PADDING = re.compile(
    r"[\s,;:-]*\b(?:please|pls|plz|thanks|thank\s+you|thx|ty|cheers|for\s+me|if\s+you\s+can"
    r"|if\s+possible|asap|right\s+now|when\s+you\s+can|now|immediately|at\s+once|right\s+away"
    r"|too|as\s+well|also|while\s+you'?re\s+at\s+it)$",
    re.IGNORECASE,
)

# Words that start a command. Used to spot two commands run together ("… and remove Bob …").
COMMAND_VERBS = (
    "create",
    "make",
    "add",
    "invite",
    "remove",
    "delete",
    "archive",
    "rename",
    "change",
    "set",
    "promote",
    "demote",
    "revoke",
    "rotate",
    "resend",
    "cancel",
    "list",
    "show",
    "kick",
    "describe",
    "generate",
    "give",
    "grant",
    "leave",
    "withdraw",
    "update",
    "disband",
)
# In free text (descriptions, bodies) only the unmistakable ones count: "we set policy and make
# tools" is a description, "… and invite alice" is a second command.
STRONG_COMMAND_VERBS = (
    "create",
    "invite",
    "remove",
    "delete",
    "archive",
    "rename",
    "promote",
    "demote",
    "revoke",
    "rotate",
    "resend",
    "kick",
    "disband",
)
