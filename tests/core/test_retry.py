"""A deadlock or serialization failure runs the use case once more, then becomes a sentence.

PostgreSQL aborts such a transaction only under a race that cannot be timed from a test, so
these inject the fault (the same error psycopg raises) on the first insert of the chosen table;
tests/reliability/ races the real thing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from psycopg import errors as pg_errors
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from core.errors import Conflict
from core.models import AuditEvent, OutboxMessage, TeamApiKey
from core.services import Core
from core.usecases.commands import InviteMembers
from core.views import Principal


class Faults:
    """Raise a deadlock on the next ``count`` inserts into ``table``."""

    def __init__(self, core: Core, table: str, fault: type[Exception]) -> None:
        self.table, self.fault, self.count, self.raised = table, fault, 0, 0
        self.engine = core.db.engine
        event.listen(self.engine, "before_execute", self._before)

    def _before(self, _conn: Any, clause: Any, *_args: Any) -> None:
        if self.count and f"INSERT INTO {self.table} " in str(clause):
            self.count -= 1
            self.raised += 1
            raise OperationalError(str(clause), {}, self.fault("injected"))

    def remove(self) -> None:
        event.remove(self.engine, "before_execute", self._before)


@pytest.fixture(params=[pg_errors.DeadlockDetected, pg_errors.SerializationFailure])
def key_faults(request: pytest.FixtureRequest, core: Core) -> Iterator[Faults]:
    faults = Faults(core, "team_api_keys", request.param)
    yield faults
    faults.remove()


def _audit(core: Core, action: str) -> list[tuple[str, str]]:
    with core.db.session(write=False) as session:
        rows = session.execute(
            select(AuditEvent.outcome, AuditEvent.details).where(AuditEvent.action == action)
        ).all()
    return [(outcome, details.get("reason", "")) for outcome, details in rows]


def test_one_transient_failure_is_retried_unseen(
    core: Core, owner: Principal, key_faults: Faults
) -> None:
    core.create_team(owner, "Platform")
    key_faults.count = 1
    created = core.create_key(owner, "Platform", "ci")
    assert key_faults.raised == 1
    assert created.key.name == "ci"
    with core.db.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(TeamApiKey)) == 1
    assert _audit(core, "key.create") == [("ok", "")]


def test_a_second_failure_is_a_sentence_and_changes_nothing(
    core: Core, owner: Principal, key_faults: Faults
) -> None:
    core.create_team(owner, "Platform")
    key_faults.count = 2
    with pytest.raises(Conflict) as refused:
        core.create_key(owner, "Platform", "ci")
    assert key_faults.raised == 2
    sentence = "The key 'ci' was changed by someone else at the same moment; try again."
    assert refused.value.message == sentence
    with core.db.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(TeamApiKey)) == 0
    assert _audit(core, "key.create") == [("failed", sentence)]


def test_a_retried_invitation_queues_and_delivers_one_message(core: Core, owner: Principal) -> None:
    """The first attempt's outbox row is rolled back with it, and mail goes out only after
    the use case returns: one message, handed on once."""
    core.create_team(owner, "Platform")
    handed: list[int] = []

    class Recorder:
        def mail_queued(self, _core: Any, count: int) -> None:
            handed.append(count)

        def access_ended(self, _command: object) -> None:
            pass

    core.after_commit = Recorder()  # records instead of sending
    faults = Faults(core, "outbox_messages", pg_errors.DeadlockDetected)
    faults.count = 1
    try:
        core.run(owner, InviteMembers("Platform", ("new@acme.example.com",)))
    finally:
        faults.remove()
    assert faults.raised == 1
    with core.db.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    assert handed == [1]
