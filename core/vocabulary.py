"""The product's words, defined once: roles, plans, resource kinds and how each reads.

Models, validation, permissions, the agent, the CLI and the app all import these; none of
them spells a role or a kind out on its own."""

from __future__ import annotations

PLANS = ("free", "team", "business", "enterprise")
TEAM_PLANS = frozenset({"business", "enterprise"})  # the plans that have teams (DESIGN §4)
PLAN_LABELS = {plan: plan.capitalize() for plan in PLANS}

# Team roles, most powerful first; workspace roles use the same three words.
ROLES = ("owner", "admin", "member")
WORKSPACE_ROLES = ROLES

# The product document's own words for each team role.
ROLE_HELP = {
    "owner": "Full control: manage members, roles, and team settings",
    "admin": "Manage agents, skills, tools, and credentials for the team",
    "member": "Use the team's agents and resources; no configuration access",
}

RESOURCE_KINDS = ("agent", "skill", "context_file", "tool_policy")
RESOURCE_SCOPES = ("workspace", "team", "user")
# What a team API key may do: everything the team may (full) or read its resources (read).
KEY_SCOPES = ("full", "read")
# A live key that ends within this many days is marked in the Keys tab and the team list.
EXPIRY_WARNING_DAYS = 14

_KIND_WORDS = {
    "agent": "agent",
    "skill": "skill",
    "context_file": "context file",
    "tool_policy": "tool policy",
}


def kind_label(kind: str, *, capital: bool = False) -> str:
    """'context_file' → 'context file' (or 'Context file' at the start of a line)."""
    word = _KIND_WORDS.get(kind, kind.replace("_", " "))
    return word[:1].upper() + word[1:] if capital else word


def with_article(word: str) -> str:
    """'admin' → 'an admin', 'member' → 'a member': for "you are …" and "They are … there"."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def count(n: int, noun: str) -> str:
    """ "1 member", "2,500 members": a number with its noun, for sentences in any front end."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
