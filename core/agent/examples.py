"""Sentences the admin agent understands, offered when it does not understand one.

The first ones are the product documentation's own examples."""

from __future__ import annotations

import difflib

# action → example sentences (the action's own examples are preferred when it was understood)
EXAMPLES: dict[str, tuple[str, ...]] = {
    "create_team": (
        'Create a team called "Platform Engineering"',
        'Create a team called "Data Science" with description "Models and experiments"',
    ),
    "invite": (
        "Invite alice@example.com to the Platform Engineering team as a member",
        "Add bob@example.com to the Platform Engineering team as an admin",
        "Invite alice@example.com and carol@example.com to Security as members",
    ),
    "change_role": (
        "Change Alice's role in Platform Engineering to admin",
        "Make Bob an owner of the Security team",
    ),
    "remove_member": ("Remove Bob from the Platform Engineering team",),
    "leave_team": ("Leave the Security team",),
    "create_resource": (
        'Create a skill called "Kubernetes Runbook" scoped to the Platform Engineering team',
        'Create an agent called "Infra Bot" for the Platform Engineering team',
        'Create a context file called "Onboarding" for the Security team',
        'Create a tool policy called "No Prod Writes" for the Security team',
    ),
    "delete_resource": ('Delete the skill "Kubernetes Runbook" from Platform Engineering',),
    "create_key": (
        'Create an API key for the Platform Engineering team called "CI Pipeline"',
        'Create an API key called "Deploy" for Security expiring in 30 days',
    ),
    "revoke_key": ('Revoke the "CI Pipeline" key of Platform Engineering',),
    "rotate_key": ('Rotate the "CI Pipeline" key of Platform Engineering',),
    "list_teams": ("List teams",),
    "list_members": ("Who is in the Platform Engineering team?",),
    "list_keys": ("List the API keys of Platform Engineering",),
    "list_invitations": ("Show the pending invitations of Platform Engineering",),
    "list_resources": ("List the skills of Platform Engineering",),
    "resend_invitation": ("Resend the invitation to carol@example.com for Security",),
    "revoke_invitation": ("Revoke the invitation for carol@example.com to Security",),
    "rename_team": ('Rename Platform Engineering to "Platform"',),
    "describe_team": ('Set the description of Platform Engineering to "Builds the platform"',),
    "archive_team": ("Delete the Security team",),
}
_RELATED = {
    "list": ("list_teams", "list_members", "list_keys", "list_invitations"),
    "leave_team": ("remove_member",),
    "delete_resource": ("create_resource",),
}
ALL_EXAMPLES: tuple[str, ...] = tuple(e for group in EXAMPLES.values() for e in group)


def closest(sentence: str, action: str | None = None, count: int = 3) -> list[str]:
    """The ``count`` examples nearest to ``sentence``: first those of the understood action,
    then the rest by similarity (difflib). Always ``count`` of them, so there is something to
    try."""
    typed = " ".join(sentence.casefold().split())
    preferred: list[str] = []
    if action is not None:
        for name in (action, *_RELATED.get(action, ())):
            preferred.extend(EXAMPLES.get(name, ()))
    ranked = sorted(
        preferred,
        key=lambda e: -difflib.SequenceMatcher(None, typed, e.casefold()).ratio(),
    )
    rest = sorted(
        (e for e in ALL_EXAMPLES if e not in preferred),
        key=lambda e: -difflib.SequenceMatcher(None, typed, e.casefold()).ratio(),
    )
    return (ranked + rest)[:count]
