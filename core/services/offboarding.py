"""Offboarding: someone leaves the company. One plan, shown before it runs, then one
transaction that

- removes them from every live team, handing ownership to a successor in each team where
  they are the last active owner (or refusing, naming those teams, when none is given);
- removes their SSH keys and revokes the pending invitations they sent;
- deactivates the account.

The team API keys they created keep working by design (they belong to the team, not to the
person); the plan lists them so that an admin can rotate them."""

from __future__ import annotations

from sqlalchemy import func, select

from core.errors import InvalidInput, LastOwner, NotFound, PermissionDenied
from core.models import Invitation, Membership, SshKey, Team, TeamApiKey, User
from core.permissions import WorkspaceAction, owner_only_refusal
from core.services.base import ServiceBase, Tx
from core.text import quoted
from core.validation import email_key
from core.views import OffboardingPlan, OffboardKey, OffboardTeam, Principal


class OffboardingServices(ServiceBase):
    def plan_offboarding(
        self, actor: Principal, email: str, successor: str | None = None
    ) -> OffboardingPlan:
        """What offboarding ``email`` would do, changing nothing."""
        with self._tx(actor, "user.offboard.read", write=False) as tx:
            return self._offboarding(tx, email, successor, apply=False)

    def offboard_user(
        self, actor: Principal, email: str, successor: str | None = None
    ) -> OffboardingPlan:
        """Carry the plan out in one transaction; returns what was done."""
        with self._tx(actor, "user.offboard", target=f"user:{email}") as tx:
            done = self._offboarding(tx, email, successor, apply=True)
            tx.details = {
                "teams": [team.name for team in done.teams],
                "successor": done.successor,
                "ssh_keys": done.ssh_keys,
                "invitations_revoked": done.invitations,
            }
            tx.audit()
            return done

    def _offboarding(
        self, tx: Tx, email: str, successor_email: str | None, *, apply: bool
    ) -> OffboardingPlan:
        self._require_workspace(tx)
        self._require_workspace_action(tx, WorkspaceAction.MANAGE_USERS)
        assert tx.actor is not None
        person = self._account(tx, email)
        if person.id == tx.actor.id:
            raise InvalidInput("You cannot offboard yourself; ask another admin.", "email")
        refusal = owner_only_refusal("deactivate", tx.actor.workspace_role, person.workspace_role)
        if refusal:
            raise PermissionDenied(refusal)
        successor = self._account(tx, successor_email) if successor_email else None
        if successor is not None and (successor.id == person.id or successor.status != "active"):
            raise InvalidInput(
                f"The successor must be another active account, not {successor.email}.",
                "successor",
            )
        tx.target = f"user:{person.email}"

        # Every live team they are in, locked in id order (teams before their rows).
        rows = tx.session.execute(
            select(Team, Membership)
            .join(Membership, Membership.team_id == Team.id)
            .where(Membership.user_id == person.id, Team.archived_at.is_(None))
            .order_by(Team.id)
            .with_for_update(of=Team)
        ).all()
        teams = [
            OffboardTeam(team.name, membership.role, self._last_active_owner(tx, team, person))
            for team, membership in rows
        ]
        orphaned = [team.name for team in teams if team.last_owner]
        keys = [
            OffboardKey(team_name, name, key_id)
            for team_name, name, key_id in tx.session.execute(
                select(Team.name, TeamApiKey.name, TeamApiKey.key_id)
                .join(Team, Team.id == TeamApiKey.team_id)
                .where(
                    TeamApiKey.created_by == person.id,
                    TeamApiKey.revoked_at.is_(None),
                    Team.archived_at.is_(None),
                )
                .order_by(Team.name_key, TeamApiKey.name)
            )
        ]
        invitations = tx.session.scalars(
            select(Invitation).where(
                Invitation.invited_by == person.id, Invitation.status == "pending"
            )
        ).all()
        ssh_keys = (
            tx.session.scalar(
                select(func.count()).select_from(SshKey).where(SshKey.user_id == person.id)
            )
            or 0
        )
        plan = OffboardingPlan(
            email=person.email,
            display_name=person.display_name,
            teams=teams,
            successor=successor.email if successor and orphaned else None,
            ssh_keys=ssh_keys,
            invitations=len(invitations),
            keys_kept=keys,
            already_deactivated=person.status != "active",
        )
        if not apply:
            return plan
        if orphaned and successor is None:
            raise LastOwner(
                f"{person.email} is the last active owner of {', '.join(orphaned)}; "
                "name a successor to take them over."
            )
        for (team, membership), summary in zip(rows, teams, strict=True):
            if summary.last_owner:
                assert successor is not None
                self._make_owner(tx, team, successor)
            tx.session.delete(membership)
        for invitation in invitations:
            invitation.status = "revoked"
        tx.session.query(SshKey).filter(SshKey.user_id == person.id).delete()
        person.status = "deactivated"
        return plan

    @staticmethod
    def _account(tx: Tx, email: str) -> User:
        cleaned = (email or "").strip()
        user = tx.session.scalar(select(User).where(User.email_key == email_key(cleaned)))
        if user is None:
            raise NotFound(f"There is no account with the email {quoted(cleaned)}.")
        return user

    @staticmethod
    def _last_active_owner(tx: Tx, team: Team, person: User) -> bool:
        """Whether ``person`` owns ``team`` and no other active account does."""
        owners = tx.session.execute(
            select(Membership.user_id, User.status)
            .join(User, User.id == Membership.user_id)
            .where(Membership.team_id == team.id, Membership.role == "owner")
        ).all()
        others = [uid for uid, status in owners if uid != person.id and status == "active"]
        return any(uid == person.id for uid, _ in owners) and not others

    @staticmethod
    def _make_owner(tx: Tx, team: Team, successor: User) -> None:
        membership = tx.session.scalar(
            select(Membership).where(
                Membership.team_id == team.id, Membership.user_id == successor.id
            )
        )
        if membership is None:
            tx.session.add(
                Membership(
                    user_id=successor.id,
                    team_id=team.id,
                    member_key=successor.name_key,
                    role="owner",
                    added_by=tx.actor.id if tx.actor else None,
                    added_at=tx.now,
                    version=1,
                )
            )
        else:
            membership.role = "owner"
            membership.version += 1
