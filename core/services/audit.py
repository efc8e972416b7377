"""Reading the audit log: a team's activity, or the whole workspace's for its admins."""

from __future__ import annotations

from sqlalchemy import Select, select

from core.models import AuditEvent
from core.permissions import TeamAction, WorkspaceAction
from core.services.base import ID_MAX, ServiceBase, Tx, read_page
from core.validation import check_page
from core.views import AuditView, Page, Principal


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
            stmt = self._readable_events(tx, team)
            if before_id is not None:
                # Kept within the id column's range: every id is below a larger number.
                stmt = stmt.where(AuditEvent.id <= max(0, min(before_id - 1, ID_MAX)))
            stmt = stmt.order_by(AuditEvent.id.desc()).limit(max(1, min(limit, 1000)))
            return [_view(e) for e in tx.session.scalars(stmt)]

    def audit_page(
        self,
        actor: Principal,
        team: int | str | None = None,
        offset: int = 0,
        limit: int = 50,
        *,
        from_end: bool = False,
    ) -> Page[AuditView]:
        """Newest first, ``limit`` events (at most 1000) from ``offset``, with how many there
        are: for a list that scrolls through the whole log. With ``from_end`` the offset
        counts back from the oldest event (the items still come newest first)."""
        with self._tx(actor, "audit.list", write=False) as tx:
            check_page(offset, limit)
            newest, oldest = (AuditEvent.id.desc(),), (AuditEvent.id.asc(),)
            rows, total, offset = read_page(
                tx.session,
                self._readable_events(tx, team),
                AuditEvent.id,
                newest,
                offset,
                min(limit, 1000),
                from_end_order=oldest if from_end else None,
            )
            items = [_view(row[0]) for row in rows]
            return Page(items, total, offset)

    def _readable_events(self, tx: Tx, team: int | str | None) -> Select[tuple[AuditEvent]]:
        """The events of ``team``, or of the whole workspace for those who may read it."""
        self._require_workspace(tx)
        stmt = select(AuditEvent)
        if team is not None:
            found, _ = self._team(tx, team, TeamAction.VIEW, "")
            return stmt.where(AuditEvent.team_id == found.id)
        self._require_workspace_action(
            tx,
            WorkspaceAction.VIEW_AUDIT,
            "Only workspace admins and owners can read the whole audit log; name a team.",
        )
        return stmt


def _view(event: AuditEvent) -> AuditView:
    return AuditView(
        event.id,
        event.at,
        event.actor_label,
        event.action,
        event.target,
        event.team_id,
        event.outcome,
        event.details or {},
    )
