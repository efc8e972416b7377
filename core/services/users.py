"""Account use cases: add, list, deactivate, reactivate."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.models import User
from core.permissions import WorkspaceAction, owner_only_refusal
from core.services.base import ServiceBase, Tx, like_pattern, user_view
from core.validation import check_page, clean_display_name, clean_email, clean_role, email_key
from core.views import Page, Principal, UserView


class UserServices(ServiceBase):
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

    def deactivate_user(self, actor: Principal, email: str) -> UserView:
        """Stop an account from doing anything; its memberships stay for the record."""
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
            user.status = "deactivated"
            tx.audit()
            return user_view(user)

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
            raise NotFound(f"There is no account with the email {cleaned!r}.")
        tx.target = f"user:{user.email}"
        return user
