"""Delivering the outbox: claim due messages, compose them, send or write .eml, record the
outcome. A message is committed before any delivery starts, so nothing is lost when the
mail server is down, slow, refuses, or the process stops mid-way.

A pass delivers everything waiting, in batches of :data:`BATCH` claimed together and sent
over one SMTP connection. A claim names its process (core/claims.py): one whose process is
gone on this host is taken back at once; one from another host lapses after
:data:`CLAIM_LEASE`. A server that refuses a recipient or a message for good (5xx) is not
asked again: the message is failed for good with its reply, and the owner can resend."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import ColumnElement, and_, func, or_, select

from core.claims import claim_is_dead, new_claim
from core.errors import ConfigError
from core.mail import (
    AddedMail,
    DeliveryError,
    InvitationMail,
    Outgoing,
    Result,
    ServerUnreachable,
    compose_added,
    compose_invitation,
    send_batch,
    write_eml,
)
from core.models import Invitation, OutboxMessage, Team
from core.permissions import WorkspaceAction
from core.services.base import read_page
from core.services.invitations import InvitationServices
from core.validation import check_page
from core.views import DeliveryReport, MailOutcome, OutboxView, Page, Principal

MAX_ATTEMPTS = 8
CLAIM_LEASE = timedelta(minutes=5)
BATCH = 100  # messages claimed together and sent over one connection


def backoff(attempts: int) -> timedelta:
    """1 min, 2, 4, … capped at an hour."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


@dataclass
class _Pass:
    """One delivery pass: its claim, how far it got, and what became of each message."""

    claim: str
    after: int = 0  # the highest id claimed so far: each message is tried once a pass
    outcomes: list[MailOutcome] | None = None
    stopped: bool = False  # an unreachable server or the limit ended it early


