"""Questions and listings: teams, and a team's members, keys, invitations and resources."""

from __future__ import annotations

import re

from core.agent.grammar.common import Result, first, group, need, team_slot
from core.agent.intents import Intent, missing
from core.agent.lexicon import read_kind, rx, search
from core.agent.text import Sentence

_SHOW = (
    r"(?:list|show|display|view|see|print|fetch|get|give\s+me|tell\s+me|what\s+are|what's|whats"
    r"|which\s+are|who\s+are)(?:\s+me)?(?:\s+(?:all(?:\s+of)?|every|a\s+list\s+of|the\s+list\s+of))*"
)
_TRIGGER = search(
    rf"^(?:{_SHOW}|who|who's|whos|what|which|how\s+many|teams?$|my\s+teams$|all\s+teams$)\b"
)
_NOT_A_LIST = search(r"^get\s+rid\b|^(?:give|get)\s+\S+\s+(?:access|the|an?)\b")

_OF = r"(?:of|for|in|on|from|belonging\s+to|owned\s+by|within|inside)"
_MEMBERS = r"(?:members|membership|member\s+list|people|users|everyone|everybody|roster)"
_KEYS = r"(?:(?:api|team)\s+)?(?:keys|tokens)"
_INVITES = r"(?:(?:pending|open|outstanding|sent|unanswered)\s+)?(?:invitations|invites)"
_RESOURCES = (
    r"(?P<kind>resources|skills|agents|context[ -]?files|context[ -]?docs|tools?[ -]?policies"
    r"|policies)"
)

_TEAMS = [
    rx(
        rf"{_SHOW}(?:\s+(?:the|my|our|all|every))*\s+teams?"
        r"(?:\s+(?:I|you|we)\s+(?:can\s+see|am\s+in|are\s+in|belong\s+to|have|manage|administer))?"
        r"(?:\s+(?:in|of|on)\s+(?:the|this|our)\s+workspace)?(?:\s+(?:there\s+are|that\s+exist|here))?"
    ),
    rx(
        r"(?:what|which)\s+teams\s+(?:are\s+there|exist|do\s+(?:we|I)\s+have"
        r"|do\s+I\s+(?:belong\s+to|see|manage|have\s+access\s+to)"
        r"|am\s+I\s+(?:in|on|a\s+member\s+of|part\s+of)|can\s+I\s+see|are\s+in\s+the\s+workspace)"
    ),
    rx(r"how\s+many\s+teams\s+(?:are\s+there|do\s+we\s+have|exist)"),
    rx(r"(?:all\s+|my\s+)?teams"),
]
_TEAMS_QUERY = rx(
    rf"{_SHOW}(?:\s+(?:the|my|our|all))*\s+teams\s+(?:matching|named|called|containing|with|like"
    r"|whose\s+names?\s+contains?|with\s+names?\s+containing)\s+(?P<query>.+)"
)

