"""People in teams: invite or add, change a role, remove, leave."""

from __future__ import annotations

import re
from dataclasses import replace

from core.agent.grammar.common import Result, first, group, need, people_slots, role_of, team_slot
from core.agent.intents import Failure, Intent
from core.agent.lexicon import ROLE_CORE, rx, search
from core.agent.text import Sentence

# -- invite and add ---------------------------------------------------------------------------

_INVITE = r"(?:invite|add|bring|onboard|put|enroll|enrol|include|sign\s+up|register|welcome)"
_ROLE_CLAUSE = (
    r"(?:as|with\s+(?:the\s+)?(?:role|rights|permissions|access)(?:\s+of)?|with|in\s+the\s+role\s+of"
    r"|to\s+be|and\s+make\s+(?:them|him|her|it|both|all)|and\s+give\s+(?:them|him|her|both|all)"
    r"|giving\s+(?:them|him|her))"
)
_INV_NOUN = r"(?:an?\s+|the\s+)?(?:invite|invitation|invitation\s+link)s?"
_INVITE_CLAIM = search(
    r"^(?:send|email|mail|get|give)\b(?:\s+out)?.*\b(?:invite|invitation)s?\b|"
    rf"^{_INVITE}\b|^give\s+.+\s+access\s+to\b|^(?:in|on|for)\s+.+?,\s*(?:invite|add)\b"
)
_INVITE_RULES = [
    # The role before the team first: "add Bob as an admin to …".
    rx(
        rf"{_INVITE}\s+(?P<people>.+?)\s+as\s+(?P<role>{{ROLE}})\s+(?:to|in|into|on|of|for)\s+(?P<team>.+)"
    ),
    rx(
        rf"{_INVITE}\s+(?P<people>.+?)\s+(?:to|into|onto|in|on)\s+(?:join\s+)?(?P<team>.+?)"
        rf"(?:,?\s+{_ROLE_CLAUSE}\s+(?P<role>.+))?"
    ),
    rx(
        r"give\s+(?P<people>.+?)\s+(?:(?P<role>{ROLE})\s+)?access\s+to\s+(?P<team>.+?)"
        r"(?:\s+as\s+(?P<role2>.+))?"
    ),
    rx(
        rf"(?:send|email|mail)(?:\s+out)?\s+{_INV_NOUN}\s+(?:to|for)\s+(?P<people>.+?)\s+"
        rf"(?:to\s+join|for|to|into|in|on)\s+(?P<team>.+?)(?:,?\s+{_ROLE_CLAUSE}\s+(?P<role>.+))?"
    ),
    rx(
        rf"(?:send|email|mail|get|give)\s+(?P<people>.+?)\s+{_INV_NOUN}\s+"
        rf"(?:to\s+join|to|for|into|in|on)\s+(?P<team>.+?)(?:,?\s+{_ROLE_CLAUSE}\s+(?P<role>.+))?"
    ),
    # (The people stop before " as …" in either reading: "In T, invite X as an admin".)
    rx(
        rf"(?:in|on|for)\s+(?P<team>.+?),\s*(?:invite|add)\s+(?P<people>(?:(?!\s+as\s).)+?)"
        rf"(?:\s+{_ROLE_CLAUSE}\s+(?P<role>.+))?"
    ),
]
_INVITE_NO_TEAM = rx(rf"{_INVITE}\s+(?P<people>.+?)(?:\s+{_ROLE_CLAUSE}\s+(?P<role>.+))?")
_INVITE_NO_PEOPLE = rx(rf"{_INVITE}\s+(?:to|into)\s+(?P<team>.+)")


def parse_invite(s: Sentence) -> Result:
    if not _INVITE_CLAIM.search(s.text):
        return None
    m = first(_INVITE_RULES, s.text)
    if m is None:
        if _INVITE_NO_PEOPLE.match(s.text) or re.fullmatch(_INVITE, s.text, re.IGNORECASE):
            return need("invite", person=None)
        m2 = _INVITE_NO_TEAM.match(s.text)
        if m2 is not None:
            _, failure = role_of(s, "invite", m2.group("role"))
            return failure or need("invite", team=None, person=people_slots(s, m2.group("people")))
        return need("invite", team=None)
    role_text = group(m, "role") or group(m, "role2")
    role, failure = role_of(s, "invite", role_text)
    if failure is not None:
        return failure
    people = people_slots(s, m.group("people"))
    team = team_slot(s, m.group("team"))
    return need("invite", person=people, team=team) or Intent(
        "invite",
        team=team,
        people=people,
        role=role or "member",  # the role of `members add` when none is written
    )


# -- roles ------------------------------------------------------------------------------------

