"""From an intent to a :class:`Plan`: names resolved, inputs checked, the call described.

Everything here only reads. A plan names exactly one core call; running it is execute.py's job.
"""

from __future__ import annotations

from collections.abc import Callable

from core.agent.answers import Plan, Refused
from core.agent.intents import Failure, Intent
from core.agent.lexicon import kind_label, with_article
from core.agent.resolve import Person, Resolver, Stop
from core.agent.text import Sentence
from core.errors import InvalidInput
from core.permissions import TeamAction, WorkspaceAction
from core.services import Core

# Core's own refusal sentences, so an early refusal reads exactly like the one core would give.
from core.services.keys import _MANAGE_KEYS, MAX_EXPIRY_DAYS, MAX_GRACE_HOURS
from core.services.members import _MANAGE_MEMBERS
from core.services.resources import _MANAGE as _MANAGE_RESOURCES
from core.services.teams import _MANAGE_TEAM
from core.validation import (
    clean_body,
    clean_description,
    clean_name,
    clean_resource_name,
    clean_team_name,
    email_key,
)
from core.views import Principal, TeamView

# The same sentences as TeamServices.create_team's and ResourceServices.create_resource's
# refusals (written inline there).
_CREATE_TEAM = "Only workspace admins and owners can create teams."
_WORKSPACE_RESOURCE = (
    "Only workspace admins and owners can create workspace-wide resources; "
    "name a team or make it personal."
)

# What each action needs on its team, and core's sentence when it is missing.
_NEEDS: dict[str, tuple[TeamAction, str]] = {
    "invite": (TeamAction.MANAGE_MEMBERS, _MANAGE_MEMBERS),
    "change_role": (TeamAction.MANAGE_MEMBERS, _MANAGE_MEMBERS),
    "remove_member": (TeamAction.MANAGE_MEMBERS, _MANAGE_MEMBERS),
    "list_invitations": (TeamAction.MANAGE_MEMBERS, _MANAGE_MEMBERS),
    "resend_invitation": (TeamAction.MANAGE_MEMBERS, _MANAGE_MEMBERS),
    "revoke_invitation": (TeamAction.MANAGE_MEMBERS, _MANAGE_MEMBERS),
    "create_resource": (TeamAction.MANAGE_RESOURCES, _MANAGE_RESOURCES),
    "delete_resource": (TeamAction.MANAGE_RESOURCES, _MANAGE_RESOURCES),
    "create_key": (TeamAction.MANAGE_KEYS, _MANAGE_KEYS),
    "revoke_key": (TeamAction.MANAGE_KEYS, _MANAGE_KEYS),
    "rotate_key": (TeamAction.MANAGE_KEYS, _MANAGE_KEYS),
    "list_keys": (TeamAction.MANAGE_KEYS, _MANAGE_KEYS),
    "rename_team": (TeamAction.MANAGE_TEAM, _MANAGE_TEAM),
    "describe_team": (TeamAction.MANAGE_TEAM, _MANAGE_TEAM),
    "archive_team": (TeamAction.MANAGE_TEAM, _MANAGE_TEAM),
}


