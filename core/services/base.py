"""The unit of work every service runs in: one transaction, the actor checked, audited."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from core import locking
from core.db import Database
from core.errors import (
    Conflict,
    DatabaseBusy,
    DomainError,
    NotFound,
    PermissionDenied,
    PlanRequired,
)
from core.models import AuditEvent, Membership, Team, User, Workspace
from core.permissions import (
    WORKSPACE_REFUSALS,
    TeamAction,
    WorkspaceAction,
    plan_has_teams,
    team_actions,
    team_refusal,
    workspace_actions,
)
from core.settings import Settings
from core.text import quoted, visible
from core.validation import check_filter, lookup_safe, name_key, normal_name
from core.views import Principal, TeamView, UserView, WorkspaceView

Clock = Callable[[], datetime]

# Ids are 32-bit on PostgreSQL (64-bit on SQLite). A number beyond that range cannot name a
# row, and PostgreSQL would refuse the query itself, so it is treated as naming nothing.
ID_MAX = 2**31 - 1


def possible_id(value: int) -> bool:
    return 0 < value <= ID_MAX


_EPOCH = datetime(1970, 1, 1)


def utcnow() -> datetime:
    """Naive UTC: the same on SQLite and PostgreSQL columns. Built from the epoch rather than
    with ``datetime.now(UTC).replace(tzinfo=None)``, which costs twice as much on the key
    verification path."""
    return _EPOCH + timedelta(0, 0, time.time_ns() // 1000)


def read_page(
    session: Session,
    stmt: Select[*tuple[Any, ...]],
    key: Any,
    order: Sequence[Any],
    offset: int,
    limit: int | None,
    *,
    from_end_order: Sequence[Any] | None = None,
) -> tuple[list[Any], int, int]:
    """A page of ``stmt``'s rows in ``order``: (rows, how many rows there are, the first row's
    offset from the start). ``key`` is the column counted. Given ``from_end_order`` (``order``
    reversed), the offset counts back from the last row and is read from that end, so the end
    of a long list costs what its start does; the rows still come in ``order``."""
    counted = stmt.with_only_columns(key).subquery()
    total = session.scalar(select(func.count()).select_from(counted)) or 0
    stmt = stmt.order_by(*(from_end_order or order)).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = list(session.execute(stmt))
    if from_end_order is None:
        return rows, total, offset
    rows.reverse()
    return rows, total, max(0, total - offset - len(rows))


def like_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with its wildcards taken literally; the
    text is put in the form names are kept in (:func:`normal_name`), so a filter with a
    zero-width space finds what the name without it does."""
    check_filter(text)
    escaped = (
        normal_name(text).casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    )
    return f"%{lookup_safe(escaped)}%"


@dataclass
class Tx:
    """One transaction's state: the session, the acting account and what to audit."""

    session: Session
    actor: User | None
    workspace: Workspace | None
    now: datetime
    action: str
    target: str = ""
    team_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    # Who to name in the audit log when no account acts (accepting an invitation).
    label: str | None = None
    # The credential the actor came in with (Principal.via), recorded with every entry.
    via: str | None = None
    # The sentence for a unique index refusing a row that another writer made first (or
    # the function that words it, once that writer has committed).
    clash: str | Callable[[], str] | None = None

    @property
    def plan(self) -> str:
        return self.workspace.plan if self.workspace else "free"

    def audit(self, outcome: str = "ok") -> None:
        self.session.add(
            AuditEvent(
                at=self.now,
                actor_user_id=self.actor.id if self.actor else None,
                actor_label=self.actor.email if self.actor else (self.label or "system"),
                action=self.action,
                target=visible(self.target)[:400],
                team_id=self.team_id,
                outcome=outcome,
                details=with_via(self.details, self.via),
            )
        )