_CHANGE = r"(?:change|set|update|switch|modify|edit|alter)"
_MOVE = r"(?:promote|demote|upgrade|downgrade|move|switch|change|set|turn)"
_IN = r"(?:in|on|for|within|at|of|inside)"
_ROLE_NOUN = r"(?:role|permissions?|access\s+level|access|rights|level)"
_ROLE_CLAIM = search(
    rf"^(?=.*\b(?:{ROLE_CORE}|role|promote|demote|upgrade|downgrade)\b)"
    rf"(?:{_CHANGE}|make|promote|demote|upgrade|downgrade|give|grant|assign|move|turn)\b"
    r"|\bshould\s+(?:now\s+)?be\b|^(?:in|on|for)\s+.+?,\s*(?:make|set|change|promote|demote)\b"
    # "make Bob a wizard in Security": a role change with a word that is not a role.
    r"|^make\s+\S.*?\s+(?:an?|the)\s+\S+(?:\s+\S+)?\s+(?:of|in|on|for|at|within|inside)\s+\S"
)
_ROLE_RULES = [
    rx(
        rf"{_CHANGE}\s+(?P<person>.+?)(?:'s|')\s+(?:team\s+)?{_ROLE_NOUN}\s+{_IN}\s+(?P<team>.+?)"
        r"\s+(?:to|into|as)\s+(?P<role>.+)"
    ),
    rx(
        rf"{_CHANGE}\s+(?P<person>.+?)(?:'s|')\s+(?:team\s+)?{_ROLE_NOUN}\s+(?:to|into|as)"
        rf"\s+(?P<role>{{ROLE}})\s+{_IN}\s+(?P<team>.+)"
    ),
    rx(
        rf"{_CHANGE}\s+(?:the\s+)?{_ROLE_NOUN}\s+(?:of|for)\s+(?P<person>.+?)\s+{_IN}\s+(?P<team>.+?)"
        r"\s+(?:to|into|as)\s+(?P<role>.+)"
    ),
    rx(
        rf"{_CHANGE}\s+(?:the\s+)?{_ROLE_NOUN}\s+(?:of|for)\s+(?P<person>.+?)\s+(?:to|into|as)"
        rf"\s+(?P<role>{{ROLE}})\s+{_IN}\s+(?P<team>.+)"
    ),
    rx(
        r"(?:make|set)\s+(?P<person>.+?)\s+(?:to\s+|as\s+)?(?:be\s+)?(?P<role>{ROLE})\s+"
        rf"{_IN}\s+(?P<team>.+)"
    ),
    rx(
        r"(?:in|on|for)\s+(?P<team>.+?),\s*(?:make|set)\s+(?P<person>.+?)\s+(?:to\s+)?(?:be\s+)?"
        r"(?P<role>{ROLE})"
    ),
    rx(
        rf"(?:in|on|for)\s+(?P<team>.+?),\s*(?:{_MOVE})\s+(?P<person>.+?)(?:'s|')?"
        rf"(?:\s+{_ROLE_NOUN})?\s+(?:to|into)\s+(?P<role>.+)"
    ),
    rx(
        rf"{_MOVE}\s+(?P<person>.+?)\s+(?:to|into)\s+(?:the\s+)?(?:{_ROLE_NOUN}\s+of\s+)?"
        rf"(?P<role>{{ROLE}})\s+{_IN}\s+(?P<team>.+)"
    ),
    rx(
        rf"{_MOVE}\s+(?P<person>.+?)\s+(?:in|on|within|at|inside)\s+(?P<team>.+?)\s+(?:to|into)"
        rf"\s+(?:the\s+)?(?:{_ROLE_NOUN}\s+of\s+)?(?P<role>.+)"
    ),
    rx(
        rf"(?:give|grant|assign)\s+(?P<person>.+?)\s+(?:the\s+)?(?P<role>{{ROLE}})\s+"
        rf"(?:role|rights|permissions|privileges|status)\s+{_IN}\s+(?P<team>.+)"
    ),
    rx(
        rf"(?:give|grant|assign)\s+(?:the\s+)?(?P<role>{{ROLE}})\s+(?:role\s+)?to\s+(?P<person>.+?)"
        rf"\s+{_IN}\s+(?P<team>.+)"
    ),
    rx(
        r"(?P<person>.+?)\s+should\s+(?:now\s+)?be\s+(?P<role>{ROLE})\s+"
        rf"{_IN}\s+(?P<team>.+)"
    ),
]
# A role written with words that are not a role: "make Bob a wizard in Security".
_UNKNOWN_ROLE = [
    rx(
        rf"(?:make|set)\s+(?P<person>.+?)\s+(?:an?|the)\s+(?P<role>\S+(?:\s+\S+)?)\s+{_IN}\s+(?P<team>.+)"
    ),
]
_NO_ROLE = [
    rx(rf"{_CHANGE}\s+(?P<person>.+?)(?:'s|')\s+(?:team\s+)?{_ROLE_NOUN}\s+{_IN}\s+(?P<team>.+)"),
    rx(
        rf"{_CHANGE}\s+(?:the\s+)?{_ROLE_NOUN}\s+(?:of|for)\s+(?P<person>.+?)\s+{_IN}\s+(?P<team>.+)"
    ),
    rx(
        r"(?:promote|demote|upgrade|downgrade)\s+(?P<person>.+?)\s+(?:in|on|within|at|of)\s+(?P<team>.+)"
    ),
]
_NO_TEAM = [
    rx(r"(?:make|set)\s+(?P<person>.+?)\s+(?:to\s+)?(?:be\s+)?(?P<role>{ROLE})"),
    rx(rf"{_MOVE}\s+(?P<person>.+?)\s+(?:to|into)\s+(?P<role>{{ROLE}})"),
    rx(
        rf"{_CHANGE}\s+(?P<person>.+?)(?:'s|')\s+(?:team\s+)?{_ROLE_NOUN}\s+(?:to|into|as)\s+(?P<role>.+)"
    ),
    rx(r"(?:promote|demote|upgrade|downgrade)\s+(?P<person>.+)"),
]
# "Make Bob an admin of Security": said of someone not in Security yet, it adds them.
_JOINS = search(r"(?:^|[,:;]\s*)make\b")
_GIVE_ACCESS = search(r"^give\s+.+\s+access\s+to\b")


