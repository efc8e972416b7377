"""Reading the audit log: a team's activity, or the whole workspace's for its admins."""

from __future__ import annotations

from sqlalchemy import select

from core.models import AuditEvent
from core.permissions import TeamAction, WorkspaceAction
from core.services.base import ID_MAX, ServiceBase
from core.views import AuditView, Principal


class AuditServices(ServiceBase):
    def list_audit(
        self,
        actor: Principal,
        team: int | str | None = None,
        limit: int = 50,
        before_id: int | None = None,
    ) -> list[AuditView]:
        """Newest first. ``before_id`` pages back from an event already shown."""
        with self._tx(actor, "audit.list", write=False) as tx:
            self._require_workspace(tx)
            stmt = select(AuditEvent)
            if team is not None:
                found, _ = self._team(tx, team, TeamAction.VIEW, "")
                stmt = stmt.where(AuditEvent.team_id == found.id)
            else:
                self._require_workspace_action(
                    tx,
                    WorkspaceAction.VIEW_AUDIT,
                    "Only workspace admins and owners can read the whole audit log; name a team.",
                )
            if before_id is not None:
                # Kept within the id column's range: every id is below a larger number.
                stmt = stmt.where(AuditEvent.id <= max(0, min(before_id - 1, ID_MAX)))
            stmt = stmt.order_by(AuditEvent.id.desc()).limit(max(1, min(limit, 1000)))
            return [
                AuditView(e.id, e.at, e.actor_label, e.action, e.target, e.team_id, e.outcome, e.details or {})
                for e in tx.session.scalars(stmt)
            ]