class Planner:
    def __init__(
        self, core: Core, actor: Principal, sentence: Sentence, intent: Intent, refuse_early: bool
    ) -> None:
        self.core = core
        self.actor = actor
        self.sentence = sentence
        self.intent = intent
        self.refuse_early = refuse_early
        self.find = Resolver(core, actor, sentence, intent.action)
        self.allowed = True  # False when the actor may not do it (only when not refusing early)
        self._pending_keys: set[str] | None = None

    def plan(self) -> Plan:
        build: Callable[[], Plan] = getattr(self, f"_{self.intent.action}")
        plan = build()
        return Plan(
            description=plan.description,
            call=plan.call,
            args=plan.args,
            target_team=plan.target_team,
            action=self.intent.action,
            details=plan.details,
            changes=plan.changes,
            sentence=self.sentence.original,
        )

    # -- shared steps -----------------------------------------------------------------------

    def _team(self) -> TeamView:
        assert self.intent.team is not None
        team = self.find.team(self.intent.team)
        need = _NEEDS.get(self.intent.action)
        if need is not None:
            access = self.core.team_access(self.actor, team.id)
            if not access.can(need[0]):
                if self.refuse_early:
                    role = access.role or "not a member"
                    raise Stop(Refused(need[1].format(team=team.name, role=role)))
                self.allowed = False
        return team

    def _require(self, action: WorkspaceAction, sentence: str) -> None:
        if self.refuse_early and action not in self.core.me(self.actor).actions:
            raise Stop(Refused(sentence))

    @staticmethod
    def _checked(check: Callable[[], object]) -> None:
        """Run one of core's input checks now, so a plan never fails on what was typed."""
        try:
            check()
        except InvalidInput as error:
            raise Stop(Failure(error.message, error.field or "sentence")) from None

    def _person(self, team: TeamView, *, member: bool) -> Person:
        assert self.intent.people
        person = self.find.person(self.intent.people[0], team=team, members_only=member)
        return person

    def _current_role(self, team: TeamView, person: Person) -> str:
        """The member's role now; a non-member is explained before anything is planned."""
        if not self.allowed:
            return "?"
        role = self.find.member_role(team, person.email)
        if role is None:
            raise Stop(
                Failure(
                    f"{person.label} is not a member of {team.name}.", "person", self.intent.action
                )
            )
        return role

    # -- teams --------------------------------------------------------------------------------

    def _create_team(self) -> Plan:
        assert self.intent.name is not None
        name, description = self.intent.name.text, self.intent.text or ""
        self._checked(lambda: clean_team_name(name))
        self._checked(lambda: clean_description(description))
        self.core.list_teams(self.actor, limit=1)  # a plan without teams refuses in core's words
        self._require(WorkspaceAction.CREATE_TEAM, _CREATE_TEAM)
        name = clean_team_name(name)
        description = clean_description(description)
        text = f"Create a team {_q(name)}"
        if description:
            text += f" with the description {_q(description)}"
        return Plan(
            text,
            "create_team",
            {"name": name, "description": description},
            target_team=name,
            details=("You will be its owner.",),
        )

    def _rename_team(self) -> Plan:
        team = self._team()
        assert self.intent.name is not None
        new = self.intent.name.text
        self._checked(lambda: clean_team_name(new))
        new = clean_team_name(new)
        return Plan(
            f"Rename {team.name} to {_q(new)}",
            "rename_team",
            {"team": team.id, "new_name": new},
            team.name,
        )

    def _describe_team(self) -> Plan:
        team = self._team()
        text = self.intent.text or ""
        self._checked(lambda: clean_description(text))
        text = clean_description(text)
        if not text:
            description = f"Clear the description of {team.name}"
        else:
            description = f"Set the description of {team.name} to {_q(text)}"
        return Plan(description, "describe_team", {"team": team.id, "description": text}, team.name)

    def _archive_team(self) -> Plan:
        team = self._team()
        return Plan(
            f"Delete the team {team.name}",
            "archive_team",
            {"team": team.id},
            team.name,
            details=(
                (
                    f"{team.name} disappears from every list, its API keys stop working and its "
                    "name becomes free; the record stays in the audit log."
                ),
            ),
        )

    # -- members ------------------------------------------------------------------------------

    def _invite(self) -> Plan:
        team = self._team()
        role = self.intent.role or "member"
        people = [self.find.person(slot) for slot in self.intent.people]
        unique = list({p.email.casefold(): p for p in people}.values())
        added = [p for p in unique if p.account]
        invited = [p for p in unique if not p.account]
        where = f"to {team.name} as {role}"
        if added and not invited:
            tag = "existing account" if len(added) == 1 else "existing accounts"
            text = f"Add {_and([p.label for p in added])} {where} ({tag})"
        elif invited and not added:
            text = f"Invite {_and([p.email for p in invited])} {where}"
        else:
            tag = "existing account" if len(added) == 1 else "existing accounts"
            text = (
                f"Add {_and([p.label for p in added])} ({tag}) and invite "
                f"{_and([p.email for p in invited])} {where}"
            )
        details = tuple(self._invite_detail(team, p) for p in unique)
        return Plan(
            text,
            "invite_members",
            {"team": team.id, "addresses": [p.email for p in unique], "role": role},
            team.name,
            details=details,
        )

    def _invite_detail(self, team: TeamView, person: Person) -> str:
        """What will happen to one address, said before it happens (core decides again)."""
        if person.account:
            now = self.find.member_role(team, person.email) if self.allowed else None
            if now is not None:
                return f"{person.label}: already a member of {team.name} as {now}; left as it is."
            return f"{person.label}: has an account, added at once and told by email."
        if self.allowed and email_key(person.email) in self._pending(team):
            return f"{person.email}: already invited; resend that invitation instead."
        return f"{person.email}: no account yet, gets an email with a link to join."

    def _pending(self, team: TeamView) -> set[str]:
        if self._pending_keys is None:
            self._pending_keys = {
                email_key(i.email) for i in self.core.list_invitations(self.actor, team.id)
            }
        return self._pending_keys

    def _change_role(self) -> Plan:
        team = self._team()
        person = self._person(team, member=True)
        role = self.intent.role
        assert role is not None
        now = self._current_role(team, person)
        details = (f"Now {now}.",) if now not in (role, "?") else ()
        if now == role:
            details = (f"{person.label} is already {role}; nothing would change.",)
        return Plan(
            f"Change {person.label}'s role in {team.name} to {role}",
            "change_role",
            {"team": team.id, "email": person.email, "role": role},
            team.name,
            details=details,
        )

    def _remove_member(self) -> Plan:
        team = self._team()
        person = self._person(team, member=True)
        if person.is_actor:
            return self._leave(team)
        now = self._current_role(team, person)
        return Plan(
            f"Remove {person.label} from {team.name}",
            "remove_member",
            {"team": team.id, "email": person.email},
            team.name,
            details=(f"They are {now} there now.",) if now != "?" else (),
        )

    def _leave_team(self) -> Plan:
        return self._leave(self._team())

    def _leave(self, team: TeamView) -> Plan:
        return Plan(
            f"Leave {team.name} (remove yourself)", "leave_team", {"team": team.id}, team.name
        )

    def _resend_invitation(self) -> Plan:
        team = self._team()
        email = self._invitee(team)
        return Plan(
            f"Resend the invitation of {email} to {team.name}",
            "resend_invitation",
            {"team": team.id, "email": email},
            team.name,
            details=("A new link is sent; the old one stops working.",),
        )

    def _revoke_invitation(self) -> Plan:
        team = self._team()
        email = self._invitee(team)
        return Plan(
            f"Revoke the invitation of {email} to {team.name}",
            "revoke_invitation",
            {"team": team.id, "email": email},
            team.name,
        )

    def _invitee(self, team: TeamView) -> str:
        slot = self.intent.people[0]
        if not self.allowed:
            return self.find.person(slot).email
        return self.find.invitation(slot, team).email

    # -- resources ----------------------------------------------------------------------------

    def _create_resource(self) -> Plan:
        intent = self.intent
        assert intent.name is not None and intent.kind is not None
        name, body = intent.name.text, intent.text or ""
        self._checked(lambda: clean_resource_name(name))
        self._checked(lambda: clean_body(body))
        name, body = clean_resource_name(name), clean_body(body)
        kind = kind_label(intent.kind)
        args: dict[str, object] = {"kind": intent.kind, "name": name, "body": body}
        details = (f"Body: {_clip(body)}",) if body else ()
        if intent.scope == "workspace":
            args["team"] = None
            self._require(WorkspaceAction.MANAGE_WORKSPACE_RESOURCES, _WORKSPACE_RESOURCE)
            return Plan(
                f"Create a workspace-wide {kind} {_q(name)}",
                "create_resource",
                args,
                None,
                details=details,
            )
        if intent.scope == "personal":
            args["team"], args["personal"] = None, True
            return Plan(
                f"Create a personal {kind} {_q(name)} (only you can see it)",
                "create_resource",
                args,
                None,
                details=details,
            )
        team = self._team()
        args["team"] = team.id
        return Plan(
            f"Create {with_article(kind)} {_q(name)} for {team.name}",
            "create_resource",
            args,
            team.name,
            details=details,
        )

    def _delete_resource(self) -> Plan:
        team = self._team()
        assert self.intent.name is not None
        found = self.find.resource(self.intent.kind, self.intent.name, team)
        return Plan(
            f"Delete the {kind_label(found.kind)} {_q(found.name)} of {team.name}",
            "delete_resource",
            {"resource_id": found.id},
            team.name,
        )

    # -- keys -------------------------------------------------------------------------------

    def _create_key(self) -> Plan:
        team = self._team()
        assert self.intent.name is not None
        name = self.intent.name.text
        self._checked(lambda: clean_name(name, "A key name", 80))
        name = clean_name(name, "A key name", 80)
        days = self.intent.days
        if days is not None and not 0 < days <= MAX_EXPIRY_DAYS:
            raise Stop(
                Failure(
                    f"A key's expiry must be between 1 and {MAX_EXPIRY_DAYS} days.",
                    "expires",
                    "create_key",
                )
            )
        text = f"Create an API key {_q(name)} for {team.name}"
        text += f" expiring in {_days(days)}" if days is not None else " (no expiry)"
        return Plan(
            text,
            "create_key",
            {"team": team.id, "name": name, "expires_in_days": days},
            team.name,
            details=("The key is shown once, right after it is created.",),
        )

    def _existing_key(self, team: TeamView) -> tuple[str, str]:
        """(key id to pass, words for it)."""
        assert self.intent.key is not None
        if not self.allowed:
            return self.intent.key.text, _q(self.intent.key.text)
        key = self.find.key(self.intent.key, team)
        return key.key_id, f"{_q(key.name)} ({key.masked})"

    def _revoke_key(self) -> Plan:
        team = self._team()
        key_id, words = self._existing_key(team)
        return Plan(
            f"Revoke the API key {words} of {team.name}",
            "revoke_key",
            {"team": team.id, "key": key_id},
            team.name,
            details=("It stops working at once.",),
        )

    def _rotate_key(self) -> Plan:
        team = self._team()
        key_id, words = self._existing_key(team)
        grace = self.intent.grace_hours
        if grace is not None and not 0 <= grace <= MAX_GRACE_HOURS:
            raise Stop(
                Failure(
                    f"The grace period must be between 0 and {MAX_GRACE_HOURS} hours.",
                    "grace",
                    "rotate_key",
                )
            )
        args: dict[str, object] = {"team": team.id, "key": key_id}
        if grace is None:
            after = "the old key keeps working for 24 hours"
        elif grace == 0:
            after = "the old key stops working at once"
        else:
            after = f"the old key keeps working for {_hours(grace)}"
        if grace is not None:
            args["grace_hours"] = grace
        return Plan(
            f"Rotate the API key {words} of {team.name}; {after}",
            "rotate_key",
            args,
            team.name,
            details=("The new key is shown once, right after it is created.",),
        )

    # -- questions ----------------------------------------------------------------------------

    def _list_teams(self) -> Plan:
        query = self.intent.query
        text = (
            f"List the teams you can see matching {_q(query)}"
            if query
            else "List the teams you can see"
        )
        return Plan(text, "list_teams", {"query": query}, None, changes=False)

    def _list_members(self) -> Plan:
        team = self._team()
        return Plan(
            f"List the members of {team.name}",
            "list_members",
            {"team": team.id},
            team.name,
            changes=False,
        )

    def _list_keys(self) -> Plan:
        team = self._team()
        return Plan(
            f"List the API keys of {team.name}",
            "list_keys",
            {"team": team.id},
            team.name,
            changes=False,
        )

    def _list_invitations(self) -> Plan:
        team = self._team()
        return Plan(
            f"List the pending invitations of {team.name}",
            "list_invitations",
            {"team": team.id},
            team.name,
            changes=False,
        )

    def _list_resources(self) -> Plan:
        kind = self.intent.kind
        what = f"{kind_label(kind)}s" if kind else "resources"
        if self.intent.team is None:
            return Plan(
                f"List the {what} you can see",
                "list_resources",
                {"team": None, "kind": kind},
                None,
                changes=False,
            )
        team = self._team()
        return Plan(
            f"List the {what} of {team.name}",
            "list_resources",
            {"team": team.id, "kind": kind},
            team.name,
            changes=False,
        )


def _q(text: str) -> str:
    """A typed name inside a sentence, in curly quotes so it stands apart."""
    return f"“{text}”"


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _clip(text: str, length: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _days(days: float) -> str:
    return "1 day" if days == 1 else f"{_number(days)} days"


def _hours(hours: float) -> str:
    return "1 hour" if hours == 1 else f"{_number(hours)} hours"
