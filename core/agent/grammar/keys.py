"""Team API keys: create (with an optional expiry), revoke, rotate (with a grace period)."""

from __future__ import annotations

from core.agent.grammar.common import Result, first, need, team_slot
from core.agent.intents import Failure, Intent
from core.agent.lexicon import Rule, rx, search, to_days
from core.agent.text import Sentence

_MAKE = r"(?:create|make|add|generate|issue|mint|new|set\s+up|setup|get|provision|give\s+me)"
_REVOKE = r"(?:revoke|disable|deactivate|kill|invalidate|delete|remove|destroy|cancel|expire|drop)"
_ROTATE = r"(?:rotate|roll|re-?generate|cycle|renew|refresh|replace|re-?issue|re-?roll)"
_FOR = r"(?:for|in|on|to|of|scoped\s+to|belonging\s+to|owned\s+by|within|under)"
_OF = r"(?:of|for|from|in|on|belonging\s+to|owned\s+by|within)"
# The key word must come before any preposition, so "add bob to the Key Management team" is
# not read as a key.
_BEFORE_KEY = r"(?:(?!(?:to|for|in|into|of|on|from|as)\b)\S+\s+){0,6}?{KEY}\b"
_CLAIM_MAKE = search(rf"^{_MAKE}\s+{_BEFORE_KEY}")
_CLAIM_REVOKE = search(rf"^{_REVOKE}\s+{_BEFORE_KEY}")
_CLAIM_ROTATE = search(rf"^{_ROTATE}\s+{_BEFORE_KEY}")

# A team's name in front of the key word is not "an", "API" or "new" ("Create an API key …").
_NOT_ARTICLE = r"(?!(?:api|team|service|new|an?|the|our|my|another)\b)"
_UNITS = r"(?:days?|weeks?|months?|years?|d|w|y)"
_UNTIL = r"(?=$|,|\s+(?:for|in|on|to|of|called|named|scoped)\b)"
_EXPIRY = [
    search(
        r",?\s+(?:(?:that|which)\s+)?(?:expir(?:ing|es|e)|valid|lasting|lasts|good|active|runs\s+out)"
        rf"\s+(?:in|for|after|within)\s+(?:(?:the\s+)?next\s+)?(?P<n>{{NUM}})\s+(?P<unit>{_UNITS}){_UNTIL}"
    ),
    search(
        r",?\s+with\s+(?:an?\s+)?(?:expiry|expiration|expiry\s+date|lifetime|ttl)\s+(?:of\s+)?"
        rf"(?P<n>{{NUM}})\s+(?P<unit>{_UNITS}){_UNTIL}"
    ),
    search(rf",?\s+(?:valid\s+)?for\s+(?P<n>{{NUM}})\s+(?P<unit>{_UNITS})$"),
    search(r"\b(?P<n>\d+|{NUM})[ -](?P<unit>day|week|month|year)s?\s+(?={KEY}\b)"),
]
_NEVER_EXPIRES = search(
    r",?\s+(?:(?:that|which)\s+)?(?:never\s+expires?|with(?:out)?\s+(?:no\s+)?expir(?:y|ation)"
    rf"|(?:and\s+|with\s+)?no\s+expiry){_UNTIL}"
)

_HOURS = r"(?:hours?|hrs?|h|days?|d|minutes?|mins?)"
# "Rotate it now" is about when to act, not about the old key: only explicit words end the
# old key at once; otherwise core's default grace period applies.
_GRACE_ZERO = search(
    r",?\s+(?:(?:with\s+)?(?:no|zero|0)\s+grace(?:\s+period)?"
    r"|(?:and\s+)?(?:revoke|end|kill|stop|disable|expire)\s+the\s+old\s+(?:one|key)"
    r"(?:\s+(?:now|immediately|at\s+once|right\s+away))?"
    r"|without\s+(?:a\s+|any\s+)?grace(?:\s+period)?)$"
)
_GRACE = [
    search(
        rf",?\s+with\s+(?:an?\s+)?(?P<n>{{NUM}})[ -]?(?P<unit>{_HOURS})\s+(?:of\s+)?grace(?:\s+period)?$"
    ),
    search(
        rf",?\s+with\s+(?:an?\s+)?grace(?:\s+period)?\s+of\s+(?P<n>{{NUM}})\s+(?P<unit>{_HOURS})$"
    ),
    search(
        r",?\s+(?:and\s+)?(?:keep|keeping|leave|leaving|let)\s+the\s+old\s+(?:one|key)\s+"
        rf"(?:(?:working|alive|valid|active|live)\s+)?for\s+(?:another\s+)?(?P<n>{{NUM}})\s+(?P<unit>{_HOURS})$"
    ),
    search(
        rf",?\s+(?:giving|allowing)\s+(?:an?\s+)?(?P<n>{{NUM}})[ -]?(?P<unit>{_HOURS})"
        r"(?:\s+(?:of\s+)?grace(?:\s+period)?)?$"
    ),
]

