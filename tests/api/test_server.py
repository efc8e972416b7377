"""``auxot serve-api`` against a real server on loopback, with a real HTTP client."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select, text

from api.server import ApiOptions, RunningApi, start_api
from core.models import AuditEvent
from core.services import Core
from core.views import Principal

TEAM = "Platform Engineering"


class ServerThread:
    """The service on its own event loop in a thread, on a free port."""

    def __init__(self, core: Core, options: ApiOptions) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.running: RunningApi = self._call(start_api(core, "127.0.0.1", 0, options))
        self.url = f"http://127.0.0.1:{self.running.port}"

    def _call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(30)

    def stop(self) -> None:
        if self.loop.is_closed():
            return
        self._call(self.running.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)
        self.loop.close()


class Reply:
    def __init__(self, status: int, headers: Any, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    url: str, method: str = "POST", headers: dict[str, str] | None = None, body: bytes | None = None
) -> Reply:
    request = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read())


@pytest.fixture
def serve(core: Core) -> Iterator[Any]:
    started: list[ServerThread] = []

    def start(**options: Any) -> ServerThread:
        options.setdefault("flush_interval", 3600.0)  # flushed only when a test says so
        server = ServerThread(core, ApiOptions(**options))
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def team(core: Core, owner: Principal) -> str:
    core.create_team(owner, TEAM)
    return TEAM


def verify(server: ServerThread, key: str, how: str = "bearer") -> Reply:
    url = server.url + "/v1/keys/verify"
    if how == "bearer":
        return call(url, headers={"Authorization": f"Bearer {key}"})
    if how == "x-api-key":
        return call(url, headers={"x-api-key": key})
    body = json.dumps({"key": key}).encode()
    return call(url, headers={"Content-Type": "application/json"}, body=body)


@pytest.mark.parametrize("how", ["bearer", "x-api-key", "json"])
def test_a_good_key_gets_its_team_key_and_scope(core, owner, team, serve, how):
    created = core.create_key(owner, team, "CI", expires_in_days=30, scope="read")
    server = serve()
    reply = verify(server, created.plaintext, how)
    assert reply.status == 200
    body = reply.json()
    assert body["valid"] is True
    assert body["team"] == {"id": created.key.team_id, "name": TEAM}
    assert body["key"] == {
        "key_id": created.key.key_id,
        "name": "CI",
        "expires_at": created.key.expires_at.isoformat() + "Z",
        "scope": "read",
    }


def test_every_refusal_reason(core, owner, team, serve, clock):
    server = serve()
    revoked = core.create_key(owner, team, "Revoked").plaintext
    core.revoke_key(owner, team, "Revoked")
    expiring = core.create_key(owner, team, "Short", expires_in_days=1).plaintext
    old = core.create_key(owner, team, "Rotated").plaintext
    core.rotate_key(owner, team, "Rotated", grace_hours=0)
    good = core.create_key(owner, team, "Good").plaintext
    clock.advance(days=2)
    unknown = "team.0123456789abcdef." + "A" * 43
    wrong_secret = good[:-5] + "AAAAA"
    expected = {
        unknown: "unknown",
        wrong_secret: "unknown",
        revoked: "revoked",
        expiring: "expired",
        old: "rotated-out",
        "team.not-a-key": "malformed",
    }
    for key, reason in expected.items():
        reply = verify(server, key)
        assert (reply.status, reply.json()) == (401, {"valid": False, "reason": reason}), key
    core.set_plan(owner, "team")
    assert verify(server, good).json()["reason"] == "plan"
    core.set_plan(owner, "business")
    core.archive_team(owner, team)
    assert verify(server, good).json()["reason"] == "team-deleted"


def test_malformed_and_oversized_requests(core, owner, team, serve):
    key = core.create_key(owner, team, "CI").plaintext
    other = core.create_key(owner, team, "Other").plaintext
    url = serve().url + "/v1/keys/verify"
    cases = [
        (call(url), 400),  # no key at all
        (call(url, headers={"Authorization": f"Basic {key}"}), 400),
        (call(url, body=b"{not json"), 400),
        (call(url, body=b'["team.x"]'), 400),
        (call(url, body=b'{"key": 5}'), 400),
        (call(url, headers={"Authorization": f"Bearer {key}", "x-api-key": other}), 400),
        (call(url, body=json.dumps({"key": "k" * 5000}).encode()), 413),
        (call(url, headers={"x-api-key": "k" * 5000}), 431),
        (call(url, headers={f"x-pad-{n}": "p" * 1000 for n in range(10)}), 431),
        (call(url, headers={"x-api-key": "k" * 40000}), 400),  # past the parser's limit
        (call(url, method="GET"), 405),
    ]
    for reply, status in cases:
        assert reply.status == status, reply.body
    # None of them counted as a verification, and none reached the database.
    assert (
        "auxot_key_verifications_total{" not in call(serve().url + "/metrics", "GET").body.decode()
    )


def test_revocation_and_narrowing_hold_on_the_next_call(core, owner, team, serve):
    key = core.create_key(owner, team, "CI").plaintext
    server = serve()
    assert verify(server, key).json()["key"]["scope"] == "full"
    core.set_key_scope(owner, team, "CI", "read")
    assert verify(server, key).json()["key"]["scope"] == "read"
    core.revoke_key(owner, team, "CI")
    assert verify(server, key).json() == {"valid": False, "reason": "revoked"}


def test_two_servers_on_one_database_agree(core, owner, team, serve, database, clock):
    key = core.create_key(owner, team, "CI").plaintext
    first = serve()
    second_core = Core(database, clock)
    second = ServerThread(second_core, ApiOptions(flush_interval=3600))
    try:
        assert verify(first, key).status == verify(second, key).status == 200
        core.revoke_key(owner, team, "CI")
        assert verify(first, key).status == verify(second, key).status == 401
    finally:
        second.stop()


def test_failures_are_rate_limited_per_address_and_good_keys_are_not(core, owner, team, serve):
    key = core.create_key(owner, team, "CI").plaintext
    server = serve(failure_burst=3, failure_rate=0.001)
    bad = "team.0123456789abcdef." + "A" * 43
    assert [verify(server, bad).status for _ in range(3)] == [401, 401, 401]
    limited = verify(server, bad)
    assert limited.status == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["reason"] == "rate-limited"
    assert verify(server, "nonsense").status == 429  # malformed ones count too
    assert [verify(server, key).status for _ in range(10)] == [200] * 10
    assert "auxot_key_rate_limited_total 2" in call(server.url + "/metrics", "GET").body.decode()


def test_last_uses_are_written_in_batches_and_at_shutdown(core, owner, team, serve, clock):
    key = core.create_key(owner, team, "CI").plaintext
    server = serve()
    assert verify(server, key).status == 200
    [listed] = core.list_keys(owner, team).items
    assert listed.last_used_at is None  # the call wrote nothing
    server.stop()
    [listed] = core.list_keys(owner, team).items
    assert (listed.last_used_at, listed.last_used_from) == (clock(), "127.0.0.1")


def test_the_background_flush_writes_while_serving(core, owner, team, serve, clock):
    key = core.create_key(owner, team, "CI").plaintext
    server = serve(flush_interval=0.05)
    assert verify(server, key).status == 200
    for _ in range(400):  # the flush runs every 50 ms; wait for it, not for a time
        if core.list_keys(owner, team).items[0].last_used_at is not None:
            break
        threading.Event().wait(0.05)
    assert core.list_keys(owner, team).items[0].last_used_from == "127.0.0.1"


def test_rotation_until_unused_ends_once_the_old_key_goes_quiet(core, owner, team, serve, clock):
    old = core.create_key(owner, team, "CI").plaintext
    new = core.rotate_key(owner, team, "CI", grace_hours=24, until_unused=True, quiet_minutes=10)
    server = serve()
    clock.advance(minutes=9)
    assert verify(server, old).status == 200  # still in use: the quiet period starts again
    clock.advance(minutes=9)
    assert verify(server, old).status == 200
    clock.advance(minutes=10)
    assert verify(server, old).json() == {"valid": False, "reason": "rotated-out"}
    assert verify(server, new.plaintext).status == 200
    with core.db.session() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
    assert actions.count("key.retire") == 1
    assert [k.status for k in core.list_keys(owner, team).items] == ["active", "revoked"]


def test_healthz_and_metrics(core, owner, team, serve):
    key = core.create_key(owner, team, "CI").plaintext
    server = serve()
    health = call(server.url + "/healthz", "GET")
    assert (health.status, health.json()) == (200, {"ok": True, "database": "ok"})
    verify(server, key)
    verify(server, "team.0123456789abcdef." + "A" * 43)
    text = call(server.url + "/metrics", "GET").body.decode()
    assert 'auxot_key_verifications_total{result="valid"} 1' in text
    assert 'auxot_key_verifications_total{result="unknown"} 1' in text
    assert 'auxot_key_verify_seconds_bucket{le="+Inf"} 2' in text
    assert "auxot_key_verify_seconds_count 2" in text


def test_a_database_that_cannot_answer_gets_503_and_the_next_call_works(
    core, owner, team, serve, database, capfd
):
    """A read that fails (here the keys table is briefly gone) is neither a good nor a bad
    key: 503 with a sentence and Retry-After, counted as an error; the next call, once the
    table is back, verifies again on a fresh connection."""
    key = core.create_key(owner, team, "CI").plaintext
    server = serve()
    assert verify(server, key).status == 200
    with database.engine.begin() as connection:
        connection.execute(text("ALTER TABLE team_api_keys RENAME TO team_api_keys_away"))
    try:
        reply = verify(server, key)
    finally:
        with database.engine.begin() as connection:
            connection.execute(text("ALTER TABLE team_api_keys_away RENAME TO team_api_keys"))
    assert reply.status == 503
    assert reply.headers["Retry-After"] == "1"
    assert reply.json() == {"valid": False, "error": "The database does not answer; try again."}
    assert key not in capfd.readouterr().err  # the driver's message is logged, never the key
    assert verify(server, key).status == 200
    text_ = call(server.url + "/metrics", "GET").body.decode()
    assert 'auxot_key_verifications_total{result="error"} 1' in text_
    assert 'auxot_key_verifications_total{result="valid"} 2' in text_


def test_a_read_that_waits_on_a_lock_is_cut_off_not_waited_for(core, owner, team, serve, database):
    """On PostgreSQL the verifying read, which runs on the server's event loop, gives up
    after VERIFY_TIMEOUT_MS: a table locked by another transaction gets 503 in seconds, not
    once the lock goes, and the next call after it goes verifies again."""
    if database.is_sqlite:
        pytest.skip("a statement timeout is PostgreSQL's; SQLite readers never wait on a lock")
    key = core.create_key(owner, team, "CI").plaintext
    server = serve()
    assert verify(server, key).status == 200
    with database.engine.connect() as holder:
        holder.execute(text("LOCK TABLE team_api_keys IN ACCESS EXCLUSIVE MODE"))
        started = time.monotonic()
        reply = verify(server, key)
        waited = time.monotonic() - started
        holder.rollback()
    assert reply.status == 503
    assert waited < 30  # cut off (after about 2 s), not held until the lock goes
    assert verify(server, key).status == 200
