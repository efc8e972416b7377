"""Plans for people in teams: invite or add, change a role, remove, leave, and pending
invitations. Someone invited but not joined yet is a person of the team too: changing their
role changes their invitation's, removing them revokes it, and the plan says so."""

from __future__ import annotations

from core.agent.answers import Clarify, Plan
from core.agent.intents import Failure
from core.agent.planning.base import PlannerBase
from core.agent.planning.words import joined
from core.agent.resolve import Person, Stop
from core.usecases import commands as uc
from core.validation import email_key
from core.views import InvitationView, TeamView
from core.vocabulary import with_article


def _no_such_account(answer: object) -> bool:
    """No account has the name (a near one may be offered): an invitation's may still be it."""
    return isinstance(answer, Failure) or (
        isinstance(answer, Clarify) and answer.about == "correction"
    )


class MemberPlans(PlannerBase):
    _pending_keys: set[str] | None = None

    def _invite(self) -> Plan:
        team = self._team(uc.InviteMembers)
        role = self.intent.role or "member"
        people = [self.find.person(slot) for slot in self.intent.people]
        return self._invite_plan(team, people, role)

    def _invite_plan(self, team: TeamView, people: list[Person], role: str, why: str = "") -> Plan:
        unique = list({p.email.casefold(): p for p in people}.values())
        added = [p for p in unique if p.account]
        invited = [p for p in unique if not p.account]
        where = f"to {team.name} as {role}"
        tag = "existing account" if len(added) == 1 else "existing accounts"
        if added and not invited:
            text = f"Add {joined([p.label for p in added])} {where} ({tag})"
        elif invited and not added:
            text = f"Invite {joined([p.email for p in invited])} {where}"
        else:
            text = (
                f"Add {joined([p.label for p in added])} ({tag}) and invite "
                f"{joined([p.email for p in invited])} {where}"
            )
        details = tuple(self._invite_detail(team, p) for p in unique)
        return Plan(
            text,
            uc.InviteMembers(team.id, tuple(p.email for p in unique), role),
            team.name,
            details=(why, *details) if why else details,
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
                email_key(i.email) for i in self.core.list_invitations(self.actor, team.id).items
            }
        return self._pending_keys

    def _in_team(self, team: TeamView) -> tuple[Person | None, InvitationView | None]:
        """The person the sentence names, as a member or as a pending invitation of the team.
        A name no account has may still be an invitation's ("Alice" for alice@example.com)."""
        try:
            person = self._person(team, member=True)
        except Stop as stop:
            if not self.allowed or not _no_such_account(stop.answer):
                raise
            invitation = self._invitation_of(team)
            if invitation is None:
                raise
            return None, invitation
        if self.allowed and self.find.member_role(team, person.email) is None:
            by_address = self._invitation_of(team, person.email)
            if by_address is not None:
                return None, by_address
        return person, None

    def _invitation_of(self, team: TeamView, email: str | None = None) -> InvitationView | None:
        for invitation in self.core.list_invitations(self.actor, team.id).items:
            if email is not None and email_key(invitation.email) == email_key(email):
                return invitation
        if email is not None:
            return None
        try:
            return self.find.invitation(self.intent.people[0], team)
        except Stop as stop:
            if isinstance(stop.answer, Failure):
                return None
            raise

    def _change_role(self) -> Plan:
        team = self._team(uc.ChangeRole)
        role = self.intent.role
        assert role is not None
        person, invitation = self._in_team(team)
        if invitation is not None:
            return Plan(
                f"Change the role of {invitation.email}'s pending invitation to {team.name} "
                f"to {role}",
                uc.ChangeInvitationRole(team.id, invitation.email, role),
                team.name,
                details=(
                    (
                        f"{invitation.email} is invited, not joined yet: this is the role the "
                        f"invitation gives (now {invitation.role})."
                    ),
                ),
            )
        assert person is not None
        if self.intent.joins and self.allowed and self.find.member_role(team, person.email) is None:
            why = f"{person.label} is not in {team.name} yet, so this adds them."
            if not person.account:
                why = f"{person.email} is not in {team.name} yet and has no account: an invitation."
            return self._invite_plan(team, [person], role, why)
        now = self._current_role(team, person)
        details: tuple[str, ...] = ()
        if now == role:
            details = (f"{person.label} is already {with_article(role)}; nothing would change.",)
        elif now is not None:
            details = (f"Now {now}.",)
        return Plan(
            f"Change {person.label}'s role in {team.name} to {role}",
            uc.ChangeRole(team.id, person.email, role),
            team.name,
            details=details,
        )

    def _remove_member(self) -> Plan:
        team = self._team(uc.RemoveMember)
        person, invitation = self._in_team(team)
        if invitation is not None:
            return Plan(
                f"Revoke the pending invitation of {invitation.email} to {team.name}",
                uc.RevokeInvitation(team.id, invitation.email),
                team.name,
                details=(
                    (
                        f"{invitation.email} is invited, not joined yet: removing them revokes the "
                        "invitation, and its link stops working."
                    ),
                ),
            )
        assert person is not None
        if person.is_actor:
            return self._leave(team)  # "remove me from X": leaving needs no manage rights
        now = self._current_role(team, person)
        return Plan(
            f"Remove {person.label} from {team.name}",
            uc.RemoveMember(team.id, person.email),
            team.name,
            details=(f"They are {with_article(now)} there now.",) if now else (),
        )

    def _leave_team(self) -> Plan:
        return self._leave(self._team(uc.LeaveTeam))

    def _leave(self, team: TeamView) -> Plan:
        return Plan(f"Leave {team.name} (remove yourself)", uc.LeaveTeam(team.id), team.name)

    def _resend_invitation(self) -> Plan:
        team = self._team(uc.ResendInvitation)
        email = self._invitee(team)
        return Plan(
            f"Resend the invitation of {email} to {team.name}",
            uc.ResendInvitation(team.id, email),
            team.name,
            details=("A new link is sent; the old one stops working.",),
        )

    def _revoke_invitation(self) -> Plan:
        team = self._team(uc.RevokeInvitation)
        email = self._invitee(team)
        return Plan(
            f"Revoke the invitation of {email} to {team.name}",
            uc.RevokeInvitation(team.id, email),
            team.name,
        )

    def _invitee(self, team: TeamView) -> str:
        slot = self.intent.people[0]
        if not self.allowed:
            return self.find.person(slot).email
        return self.find.invitation(slot, team).email
