"""Workspace use cases: create it, read it, set its plan, say who the actor is."""

from __future__ import annotations

from sqlalchemy import select

from core.errors import Conflict, NotFound
from core.models import User, Workspace
from core.permissions import WorkspaceAction, workspace_actions
from core.services.base import ServiceBase, user_view, workspace_view
from core.text import quoted
from core.validation import (
    clean_display_name,
    clean_email,
    clean_name,
    clean_plan,
    email_key,
)
from core.views import Me, Principal, WorkspaceView


class WorkspaceServices(ServiceBase):
    def init_workspace(
        self, name: str, owner_email: str, owner_name: str | None = None, plan: str = "business"
    ) -> Principal:
        """Create the workspace and its owner account. There is one workspace per database."""
        with self._tx(None, "workspace.init", target=f"workspace:{name}") as tx:
            name = clean_name(name, "A workspace name", 80)
            email = clean_email(owner_email)
            plan = clean_plan(plan)
            display = clean_display_name(owner_name or email.split("@")[0])
            if tx.workspace is not None:
                raise Conflict(_already_has(tx.workspace.name))
            # Two first runs at once: the schema allows one workspace row, so the later
            # insert is refused once the first commits, and this names the one that won.
            tx.clash = self._workspace_exists
            tx.session.add(Workspace(name=name, plan=plan, created_at=tx.now))
            owner = User(
                email=email,
                email_key=email_key(email),
                display_name=display,
                name_key=display.casefold(),
                workspace_role="owner",
                status="active",
                created_at=tx.now,
            )
            tx.session.add(owner)
            tx.session.flush()
            tx.details = {"plan": plan, "owner": email}
            tx.audit()
            return Principal(owner.id, owner.email)

    def _workspace_exists(self) -> str:
        workspace = self.get_workspace()
        if workspace is None:
            return "Another workspace was being created at the same moment; try again."
        return _already_has(workspace.name)

    def principal_for(self, email: str, via: str | None = None) -> Principal:
        """The account behind an email, to act as. Unknown emails get a sentence.
        ``via`` names the credential the session came in with, for the audit log."""
        with self.db.session(write=False) as session:
            if session.scalar(select(Workspace.id).limit(1)) is None:
                raise NotFound("There is no workspace yet; run `auxot init` or `auxot demo` first.")
            key = email_key((email or "").strip())
            user = session.scalar(select(User).where(User.email_key == key))
            if user is None:
                raise NotFound(f"There is no account with the email {quoted(email)}.")
            return Principal(user.id, user.email, via)

    def me(self, actor: Principal) -> Me:
        with self._tx(actor, "workspace.read", write=False) as tx:
            workspace = self._require_workspace(tx)
            assert tx.actor is not None
            return Me(
                user=user_view(tx.actor),
                workspace=workspace_view(workspace),
                actions=workspace_actions(tx.actor.workspace_role, workspace.plan),
            )

    def get_workspace(self) -> WorkspaceView | None:
        with self.db.session(write=False) as session:
            workspace = session.scalar(select(Workspace).limit(1))
            return workspace_view(workspace) if workspace else None

    def set_plan(self, actor: Principal, plan: str) -> WorkspaceView:
        """Change the plan. A downgrade keeps every team; they come back on upgrade."""
        with self._tx(actor, "workspace.plan") as tx:
            workspace = self._require_workspace(tx)
            plan = clean_plan(plan)
            self._require_workspace_action(tx, WorkspaceAction.SET_PLAN)
            tx.target = f"workspace:{workspace.name}"
            tx.details = {"from": workspace.plan, "to": plan}
            workspace.plan = plan
            tx.audit()
            return workspace_view(workspace)


def _already_has(name: str) -> str:
    return f"This database already has the workspace {quoted(name)}."
