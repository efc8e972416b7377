"""How concurrent writers stay out of each other's way: one lock order, one retry.

The lock order
--------------
Every unit of work that locks rows takes them in this order, and never goes back up it:

1. the workspace row, only for changes to the whole workspace (its plan, a
   workspace-wide resource);
2. the team row (``ServiceBase._team(..., lock=True)`` or ``_find_team(..., lock=True)``),
   for any change to what lives in a team: its memberships, invitations, API keys and
   resources; when one change spans several teams, their rows in ascending id order;
3. the rows under that team: an invitation, a membership, a key.

So a path that starts from a row under a team (accepting an invitation starts from its
token) first reads that row without a lock to learn its team, locks the team, and only then
locks the row again and checks it afresh (:func:`lock_row`). Two paths that both follow
the order queue behind the team's lock instead of deadlocking.

Uniqueness the product promises (team names, key names among live keys, resource names in
a scope, one pending invitation per person and team, one workspace) is also a unique index,
so a writer that slips past a check still cannot make a duplicate; the unit of work turns
that index's refusal into the use case's own sentence (``Tx.clash``).

The retry
---------
PostgreSQL may still end a transaction with a serialization failure or a deadlock (for
example two accounts created by two invitations at once). :func:`retry_once` wraps every
service method: such a failure runs the method once more, provided nothing of it has been
committed yet; a second failure becomes a :class:`~core.errors.Conflict` sentence. Mail and
ended sessions follow the method's return (``Core.run``), so a retry cannot repeat them, and
the outbox rows of a failed attempt are rolled back with it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

# PostgreSQL's serialization_failure and deadlock_detected.
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})

CHANGED_AT_ONCE = "{what} was changed by someone else at the same moment; try again."

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


class TryAgain(Exception):  # a signal between the unit of work and retry_once
    """The transaction was rolled back by a transient clash and may run once more."""


@dataclass
class _Attempt:
    may_retry: bool
    committed: bool = False


# The attempts of the service methods running in this thread, innermost last.
_ATTEMPTS: ContextVar[tuple[_Attempt, ...]] = ContextVar("auxot_attempts", default=())


def is_transient(error: BaseException) -> bool:
    """A serialization failure or deadlock: the same work may succeed when run again."""
    orig = error.orig if isinstance(error, DBAPIError) else None
    return getattr(orig, "sqlstate", None) in TRANSIENT_SQLSTATES


def may_retry() -> bool:
    """Whether the running method may run again: it is on its first attempt and has
    committed nothing yet."""
    attempts = _ATTEMPTS.get()
    return bool(attempts) and attempts[-1].may_retry and not attempts[-1].committed


def committed() -> None:
    """A write transaction committed: no method now running may repeat it."""
    for attempt in _ATTEMPTS.get():
        attempt.committed = True


def retry_once(method: Callable[P, R]) -> Callable[P, R]:
    """Run ``method``; when its unit of work raises :class:`TryAgain`, run it once more."""

    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        for first in (True, False):
            token = _ATTEMPTS.set((*_ATTEMPTS.get(), _Attempt(first)))
            try:
                return method(*args, **kwargs)
            except TryAgain:
                if not first:
                    raise
            finally:
                _ATTEMPTS.reset(token)
        raise AssertionError("unreachable: the second attempt returns or raises")

    run.__dict__["retries_once"] = True
    return run


def retry_public_methods(cls: type) -> None:
    """Wrap every public method ``cls`` defines with :func:`retry_once`."""
    for name, value in list(vars(cls).items()):
        if name.startswith("_") or not callable(value) or isinstance(value, (type, property)):
            continue
        if isinstance(value, (staticmethod, classmethod)) or getattr(value, "retries_once", False):
            continue
        setattr(cls, name, retry_once(value))


def lock_row(session: Session, query: Select[T]) -> T | None:
    """The row ``query`` finds, locked and read afresh: for a row under a team whose lock the
    caller took after first reading the row unlocked."""
    locked: Any = query.with_for_update().execution_options(populate_existing=True)
    return session.scalar(locked)
