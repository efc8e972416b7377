"""Team API keys: create, list, scope, revoke, rotate (with a grace period, or until the old
key goes unused), list the ones expiring soon, and verify."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased

from core import keys
from core.errors import Conflict, InvalidInput, NotFound
from core.models import Membership, Team, TeamApiKey, User
from core.permissions import TeamAction, team_actions
from core.services.base import Tx, read_page
from core.services.key_checks import KeyCheckServices
from core.text import quoted
from core.validation import check_page, clean_expiry_days, clean_name, name_key
from core.views import CreatedKey, ExpiringKey, KeyView, Page, Principal
from core.vocabulary import EXPIRY_WARNING_DAYS, KEY_SCOPES

MAX_EXPIRY_DAYS = 3650
MAX_GRACE_HOURS = 24 * 30
# A rotation until unused: the quiet period's bounds (and at most the grace period). The
# lower bound stays well above the serve-api flush interval, so a use another server has
# not written yet cannot be mistaken for quiet.
MIN_QUIET_MINUTES = 1
DEFAULT_QUIET_MINUTES = 60
# Live keys first, then revoked ones; newest first within each. The id breaks every tie, so
# pages never overlap.
_KEY_ORDER = (TeamApiKey.revoked_at.is_not(None), TeamApiKey.id.desc())


class KeyServices(KeyCheckServices):
    """Managing keys; checking them is the base class (core/services/key_checks.py)."""

    def create_key(
        self,
        actor: Principal,
        team: int | str,
        name: str,
        expires_in_days: float | str | None = None,
        scope: str = "full",
    ) -> CreatedKey:
        with self._tx(actor, "key.create", target=f"key:{name}") as tx:
            found, _ = self._team(tx, team, TeamAction.MANAGE_KEYS, lock=True)
            scope = _checked_scope(scope)
            name = clean_name(name, "A key name", 80)
            tx.target = f"key:{name}"
            days = clean_expiry_days(expires_in_days)
            expires_at = None if days is None else tx.now + timedelta(days=days)
            self._require_free_key_name(tx, found, name)
            row, plaintext = self._insert(tx, found, name, expires_at, scope)
            tx.details = {
                "key_id": row.key_id,
                "expires_at": expires_at.isoformat() if expires_at else None,
                "scope": scope,
            }
            tx.audit()
            return CreatedKey(
                self._view(row, tx.actor.email if tx.actor else None, tx.now), plaintext
            )

    def list_keys(
        self,
        actor: Principal,
        team: int | str,
        offset: int = 0,
        limit: int | None = None,
        *,
        active_only: bool = False,
    ) -> Page[KeyView]:
        """The team's keys, live ones first and newest first within each, a page at a time
        with how many there are; ``active_only`` keeps the keys that still work and were not rotated (with
        ``limit=0``, how many of them there are)."""
        self.retire_quiet_keys()
        with self._tx(actor, "key.list", write=False) as tx:
            check_page(offset, limit)
            _found, stmt = self._keys(tx, team)
            if active_only:
                stmt = stmt.where(
                    or_(TeamApiKey.revoked_at.is_(None), TeamApiKey.revoked_at > tx.now),
                    or_(TeamApiKey.expires_at.is_(None), TeamApiKey.expires_at > tx.now),
                    TeamApiKey.rotated_at.is_(None),
                )
            rows, total, offset = read_page(
                tx.session, stmt, TeamApiKey.id, _KEY_ORDER, offset, limit
            )
            items = [self._view(k, by, tx.now) for k, by in rows]
            return Page(items, total, offset)

    def _keys(self, tx: Tx, team: int | str) -> tuple[Team, Select[TeamApiKey, str]]:
        """The team, once the actor may manage its keys, and its keys with their creator's
        email, in no order yet."""
        found, _ = self._team(tx, team, TeamAction.MANAGE_KEYS)
        creator = aliased(User)
        stmt = (
            select(TeamApiKey, creator.email)
            .outerjoin(creator, creator.id == TeamApiKey.created_by)
            .where(TeamApiKey.team_id == found.id)
        )
        return found, stmt

    def list_expiring_keys(
        self, actor: Principal, days: float = EXPIRY_WARNING_DAYS
    ) -> list[ExpiringKey]:
        """Working, unreplaced keys that expire within ``days``, soonest first, across every
        team whose keys the actor may manage."""
        with self._tx(actor, "key.list", write=False) as tx:
            if not 0 < days <= MAX_EXPIRY_DAYS:
                raise InvalidInput(f"Say a number of days from 1 to {MAX_EXPIRY_DAYS}.", "days")
            self._require_teams_plan(tx)
            assert tx.actor is not None
            roles: dict[int, str] = dict(
                tx.session.execute(
                    select(Membership.team_id, Membership.role).where(
                        Membership.user_id == tx.actor.id
                    )
                ).all()
            )
            creator = aliased(User)
            rows = tx.session.execute(
                select(TeamApiKey, Team.name, creator.email)
                .join(Team, Team.id == TeamApiKey.team_id)
                .outerjoin(creator, creator.id == TeamApiKey.created_by)
                .where(
                    Team.archived_at.is_(None),
                    TeamApiKey.revoked_at.is_(None),
                    TeamApiKey.rotated_at.is_(None),
                    TeamApiKey.expires_at > tx.now,
                    TeamApiKey.expires_at <= tx.now + timedelta(days=days),
                )
                .order_by(TeamApiKey.expires_at, TeamApiKey.id)
            )
            found = []
            for row, team_name, by in rows:
                allowed = team_actions(roles.get(row.team_id), tx.actor.workspace_role, tx.plan)
                if TeamAction.MANAGE_KEYS in allowed:
                    found.append(ExpiringKey(row.team_id, team_name, self._view(row, by, tx.now)))
            return found

    def set_key_scope(self, actor: Principal, team: int | str, key: str, scope: str) -> KeyView:
        """Change what a key may do; the next verification returns the new scope."""
        with self._tx(actor, "key.scope", target=f"key:{key}") as tx:
            found, _ = self._team(tx, team, TeamAction.MANAGE_KEYS)
            scope = _checked_scope(scope)
            row = self._key(tx, found, key)
            status = self._status(row, tx.now)
            if status in ("revoked", "expired"):
                raise Conflict(f"The key {row.name!r} is {status}; its scope no longer matters.")
            if row.scope == scope:
                raise Conflict(f"The key {row.name!r} already has the {scope} scope.")
            tx.details = {"key_id": row.key_id, "from": row.scope, "to": scope}
            row.scope = scope
            tx.audit()
            return self._view(row, None, tx.now)

    def revoke_key(self, actor: Principal, team: int | str, key: str) -> KeyView:
        """Revoked keys fail on the very next verification: nothing caches them."""
        with self._tx(actor, "key.revoke", target=f"key:{key}") as tx:
            found, _ = self._team(tx, team, TeamAction.MANAGE_KEYS, lock=True)
            row = self._key(tx, found, key)
            if row.revoked_at is not None:
                raise Conflict(f"The key {quoted(row.name)} is already revoked.")
            row.revoked_at = tx.now
            tx.details = {"key_id": row.key_id}
            tx.audit()
            return self._view(row, None, tx.now)

    def rotate_key(
        self,
        actor: Principal,
        team: int | str,
        key: str,
        grace_hours: float = 24,
        until_unused: bool = False,
        quiet_minutes: float = DEFAULT_QUIET_MINUTES,
    ) -> CreatedKey:
        """A new key under the same name and scope; the old one keeps working for
        ``grace_hours`` (0 ends it at once), so callers can switch without an outage. With
        ``until_unused`` the old key is revoked as soon as it has gone ``quiet_minutes``
        without a call (and at the grace period's end at the latest). A key made with an
        expiry is replaced by one with the same lifetime, counted from now."""
        with self._tx(actor, "key.rotate", target=f"key:{key}") as tx:
            found, _ = self._team(tx, team, TeamAction.MANAGE_KEYS, lock=True)
            if not 0 <= grace_hours <= MAX_GRACE_HOURS:
                raise InvalidInput(
                    f"The grace period must be between 0 and {MAX_GRACE_HOURS} hours.", "grace"
                )
            if until_unused and not MIN_QUIET_MINUTES <= quiet_minutes <= grace_hours * 60:
                raise InvalidInput(
                    f"The quiet period must be between {MIN_QUIET_MINUTES} minute and the "
                    f"grace period ({grace_hours:g} hours).",
                    "quiet",
                )
            old = self._key(tx, found, key)
            status = self._status(old, tx.now)
            if status in ("revoked", "expired"):
                raise Conflict(f"The key {quoted(old.name)} is {status}; create a new key instead.")
            if status == "rotated":
                raise Conflict(
                    f"The key {quoted(old.name)} was already rotated; rotate its replacement instead."
                )
            end = tx.now + timedelta(hours=grace_hours)
            lifetime = old.expires_at - old.created_at if old.expires_at is not None else None
            old.rotated_at = tx.now
            if grace_hours == 0:
                old.revoked_at = tx.now
            elif old.expires_at is None or old.expires_at > end:
                old.expires_at = end
            if until_unused:
                old.quiet_seconds = round(quiet_minutes * 60)
            # The old key leaves the live-name index before its replacement enters it.
            tx.session.flush()
            new_expiry = tx.now + lifetime if lifetime is not None else None
            row, plaintext = self._insert(tx, found, old.name, new_expiry, old.scope)
            tx.details = {
                "old_key_id": old.key_id,
                "new_key_id": row.key_id,
                "old_ends_at": end.isoformat(),
            }
            if until_unused:
                tx.details["quiet_seconds"] = old.quiet_seconds
            tx.audit()
            email = tx.actor.email if tx.actor else None
            return CreatedKey(
                self._view(row, email, tx.now), plaintext, self._view(old, None, tx.now)
            )

    @staticmethod
    def _insert(
        tx: Tx, team: Team, name: str, expires_at: datetime | None, scope: str
    ) -> tuple[TeamApiKey, str]:
        new = keys.generate()
        tx.clash = _name_taken(team, name)
        row = TeamApiKey(
            team_id=team.id,
            name=name,
            name_key=name_key(name),
            key_id=new.key_id,
            secret_hash=keys.digest(new.secret),
            created_by=tx.actor.id if tx.actor else None,
            created_at=tx.now,
            expires_at=expires_at,
            scope=scope,
        )
        tx.session.add(row)
        tx.session.flush()
        return row, new.plaintext

    @staticmethod
    def _require_free_key_name(tx: Tx, team: Team, name: str) -> None:
        """Refuse a name an active key of ``team`` has. A key that expired under the name
        counts as replaced by the new one, which frees the name in the index of live names
        (its status still reads expired)."""
        for row in tx.session.scalars(
            select(TeamApiKey).where(
                TeamApiKey.team_id == team.id,
                TeamApiKey.name_key == name_key(name),
                TeamApiKey.revoked_at.is_(None),
                TeamApiKey.rotated_at.is_(None),
            )
        ):
            if KeyServices._status(row, tx.now) == "active":
                raise Conflict(_name_taken(team, row.name))
            row.rotated_at = tx.now
        tx.session.flush()

    @staticmethod
    def _key(tx: Tx, team: Team, ref: str) -> TeamApiKey:
        """A key by key id (or its ``team.<id>.…`` form) or by name, newest live one first."""
        ref = (ref or "").strip()
        tx.target = f"key:{ref}"
        key_id = ref.split(".")[1] if ref.startswith("team.") and ref.count(".") >= 1 else ref
        rows = tx.session.scalars(
            select(TeamApiKey)
            .where(TeamApiKey.team_id == team.id)
            .order_by(TeamApiKey.revoked_at.is_not(None), TeamApiKey.id.desc())
        ).all()
        for row in rows:
            if row.key_id == key_id:
                return row
        named = [r for r in rows if name_key(r.name) == name_key(ref)]
        live = [r for r in named if KeyServices._status(r, tx.now) in ("active", "rotated")]
        if live or named:
            return (live or named)[0]
        raise NotFound(f"{team.name} has no key {quoted(ref)}.")

    def _view(self, row: TeamApiKey, created_by: str | None, now: datetime) -> KeyView:
        return KeyView(
            id=row.id,
            team_id=row.team_id,
            name=row.name,
            key_id=row.key_id,
            masked=keys.masked(row.key_id),
            created_by=created_by,
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
            status=self._status(row, now),
            scope=row.scope,
            last_used_from=row.last_used_from,
            quiet_seconds=row.quiet_seconds,
        )


def _name_taken(team: Team, name: str) -> str:
    return f"{team.name} already has a key named {quoted(name)}; rotate it or pick another name."


def _checked_scope(scope: str) -> str:
    cleaned = (scope or "").strip().lower()
    if cleaned not in KEY_SCOPES:
        raise InvalidInput(
            f"A key's scope is {' or '.join(KEY_SCOPES)}, not {quoted(scope)}.", "scope"
        )
    return cleaned