_CREATE = [
    rx(rf"{_MAKE}\s+{{ART}}?{{NEW}}?{{KEY}}\s+{_FOR}\s+(?P<team>.+?)\s+{{CALLED}}\s+(?P<name>.+)"),
    rx(rf"{_MAKE}\s+{{ART}}?{{NEW}}?{{KEY}}\s+{_FOR}\s+(?P<team>.+?)\s+(?P<name>{{Q}})"),
    rx(
        rf"{_MAKE}\s+{{ART}}?{{NEW}}?{{KEY}}\s+(?:{{CALLED}}\s+)?"
        rf"(?P<name>(?!(?:for|in|on|to|of)\b).+?){{NOT_HALF}}\s+{_FOR}\s+(?P<team>.+)"
    ),
    rx(
        rf"{_MAKE}\s+{{ART}}?{{NEW}}?(?P<team>{_NOT_ARTICLE}.+?)(?:'s|')?\s+{{KEY}}"
        rf"\s+(?:{{CALLED}}\s+)?(?P<name>(?!(?:for|in|on|to|of)\b).+)"
    ),
]
_CREATE_NO_NAME = rx(
    rf"{_MAKE}\s+{{ART}}?{{NEW}}?(?:(?P<team>{_NOT_ARTICLE}.+?)\s+)?{{KEY}}(?:\s+{_FOR}\s+(?P<team2>.+))?"
)


def _existing(verb: str) -> list[Rule]:
    return [
        rx(rf"{verb}\s+{{ART}}?{{KEY}}\s+(?:{{CALLED}}\s+)?(?P<key>.+?)\s+{_OF}\s+(?P<team>.+)"),
        rx(rf"{verb}\s+{{ART}}?(?P<key>.+?)\s+{{KEY}}\s+{_OF}\s+(?P<team>.+)"),
        rx(rf"{verb}\s+(?P<team>.+?)(?:'s|')\s+(?P<key>.+?)\s+{{KEY}}"),
        rx(rf"{verb}\s+(?P<team>.+?)(?:'s|')\s+{{KEY}}\s+(?:{{CALLED}}\s+)?(?P<key>.+)"),
        rx(rf"{verb}\s+{{ART}}?(?P<team>.+?)\s+team\s+{{KEY}}\s+(?:{{CALLED}}\s+)?(?P<key>.+)"),
    ]


_BARE_ROTATE = rx(rf"{_ROTATE}(?:\s+(?:it|them|the\s+keys?|a\s+key|keys?))?")
_REVOKE_RULES = _existing(_REVOKE)
_ROTATE_RULES = _existing(_ROTATE)
_NO_TEAM = [
    rx(rf"(?:{_REVOKE}|{_ROTATE})\s+{{ART}}?{{KEY}}(?:\s+(?:{{CALLED}}\s+)?(?P<key>.+))?"),
    rx(rf"(?:{_REVOKE}|{_ROTATE})\s+{{ART}}?(?P<key>.+?)\s+{{KEY}}"),
]


def parse_keys(s: Sentence) -> Result:
    if _BARE_ROTATE.match(s.text):
        return need("rotate_key", key=None)
    if _CLAIM_MAKE.search(s.text):
        return _create(s)
    if _CLAIM_ROTATE.search(s.text):
        return _existing_key(s, "rotate_key", _ROTATE_RULES)
    if _CLAIM_REVOKE.search(s.text):
        return _existing_key(s, "revoke_key", _REVOKE_RULES)
    return None


def _create(s: Sentence) -> Result:
    text, days, failure = _take_expiry(s.text)
    if failure is not None:
        return failure
    m = first(_CREATE, text)
    if m is None:
        m2 = _CREATE_NO_NAME.match(text)
        team = team_slot(s, (m2.group("team2") or m2.group("team")) if m2 else None)
        return need("create_key", team=team, name=None)
    team = team_slot(s, m.group("team"))
    name = s.slot(m.group("name"))
    return need("create_key", team=team, name=name) or Intent(
        "create_key", team=team, name=name, days=days
    )


def _take_expiry(text: str) -> tuple[str, float | None, Failure | None]:
    if (never := _NEVER_EXPIRES.search(text)) is not None:
        return text[: never.start()] + text[never.end() :], None, None
    for pattern in _EXPIRY:
        if (m := pattern.search(text)) is not None:
            days = to_days(m.group("n"), m.group("unit"))
            if days is None:
                break
            return " ".join((text[: m.start()] + " " + text[m.end() :]).split()), days, None
    return " ".join(text.split()), None, None


def _existing_key(s: Sentence, action: str, rules: list[Rule]) -> Result:
    text, grace = s.text, None
    if action == "rotate_key":
        text, grace = _take_grace(text)
    m = first(rules, text.strip())
    if m is None:
        m2 = first(_NO_TEAM, text.strip())
        key = s.slot(m2.group("key")) if m2 is not None and m2.group("key") else None
        return need(action, key=key, team=None)
    team = team_slot(s, m.group("team"))
    key = s.slot(m.group("key"))
    return need(action, key=key, team=team) or Intent(action, team=team, key=key, grace_hours=grace)


def _take_grace(text: str) -> tuple[str, float | None]:
    if (zero := _GRACE_ZERO.search(text)) is not None:
        return text[: zero.start()], 0.0
    for pattern in _GRACE:
        if (m := pattern.search(text)) is not None:
            days = to_days(m.group("n"), m.group("unit"))
            if days is not None:
                return text[: m.start()], round(days * 24, 4)
    return text, None