def parse_role(s: Sentence) -> Result:
    if not _ROLE_CLAIM.search(s.text) or _GIVE_ACCESS.search(s.text):
        return None
    m = first(_ROLE_RULES, s.text)
    if m is not None:
        role, failure = role_of(s, "change_role", m.group("role"))
        if failure is not None:
            return failure
        intent = _one_person(s, "change_role", m.group("person"), m.group("team"), role)
        if isinstance(intent, Intent) and _JOINS.search(s.text):
            return replace(intent, joins=True)
        return intent
    if (m := first(_UNKNOWN_ROLE, s.text)) is not None:
        _, failure = role_of(s, "change_role", m.group("role"))
        return failure
    if (m := first(_NO_ROLE, s.text)) is not None:
        return need("change_role", role=None)
    if (m := first(_NO_TEAM, s.text)) is not None:
        _, failure = role_of(s, "change_role", group(m, "role"))
        return failure or need("change_role", team=None)
    if re.match(r"^(?:promote|demote|upgrade|downgrade)\b", s.text, re.IGNORECASE):
        return need("change_role", person=None)
    return None


# -- remove and leave -------------------------------------------------------------------------

_REMOVE = r"(?:remove|kick|drop|delete|boot|expel|eject|evict|unassign)"
_REMOVE_CLAIM = search(
    r"^(?:remove|kick|drop|delete|boot|expel|eject|evict|unassign|take|throw|pull|revoke|end"
    r"|cancel|terminate|leave|quit|exit)\b"
)
_LEAVE = [
    rx(r"(?:leave|quit|exit)(?:\s+(?P<team>.+))?"),
    rx(r"(?:remove|take)\s+(?:me|myself)\s+(?:out\s+of|off(?:\s+of)?|from)\s+(?P<team>.+)"),
]
_REMOVE_RULES = [
    rx(rf"{_REMOVE}\s+(?P<person>.+?)\s+(?:out\s+)?(?:from|off)\s+(?:of\s+)?(?P<team>.+)"),
    rx(
        r"(?:take|throw|pull|kick|boot)\s+(?P<person>.+?)\s+(?:out\s+of|off(?:\s+of)?|from)\s+(?P<team>.+)"
    ),
    rx(
        r"(?:remove|revoke|end|cancel|terminate)\s+(?P<person>.+?)(?:'s|')\s+(?:membership|access|seat)"
        r"\s+(?:in|to|from|of|on)\s+(?P<team>.+)"
    ),
    rx(r"(?:remove|kick|drop|delete|boot)\s+(?P<person>.+?)\s+(?:out\s+)?of\s+(?P<team>.+)"),
]
_REMOVE_NO_TEAM = rx(
    r"(?:remove|kick|boot|expel|eject|evict|unassign)\s+(?P<person>.+?)(?:\s+out)?"
)


def parse_remove(s: Sentence) -> Result:
    if not _REMOVE_CLAIM.search(s.text):
        return None
    if (m := first(_LEAVE, s.text)) is not None:
        team = team_slot(s, m.group("team"))
        return need("leave_team", team=team) or Intent("leave_team", team=team)
    m = first(_REMOVE_RULES, s.text)
    if m is not None:
        return _one_person(s, "remove_member", m.group("person"), m.group("team"), None)
    m2 = _REMOVE_NO_TEAM.match(s.text)
    if m2 is not None and not re.search(r"\bteam\b", s.restore(m2.group("person")), re.IGNORECASE):
        # "Remove Bob": a person, or a team called Bob? Ask rather than pick.
        return Failure(
            "I understood 'remove' but not from which team; say 'Remove Bob from the Platform "
            "Engineering team' to remove a member, or 'Delete the Platform Engineering team' to "
            "delete a team.",
            "team",
            "remove_member",
        )
    return None


def _one_person(s: Sentence, action: str, people: str, team_text: str, role: str | None) -> Result:
    persons = people_slots(s, people)
    team = team_slot(s, team_text)
    if len(persons) > 1:
        return Failure(
            f"I can {'change one role' if action == 'change_role' else 'remove one person'} at a "
            "time; send one sentence per person.",
            "person",
            action,
        )
    parts: dict[str, object] = {"person": persons, "team": team}
    if action == "change_role":
        parts["role"] = role
    return need(action, **parts) or Intent(action, team=team, people=persons, role=role)