class OutboxServices(InvitationServices):
    def deliver_outbox(self, *, due_only: bool = True, limit: int | None = None) -> DeliveryReport:
        """Send what is waiting, all of it unless ``limit`` says how many at most.
        ``due_only`` respects the retry backoff; a person flushing by hand sends every
        unsent message now. The report says what became of each message, and how many are
        left when a limit or an unreachable server stopped the pass."""
        run = _Pass(new_claim(), outcomes=[])
        assert run.outcomes is not None
        while limit is None or len(run.outcomes) < limit:
            size = BATCH if limit is None else min(BATCH, limit - len(run.outcomes))
            claimed = self._claim(run, due_only, size)
            if not claimed:
                break
            self._deliver_batch(run, claimed)
            if run.stopped:
                break
        else:
            run.stopped = True
        left = self._waiting_count(run, due_only) if run.stopped else 0
        outcomes = run.outcomes
        sent = [o for o in outcomes if o.status in ("sent", "written")]
        failed = [o for o in outcomes if o.status in ("queued", "rejected")]
        written = any(o.status == "written" for o in outcomes)
        return DeliveryReport(
            sent=len(sent),
            failed=len(failed),
            written_to=str(self.settings.outbox_dir()) if written else None,
            errors=[f"{o.recipient}: {o.detail}" for o in failed],
            outcomes=outcomes,
            left=left,
        )

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

    @staticmethod
    def _waiting(due_only: bool, now: datetime) -> ColumnElement[bool]:
        waiting = and_(
            OutboxMessage.status.in_(("queued", "failed")),
            OutboxMessage.attempts < MAX_ATTEMPTS,
        )
        if due_only:
            waiting = and_(waiting, OutboxMessage.next_attempt_at <= now)
        return waiting

    def _claim(self, run: _Pass, due_only: bool, limit: int) -> list[int]:
        """Mark due messages as being sent by this pass, so two senders never send one
        message twice; take back claims whose process is gone or whose lease lapsed."""
        now = self.clock()
        with self.db.session() as session:
            sending = session.execute(
                select(OutboxMessage.id, OutboxMessage.claimed_by).where(
                    OutboxMessage.status == "sending", OutboxMessage.id > run.after
                )
            ).all()
            orphaned = [row.id for row in sending if claim_is_dead(row.claimed_by)]
            lapsed = and_(OutboxMessage.status == "sending", OutboxMessage.next_attempt_at <= now)
            taken_back = OutboxMessage.id.in_(orphaned) if orphaned else lapsed
            rows = session.scalars(
                select(OutboxMessage)
                .where(
                    OutboxMessage.id > run.after,
                    or_(self._waiting(due_only, now), lapsed, taken_back),
                )
                .order_by(OutboxMessage.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            ).all()
            for row in rows:
                row.status, row.claimed_by = "sending", run.claim
                row.next_attempt_at = now + CLAIM_LEASE
            if rows:
                run.after = rows[-1].id
            return [row.id for row in rows]

    def _waiting_count(self, run: _Pass, due_only: bool) -> int:
        """Messages this pass did not reach."""
        with self.db.session(write=False) as session:
            waiting = self._waiting(due_only, self.clock())
            return (
                session.scalar(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(OutboxMessage.id > run.after, waiting)
                )
                or 0
            )

    def _deliver_batch(self, run: _Pass, claimed: list[int]) -> None:
        outgoing: list[tuple[Outgoing, str]] = []
        for message_id in claimed:
            composed = self._compose(run, message_id)
            if composed is not None:
                outgoing.append(composed)
        if not outgoing:
            return
        results: dict[int, Result]
        if self.settings.smtp_host:
            results = asyncio.run(send_batch([item for item, _ in outgoing], self.settings))
        else:
            results = {message_id: self._write(message_id, m) for (message_id, m), _ in outgoing}
        assert run.outcomes is not None
        for (message_id, _), recipient in outgoing:
            result = results.get(message_id, DeliveryError("not attempted"))
            outcome = self._record(run.claim, message_id, recipient, result)
            if outcome is not None:
                run.outcomes.append(outcome)
            if isinstance(result, ServerUnreachable):
                run.stopped = True

    def _write(self, message_id: int, message: EmailMessage) -> Result:
        stamp = self.clock().strftime("%Y%m%d-%H%M%S")
        try:
            return str(write_eml(message, self.settings.outbox_dir(), f"{stamp}-{message_id}"))
        except DeliveryError as error:
            return error

    def _compose(self, run: _Pass, message_id: int) -> tuple[Outgoing, str] | None:
        """The message to send and its recipient; None when there is nothing to send."""
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
                self._close(run.claim, message_id, "the invitation is no longer open")
                return None
            try:
                token = self.token_for(invitation)
            except ConfigError as error:  # the secret key file cannot be read
                self._record(run.claim, message_id, recipient, DeliveryError(str(error)))
                return None
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
        return (message_id, message), recipient

    def _close(self, claim: str, message_id: int, reason: str) -> None:
        """Nothing to send any more (the invitation was revoked or accepted)."""
        with self.db.session() as session:
            row = session.get(OutboxMessage, message_id)
            if row is not None and row.claimed_by == claim:
                row.status, row.last_error, row.claimed_by = "failed", reason, None
                row.attempts = max(row.attempts, MAX_ATTEMPTS)

    def _record(
        self, claim: str, message_id: int, recipient: str, result: Result
    ) -> MailOutcome | None:
        """Record one attempt, unless the claim was taken back meanwhile (then whoever took
        it records theirs)."""
        now = self.clock()
        if isinstance(result, DeliveryError):
            status = "rejected" if result.permanent else "queued"
            outcome = MailOutcome(recipient, status, str(result))
        else:
            written = not self.settings.smtp_host
            outcome = MailOutcome(recipient, "written" if written else "sent", result)
        with self.db.session() as session:
            row = session.get(OutboxMessage, message_id)
            if row is None or row.claimed_by != claim:
                return None
            row.attempts += 1
            row.claimed_by = None
            if outcome.status in ("sent", "written"):
                row.status, row.sent_at = "sent", now
                row.delivered_to, row.last_error = outcome.detail[:1000], None
            else:
                row.status, row.last_error = "failed", outcome.detail[:1000]
                row.next_attempt_at = now + backoff(row.attempts)
                if outcome.status == "rejected":
                    row.attempts = max(row.attempts, MAX_ATTEMPTS)  # never again by itself
            if row.invitation_id is not None:
                invitation = session.get(Invitation, row.invitation_id)
                if invitation is not None and invitation.status == "pending":
                    invitation.delivery = "failed" if row.status == "failed" else "sent"
                    invitation.attempts = row.attempts
                    invitation.last_error = row.last_error
        return outcome


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
        final=m.status == "failed" and m.attempts >= MAX_ATTEMPTS,
    )


def _inviter(payload: dict) -> str:
    name, email = payload.get("inviter") or "A team owner", payload.get("inviter_email")
    return f"{name} ({email})" if email else str(name)
