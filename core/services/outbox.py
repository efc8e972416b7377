"""Delivering the outbox: claim due messages, compose them, send or write .eml, record the
outcome. A message is committed before any delivery starts, so nothing is lost when the
mail server is down, slow, refuses, or the process stops mid-way."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import and_, or_, select

from core.mail import (
    AddedMail,
    DeliveryError,
    InvitationMail,
    compose_added,
    compose_invitation,
    send_smtp,
    write_eml,
)
from core.models import Invitation, OutboxMessage, Team
from core.permissions import WorkspaceAction
from core.services.base import read_page
from core.services.invitations import InvitationServices
from core.validation import check_page
from core.views import DeliveryReport, OutboxView, Page, Principal

MAX_ATTEMPTS = 8
CLAIM_LEASE = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """1 min, 2, 4, … capped at an hour."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


class OutboxServices(InvitationServices):
    def deliver_outbox(self, *, due_only: bool = True, limit: int = 100) -> DeliveryReport:
        """Send what is waiting. ``due_only`` respects the retry backoff; a person flushing by
        hand sends every unsent message now."""
        claimed = self._claim(due_only, limit)
        sent = failed = 0
        errors: list[str] = []
        written_to = None
        for message_id in claimed:
            outcome = self._deliver_one(message_id)
            if outcome is None:
                continue
            ok, where = outcome
            if ok:
                sent += 1
                if not self.settings.smtp_host:
                    written_to = str(self.settings.outbox_dir())
            else:
                failed += 1
                errors.append(where)
        return DeliveryReport(sent, failed, written_to, errors)

    def list_outbox(
        self,
        actor: Principal,
        offset: int = 0,
        limit: int | None = 100,
        *,
        from_end: bool = False,
    ) -> Page[OutboxView]:
        """Newest first, ``limit`` messages from ``offset``, with how many there are. With
        ``from_end`` the offset counts back from the oldest message (the items still come
        newest first)."""
        with self._tx(actor, "outbox.list", write=False) as tx:
            self._require_workspace_action(
                tx,
                WorkspaceAction.MANAGE_USERS,
                "Only workspace admins and owners can read the outbox.",
            )
            check_page(offset, limit)
            rows, total, offset = read_page(
                tx.session,
                select(OutboxMessage),
                OutboxMessage.id,
                (OutboxMessage.id.desc(),),
                offset,
                limit,
                from_end_order=(OutboxMessage.id.asc(),) if from_end else None,
            )
            return Page([_view(row[0]) for row in rows], total, offset)

    # -- steps ------------------------------------------------------------------------------

    def _claim(self, due_only: bool, limit: int) -> list[int]:
        """Mark due messages as being sent, so two senders never send one message twice."""
        now = self.clock()
        with self.db.session() as session:
            waiting = and_(
                OutboxMessage.status.in_(("queued", "failed")),
                OutboxMessage.attempts < MAX_ATTEMPTS,
            )
            if due_only:
                waiting = and_(waiting, OutboxMessage.next_attempt_at <= now)
            lapsed = and_(OutboxMessage.status == "sending", OutboxMessage.next_attempt_at <= now)
            rows = session.scalars(
                select(OutboxMessage)
                .where(or_(waiting, lapsed))
                .order_by(OutboxMessage.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
            for row in rows:
                row.status = "sending"
                row.next_attempt_at = now + CLAIM_LEASE
            return [row.id for row in rows]

    def _deliver_one(self, message_id: int) -> tuple[bool, str] | None:
        with self.db.session(write=False) as session:
            row = session.get(OutboxMessage, message_id)
            if row is None:
                return None
            invitation = session.get(Invitation, row.invitation_id) if row.invitation_id else None
            team = session.get(Team, invitation.team_id) if invitation else None
            kind, recipient, payload = row.kind, row.recipient, dict(row.payload or {})
        sender = self.settings.smtp_from
        if kind == "invitation":
            if invitation is None or invitation.status != "pending" or team is None:
                self._record(message_id, False, "the invitation is no longer open", final=True)
                return None
            token = self.token_for(invitation)
            message = compose_invitation(
                InvitationMail(
                    recipient=recipient,
                    team=team.name,
                    role=invitation.role,
                    inviter=_inviter(payload),
                    link=self.invite_url(token),
                    token=token,
                    expires_at=invitation.expires_at,
                ),
                sender,
            )
        else:
            message = compose_added(
                AddedMail(
                    recipient, str(payload.get("team")), str(payload.get("role")), _inviter(payload)
                ),
                sender,
            )
        try:
            if self.settings.smtp_host:
                where = asyncio.run(send_smtp(message, self.settings))
            else:
                stamp = self.clock().strftime("%Y%m%d-%H%M%S")
                where = str(write_eml(message, self.settings.outbox_dir(), f"{stamp}-{message_id}"))
        except DeliveryError as error:
            self._record(message_id, False, str(error))
            return False, f"{recipient}: {error}"
        self._record(message_id, True, where)
        return True, where

    def _record(self, message_id: int, ok: bool, detail: str, *, final: bool = False) -> None:
        now = self.clock()
        with self.db.session() as session:
            row = session.get(OutboxMessage, message_id)
            if row is None:
                return
            row.attempts += 1
            if ok:
                row.status, row.sent_at, row.delivered_to, row.last_error = (
                    "sent",
                    now,
                    detail[:1000],
                    None,
                )
            else:
                row.status, row.last_error = "failed", detail[:1000]
                row.next_attempt_at = now + backoff(row.attempts)
                if final:
                    row.attempts = MAX_ATTEMPTS
            if row.invitation_id is not None and not final:
                invitation = session.get(Invitation, row.invitation_id)
                if invitation is not None:
                    invitation.delivery = "sent" if ok else "failed"
                    invitation.attempts = row.attempts
                    invitation.last_error = None if ok else row.last_error


def _view(m: OutboxMessage) -> OutboxView:
    return OutboxView(
        m.id,
        m.kind,
        m.recipient,
        m.status,
        m.attempts,
        m.last_error,
        m.created_at,
        m.next_attempt_at,
        m.sent_at,
        m.delivered_to,
    )


def _inviter(payload: dict) -> str:
    name, email = payload.get("inviter") or "A team owner", payload.get("inviter_email")
    return f"{name} ({email})" if email else str(name)
