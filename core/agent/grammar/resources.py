"""Team-scoped agents, skills, context files and tool policies: create and delete."""

from __future__ import annotations

import re

from core.agent.grammar.common import Result, first, group, need, team_slot
from core.agent.intents import Failure, Intent
from core.agent.lexicon import read_kind, rx, search
from core.agent.text import Sentence

_MAKE = (
    r"(?:create|make|add|set\s+up|setup|new|build|write|register|define|draft|author|start"
    r"|spin\s+up|upload)"
)
_DELETE = r"(?:delete|remove|drop|destroy|archive|get\s+rid\s+of)"
_SCOPE = (
    r"(?:scoped\s+to|for|in|within|on|under|owned\s+by|belonging\s+to|to|inside|into"
    r"|available\s+to|shared\s+with|only\s+for|limited\s+to|restricted\s+to)"
)
_KIND = r"(?P<adj>{SCOPEADJ})?(?P<kind>{KIND})"
_CLAIM_MAKE = search(rf"^{_MAKE}\s+{{ART}}?{{NEW}}?{{SCOPEADJ}}?{{KIND}}\b")
# "Create the "Deploy Checklist" skill for …": a quoted name before the kind.
_CLAIM_MAKE_NAME_FIRST = search(rf"^{_MAKE}\s+{{ART}}?{{NEW}}?{{Q}}\s+{{KIND}}\s+")
# "Create a Platform Engineering skill called …": the team's name before the kind.
_CLAIM_MAKE_TEAM_FIRST = search(
    rf"^{_MAKE}\s+{{ART}}?{{NEW}}?(?:(?!(?:to|for|in|into|of|on|from|as)\b)\S+\s+){{1,5}}?"
    r"{KIND}\s+{CALLED}\s+"
)
_NOT_PREP = r"(?!(?:from|of|in|for|on|to|within|scoped)\b)"
_CLAIM_DELETE = search(
    rf"^{_DELETE}\s+{{ART}}?(?:{_NOT_PREP}\S+\s+){{1,6}}?{{KIND}}\s+(?:from|of|in|for|on|within)\b|"
    rf"^{_DELETE}\s+{{ART}}?{{SCOPEADJ}}?{{KIND}}\b|^{_DELETE}\s+\S.*?(?:'s|')\s+{{KIND}}\b"
)
_BODY = search(
    r"\s+(?:with\s+(?:the\s+|a\s+)?(?:body|content|contents|text|instructions|prompt|description)"
    r"|containing|that\s+says|saying|which\s+says)\s*:?\s+(?P<body>.+)$"
)

_CREATE = [
    rx(
        rf"{_MAKE}\s+{{ART}}?{{NEW}}?{_KIND}\s+(?:{{CALLED}}\s+)?(?P<name>(?!{_SCOPE}\b).+?){{NOT_HALF}}"
        rf"\s+{_SCOPE}\s+(?P<team>.+)"
    ),
    rx(
        rf"{_MAKE}\s+{{ART}}?{{NEW}}?{_KIND}\s+{_SCOPE}\s+(?P<team>.+?)\s+{{CALLED}}\s+(?P<name>.+)"
    ),
    rx(rf"{_MAKE}\s+{{ART}}?{{NEW}}?{_KIND}\s+{_SCOPE}\s+(?P<team>.+?)\s+(?P<name>{{Q}})"),
    rx(rf"{_MAKE}\s+{{ART}}?{{NEW}}?{_KIND}\s+(?:{{CALLED}}\s+)?(?P<name>(?!{_SCOPE}\b).+)"),
    rx(rf"{_MAKE}\s+{{ART}}?{{NEW}}?(?P<name>{{Q}})\s+{_KIND}\s+{_SCOPE}\s+(?P<team>.+)"),
    rx(
        rf"{_MAKE}\s+{{ART}}?{{NEW}}?(?P<team>(?!(?:an?|the|our|my|new)\b).+?)(?:'s|')?\s+(?:team\s+)?"
        rf"(?P<kind>{{KIND}})\s+(?:{{CALLED}}\s+)?(?P<name>(?!{_SCOPE}\b).+)"
    ),
]
_CREATE_NO_NAME = rx(rf"{_MAKE}\s+{{ART}}?{{NEW}}?{_KIND}(?:\s+{_SCOPE}\s+(?P<team>.+))?")
_DELETE_RULES = [
    rx(
        rf"{_DELETE}\s+{{ART}}?{_KIND}\s+(?:{{CALLED}}\s+)?(?P<name>.+?)\s+(?:from|of|in|for|on)"
        r"\s+(?P<team>.+)"
    ),
    rx(rf"{_DELETE}\s+(?P<team>.+?)(?:'s|')\s+(?P<kind>{{KIND}})\s+(?:{{CALLED}}\s+)?(?P<name>.+)"),
    # "Delete the Triage Bot agent from Platform Engineering": the kind after the name.
    rx(
        rf"{_DELETE}\s+{{ART}}?(?P<name>{_NOT_PREP}.+?)\s+(?P<kind>{{KIND}})\s+(?:from|of|in|for|on"
        r"|within)\s+(?P<team>.+)"
    ),
    rx(rf"{_DELETE}\s+(?P<team>.+?)(?:'s|')\s+(?P<name>.+?)\s+(?P<kind>{{KIND}})"),
]
_DELETE_NO_TEAM = rx(rf"{_DELETE}\s+{{ART}}?{_KIND}(?:\s+(?:{{CALLED}}\s+)?(?P<name>.+))?")

