"""Invitations: invite by email (adding existing accounts at once), bulk invite, list, resend,
revoke, copy link, accept. Messages go to the outbox in the same transaction."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import Select, select, update
from sqlalchemy.orm import aliased

from core.errors import (
    Conflict,
    DatabaseBusy,
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from core.locking import lock_row
from core.models import Invitation, OutboxMessage, Team, User
from core.permissions import TeamAction
from core.services.base import Tx, read_page
from core.services.members import MemberServices, _member_view
from core.services.ssh_key_rows import insert_ssh_key
from core.ssh_public_keys import parse_public_key
from core.text import quoted
from core.tokens import invitation_token, looks_like_token, new_nonce, token_hash
from core.validation import check_page, clean_display_name, clean_email, clean_role, email_key
from core.views import AcceptResult, InvitationView, InviteOutcome, Page, Principal

_SPLIT = re.compile(r"[\s,;]+")


def split_addresses(text: str) -> list[str]:
    """Addresses pasted at once: comma, semicolon, space or newline separated, duplicates
    (ignoring case) dropped, order kept."""
    seen: set[str] = set()
    addresses = []
    for part in _SPLIT.split(text or ""):
        part = part.strip().strip("<>")
        if part and part.casefold() not in seen:
            seen.add(part.casefold())
            addresses.append(part)
    return addresses


class InvitationServices(MemberServices):
    def invite_member(
        self, actor: Principal, team: int | str, email: str, role: str = "member"
    ) -> InviteOutcome:
        """Add an existing account at once (and tell them by email), or invite an unknown
        address with a single-use link. Already a member or already invited: a Conflict."""
        with self._tx(actor, "member.invite", target=f"user:{email}") as tx:
            found, _ = self._team(tx, team, TeamAction.MANAGE_MEMBERS, lock=True)
            tx.target = f"user:{email}"
            role = clean_role(role)
            email = clean_email(email)
            tx.target = f"user:{email}"
            assert tx.actor is not None
            user = tx.session.scalar(select(User).where(User.email_key == email_key(email)))
            if user is not None:
                tx.action = "member.add"
                membership = self._add_membership(tx, found, user, role)
                self._queue(tx, "added", user.email, None, {"team": found.name, "role": role})
                member = _member_view(membership, user, tx.actor.email)
                return InviteOutcome(
                    user.email,
                    "added",
                    f"{user.email} added to {found.name} as {role}.",
                    member=member,
                )
            pending = self._pending_for(tx, found.id, email)
            if pending is not None:
                raise Conflict(
                    f"{email} is already invited to {found.name} (until "
                    f"{_when(pending.expires_at)}); resend that invitation instead."
                )
            self._expire_lapsed(tx, found.id, email)
            invitation = Invitation(
                team_id=found.id,
                email=email,
                email_key=email_key(email),
                role=role,
                invited_by=tx.actor.id,
                created_at=tx.now,
                status="pending",
                delivery="queued",
                attempts=0,
            )
            self._new_token(tx, invitation)
            tx.session.add(invitation)
            tx.session.flush()
            self._queue(tx, "invitation", email, invitation.id, {})
            tx.details = {"role": role, "expires_at": invitation.expires_at.isoformat()}
            tx.audit()
            view = self._invitation_view(invitation, found.name, tx.actor.email, tx.now)
            return InviteOutcome(email, "invited", f"Invited {email} as {role}.", invitation=view)

    def invite_members(
        self, actor: Principal, team: int | str, addresses: str | list[str], role: str = "member"
    ) -> list[InviteOutcome]:
        """Invite several addresses, each in its own transaction with its own result line."""
        items = split_addresses(addresses) if isinstance(addresses, str) else list(addresses)
        if not items:
            raise InvalidInput("Enter at least one email address.", "email")
        outcomes = []
        for address in items:
            try:
                outcomes.append(self.invite_member(actor, team, address, role))
            except InvalidInput as error:
                outcomes.append(InviteOutcome(address, "invalid", error.message))
            except Conflict as error:
                kind = "already_invited" if "already invited" in error.message else "already_member"
                outcomes.append(InviteOutcome(address, kind, error.message))
            except DomainError as error:
                outcomes.append(InviteOutcome(address, "refused", error.message))
                if isinstance(error, (PermissionDenied, DatabaseBusy)):
                    break  # the same refusal would repeat for every address
        return outcomes

    def list_invitations(
        self,
        actor: Principal,
        team: int | str,
        offset: int = 0,
        limit: int | None = None,
        *,
        include_closed: bool = False,
        from_end: bool = False,
    ) -> Page[InvitationView]:
        """The team's invitations newest first (lapsed pending ones read as expired), a page
        at a time with how many there are. With ``from_end`` the offset counts back from the
        oldest invitation (the items still come newest first, and the page's ``offset``
        counts from the newest), so the end of a bulk invite costs what its start does."""
        with self._tx(actor, "invitation.list", write=False) as tx:
            check_page(offset, limit)
            found, stmt = self._invitations(tx, team, include_closed)
            newest, oldest = (Invitation.id.desc(),), (Invitation.id.asc(),)
            rows, total, offset = read_page(
                tx.session,
                stmt,
                Invitation.id,
                newest,
                offset,
                limit,
                from_end_order=oldest if from_end else None,
            )
            items = [self._invitation_view(inv, found.name, by, tx.now) for inv, by in rows]
            return Page(items, total, offset)

    def resend_invitation(self, actor: Principal, team: int | str, email: str) -> InvitationView:
        """A new token and a new expiry (the old link stops working), and a new email.
        Works for pending and expired invitations alike."""
        with self._tx(actor, "invitation.resend", target=f"user:{email}") as tx:
            found, _ = self._team(tx, team, TeamAction.MANAGE_MEMBERS, lock=True)
            invitation = self._open_invitation(tx, found, email)
            self._new_token(tx, invitation)
            invitation.status, invitation.delivery = "pending", "queued"
            invitation.attempts, invitation.last_error = 0, None
            self._queue(tx, "invitation", invitation.email, invitation.id, {})
            tx.details = {"expires_at": invitation.expires_at.isoformat()}
            tx.audit()
            assert tx.actor is not None
            return self._invitation_view(invitation, found.name, tx.actor.email, tx.now)

    def revoke_invitation(self, actor: Principal, team: int | str, email: str) -> InvitationView:
        with self._tx(actor, "invitation.revoke", target=f"user:{email}") as tx:
            found, _ = self._team(tx, team, TeamAction.MANAGE_MEMBERS, lock=True)
            invitation = self._open_invitation(tx, found, email)
            invitation.status = "revoked"
            tx.audit()
            return self._invitation_view(invitation, found.name, None, tx.now)

    def change_invitation_role(
        self, actor: Principal, team: int | str, email: str, role: str
    ) -> InvitationView:
        """The role a pending invitation gives on acceptance; the link stays the same. Needs
        what inviting needs."""
        with self._tx(actor, "invitation.role", target=f"user:{email}") as tx:
            found, _ = self._team(tx, team, TeamAction.MANAGE_MEMBERS, lock=True)
            role = clean_role(role)
            invitation = self._open_invitation(tx, found, email)
            tx.details = {"from": invitation.role, "to": role}
            invitation.role = role
            tx.audit()
            return self._invitation_view(invitation, found.name, None, tx.now)

    def invitation_link(self, actor: Principal, team: int | str, email: str) -> str:
        """The invitation's link, for when mail cannot reach the person. The token is derived
        again from the secret key; it is not stored anywhere."""
        with self._tx(actor, "invitation.link", target=f"user:{email}") as tx:
            found, _ = self._team(tx, team, TeamAction.MANAGE_MEMBERS)
            invitation = self._open_invitation(tx, found, email)
            if invitation.expires_at <= tx.now:
                raise Conflict(f"The invitation for {invitation.email} has expired; resend it.")
            tx.audit()
            return self.invite_url(self.token_for(invitation))

    def accept_invitation(
        self, token: str, display_name: str | None = None, public_key: str | bytes | None = None
    ) -> AcceptResult:
        """Redeem a token once: create the account if needed and join the team. With
        ``public_key``, register that SSH key for the account in the same transaction: a bad
        or taken key spends no token, and a spent token stores no key."""
        token = (token or "").strip()
        parsed = parse_public_key(public_key) if public_key is not None else None
        with self._tx(None, "invitation.accept", target="invitation") as tx:
            self._require_workspace(tx)
            if not looks_like_token(token):
                raise InvalidInput(
                    "That is not an invitation token; copy the whole token from the email.", "token"
                )
            invitation = self._locked_invitation(tx, token)
            tx.label, tx.target, tx.team_id = (
                invitation.email,
                f"user:{invitation.email}",
                invitation.team_id,
            )
            if invitation.status == "accepted":
                raise Conflict("That invitation has already been used.")
            if invitation.status == "revoked":
                raise Conflict("That invitation was revoked; ask a team owner for a new one.")
            if invitation.expires_at <= tx.now:
                raise Conflict(
                    f"That invitation expired on {_when(invitation.expires_at)}; ask a team owner to resend it."
                )
            self._require_teams_plan(tx)
            team = self._find_team(tx, invitation.team_id, lock=True)
            user = tx.session.scalar(select(User).where(User.email_key == invitation.email_key))
            created = user is None
            if user is None:
                name = clean_display_name(display_name or invitation.email.split("@")[0])
                user = User(
                    email=invitation.email,
                    email_key=invitation.email_key,
                    display_name=name,
                    name_key=name.casefold(),
                    workspace_role="member",
                    status="active",
                    created_at=tx.now,
                )
                tx.session.add(user)
                tx.session.flush()
            invitation.status = "accepted"
            membership = self._membership(tx, team.id, user.id)
            joined = membership is None
            if membership is None:
                tx.details = {"created_account": created}
                membership = self._add_membership(tx, team, user, invitation.role)
            else:
                # The role stays what it is: an invitation never demotes anyone.
                tx.details = {"already": membership.role, "invited_as": invitation.role}
                tx.audit()
            principal = Principal(user.id, user.email)
            if parsed is not None:
                principal = principal.over_ssh(parsed.fingerprint)
                tx.action, tx.target, tx.via = "ssh_key.add", f"user:{user.email}", principal.via
                insert_ssh_key(tx, user, parsed, added_by=user, details={"invitation": True})
            return AcceptResult(principal, team.name, membership.role, created, joined)

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _locked_invitation(tx: Tx, token: str) -> Invitation:
        """The invitation ``token`` opens, locked in the order of core/locking.py: read it
        to learn its team, lock the team row, then lock the invitation and read it afresh
        (a resend may have replaced its token meanwhile)."""
        invalid = NotFound(
            "That invitation token is not valid; it may have been replaced by a newer one."
        )
        by_token = select(Invitation).where(Invitation.token_hash == token_hash(token))
        found = tx.session.scalar(by_token)
        if found is None:
            raise invalid
        lock_row(tx.session, select(Team).where(Team.id == found.team_id))
        invitation = lock_row(tx.session, by_token.where(Invitation.id == found.id))
        if invitation is None:
            raise invalid
        return invitation

    def token_for(self, invitation: Invitation) -> str:
        return invitation_token(self.settings.resolved_secret_key(), invitation.token_nonce)

    def invite_url(self, token: str) -> str:
        return f"{self.settings.public_url.rstrip('/')}/invite/{token}"

    def _new_token(self, tx: Tx, invitation: Invitation) -> None:
        # A token that starts with "-" reads as an option on a command line (auxot accept
        # -Xy…): draw nonces until it does not, which costs 1/64 of the token space.
        token = "-"
        while token.startswith("-"):
            invitation.token_nonce = new_nonce()
            token = self.token_for(invitation)
        invitation.token_hash = token_hash(token)
        invitation.expires_at = tx.now + timedelta(hours=self.settings.invite_ttl_hours)

    @staticmethod
    def _queue(tx: Tx, kind: str, recipient: str, invitation_id: int | None, payload: dict) -> None:
        inviter = tx.actor.display_name if tx.actor else "Auxot"
        inviter_email = tx.actor.email if tx.actor else ""
        tx.session.add(
            OutboxMessage(
                kind=kind,
                recipient=recipient,
                invitation_id=invitation_id,
                payload={**payload, "inviter": inviter, "inviter_email": inviter_email},
                status="queued",
                attempts=0,
                created_at=tx.now,
                next_attempt_at=tx.now,
            )
        )

    @staticmethod
    def _pending_for(tx: Tx, team_id: int, email: str) -> Invitation | None:
        return tx.session.scalar(
            select(Invitation).where(
                Invitation.team_id == team_id,
                Invitation.email_key == email_key(email),
                Invitation.status == "pending",
                Invitation.expires_at > tx.now,
            )
        )

    @staticmethod
    def _expire_lapsed(tx: Tx, team_id: int, email: str) -> None:
        """Mark a lapsed pending invitation expired before a new one takes its place: one
        pending invitation per person and team is a unique index (core/models.py)."""
        tx.session.execute(
            update(Invitation)
            .where(
                Invitation.team_id == team_id,
                Invitation.email_key == email_key(email),
                Invitation.status == "pending",
            )
            .values(status="expired")
        )
        tx.clash = f"{email} was invited at the same moment; resend that invitation instead."

    def _invitations(
        self, tx: Tx, team: int | str, include_closed: bool
    ) -> tuple[Team, Select[Invitation, str]]:
        """The team, once the actor may manage its members, and its invitations (pending
        only, unless ``include_closed``) with their inviter's email, in no order yet."""
        found, _ = self._team(tx, team, TeamAction.MANAGE_MEMBERS)
        inviter = aliased(User)
        stmt = (
            select(Invitation, inviter.email)
            .outerjoin(inviter, inviter.id == Invitation.invited_by)
            .where(Invitation.team_id == found.id)
        )
        if not include_closed:
            stmt = stmt.where(Invitation.status == "pending")
        return found, stmt

    @staticmethod
    def _open_invitation(tx: Tx, team: Team, email: str) -> Invitation:
        """The newest pending (possibly lapsed) invitation of ``email`` to ``team``."""
        cleaned = (email or "").strip()
        tx.target = f"user:{cleaned}"
        invitation = tx.session.scalar(
            select(Invitation)
            .where(
                Invitation.team_id == team.id,
                Invitation.email_key == email_key(cleaned),
                Invitation.status == "pending",
            )
            .order_by(Invitation.id.desc())
            .limit(1)
        )
        if invitation is None:
            raise NotFound(f"There is no open invitation for {quoted(cleaned)} to {team.name}.")
        return invitation

    @staticmethod
    def _invitation_view(
        invitation: Invitation, team_name: str, invited_by: str | None, now: datetime
    ) -> InvitationView:
        status = invitation.status
        if status == "pending" and invitation.expires_at <= now:
            status = "expired"
        return InvitationView(
            id=invitation.id,
            team_id=invitation.team_id,
            team_name=team_name,
            email=invitation.email,
            role=invitation.role,
            invited_by=invited_by,
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
            status=status,
            delivery=invitation.delivery,
            attempts=invitation.attempts,
            last_error=invitation.last_error,
        )


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
