"""The workspace the sentence corpus runs against, in a few named states.

``base``: five teams, people with accounts in some of them, keys and resources. The other
states add to it what the documentation's own sequence leaves behind (a pending invitation
for alice@example.com, who has no account) or a member to remove.
"""

from __future__ import annotations

from collections.abc import Callable

from core.services import Core
from core.views import Principal

OWNER = "owner@acme.example.com"
TEAMS = {
    "Platform Engineering": "Builds the platform",
    "Design": "",
    "Security": "",
    "Data Science": "",
    "Mobile": "",
}
PEOPLE = {
    "bob@example.com": "Bob Stone",
    "carol@example.com": "Carol Jones",
    "dave@example.com": "Dave Miller",
    "erin@example.com": "Erin Ahmed",
    "jose.garcia@example.com": "José García",
    "renee@example.com": "Renée Dubois",
}
WORKSPACE_ADMIN = "frank@example.com"  # Frank Castle: workspace admin, in no team
MEMBERS = [  # (team, email, role); the owner created every team and owns it
    ("Platform Engineering", "dave@example.com", "member"),
    ("Platform Engineering", "erin@example.com", "admin"),
    ("Design", "carol@example.com", "member"),
    ("Design", "jose.garcia@example.com", "member"),
    ("Security", "bob@example.com", "member"),
    ("Security", "erin@example.com", "admin"),
    ("Data Science", "renee@example.com", "member"),
]
KEYS = [("Platform Engineering", "Old Token"), ("Security", "Deploy Hook")]
RESOURCES = [
    ("agent", "Triage Bot", "Platform Engineering"),
    ("context_file", "Onboarding Notes", "Platform Engineering"),
    ("tool_policy", "No Shell Access", "Security"),
    ("skill", "Incident Runbook", "Design"),
]


def build_base(core: Core) -> Principal:
    owner = core.init_workspace("Acme", OWNER, "Olive Owner", plan="business")
    for name, description in TEAMS.items():
        core.create_team(owner, name, description)
    for email, name in PEOPLE.items():
        core.add_user(owner, email, name)
    core.add_user(owner, WORKSPACE_ADMIN, "Frank Castle", workspace_role="admin")
    for team, email, role in MEMBERS:
        core.add_member(owner, team, email, role)
    for team, name in KEYS:
        core.create_key(owner, team, name)
    for kind, name, team in RESOURCES:
        core.create_resource(owner, kind, name, team)
    return owner


def _invited(core: Core, owner: Principal) -> None:
    # The documentation's sequence: alice has no account, so her invitation stays pending.
    core.invite_member(owner, "Platform Engineering", "alice@example.com", "member")
    core.invite_member(owner, "Design", "priya@newco.example", "member")


def _bob_in_pe(core: Core, owner: Principal) -> None:
    core.add_member(owner, "Platform Engineering", "bob@example.com", "member")


# state name → what is done to the base workspace
STATES: dict[str, Callable[[Core, Principal], None] | None] = {
    "base": None,
    "invited": _invited,
    "bob_in_pe": _bob_in_pe,
}


def build(core: Core, state: str) -> Principal:
    owner = build_base(core)
    step = STATES[state]
    if step is not None:
        step(core, owner)
    return owner