_MEMBER_RULES = [
    rx(rf"{_SHOW}\s+(?:the\s+)?{_MEMBERS}\s+{_OF}\s+(?P<team>.+)"),
    rx(rf"{_SHOW}\s+(?P<team>.+?)(?:'s|')\s+{_MEMBERS}"),
    rx(rf"{_SHOW}\s+(?P<team>.+?)\s+(?:members|membership|member\s+list|roster)"),
    rx(
        r"(?:who|who's|whos)\s+(?:is\s+|are\s+)?(?:all\s+)?(?:in|on|inside|part\s+of|a\s+member\s+of"
        r"|members\s+of|the\s+members\s+of|belongs\s+to|working\s+in)\s+(?P<team>.+)"
    ),
    rx(r"who\s+(?:belongs\s+to|works\s+in|is\s+on)\s+(?P<team>.+)"),
    rx(r"how\s+many\s+(?:members|people|users)\s+(?:are\s+)?(?:in|on)\s+(?P<team>.+)"),
    rx(r"how\s+many\s+(?:members|people|users)\s+does\s+(?P<team>.+?)\s+have"),
]
_KEY_RULES = [
    rx(rf"{_SHOW}\s+(?:the\s+)?{_KEYS}\s+{_OF}\s+(?P<team>.+)"),
    rx(rf"{_SHOW}\s+(?P<team>.+?)(?:'s|')\s+{_KEYS}"),
    rx(rf"{_SHOW}\s+(?P<team>.+?)\s+{_KEYS}"),
    rx(rf"(?:what|which)\s+{_KEYS}\s+(?:does|do)\s+(?P<team>.+?)\s+have"),
    rx(rf"(?:what|which)\s+{_KEYS}\s+(?:are\s+there\s+|exist\s+)?{_OF}\s+(?P<team>.+)"),
]
_INVITE_RULES = [
    rx(rf"{_SHOW}\s+(?:the\s+)?{_INVITES}\s+(?:{_OF}|to)\s+(?P<team>.+)"),
    rx(rf"{_SHOW}\s+(?P<team>.+?)(?:'s|')\s+{_INVITES}"),
    rx(rf"{_SHOW}\s+(?P<team>.+?)\s+{_INVITES}"),
    rx(
        r"who\s+(?:has\s+been|have\s+been|is|was|got|are)\s+(?:already\s+)?invited\s+(?:to|into)"
        r"\s+(?P<team>.+?)(?:\s+(?:so\s+far|yet|already))?"
    ),
    rx(r"(?:which|what)\s+invitations\s+are\s+(?:pending|open)\s+(?:for|in|on|to)\s+(?P<team>.+)"),
]
_RESOURCE_RULES = [
    rx(rf"{_SHOW}\s+(?:the\s+)?{_RESOURCES}\s+(?:{_OF}|scoped\s+to)\s+(?P<team>.+)"),
    rx(rf"{_SHOW}\s+(?P<team>.+?)(?:'s|')\s+{_RESOURCES}"),
    rx(rf"(?:what|which)\s+{_RESOURCES}\s+(?:does|do)\s+(?P<team>.+?)\s+have"),
    rx(rf"{_SHOW}\s+(?:the\s+)?{_RESOURCES}"),
]
# "List members" with no team: understood, but incomplete.
_NO_TEAM = rx(
    rf"{_SHOW}\s+(?:the\s+)?(?P<what>{_MEMBERS}|{_KEYS}|{_INVITES})|who\s+is\s+(?:a\s+)?member"
    r"|who\s+(?:has\s+been|was)\s+invited"
)


def parse_listing(s: Sentence) -> Result:
    text = s.text
    if not _TRIGGER.search(text) or _NOT_A_LIST.search(text):
        return None
    if (m := _TEAMS_QUERY.match(text)) is not None:
        return Intent("list_teams", query=s.restore(m.group("query")).strip())
    if first(_TEAMS, text) is not None:
        return Intent("list_teams")
    for action, rules in (
        ("list_members", _MEMBER_RULES),
        ("list_keys", _KEY_RULES),
        ("list_invitations", _INVITE_RULES),
        ("list_resources", _RESOURCE_RULES),
    ):
        if (m := first(rules, text)) is None:
            continue
        kind_text = group(m, "kind")
        kind = read_kind(kind_text) if kind_text else None
        team = team_slot(s, group(m, "team"))
        if action == "list_resources" and group(m, "team") is None:
            return Intent(action, kind=kind)  # everything the actor may see
        return need(action, team=team) or Intent(action, team=team, kind=kind)
    if (m := _NO_TEAM.match(text)) is not None:
        what = (group(m, "what") or "members").casefold()
        action = (
            "list_keys"
            if re.search(r"keys|tokens", what)
            else ("list_invitations" if "invit" in what else "list_members")
        )
        return missing(action, "team", "say which team, for example 'of the Security team'")
    return missing(
        "list",
        "what",
        "ask for the teams, or the members, keys, invitations or resources of a team",
    )
