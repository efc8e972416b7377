"""SSH keys: the public keys that sign people in to ``auxot serve-ssh``.

Workspace admins manage anyone's keys (only an owner manages an owner's), everyone their own.
The server asks :meth:`principal_for_ssh_key` who a presented key belongs to, and
:meth:`accept_invitation_with_ssh_key` lets an unknown key redeem an invitation once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import aliased

from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.models import Invitation, SshKey, Team, User, Workspace
from core.permissions import WorkspaceAction, owner_only_refusal, workspace_actions
from core.services.base import ServiceBase, Tx, read_page
from core.services.ssh_key_rows import insert_ssh_key, ssh_key_view
from core.ssh_public_keys import clean_fingerprint, parse_public_key
from core.ssh_signatures import check_key_proof, key_proof_challenge, proof_needed
from core.text import quoted
from core.tokens import looks_like_token, token_hash
from core.validation import check_page, email_key
from core.views import AcceptResult, Page, Principal, SshKeyView

VIA_PREFIX = "ssh-key "
_UNKNOWN_KEY = (
    "This SSH key is not registered to any account; a workspace admin can add it with "
    "`auxot ssh-keys add EMAIL KEY.pub`."
)


def ssh_fingerprint_of(actor: Principal) -> str | None:
    """The fingerprint of the SSH key ``actor`` came in with, if they came in by one."""
    if actor.via and actor.via.startswith(VIA_PREFIX):
        return actor.via[len(VIA_PREFIX) :]
    return None


class SshKeyServices(ServiceBase):
    if TYPE_CHECKING:

        def accept_invitation(
            self,
            token: str,
            display_name: str | None = None,
            public_key: str | bytes | None = None,
        ) -> AcceptResult: ...

    def add_ssh_key(
        self,
        actor: Principal,
        email: str,
        public_key: str | bytes,
        signature: str | bytes | None = None,
    ) -> SshKeyView:
        """Register ``public_key`` (a .pub file's line) for the account ``email``. Someone
        who may not manage other accounts' keys registers one for themselves only with
        ``signature``, the key's signature over :func:`key_proof_challenge`: public keys are
        public, and nobody may bind someone else's key to their own account."""
        with self._tx(actor, "ssh_key.add", target=f"user:{email}") as tx:
            self._require_workspace(tx)
            owner = self._key_owner(tx, email)
            parsed = parse_public_key(public_key)
            assert tx.actor is not None
            proved = False
            if signature is not None and str(signature).strip():
                check_key_proof(parsed, owner.email, signature)
                proved = True
            elif not self._is_admin(tx):
                raise proof_needed(owner.email, parsed)
            return insert_ssh_key(
                tx,
                owner,
                parsed,
                added_by=tx.actor,
                details={"proof": "signature"} if proved else None,
            )

    def ssh_key_challenge(self, actor: Principal, email: str, public_key: str | bytes) -> str:
        """The line to sign with ``public_key`` to register it for ``email``."""
        with self._tx(actor, "ssh_key.read", write=False) as tx:
            self._require_workspace(tx)
            owner = self._key_owner(tx, email, reading=True)
            return key_proof_challenge(owner.email, parse_public_key(public_key).fingerprint)

    def list_ssh_keys(
        self,
        actor: Principal,
        email: str | None = None,
        offset: int = 0,
        limit: int | None = None,
        *,
        from_end: bool = False,
    ) -> Page[SshKeyView]:
        """The keys of ``email``; without it, every key the actor may see (all of them for
        workspace admins, their own for everyone else). Ordered by account, then age, a page
        at a time with how many there are; with ``from_end`` the offset counts back from the
        last key (the items still come in that order)."""
        with self._tx(actor, "ssh_key.list", write=False) as tx:
            self._require_workspace(tx)
            check_page(offset, limit)
            assert tx.actor is not None
            owner_alias, adder = aliased(User), aliased(User)
            stmt = (
                select(SshKey, owner_alias.email, adder.email)
                .join(owner_alias, owner_alias.id == SshKey.user_id)
                .outerjoin(adder, adder.id == SshKey.created_by)
            )
            if email is not None and email.strip():
                owner = self._key_owner(tx, email, reading=True)
                stmt = stmt.where(SshKey.user_id == owner.id)
            elif not self._is_admin(tx):
                stmt = stmt.where(SshKey.user_id == tx.actor.id)
            order = (owner_alias.email_key, SshKey.created_at, SshKey.id)
            rows, total, offset = read_page(
                tx.session,
                stmt,
                SshKey.id,
                order,
                offset,
                limit,
                from_end_order=tuple(column.desc() for column in order) if from_end else None,
            )
            items = [ssh_key_view(key, owner_email, by) for key, owner_email, by in rows]
            return Page(items, total, offset)

    def remove_ssh_key(self, actor: Principal, email: str, fingerprint: str) -> SshKeyView:
        """Unregister a key; sessions it opens from now on are refused."""
        with self._tx(actor, "ssh_key.remove", target=f"user:{email}") as tx:
            self._require_workspace(tx)
            owner = self._key_owner(tx, email)
            wanted = clean_fingerprint(fingerprint)
            key = tx.session.scalar(
                select(SshKey).where(SshKey.user_id == owner.id, SshKey.fingerprint == wanted)
            )
            if key is None:
                raise NotFound(f"{owner.email} has no SSH key with the fingerprint {wanted}.")
            view = ssh_key_view(key, owner.email, None)
            tx.session.delete(key)
            tx.details = {"fingerprint": key.fingerprint, "key_type": key.key_type}
            tx.audit()
            return view

    def principal_for_ssh_key(self, public_key: str | bytes) -> Principal:
        """The active account a presented key signs in, carrying the key's fingerprint so
        that its audit entries name it. Refusals: InvalidInput (not a key), NotFound
        (unknown key, no workspace), PermissionDenied (deactivated account). A read: the
        server calls it before the client has proved it holds the private key."""
        parsed = parse_public_key(public_key)
        with self.db.session(write=False) as session:
            if session.scalar(select(Workspace.id).limit(1)) is None:
                raise NotFound("There is no workspace yet; run `auxot init` or `auxot demo` first.")
            user = session.scalar(
                select(User)
                .join(SshKey, SshKey.user_id == User.id)
                .where(SshKey.fingerprint == parsed.fingerprint)
            )
            if user is None:
                raise NotFound(_UNKNOWN_KEY)
            if user.status != "active":
                raise PermissionDenied(
                    f"The account {user.email} is deactivated; a workspace admin must reactivate it first."
                )
            return Principal(user.id, user.email).over_ssh(parsed.fingerprint)

    def ssh_access_ended(self, signed_in: Iterable[tuple[int, str]]) -> dict[tuple[int, str], str]:
        """Of the (account id, key fingerprint) pairs of live SSH sessions, those that may no
        longer go on, each with the sentence its session shows: the key was removed (or now
        belongs to someone else) or the account was deactivated. One indexed read, so that a
        server can ask every few seconds."""
        wanted = set(signed_in)
        if not wanted:
            return {}
        fingerprints = sorted({fingerprint for _, fingerprint in wanted})
        with self.db.session(write=False) as session:
            rows = session.execute(
                select(SshKey.fingerprint, User.id, User.status)
                .join(User, User.id == SshKey.user_id)
                .where(SshKey.fingerprint.in_(fingerprints))
            ).all()
        owners = {fingerprint: (user_id, status) for fingerprint, user_id, status in rows}
        ended: dict[tuple[int, str], str] = {}
        for user_id, fingerprint in wanted:
            owner = owners.get(fingerprint)
            if owner is None or owner[0] != user_id:
                ended[(user_id, fingerprint)] = (
                    "The SSH key this session signed in with was removed; the session has ended."
                )
            elif owner[1] != "active":
                ended[(user_id, fingerprint)] = (
                    "Your account was deactivated; the session has ended."
                )
        return ended

    def record_ssh_login(self, actor: Principal) -> None:
        """Note that ``actor`` signed in with their SSH key (after the server verified the
        signature): the key's last use and an ``ssh.login`` audit entry."""
        fingerprint = ssh_fingerprint_of(actor)
        if fingerprint is None:
            raise InvalidInput("That session did not come in by an SSH key.", "via")
        with self._tx(actor, "ssh.login", target=f"user:{actor.email}") as tx:
            key = tx.session.scalar(
                select(SshKey).where(
                    SshKey.fingerprint == fingerprint, SshKey.user_id == actor.user_id
                )
            )
            if key is None:
                raise NotFound(_UNKNOWN_KEY)
            key.last_used_at = tx.now
            tx.audit()

    def check_invitation_token(self, token: str) -> tuple[str, str]:
        """The (email, team name) of a redeemable invitation, without redeeming it; the same
        refusals as accepting it. Lets the SSH server refuse a spent token before signing in."""
        token = (token or "").strip()
        if not looks_like_token(token):
            raise InvalidInput(
                "That is not an invitation token; copy the whole token from the email.", "token"
            )
        with self.db.session(write=False) as session:
            row = session.execute(
                select(Invitation, Team.name)
                .join(Team, Team.id == Invitation.team_id)
                .where(Invitation.token_hash == token_hash(token))
            ).first()
            now = self.clock()
        if row is None:
            raise NotFound(
                "That invitation token is not valid; it may have been replaced by a newer one."
            )
        invitation, team_name = row
        if invitation.status == "accepted":
            raise Conflict("That invitation has already been used.")
        if invitation.status == "revoked":
            raise Conflict("That invitation was revoked; ask a team owner for a new one.")
        if invitation.expires_at <= now:
            raise Conflict("That invitation has expired; ask a team owner to resend it.")
        return invitation.email, team_name

    def accept_invitation_with_ssh_key(
        self, token: str, public_key: str | bytes, display_name: str | None = None
    ) -> AcceptResult:
        """Redeem an invitation (once) and register the presented key for the account it
        creates or joins, in one transaction."""
        return self.accept_invitation(token, display_name, public_key)

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _is_admin(tx: Tx) -> bool:
        assert tx.actor is not None
        return WorkspaceAction.MANAGE_USERS in workspace_actions(tx.actor.workspace_role, tx.plan)

    def _key_owner(self, tx: Tx, email: str, *, reading: bool = False) -> User:
        """The account whose keys are handled, once the actor may handle them: their own,
        anyone's for workspace admins, an owner's only for an owner."""
        assert tx.actor is not None
        cleaned = (email or "").strip()
        tx.target = f"user:{cleaned}"
        owner = tx.session.scalar(select(User).where(User.email_key == email_key(cleaned)))
        if owner is not None and owner.id == tx.actor.id:
            return owner
        if not self._is_admin(tx):
            verb = "see" if reading else "manage"
            raise PermissionDenied(
                f"Only workspace admins can {verb} the SSH keys of other accounts."
            )
        if owner is None:
            raise NotFound(f"There is no account with the email {quoted(cleaned)}.")
        tx.target = f"user:{owner.email}"
        refusal = owner_only_refusal("ssh_keys", tx.actor.workspace_role, owner.workspace_role)
        if refusal and not reading:
            raise PermissionDenied(refusal)
        return owner