class ServiceBase:
    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Every use case runs once more after a serialization failure or deadlock
        (core/locking.py)."""
        super().__init_subclass__(**kwargs)
        locking.retry_public_methods(cls)

    def __init__(
        self, db: Database, clock: Clock = utcnow, settings: Settings | None = None
    ) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings or Settings()

    # -- the unit of work ---------------------------------------------------------------

    @contextmanager
    def _tx(
        self, actor: Principal | None, action: str, *, target: str = "", write: bool = True
    ) -> Iterator[Tx]:
        """Run one use case. Domain errors roll the work back and are audited on their own.
        Rows are locked in the order core/locking.py gives; a serialization failure or
        deadlock runs the use case once more (``locking.retry_once``), then is a sentence."""
        tx: Tx | None = None
        try:
            with self.db.session(write=write) as session:
                workspace = session.scalar(select(Workspace).limit(1))
                user = None
                if actor is not None:
                    user = session.get(User, actor.user_id)
                    if user is None:
                        raise NotFound(f"The account {actor.email} no longer exists.")
                tx = Tx(session, user, workspace, self.clock(), action, target)
                tx.via = actor.via if actor is not None else None
                if user is not None and user.status != "active":
                    raise PermissionDenied(
                        f"The account {user.email} is deactivated; "
                        "a workspace admin must reactivate it first."
                    )
                yield tx
                session.flush()
            if write:
                locking.committed()
        except DatabaseBusy:
            raise  # auditing the refusal would wait for the same lock
        except DomainError as error:
            self._record_refusal(actor, tx, action, target, error)
            raise
        except IntegrityError:
            clash = Conflict(_clash_sentence(tx))
            self._record_refusal(actor, tx, action, target, clash)
            raise clash from None
        except DBAPIError as error:
            if not locking.is_transient(error):
                raise
            if locking.may_retry():
                raise locking.TryAgain() from None
            what = _changed_thing(tx.target if tx and tx.target else target)
            again = Conflict(locking.CHANGED_AT_ONCE.format(what=what))
            self._record_refusal(actor, tx, action, target, again)
            raise again from None

    def _record_refusal(
        self, actor: Principal | None, tx: Tx | None, action: str, target: str, error: DomainError
    ) -> None:
        with self.db.session() as session:
            session.add(
                AuditEvent(
                    at=self.clock(),
                    actor_user_id=actor.user_id if actor else None,
                    actor_label=actor.email if actor else "system",
                    action=action,
                    target=visible(tx.target if tx and tx.target else target)[:400],
                    team_id=tx.team_id if tx else None,
                    outcome=error.outcome,
                    details=with_via({"reason": error.message}, actor.via if actor else None),
                )
            )

    # -- shared checks and lookups --------------------------------------------------------

    @staticmethod
    def _require_workspace(tx: Tx) -> Workspace:
        if tx.workspace is None:
            raise NotFound("There is no workspace yet; run `auxot init` first.")
        return tx.workspace

    @staticmethod
    def _require_teams_plan(tx: Tx) -> None:
        if not plan_has_teams(tx.plan):
            raise PlanRequired(
                f"Teams need the Business or Enterprise plan; this workspace is on "
                f"{tx.plan.capitalize()}. On Free and Team plans all users share one workspace."
            )

    @staticmethod
    def _require_workspace_action(
        tx: Tx, action: WorkspaceAction, sentence: str | None = None
    ) -> None:
        """Refuse unless the actor may do ``action``, with the table's sentence (or one that
        says more about this use)."""
        assert tx.actor is not None
        if action not in workspace_actions(tx.actor.workspace_role, tx.plan):
            raise PermissionDenied(sentence or WORKSPACE_REFUSALS[action])

    @staticmethod
    def _membership(tx: Tx, team_id: int, user_id: int) -> Membership | None:
        return tx.session.scalar(
            select(Membership).where(Membership.team_id == team_id, Membership.user_id == user_id)
        )

    def _team(
        self, tx: Tx, ref: int | str, action: TeamAction, *, lock: bool = False
    ) -> tuple[Team, str | None]:
        """The live team named or numbered ``ref`` with the actor's role on it, once the actor
        may do ``action``. Teams the actor may not see are reported as not found."""
        assert tx.actor is not None
        self._require_teams_plan(tx)
        team = self._find_team(tx, ref, lock=lock)
        tx.team_id = team.id
        tx.target = tx.target or f"team:{team.name}"
        membership = self._membership(tx, team.id, tx.actor.id)
        role = membership.role if membership else None
        allowed = team_actions(role, tx.actor.workspace_role, tx.plan)
        if TeamAction.VIEW not in allowed:
            raise NotFound(f"There is no team {_quoted(ref)} that you can see.")
        if action not in allowed:
            raise PermissionDenied(team_refusal(action, team.name, role))
        return team, role

    @staticmethod
    def _lock_workspace(tx: Tx) -> Workspace:
        """The workspace row, locked: the first lock of a workspace-wide change
        (core/locking.py)."""
        workspace = ServiceBase._require_workspace(tx)
        locked = locking.lock_row(tx.session, select(Workspace).where(Workspace.id == workspace.id))
        assert locked is not None  # the one workspace is never deleted
        return locked

    @staticmethod
    def _find_team(tx: Tx, ref: int | str, *, lock: bool = False) -> Team:
        query = select(Team).where(Team.archived_at.is_(None))
        if lock:
            # Serialises every change to what lives in this team (memberships, invitations,
            # keys, resources) across sessions: the checks read afterwards cannot be made
            # stale by a concurrent transaction. The lock order is in core/locking.py.
            query = query.with_for_update().execution_options(populate_existing=True)
        team = None
        if isinstance(ref, str):
            team = tx.session.scalar(query.where(Team.name_key == name_key(ref)))
            digits = ref.strip()
            # Only ASCII digits make an id: "²" passes str.isdigit() but int() refuses it.
            if team is None and digits.isascii() and digits.isdigit():
                ref = int(digits)
        if team is None and isinstance(ref, int) and possible_id(ref):
            team = tx.session.scalar(query.where(Team.id == ref))
        if team is None:
            raise NotFound(f"There is no team {_quoted(ref)} that you can see.")
        return team

    @staticmethod
    def _member_count(tx: Tx, team_id: int) -> int:
        return (
            tx.session.scalar(
                select(func.count()).select_from(Membership).where(Membership.team_id == team_id)
            )
            or 0
        )

    def _team_view(self, tx: Tx, team: Team, role: str | None) -> TeamView:
        return TeamView(
            id=team.id,
            name=team.name,
            description=team.description,
            member_count=self._member_count(tx, team.id),
            my_role=role,
            created_at=team.created_at,
            archived=team.archived_at is not None,
        )


def _clash_sentence(tx: Tx | None) -> str:
    clash = tx.clash if tx is not None else None
    if callable(clash):
        return clash()
    return clash or "That change clashes with one made at the same moment; try again."


def _changed_thing(target: str) -> str:
    """What an audit target such as ``team:Platform`` names, to start a sentence:
    ``The team 'Platform'``."""
    kind, _, name = target.partition(":")
    kind = kind.replace("_", " ").strip()
    if not name:
        return f"That {kind}" if kind else "That"
    return f"The {kind} {quoted(name)}"


def with_via(details: dict[str, Any], via: str | None) -> dict[str, Any]:
    """Audit details, naming the credential the actor came in with when there is one."""
    return {**details, "via": via} if via else details


def _quoted(ref: int | str) -> str:
    return f"#{ref}" if isinstance(ref, int) else quoted(ref)


def user_view(user: User) -> UserView:
    return UserView(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        workspace_role=user.workspace_role,
        status=user.status,
        created_at=user.created_at,
    )


def workspace_view(workspace: Workspace) -> WorkspaceView:
    return WorkspaceView(
        id=workspace.id,
        name=workspace.name,
        plan=workspace.plan,
        teams_enabled=plan_has_teams(workspace.plan),
    )
