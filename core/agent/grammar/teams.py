"""Teams themselves: create (with an optional description), rename, describe, delete."""

from __future__ import annotations

import re

from core.agent.grammar.common import Result, first, need, team_slot
from core.agent.intents import Intent
from core.agent.lexicon import rx, search
from core.agent.text import Sentence, Slot

_MAKE = (
    r"(?:create|make|add|set\s+up|setup|start|new|build|form|establish|open|spin\s+up|register"
    r"|found|launch)"
)
# "team" as the head of the object, not "team API key", "team member" or "team-scoped skill".
_TEAM_WORD = (
    r"team(?!\s+(?:(?:api[ -]?)?(?:keys?|tokens?)|members?|scoped|skills?|agents?)\b)(?![ -]scoped)"
)
_CLAIM_CREATE = search(rf"^{_MAKE}\s+{{ART}}?{{NEW}}?{_TEAM_WORD}\b")
_DESCRIPTION = search(
    r",?\s+(?:with\s+(?:the\s+|a\s+)?description(?:\s+of)?|with\s+(?:the\s+|a\s+)?(?:summary|purpose|blurb)"
    r"|described\s+as|whose\s+description\s+is|and\s+(?:the\s+|a\s+)?description(?:\s+is)?"
    r"|and\s+describe\s+it\s+as|description(?:\s+is|\s*:)|that\s+is\s+described\s+as)"
    r"\s*:?\s+(?P<text>.+)$"
)
_CREATE = [
    rx(rf"{_MAKE}\s+{{ART}}?{{NEW}}?team\s*:?\s+(?:{{CALLED}}\s*:?\s+)?(?P<name>.+)"),
    # "Create a Platform Engineering team" (not "add": "add Alice to the Security team").
    rx(
        r"(?:create|make|set\s+up|setup|start|build|form|establish|spin\s+up|launch|new)"
        r"\s+{ART}?{NEW}?(?P<name>.+?)\s+team"
    ),
]
# In the second form, a name holding these words is more likely another command.
_NOT_A_TEAM_NAME = search(
    r"\b(?:keys?|tokens?|skills?|agents?|polic(?:y|ies)|context|to|from|into|as|in|of|for|on|with"
    r"|by)\b|@"
)

# "Create a team called Growth with description": the description itself is missing.
_DANGLING_DESCRIPTION = search(
    r"\s+(?:with\s+(?:the\s+|a\s+)?description|described\s+as|and\s+describe\s+it\s+as)$"
)
_ARTICLES = frozenset({"a", "an", "the", "new", "another", "our", "my"})
_RENAME_CLAIM = search(
    r"^(?:rename|retitle|re-name)\b|^(?:change|update|set|edit|modify)\b.*\bname\b"
)
_RENAME = [
    rx(r"(?:rename|retitle|re-name)\s+(?P<team>.+?)\s+(?:to|as|into)\s+(?P<name>.+)"),
    rx(
        r"(?:change|update|set|edit|modify)\s+(?:the\s+)?(?:team\s+)?name\s+(?:of|for|on)"
        r"\s+(?P<team>.+?)\s+(?:to|as|into)\s+(?P<name>.+)"
    ),
    rx(
        r"(?:change|update|set|edit|modify)\s+(?P<team>.+?)(?:'s|')?\s+(?:team\s+)?name"
        r"\s+(?:to|as|into)\s+(?P<name>.+)"
    ),
]
_RENAME_NO_NAME = rx(r"(?:rename|retitle|re-name)\s+(?P<team>.+)")

_DESCRIBE_CLAIM = search(
    r"^(?:describe|re-describe)\b|^(?:set|change|update|edit|modify|make|give|write|clear|remove"
    r"|delete|empty|erase|wipe|reset|blank)\b.*\bdescription\b"
)
_DESCRIBE = [
    rx(
        r"(?:set|change|update|edit|modify|make|write)\s+(?:the\s+)?(?:team\s+)?description\s+"
        r"(?:of|for|on)\s+(?P<team>.+?)\s+(?:to|as|to\s+be|to\s+read)\s*:?\s+(?P<text>.+)"
    ),
    rx(
        r"(?:set|change|update|edit|modify)\s+(?P<team>.+?)(?:'s|')?\s+(?:team\s+)?description"
        r"\s+(?:to|as|to\s+be|to\s+read)\s*:?\s+(?P<text>.+)"
    ),
    rx(r"describe\s+(?P<team>.+?)\s+(?:as|with|to\s+be|like\s+this)\s*:?\s+(?P<text>.+)"),
    rx(r"describe\s+(?P<team>[^:]+?)\s*:\s*(?P<text>.+)"),
    rx(r"give\s+(?P<team>.+?)\s+(?:the|a)\s+(?:new\s+)?description\s*:?\s+(?P<text>.+)"),
]
_CLEAR = [
    rx(
        r"(?:clear|remove|delete|empty|erase|wipe|reset|blank)\s+(?:out\s+)?(?:the\s+)?description"
        r"\s+(?:of|for|from|on)\s+(?P<team>.+)"
    ),
    rx(
        r"(?:clear|remove|delete|empty|erase|wipe|reset|blank)\s+(?P<team>.+?)(?:'s|')?\s+description"
    ),
]

