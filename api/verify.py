"""The verification service without its HTTP framework: where a key may be found in a
request, what each answer says, and the state a server keeps (the thread pool for database
reads, the failure limiter, the metrics and the background flush of key uses).

``api.server`` puts it behind aiohttp; any other server can do the same by passing in the
request's headers and body and sending back the ``Answer`` it gets.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from api.limiter import FailureLimiter
from api.metrics import Metrics
from core import keys
from core.key_usage import Periodic
from core.services import Core
from core.views import KeyCheck

# A verification request is a key (about 70 bytes) in a header or a small JSON body.
MAX_BODY = 4096
# Headers past these sizes get 431; lines past the parser's own limit (twice as long) 400.
MAX_HEADER_VALUE = 4096
MAX_HEADERS_TOTAL = 8192
DEFAULT_FLUSH_SECONDS = 5.0

_log = logging.getLogger("auxot.api")

TOO_LARGE = f"The body must be at most {MAX_BODY} bytes."


@dataclass(frozen=True)
class ApiOptions:
    flush_interval: float = DEFAULT_FLUSH_SECONDS
    # Threads for database reads; 0 (the default) reads on the event loop. A verification is
    # one indexed read of well under a millisecond, less than handing it to a thread costs:
    # on PostgreSQL, reading on the loop halved the p99 latency (README, Benchmarks). A read
    # that hangs is cut off by the verifying connection's statement timeout (core.key_lookup).
    db_threads: int = 0
    failure_rate: float = 1.0  # failed verifications an address may make per second …
    failure_burst: float = 20.0  # … after this many at once


@dataclass(frozen=True)
class Answer:
    """A response to send: its status, its JSON body and any extra headers."""

    status: int
    body: str
    headers: Mapping[str, str] = field(default_factory=dict)


class Refused(Exception):
    """A request refused before any database work: its status and sentence."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def answer(self) -> Answer:
        return Answer(self.status, json.dumps({"valid": False, "error": self.message}))


# -- reading the request ------------------------------------------------------------------------


def check_header_sizes(raw_headers: Iterable[tuple[bytes, bytes]]) -> None:
    """Refuse (431) a header value or a set of headers past the limits above."""
    total = 0
    for name, value in raw_headers:
        if len(value) > MAX_HEADER_VALUE:
            raise Refused(431, f"The {name.decode('latin-1')} header is too long.")
        total += len(name) + len(value) + 4
    if total > MAX_HEADERS_TOTAL:
        raise Refused(431, "The request's headers are too large.")


def keys_in_headers(authorization: str | None, api_key: str | None) -> list[str]:
    """The keys in ``Authorization: Bearer`` and ``x-api-key``, in that order."""
    found: list[str] = []
    if authorization is not None:
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() != "bearer":
            raise Refused(400, "The Authorization header must be 'Bearer KEY'.")
        found.append(value.strip())
    if api_key is not None:
        found.append(api_key.strip())
    return found


def check_content_length(content_length: int | None) -> None:
    if content_length is not None and content_length > MAX_BODY:
        raise Refused(413, TOO_LARGE)


def key_in_body(raw: bytes) -> str:
    """The key in a JSON body ``{"key": …}``."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise Refused(400, 'The body must be JSON: {"key": "team.…"}.') from None
    if not isinstance(body, dict) or not isinstance(body.get("key"), str):
        raise Refused(400, 'The body must be a JSON object with a "key" string.')
    return str(body["key"])


def one_key(found: list[str]) -> str:
    """The one key the request carries, however many places it was put in."""
    if not found:
        raise Refused(400, "Send the key as 'Authorization: Bearer KEY', x-api-key or JSON.")
    if len(set(found)) > 1:
        raise Refused(400, "The request carries two different keys; send one.")
    return found[0]


# -- answering it -------------------------------------------------------------------------------


class KeyService:
    """What one server process keeps between requests, and the answers it gives."""

    def __init__(self, core: Core, options: ApiOptions | None = None) -> None:
        self.core = core
        self.options = options or ApiOptions()
        threads = self.options.db_threads
        self._pool = ThreadPoolExecutor(threads, "api-db") if threads else None
        self.limiter = FailureLimiter(self.options.failure_rate, self.options.failure_burst)
        self.metrics = Metrics()
        self._background = Periodic(self._maintain, self.options.flush_interval)

    def start(self) -> None:
        self._background.start()

    async def stop(self) -> None:
        # Stopping writes the uses noted since the last flush.
        await asyncio.to_thread(self._background.stop)
        if self._pool is not None:
            self._pool.shutdown(wait=True)

    def _maintain(self) -> None:
        self.core.flush_key_uses()
        self.core.retire_quiet_keys()

    async def _db(self, call: Any, *args: Any) -> Any:
        if self._pool is None:
            return call(*args)
        return await asyncio.get_running_loop().run_in_executor(self._pool, call, *args)

    async def verify(self, presented: str, address: str, started: float) -> Answer:
        """Check ``presented`` for the caller at ``address``; ``started`` is when the request
        arrived (``time.perf_counter()``), for the latency histogram."""
        if keys.parse(presented) is None:
            check = KeyCheck(False, "malformed")  # no database work for what cannot be a key
        else:
            try:
                check = await self._db(self.core.verify_key, presented, address)
            except Exception as error:  # noqa: BLE001 - any driver error: the database is away
                self.metrics.observe("error", time.perf_counter() - started)
                return unavailable(error)
        answer = self._answer(check, address)
        self.metrics.observe(check.reason or "valid", time.perf_counter() - started)
        return answer

    def _answer(self, check: KeyCheck, address: str) -> Answer:
        if check.ok:
            return Answer(200, _valid_body(check))
        wait = self.limiter.retry_after(address)
        if wait:
            self.metrics.rate_limited += 1
            body = {"valid": False, "reason": "rate-limited", "retry_after": wait}
            return Answer(429, json.dumps(body), {"Retry-After": str(wait)})
        self.limiter.failed(address)
        return Answer(401, json.dumps({"valid": False, "reason": check.reason}))

    async def health(self) -> Answer:
        if await self._db(self.core.database_answers):
            return Answer(200, json.dumps({"ok": True, "database": "ok"}))
        return Answer(503, json.dumps({"ok": False, "database": "The database does not answer."}))

    def metrics_text(self) -> str:
        return self.metrics.render(self.core.key_usage.pending)


def unavailable(error: BaseException) -> Answer:
    """503 for a verification the database could not answer: neither valid nor invalid, so
    that a caller retries rather than treating its key as bad. The driver's text stays in the
    server's log; it may name hosts and users."""
    _log.warning("key verification failed: %s: %s", type(error).__name__, error)
    body = {"valid": False, "error": "The database does not answer; try again."}
    return Answer(503, json.dumps(body), {"Retry-After": "1"})


def _valid_body(check: KeyCheck) -> str:
    return json.dumps(
        {
            "valid": True,
            "team": {"id": check.team_id, "name": check.team_name},
            "key": {
                "key_id": check.key_id,
                "name": check.key_name,
                "expires_at": check.expires_at.isoformat() + "Z" if check.expires_at else None,
                "scope": check.scope,
            },
        }
    )