# "for the whole workspace", "for everyone", "just for me".
_WORKSPACE = re.compile(
    r"^(?:the\s+)?(?:whole\s+|entire\s+)?(?:workspace|company|organi[sz]ation|org)$|^everyone$"
    r"|^everybody$|^all\s+teams$",
    re.IGNORECASE,
)
_PERSONAL = re.compile(r"^(?:just\s+|only\s+)?(?:me|myself)(?:\s+only)?$", re.IGNORECASE)


def parse_resources(s: Sentence) -> Result:
    if (
        _CLAIM_MAKE.search(s.text)
        or _CLAIM_MAKE_TEAM_FIRST.search(s.text)
        or _CLAIM_MAKE_NAME_FIRST.search(s.text)
    ):
        return _create(s)
    if _CLAIM_DELETE.search(s.text):
        return _delete(s)
    return None


def _create(s: Sentence) -> Result:
    text, body, body_quoted = s.text, "", False
    if (b := _BODY.search(text)) is not None:
        text = text[: b.start()]
        body_slot = s.slot(b.group("body"))
        if body_slot is not None:
            body, body_quoted = (
                body_slot.text if body_slot.quoted else body_slot.raw,
                body_slot.quoted,
            )
    m = first(_CREATE, text)
    if m is None:
        m2 = _CREATE_NO_NAME.match(text)
        kind = read_kind(m2.group("kind")) if m2 else None
        return _incomplete(kind, "name")
    kind = read_kind(m.group("kind"))
    adjective = (group(m, "adj") or "").strip().casefold()
    name = s.slot(m.group("name"))
    team_text = group(m, "team")
    team = team_slot(s, team_text)
    written = s.restore(team_text or "").strip()
    scope = "team"
    if _WORKSPACE.match(written) or adjective.startswith(
        ("workspace", "global", "shared", "company")
    ):
        scope, team = "workspace", None
    elif _PERSONAL.match(written) or adjective.startswith(("personal", "private", "my")):
        scope, team = "personal", None
    if name is None:
        return _incomplete(kind, "name")
    if scope == "team" and team is None:
        return _incomplete(kind, "team")
    return Intent(
        "create_resource",
        team=team,
        name=name,
        kind=kind,
        text=body,
        scope=scope,
        free_slots=(body,) if body and not body_quoted else (),
    )


def _incomplete(kind: str | None, part: str) -> Failure:
    label = Intent("create_resource", kind=kind).label if kind else "create"
    if part == "name":
        hint = 'add its name, for example called "Kubernetes Runbook"'
        return Failure(
            f"I understood '{label}' but not its name; {hint}.", "name", "create_resource"
        )
    hint = "say which team it is for, for example 'for the Platform Engineering team'"
    return Failure(
        f"I understood '{label}' but not which team; {hint} (or 'for the whole workspace').",
        "team",
        "create_resource",
    )


def _delete(s: Sentence) -> Result:
    m = first(_DELETE_RULES, s.text)
    if m is None:
        m2 = _DELETE_NO_TEAM.match(s.text)
        kind = read_kind(m2.group("kind")) if m2 else None
        name = s.slot(m2.group("name")) if m2 and m2.group("name") else None
        return need("delete_resource", name=name, team=None)
    team = team_slot(s, m.group("team"))
    name = s.slot(m.group("name"))
    kind = read_kind(m.group("kind"))
    return need("delete_resource", name=name, team=team) or Intent(
        "delete_resource", team=team, name=name, kind=kind
    )
