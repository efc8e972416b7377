"""Account use cases: add, list, deactivate, reactivate."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from core.errors import Conflict, InvalidInput, LastOwner, NotFound, PermissionDenied
from core.models import Membership, Team, User
from core.permissions import WorkspaceAction, owner_only_refusal
from core.services.base import Tx, like_pattern, user_view
from core.services.members import MemberServices, other_active_owners
from core.text import quoted
from core.validation import check_page, clean_display_name, clean_email, clean_role, email_key
from core.views import Page, Principal, UserView


class UserServices(MemberServices):
    def add_user(
        self,
        actor: Principal,
        email: str,
        display_name: str | None = None,
        workspace_role: str = "member",
    ) -> UserView:
        with self._tx(actor, "user.add", target=f"user:{email}") as tx:
            self._require_workspace(tx)
            self._require_workspace_action(tx, WorkspaceAction.MANAGE_USERS)
            email = clean_email(email)
            role = clean_role(workspace_role)
            display = clean_display_name(display_name or email.split("@")[0])
            assert tx.actor is not None
            refusal = owner_only_refusal("make", tx.actor.workspace_role, role)
            if refusal:
                raise PermissionDenied(refusal)
            if tx.session.scalar(select(User.id).where(User.email_key == email_key(email))):
                raise Conflict(f"An account with the email {email} already exists.")
            user = User(
                email=email,
                email_key=email_key(email),
                display_name=display,
                name_key=display.casefold(),
                workspace_role=role,
                status="active",
                created_at=tx.now,
            )
            tx.session.add(user)
            tx.session.flush()
            tx.target = f"user:{email}"
            tx.details = {"workspace_role": role}
            tx.audit()
            return user_view(user)

    def list_users(
        self, actor: Principal, query: str = "", offset: int = 0, limit: int | None = None
    ) -> Page[UserView]:
        """Every account, active or not; any active account may see the directory."""
        with self._tx(actor, "user.list", write=False) as tx:
            self._require_workspace(tx)
            check_page(offset, limit)
            stmt = select(User)
            if query.strip():
                pattern = like_pattern(query.strip())
                stmt = stmt.where(
                    or_(
                        User.email_key.like(pattern, escape="\\"),
                        User.name_key.like(pattern, escape="\\"),
                    )
                )
            total = tx.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
            stmt = stmt.order_by(User.email_key).offset(offset)
            if limit is not None:
                stmt = stmt.limit(limit)
            return Page([user_view(u) for u in tx.session.scalars(stmt)], total, offset)

    def get_user(self, actor: Principal, email: str) -> UserView:
        with self._tx(actor, "user.read", write=False) as tx:
            return user_view(self._user_by_email(tx, email))

    def deactivate_user(
        self, actor: Principal, email: str, successor: str | None = None
    ) -> UserView:
        """Stop an account from doing anything; its memberships stay for the record. A team
        whose last active owner this is needs a ``successor`` (an email), who becomes its
        owner in the same transaction; without one the deactivation is refused, naming the
        teams."""
        with self._tx(actor, "user.deactivate", target=f"user:{email}") as tx:
            self._require_workspace_action(tx, WorkspaceAction.MANAGE_USERS)
            user = self._user_by_email(tx, email)
            assert tx.actor is not None
            if user.id == tx.actor.id:
                raise InvalidInput("You cannot deactivate your own account.", "email")
            refusal = owner_only_refusal("deactivate", tx.actor.workspace_role, user.workspace_role)
            if refusal:
                raise PermissionDenied(refusal)
            if user.status == "deactivated":
                raise Conflict(f"{user.email} is already deactivated.")
            orphaned = self._teams_left_ownerless(tx, user)
            heir = self._successor(tx, user, successor) if successor is not None else None
            if orphaned and heir is None:
                names = ", ".join(team.name for team in orphaned)
                teams = "team" if len(orphaned) == 1 else "teams"
                raise LastOwner(
                    f"{user.email} is the last active owner of the {teams} {names}; name a "
                    "successor to become owner, or make someone else an owner first."
                )
            user.status = "deactivated"
            tx.details = {"successor": heir.email} if heir and orphaned else {}
            tx.audit()
            if heir is not None:
                for team in orphaned:
                    self._hand_over(tx, team, heir, user)
            tx.action, tx.target, tx.team_id = "user.deactivate", f"user:{user.email}", None
            return user_view(user)

    def _teams_left_ownerless(self, tx: Tx, user: User) -> list[Team]:
        """The live teams ``user`` owns with no other active owner, their rows locked (in id
        order, the one lock order) so that no owner can leave them meanwhile."""
        owned = (
            select(Team)
            .join(Membership, Membership.team_id == Team.id)
            .where(
                Membership.user_id == user.id,
                Membership.role == "owner",
                Team.archived_at.is_(None),
            )
            .order_by(Team.id)
            .with_for_update(of=Team)
            .execution_options(populate_existing=True)
        )
        teams = list(tx.session.scalars(owned))
        return [team for team in teams if not other_active_owners(tx, team.id, user.id)]

    def _successor(self, tx: Tx, leaving: User, email: str) -> User:
        heir = tx.session.scalar(select(User).where(User.email_key == email_key(email.strip())))
        if heir is None:
            raise NotFound(f"There is no account with the email {quoted(email)} to succeed.")
        if heir.id == leaving.id:
            raise InvalidInput("The successor must be someone else.", "successor")
        if heir.status != "active":
            raise InvalidInput(f"The successor {heir.email} is deactivated.", "successor")
        return heir

    def _hand_over(self, tx: Tx, team: Team, heir: User, leaving: User) -> None:
        """Make ``heir`` an owner of ``team`` in place of ``leaving``, audited on the team."""
        tx.team_id = team.id
        tx.target = f"user:{heir.email}"
        membership = self._membership(tx, team.id, heir.id)
        reason = {"successor_of": leaving.email}
        if membership is None:
            tx.action, tx.details = "member.add", {**reason, "role": "owner"}
            self._add_membership(tx, team, heir, "owner")
            return
        tx.action, tx.details = "member.role", {**reason, "from": membership.role, "to": "owner"}
        membership.role = "owner"
        membership.version += 1
        tx.audit()

    def reactivate_user(self, actor: Principal, email: str) -> UserView:
        with self._tx(actor, "user.reactivate", target=f"user:{email}") as tx:
            self._require_workspace_action(tx, WorkspaceAction.MANAGE_USERS)
            user = self._user_by_email(tx, email)
            assert tx.actor is not None
            refusal = owner_only_refusal("reactivate", tx.actor.workspace_role, user.workspace_role)
            if refusal:
                raise PermissionDenied(refusal)
            if user.status == "active":
                raise Conflict(f"{user.email} is already active.")
            user.status = "active"
            tx.audit()
            return user_view(user)

    @staticmethod
    def _user_by_email(tx: Tx, email: str) -> User:
        cleaned = (email or "").strip()
        user = tx.session.scalar(select(User).where(User.email_key == email_key(cleaned)))
        if user is None:
            raise NotFound(f"There is no account with the email {quoted(cleaned)}.")
        tx.target = f"user:{user.email}"
        return user