_ARCHIVE_CLAIM = search(
    r"^(?:delete|archive|disband|close|destroy|retire|shut\s+down|get\s+rid\s+of|dissolve"
    r"|drop|remove)\b"
)
_ARCHIVE = [
    rx(
        r"(?:delete|archive|disband|close|destroy|retire|shut\s+down|get\s+rid\s+of|dissolve|drop)"
        r"\s+(?P<team>.+?)(?:\s+(?:for\s+good|permanently|now))?"
    ),
    # "remove" alone could be about a person: only with the word team.
    rx(r"remove\s+(?P<team>(?:(?:the|a|our)\s+)?(?:team\s+.+|.+\s+team))"),
]


def parse_create_team(s: Sentence) -> Result:
    text, description, quoted = s.text, "", False
    claimed = _CLAIM_CREATE.search(text) is not None
    if (d := _DESCRIPTION.search(text)) is not None and (
        claimed or _CREATE[1].match(text[: d.start()])
    ):
        text = text[: d.start()]
        slot = s.slot(d.group("text"))
        if slot is not None:
            description, quoted = (slot.text, True) if slot.quoted else (slot.raw, False)
    m = first(_CREATE if claimed else _CREATE[1:], text)
    if m is None or (not claimed and _NOT_A_TEAM_NAME.search(s.restore(m.group("name")))):
        return need("create_team", name=None) if claimed else None
    if m.group("name").strip().casefold() in _ARTICLES:
        return need("create_team", name=None)  # "Create a team": "a" is not its name
    if _DANGLING_DESCRIPTION.search(m.group("name")):
        return need("create_team", text=None)
    name = _team_name(s, m.group("name"))
    return need("create_team", name=name) or Intent(
        "create_team",
        name=name,
        text=description,
        free_slots=(description,) if description and not quoted else (),
    )


def _team_name(s: Sentence, fragment: str) -> Slot | None:
    # "Create a team called the Avengers" keeps "the"; "create team X team" does not happen.
    return s.slot(re.sub(r"^(?:called|named)\s+", "", fragment.strip(), flags=re.IGNORECASE))


def parse_settings(s: Sentence) -> Result:
    if _DESCRIBE_CLAIM.search(s.text):
        if (m := first(_CLEAR, s.text)) is not None:
            team = team_slot(s, m.group("team"))
            return need("describe_team", team=team) or Intent("describe_team", team=team, text="")
        if (m := first(_DESCRIBE, s.text)) is not None:
            team = team_slot(s, m.group("team"))
            slot = s.slot(m.group("text"))
            text = "" if slot is None else (slot.text if slot.quoted else slot.raw)
            return need("describe_team", team=team, text=text) or Intent(
                "describe_team",
                team=team,
                text=text,
                free_slots=(text,) if slot is not None and not slot.quoted else (),
            )
        if (m := re.match(r"^describe\s+(?P<team>.+)$", s.text, re.IGNORECASE)) is not None:
            return need("describe_team", team=team_slot(s, m.group("team")), text=None)
        if re.match(r"^describe\b", s.text, re.IGNORECASE):
            return need("describe_team", team=None)
        if "role" not in s.text.casefold():
            return need("describe_team", team=None, text=None)
    if _RENAME_CLAIM.search(s.text) and "role" not in s.text.casefold():
        if (m := first(_RENAME, s.text)) is not None:
            team = team_slot(s, m.group("team"))
            name = s.slot(m.group("name"))
            return need("rename_team", team=team, name=name) or Intent(
                "rename_team", team=team, name=name
            )
        m2 = _RENAME_NO_NAME.match(s.text)
        if m2 is not None or re.match(r"^(?:rename|retitle|re-name)\b", s.text, re.IGNORECASE):
            team = team_slot(s, m2.group("team")) if m2 else None
            return need("rename_team", team=team, name=None)
    return None


def parse_archive(s: Sentence) -> Result:
    if not _ARCHIVE_CLAIM.search(s.text):
        return None
    m = first(_ARCHIVE, s.text)
    if m is None:
        return None  # "remove Bob": for the member rules to explain
    team = team_slot(s, m.group("team"))
    return need("archive_team", team=team) or Intent("archive_team", team=team)
