"""Helpers shared by the grammar families."""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.agent.intents import ACTION_LABELS, Failure, Intent, missing
from core.agent.lexicon import Rule, read_role
from core.agent.text import Sentence, Slot, split_list

Result = Intent | Failure | None

# Articles and the word "team" around a team's name: "the Platform Engineering team".
_TEAM_NOISE = re.compile(
    r"^(?:(?:the|a|an|our|my|this|that)\s+)?(?:teams?(?:\s+(?:called|named))?\s+)?"
    r"|(?:\s+team)?(?:'s|')?$",
    re.IGNORECASE,
)


# Words that, alone, are not a team's name.
_NOT_A_TEAM = frozenset(
    {"", "the", "a", "an", "all", "every", "team", "teams", "my", "our", "it", "this", "that"}
)


def first(patterns: Iterable[Rule], text: str) -> re.Match[str] | None:
    for pattern in patterns:
        match = pattern.match(text)
        if match is not None:
            return match
    return None


def group(match: re.Match[str], name: str) -> str | None:
    try:
        return match.group(name)
    except IndexError:
        return None


def team_slot(s: Sentence, fragment: str | None) -> Slot | None:
    """The team part, or None when only noise ("the", "team") was written."""
    slot = s.slot(fragment)
    if slot is None or fragment is None:
        return None
    if slot.quoted:
        return slot
    inner = _TEAM_NOISE.sub("", fragment or "").strip(" ,;:")
    if s.restore(inner).casefold() in _NOT_A_TEAM:
        return None
    if inner != fragment.strip(" ,;:") and (quoted := s.slot(inner)) is not None and quoted.quoted:
        # 'the "Ops" team': the quoted name is meant literally.
        return Slot(quoted.text, True, slot.raw)
    return slot


def people_slots(s: Sentence, fragment: str | None) -> tuple[Slot, ...]:
    if not fragment:
        return ()
    slots = (s.slot(part) for part in split_list(fragment))
    return tuple(slot for slot in slots if slot is not None)


def role_of(s: Sentence, action: str, fragment: str | None) -> tuple[str | None, Failure | None]:
    """The role written in ``fragment``: (role, None), (None, None) when nothing was written,
    or (None, failure) when the words are not a role."""
    if fragment is None or not fragment.strip():
        return None, None
    written = s.restore(fragment).strip()
    role = read_role(written)
    if role is None:
        return None, Failure(
            f"I understood '{ACTION_LABELS.get(action, action)}' but could not read the role in "
            f"'{written}'; a team role is owner, admin or member.",
            "role",
            action,
        )
    return role, None


def need(action: str, **parts: object) -> Failure | None:
    """The first of ``parts`` (in order) that is empty, as a failure naming it."""
    for part, value in parts.items():
        if value is None or value == () or value == "":
            hint = _HINTS.get((action, part)) or _HINTS.get(("", part), "")
            return missing(action, part, hint)
    return None


# (action, part) → how to say it; ("", part) for every action.
_HINTS = {
    ("", "team"): "name the team, for example 'the Platform Engineering team'",
    ("", "person"): "name the person by email or name",
    ("", "role"): "say owner, admin or member",
    ("", "name"): 'give it a name, for example called "CI Pipeline"',
    ("", "key"): 'name the key, for example the "CI Pipeline" key',
    (
        "",
        "text",
    ): "say what the description should be, for example 'Describe Security as \"Keeps us safe\"'",
    (
        "create_team",
        "name",
    ): "give it a name, for example 'Create a team called \"Platform Engineering\"'",
    (
        "create_team",
        "text",
    ): 'write it after the name, for example with description "Builds the platform"',
    ("rename_team", "name"): "say the new name, for example 'Rename Security to SecOps'",
    ("create_key", "name"): 'give the key a name, for example called "CI Pipeline"',
    (
        "delete_resource",
        "name",
    ): "name it, for example 'Delete the skill \"Runbook\" from Security'",
    ("leave_team", "team"): "name the team, for example 'Leave the Security team'",
}
