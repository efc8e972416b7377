"""The schema: SQLAlchemy 2.x typed models. Changes go through an Alembic revision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    select,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from core.validation import name_key
from core.vocabulary import KEY_SCOPES, PLANS, RESOURCE_KINDS, RESOURCE_SCOPES, ROLES

# Naming convention so that Alembic revisions name constraints the same on every backend.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

USER_STATUSES = ("active", "deactivated")
INVITATION_STATUSES = ("pending", "accepted", "revoked", "expired")
DELIVERY_STATES = ("queued", "sent", "failed")
OUTCOMES = ("ok", "denied", "failed")
OUTBOX_KINDS = ("invitation", "added")
OUTBOX_STATES = ("queued", "sending", "sent", "failed")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _live(condition: str) -> dict[str, Any]:
    """The keyword arguments that make an index partial, alike on both backends."""
    return {"sqlite_where": text(condition), "postgresql_where": text(condition)}


class Workspace(Base):
    __tablename__ = "workspaces"
    __table_args__ = (
        CheckConstraint(_one_of("plan", PLANS), name="plan"),
        # One workspace per database: every row has singleton = 1, and 1 is unique.
        CheckConstraint("singleton = 1", name="one_workspace"),
        UniqueConstraint("singleton"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    singleton: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    name: Mapped[str] = mapped_column(String(80))
    plan: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(_one_of("workspace_role", ROLES), name="workspace_role"),
        CheckConstraint(_one_of("status", USER_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    # Case-folded email: the unique key, so Alice@X and alice@x are one account.
    email_key: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    # Case-folded display name, for case-insensitive search without a function index.
    name_key: Mapped[str] = mapped_column(String(80), index=True)
    workspace_role: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Team(Base):
    __tablename__ = "teams"
    __table_args__ = (
        # Names are unique among live teams; an archived team frees its name.
        Index("uq_teams_live_name_key", "name_key", unique=True, **_live("archived_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    name_key: Mapped[str] = mapped_column(String(80), index=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "team_id"),
        Index("ix_memberships_team_id_role", "team_id", "role"),
        # Covers a team's member list (team -> user ids) without reading membership rows.
        Index("ix_memberships_team_id_user_id", "team_id", "user_id"),
        # A team's members in name order, straight from the index: a page of a 20,000-member
        # team is read without sorting every member.
        Index("ix_memberships_team_id_member_key", "team_id", "member_key", "user_id"),
        CheckConstraint(_one_of("role", ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    added_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(DateTime)
    # Bumped on every change, so a screen can tell that a row moved under it.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The member's User.name_key, copied here for the (team_id, member_key) index. Account
    # names do not change once made. The services set it from the user they hold;
    # _member_key below reads it for any other insert.
    member_key: Mapped[str] = mapped_column(String(80), server_default="")


@event.listens_for(Membership, "before_insert")
def _member_key(_mapper: Any, connection: Any, target: Membership) -> None:
    """Every membership made through the ORM carries its member's name key (one read, only
    when the maker did not give it)."""
    if not target.member_key:
        key = connection.scalar(select(User.name_key).where(User.id == target.user_id))
        target.member_key = key or ""


class Invitation(Base):
    __tablename__ = "invitations"
    __table_args__ = (
        Index("ix_invitations_team_id_status", "team_id", "status"),
        # One pending invitation per person and team (a lapsed one is marked expired when
        # the person is invited again).
        Index(
            "uq_invitations_pending_team_id_email_key",
            "team_id",
            "email_key",
            unique=True,
            **_live("status = 'pending'"),
        ),
        CheckConstraint(_one_of("role", ROLES), name="role"),
        CheckConstraint(_one_of("status", INVITATION_STATUSES), name="status"),
        CheckConstraint(_one_of("delivery", DELIVERY_STATES), name="delivery"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320))
    email_key: Mapped[str] = mapped_column(String(320), index=True)
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The token is derived from this nonce and the server's secret key (never stored), so
    # the link can be sent or copied again while the database alone cannot reveal it.
    token_nonce: Mapped[str] = mapped_column(String(32))
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    delivery: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


def _name_key_of_row(context: Any) -> str:
    return name_key(context.get_current_parameters()["name"])


class TeamApiKey(Base):
    __tablename__ = "team_api_keys"
    __table_args__ = (
        CheckConstraint(_one_of("scope", KEY_SCOPES), name="scope"),
        # A name belongs to one live key of a team: not revoked and not replaced (by a
        # rotation, or by a new key under the name of one that expired).
        Index(
            "uq_team_api_keys_live_team_id_name_key",
            "team_id",
            "name_key",
            unique=True,
            **_live("revoked_at IS NULL AND rotated_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # The name's case- and space-insensitive key (validation.name_key), for the index above;
    # worked out from the name when an insert does not give it.
    name_key: Mapped[str] = mapped_column(String(80), default=_name_key_of_row, server_default="")
    key_id: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Set when a rotation replaced this key; it then lives until expires_at (the grace end).
    rotated_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The caller's address at that last use, as the verification service saw it.
    last_used_from: Mapped[str | None] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(8), default="full", server_default="full")
    # A rotation "until unused": the old key is revoked once it has had no traffic for this
    # many seconds (it still ends at expires_at, the grace period's end, at the latest).
    quiet_seconds: Mapped[int | None] = mapped_column(Integer, index=True)


class Resource(Base):
    __tablename__ = "resources"
    __table_args__ = (
        Index("ix_resources_scope_team_id_kind", "scope", "team_id", "kind"),
        # A name is unique per kind within its scope: a team, the workspace, or an account.
        Index(
            "uq_resources_team_kind_name_key",
            "team_id",
            "kind",
            "name_key",
            unique=True,
            **_live("scope = 'team'"),
        ),
        Index(
            "uq_resources_workspace_kind_name_key",
            "kind",
            "name_key",
            unique=True,
            **_live("scope = 'workspace'"),
        ),
        Index(
            "uq_resources_user_owner_id_kind_name_key",
            "owner_id",
            "kind",
            "name_key",
            unique=True,
            **_live("scope = 'user'"),
        ),
        CheckConstraint(_one_of("kind", RESOURCE_KINDS), name="kind"),
        CheckConstraint(_one_of("scope", RESOURCE_SCOPES), name="scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(80))
    name_key: Mapped[str] = mapped_column(String(80))
    scope: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_team_id_id", "team_id", "id"),
        CheckConstraint(_one_of("outcome", OUTCOMES), name="outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_key_id: Mapped[str | None] = mapped_column(String(32))
    # The actor as shown (an email or ``team.<key_id>``), kept even if the account changes.
    actor_label: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(400), default="")
    team_id: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(16))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class OutboxMessage(Base):
    """An email to send. Holds what the message is about, not its text: the text (with any
    token) is composed at delivery time, so no token is ever stored here."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
        CheckConstraint(_one_of("kind", OUTBOX_KINDS), name="kind"),
        CheckConstraint(_one_of("status", OUTBOX_STATES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(320))
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # When the next attempt may start; while "sending", when the claim lapses.
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Where the message went: the SMTP server's reply or the .eml file written.
    delivered_to: Mapped[str | None] = mapped_column(Text)
    # While "sending": the process that claimed it ("host pid start nonce", core/claims.py).
    claimed_by: Mapped[str | None] = mapped_column(String(200))


class SshKey(Base):
    """A public key that signs its owner in to ``auxot serve-ssh``. Only public material is
    kept: the key in OpenSSH form (``type base64``) and its SHA256 fingerprint."""

    __tablename__ = "ssh_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_type: Mapped[str] = mapped_column(String(64))
    public_key: Mapped[str] = mapped_column(Text)
    # ``SHA256:`` and the unpadded base64 digest, as ssh-keygen -l prints it; one key, one account.
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    comment: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)


# Bookkeeping of the schema itself, beside Alembic's own alembic_version: which release of
# Auxot Teams brought each schema revision, written by the release that upgrades to it (an
# older release meeting a revision it has no script for reads here which release it would
# take). Not domain data, so kept out of Base.metadata.
SCHEMA_METADATA = MetaData(naming_convention=NAMING)
SCHEMA_RELEASES = Table(
    "schema_releases",
    SCHEMA_METADATA,
    Column("revision", String(32), primary_key=True),
    Column("release", String(40), nullable=False),
)
