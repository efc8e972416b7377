"""Checking a presented team key, and what follows from its use: the last use noted in
memory and written in batches, and old keys retired once they have gone quiet."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cached_property

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core import keys
from core.key_lookup import KeyLookup, moment
from core.key_usage import KeyUsage
from core.models import AuditEvent, TeamApiKey
from core.permissions import plan_has_teams
from core.services.base import ServiceBase
from core.views import KeyCheck


class KeyCheckServices(ServiceBase):
    def verify_key(self, presented: str | None, address: str | None = None) -> KeyCheck:
        """Check a presented key: one indexed read by key id and a constant-time digest
        compare. A good key's use (and ``address``, the caller's) is noted in memory and
        written later by :meth:`flush_key_uses`. Never raises for bad input; nothing is
        cached, so a revoked key fails on the very next call."""
        parsed = keys.parse(presented)
        if parsed is None:
            return _MALFORMED
        key_id, secret = parsed
        row = self._verifier.lookup(key_id)
        if row is None:
            return _UNKNOWN
        (
            pk,
            secret_hash,
            team_id,
            key_name,
            revoked_at,
            expires_at,
            last_used_at,
            team_name,
            archived_at,
            plan,
            rotated_at,
            scope,
            quiet_seconds,
        ) = row
        if not keys.matches(secret, secret_hash):
            return _UNKNOWN
        now = self.clock()
        reason = None
        # A replaced key that stopped working, however it ended, tells its caller that a
        # new key exists: rotated-out.
        if archived_at is not None:
            reason = "team-deleted"
        elif revoked_at is not None and moment(revoked_at) <= now:
            reason = "revoked" if rotated_at is None else "rotated-out"
        elif expires_at is not None and moment(expires_at) <= now:
            reason = "expired" if rotated_at is None else "rotated-out"
        elif quiet_seconds is not None and self._quiet_over(
            pk, moment(rotated_at), last_used_at, quiet_seconds, now
        ):
            self._retire(pk, now)
            reason = "rotated-out"
        elif not plan_has_teams(plan or "free"):
            reason = "plan"
        else:
            self.key_usage.note(pk, now, address)
        expires = moment(expires_at) if expires_at is not None else None
        return KeyCheck(
            reason is None, reason, team_id, team_name, key_id, key_name, scope, expires
        )

    @cached_property
    def _verifier(self) -> KeyLookup:
        return KeyLookup(self.db)

    @cached_property
    def key_usage(self) -> KeyUsage:
        """The uses noted by this process and not yet written."""
        return KeyUsage(self.db)

    def flush_key_uses(self) -> int:
        """Write the noted last uses now; how many keys it wrote."""
        return self.key_usage.flush()

    def database_answers(self) -> bool:
        """Whether the database answers a query, on the verifying connection."""
        return self._verifier.ping()

    def retire_quiet_keys(self) -> int:
        """Revoke, and audit, every key rotated "until unused" that has gone its quiet period
        without a call; how many. Verification does the same for a key it is shown, so this
        sweep only brings the rows (and the audit log) up to date for keys nobody calls."""
        now = self.clock()
        with self.db.session(write=False) as session:
            due = [
                pk
                for pk, rotated_at, last_used_at, quiet in session.execute(
                    select(
                        TeamApiKey.id,
                        TeamApiKey.rotated_at,
                        TeamApiKey.last_used_at,
                        TeamApiKey.quiet_seconds,
                    ).where(TeamApiKey.quiet_seconds.is_not(None), TeamApiKey.revoked_at.is_(None))
                )
                if rotated_at is not None
                and quiet is not None
                and self._quiet_over(pk, rotated_at, last_used_at, quiet, now)
            ]
        return sum(self._retire(pk, now) for pk in due)

    # -- helpers ----------------------------------------------------------------------------

    def _quiet_over(
        self, pk: int, rotated_at: datetime, last_used_at: object, quiet: int, now: datetime
    ) -> bool:
        """Whether a key rotated until unused has had no call for its quiet period: none
        since the rotation, none written to the database, none noted by this process."""
        since = rotated_at
        if last_used_at is not None:
            since = max(since, moment(last_used_at))
        noted = self.key_usage.last_use(pk)
        if noted is not None:
            since = max(since, noted)
        return now - since >= timedelta(seconds=quiet)

    def _retire(self, pk: int, now: datetime) -> bool:
        """Revoke a quiet key and audit it, once even when several servers see it at once."""
        with self.db.session() as session:
            row = session.get(TeamApiKey, pk)
            if row is None:
                return False
            done = session.execute(
                update(TeamApiKey)
                .where(TeamApiKey.id == pk, TeamApiKey.revoked_at.is_(None))
                .values(revoked_at=now)
                .execution_options(synchronize_session=False)
            )
            if not done.rowcount:  # type: ignore[attr-defined]  # a CursorResult for an UPDATE
                return False
            _audit_retired(session, row, now)
            return True

    @staticmethod
    def _status(row: TeamApiKey, now: datetime) -> str:
        if row.revoked_at is not None and row.revoked_at <= now:
            return "revoked"
        if row.expires_at is not None and row.expires_at <= now:
            return "expired"
        if row.rotated_at is not None:
            return "rotated"
        return "active"


_MALFORMED = KeyCheck(False, "malformed")
_UNKNOWN = KeyCheck(False, "unknown")


def _audit_retired(session: Session, row: TeamApiKey, now: datetime) -> None:
    session.add(
        AuditEvent(
            at=now,
            actor_user_id=None,
            actor_label="system",
            action="key.retire",
            target=f"key:{row.name}",
            team_id=row.team_id,
            outcome="ok",
            details={
                "key_id": row.key_id,
                "quiet_seconds": row.quiet_seconds,
                "last_used_at": row.last_used_at.isoformat() if row.last_used_at else None,
            },
        )
    )
