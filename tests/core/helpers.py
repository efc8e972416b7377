"""Small helpers shared by the core tests: reading audit rows and table counts directly."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncssh
from sqlalchemy import Select, func, insert, select
from sqlalchemy.orm import Session

from core.db import Database
from core.models import (
    AuditEvent,
    Invitation,
    Membership,
    Resource,
    Team,
    TeamApiKey,
    User,
    Workspace,
)


@dataclass(frozen=True)
class AuditRow:
    id: int
    actor: str
    action: str
    target: str
    team_id: int | None
    outcome: str
    details: dict[str, Any]


def last_audit_id(db: Database) -> int:
    with db.session(write=False) as session:
        return last_audit_id_in(session)


def last_audit_id_in(session: Session) -> int:
    return session.scalar(select(func.max(AuditEvent.id))) or 0


def audit_since(db: Database, after_id: int) -> list[AuditRow]:
    """Audit rows written after ``after_id``, oldest first."""
    with db.session(write=False) as session:
        return audit_since_in(session, after_id)


def audit_since_in(session: Session, after_id: int) -> list[AuditRow]:
    rows = session.scalars(
        select(AuditEvent).where(AuditEvent.id > after_id).order_by(AuditEvent.id)
    ).all()
    return [
        AuditRow(r.id, r.actor_label, r.action, r.target, r.team_id, r.outcome, r.details or {})
        for r in rows
    ]


def table_counts(db: Database) -> dict[str, int]:
    """Row counts of every table a refused call must leave alone (not the audit log)."""
    with db.session(write=False) as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Workspace, User, Team, Membership, Resource)
        }


def state_snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Everything that matters about the workspace, rows sorted, audit log excluded."""
    with db.session(write=False) as session:
        return {
            "workspace": sorted(_rows(session, select(Workspace.name, Workspace.plan))),
            "users": sorted(
                _rows(
                    session, select(User.email, User.display_name, User.workspace_role, User.status)
                )
            ),
            "teams": sorted(
                _rows(session, select(Team.id, Team.name, Team.description, Team.archived_at)),
                key=repr,
            ),
            "memberships": sorted(
                _rows(
                    session,
                    select(
                        Membership.team_id, Membership.user_id, Membership.role, Membership.version
                    ),
                )
            ),
            "resources": sorted(
                _rows(
                    session,
                    select(
                        Resource.kind,
                        Resource.name,
                        Resource.scope,
                        Resource.team_id,
                        Resource.owner_id,
                    ),
                ),
                key=repr,
            ),
        }


def _rows(session: Session, stmt: Select[Any]) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in session.execute(stmt)]


def is_sentence(message: str) -> bool:
    """A message a person can read: starts with a letter or quote, ends with a full stop,
    one line, no traceback."""
    return (
        bool(message)
        and message == message.strip()
        and "\n" not in message
        and "Traceback" not in message
        and message.endswith(".")
        and len(message) >= 15
    )


def bulk_invitations(
    db: Database, team_id: int, inviter_id: int, count: int, now: datetime
) -> list[str]:
    """``count`` pending invitations to ``team_id``, as a bulk invite leaves them, written
    straight into the table (inviting one by one takes minutes). Their emails, oldest first:
    ``guest00000@bulk.example.com`` and on."""
    emails = [f"guest{n:05d}@bulk.example.com" for n in range(count)]
    rows = [
        {
            "team_id": team_id,
            "email": email,
            "email_key": email,
            "role": "member",
            "token_hash": hashlib.sha256(f"bulk token {email}".encode()).hexdigest(),
            "token_nonce": hashlib.md5(email.encode()).hexdigest(),
            "invited_by": inviter_id,
            "created_at": now,
            "expires_at": now + timedelta(days=7),
            "status": "pending",
            "delivery": "sent",
            "attempts": 1,
        }
        for email in emails
    ]
    _insert(db, Invitation, rows)
    return emails


def bulk_keys(
    db: Database, team_id: int, creator_id: int, count: int, now: datetime, revoked_every: int = 0
) -> list[str]:
    """``count`` keys of ``team_id`` named ``Service 0000`` and on (oldest first), written
    straight into the table; every ``revoked_every``-th one (when set) revoked. Their key ids,
    oldest first."""
    key_ids = [hashlib.sha256(f"bulk key {n}".encode()).hexdigest()[:16] for n in range(count)]
    rows = [
        {
            "team_id": team_id,
            "name": f"Service {n:04d}",
            "key_id": key_id,
            "secret_hash": hashlib.sha256(f"bulk secret {n}".encode()).hexdigest(),
            "created_by": creator_id,
            "created_at": now,
            "expires_at": None,
            "revoked_at": now if revoked_every and n % revoked_every == 0 else None,
            "rotated_at": None,
            "last_used_at": None,
        }
        for n, key_id in enumerate(key_ids)
    ]
    _insert(db, TeamApiKey, rows)
    return key_ids


def _insert(db: Database, model: type, rows: list[dict[str, Any]]) -> None:
    with db.session() as session:
        for start in range(0, len(rows), 500):  # ids in the order of the rows
            session.execute(insert(model), rows[start : start + 500])


def plan_call(plan: Any) -> str:
    """The Core method a plan's command runs, as the sentence tables name it."""
    from core.usecases.registry import use_case

    return use_case(plan.command).method


def without_defaults(call: str, args: dict[str, Any]) -> dict[str, Any]:
    """``args`` of the use case run by ``call`` without the values its command has anyway."""
    from dataclasses import MISSING, fields

    from core.usecases.registry import REGISTRY

    [command] = [case.command for case in REGISTRY.values() if case.method == call]
    defaults = {f.name: f.default for f in fields(command) if f.default is not MISSING}
    return {
        key: value
        for key, value in args.items()
        if not (key in defaults and defaults[key] == value)
    }


def plan_args(plan: Any) -> dict[str, Any]:
    """A plan's command as keyword arguments (tuples as lists), without default values."""
    from dataclasses import fields

    args = {
        f.name: list(v) if isinstance(v := getattr(plan.command, f.name), tuple) else v
        for f in fields(plan.command)
    }
    return without_defaults(plan_call(plan), args)


def new_key(
    kind: str = "ssh-ed25519", comment: str = "laptop", **options: object
) -> tuple[str, str]:
    """A fresh public key line and asyncssh's own fingerprint of it."""
    key = asyncssh.generate_private_key(kind, comment=comment, **options)
    return key.export_public_key("openssh").decode(), key.get_fingerprint("sha256")
