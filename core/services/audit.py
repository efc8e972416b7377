"""Reading the audit log: a team's activity, or the whole workspace's for its admins."""

from __future__ import annotations

from sqlalchemy import Select, select

from core.models import AuditEvent
from core.permissions import TeamAction, WorkspaceAction
from core.services.base import ServiceBase, Tx, read_page
from core.validation import check_page
from core.views import AuditView, Page, Principal


class AuditServices(ServiceBase):
    def list_audit(
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

    def _readable_events(self, tx: Tx, team: int | str | None) -> Select[AuditEvent]:
        """The events of ``team``, or of the whole workspace for those who may read it."""
        self._require_workspace(tx)
        stmt = select(AuditEvent)
        if team is not None:
            found, _ = self._team(tx, team, TeamAction.VIEW)
            return stmt.where(AuditEvent.team_id == found.id)
        self._require_workspace_action(tx, WorkspaceAction.VIEW_AUDIT)
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
