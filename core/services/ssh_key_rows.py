"""Storing an SSH key row inside a unit of work: shared by adding a key and by accepting an
invitation with one, so both refuse a taken key and audit alike."""

from __future__ import annotations

from sqlalchemy import func, select

from core.errors import Conflict
from core.models import SshKey, User
from core.services.base import Tx
from core.ssh_public_keys import PublicKey
from core.views import SshKeyView

MAX_KEYS_PER_ACCOUNT = 50


def insert_ssh_key(
    tx: Tx,
    owner: User,
    parsed: PublicKey,
    *,
    added_by: User,
    details: dict[str, object] | None = None,
) -> SshKeyView:
    """Register ``parsed`` for ``owner`` and audit it; a key registered anywhere already, or
    an account at its limit, is a Conflict."""
    existing = tx.session.scalar(select(SshKey).where(SshKey.fingerprint == parsed.fingerprint))
    if existing is not None:
        whose = "this account" if existing.user_id == owner.id else "another account"
        raise Conflict(f"That SSH key ({parsed.fingerprint}) is already registered to {whose}.")
    count = tx.session.scalar(select(func.count()).where(SshKey.user_id == owner.id)) or 0
    if count >= MAX_KEYS_PER_ACCOUNT:
        raise Conflict(
            f"{owner.email} already has {MAX_KEYS_PER_ACCOUNT} SSH keys; remove one first."
        )
    key = SshKey(
        user_id=owner.id,
        key_type=parsed.key_type,
        public_key=parsed.openssh,
        fingerprint=parsed.fingerprint,
        comment=parsed.comment,
        created_by=added_by.id,
        created_at=tx.now,
    )
    tx.session.add(key)
    tx.session.flush()
    tx.details = {
        "fingerprint": parsed.fingerprint,
        "key_type": parsed.key_type,
        **(details or {}),
    }
    tx.audit()
    return ssh_key_view(key, owner.email, added_by.email)


def ssh_key_view(key: SshKey, email: str, added_by: str | None) -> SshKeyView:
    return SshKeyView(
        id=key.id,
        email=email,
        key_type=key.key_type,
        fingerprint=key.fingerprint,
        comment=key.comment,
        public_key=key.public_key,
        added_by=added_by,
        created_at=key.created_at,
        last_used_at=key.last_used_at,
    )
