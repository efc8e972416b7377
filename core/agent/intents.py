"""What the grammar reads from a sentence, before any name is looked up."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.agent.text import Slot
from core.vocabulary import kind_label, with_article

# Every action the admin agent knows, with the words it uses for it in answers.
ACTION_LABELS: dict[str, str] = {
    "create_team": "create a team",
    "invite": "invite",
    "change_role": "change a role",
    "remove_member": "remove a member",
    "leave_team": "leave a team",
    "create_resource": "create",
    "delete_resource": "delete",
    "create_key": "create an API key",
    "revoke_key": "revoke a key",
    "rotate_key": "rotate a key",
    "list_teams": "list teams",
    "list_members": "list members",
    "list_keys": "list keys",
    "list_invitations": "list invitations",
    "list_resources": "list resources",
    "list": "list",
    "resend_invitation": "resend an invitation",
    "revoke_invitation": "revoke an invitation",
    "rename_team": "rename a team",
    "describe_team": "describe a team",
    "archive_team": "delete a team",
}


@dataclass(frozen=True)
class Intent:
    """One command, read but not yet checked against the database."""

    action: str
    team: Slot | None = None
    people: tuple[Slot, ...] = ()
    role: str | None = None
    name: Slot | None = None  # a new name: team, resource or key
    text: str | None = None  # free text: a description or a resource body
    kind: str | None = None  # agent, skill, context_file, tool_policy
    key: Slot | None = None  # an existing key: name or key id
    days: float | None = None  # key expiry
    grace_hours: float | None = None  # rotation grace period
    scope: str = "team"  # team, workspace or personal (resources)
    query: str = ""  # list_teams filter
    # change_role said as "make X an admin of T": someone not in T yet is added (or invited).
    joins: bool = False
    free_slots: tuple[str, ...] = field(default=(), compare=False)  # unquoted free text, for checks

    @property
    def label(self) -> str:
        if self.kind and self.action in ("create_resource", "delete_resource"):
            return f"{ACTION_LABELS[self.action]} {with_article(kind_label(self.kind))}"
        return ACTION_LABELS.get(self.action, self.action)


@dataclass(frozen=True)
class Failure:
    """The sentence could not be read completely. ``missing`` names the part (team, person,
    role, name, key, what, command, sentence) so tests and screens can tell why."""

    message: str
    missing: str
    action: str | None = None  # what was understood, when something was


def missing(action: str | None, part: str, hint: str = "") -> Failure:
    """'I understood 'invite' but not which team; say …'."""
    phrases = {
        "team": "which team",
        "person": "who",
        "role": "which role",
        "name": "the name",
        "key": "which key",
        "what": "what",
        "text": "the new description",
    }
    what = phrases.get(part, part)
    if action is None:
        message = f"I could not tell {what} you mean."
    else:
        message = f"I understood '{ACTION_LABELS.get(action, action)}' but not {what}."
    if hint:
        message = f"{message[:-1]}; {hint}."
    return Failure(message, part, action)
