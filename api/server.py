"""The HTTP service: ``POST /v1/keys/verify``, ``GET /healthz``, ``GET /metrics``.

Every verification reads the key's row (nothing is cached, so a revocation holds on the next
call). On SQLite the read takes a few microseconds and runs on the event loop; on PostgreSQL
it waits on the network, so it runs on a small thread pool, each thread with its own
connection. Good keys' last uses are noted in memory and written every ``flush_interval``
seconds by a background thread, which also retires keys rotated "until unused" once they
have gone quiet; stopping the server writes them once more.

The rate limiter and the metrics belong to this process; everything else is in the
database, so any number of servers can share one PostgreSQL database.
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from aiohttp import web

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
PARSER_LIMIT = 2 * MAX_HEADERS_TOTAL
DEFAULT_FLUSH_SECONDS = 5.0

_JSON = "application/json"


@dataclass(frozen=True)
class ApiOptions:
    flush_interval: float = DEFAULT_FLUSH_SECONDS
    # Threads for database reads; 0 reads on the event loop (the default on SQLite).
    db_threads: int | None = None
    failure_rate: float = 1.0  # failed verifications an address may make per second …
    failure_burst: float = 20.0  # … after this many at once


class Refused(Exception):
    """A request refused before any database work: its status and sentence."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class KeyApi:
    def __init__(self, core: Core, options: ApiOptions | None = None) -> None:
        self.core = core
        self.options = options or ApiOptions()
        threads = self.options.db_threads
        if threads is None:
            threads = 0 if core.db.is_sqlite else 8
        self._pool = ThreadPoolExecutor(threads, "api-db") if threads else None
        self.limiter = FailureLimiter(self.options.failure_rate, self.options.failure_burst)
        self.metrics = Metrics()
        self._background = Periodic(self._maintain, self.options.flush_interval)

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[self._header_limits])
        app.router.add_post("/v1/keys/verify", self.verify)
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics_text)
        app.on_startup.append(self._started)
        app.on_cleanup.append(self._stopped)
        return app

    # -- lifecycle ----------------------------------------------------------------------------

    def _maintain(self) -> None:
        self.core.flush_key_uses()
        self.core.retire_quiet_keys()

    async def _started(self, _app: web.Application) -> None:
        self._background.start()

    async def _stopped(self, _app: web.Application) -> None:
        # Stopping writes the uses noted since the last flush.
        await asyncio.to_thread(self._background.stop)
        if self._pool is not None:
            self._pool.shutdown(wait=True)

    async def _db(self, call: Any, *args: Any) -> Any:
        if self._pool is None:
            return call(*args)
        return await asyncio.get_running_loop().run_in_executor(self._pool, call, *args)

    # -- handlers -----------------------------------------------------------------------------

    @web.middleware
    async def _header_limits(self, request: web.Request, handler: Any) -> web.StreamResponse:
        total = 0
        for name, value in request.raw_headers:
            if len(value) > MAX_HEADER_VALUE:
                return _error(431, f"The {name.decode('latin-1')} header is too long.")
            total += len(name) + len(value) + 4
        if total > MAX_HEADERS_TOTAL:
            return _error(431, "The request's headers are too large.")
        return await handler(request)

    async def verify(self, request: web.Request) -> web.Response:
        started = time.perf_counter()
        try:
            presented = await _presented_key(request)
        except Refused as refused:
            return _error(refused.status, refused.message)
        address = request.remote or "unknown"
        if keys.parse(presented) is None:
            check = KeyCheck(False, "malformed")  # no database work for what cannot be a key
        else:
            check = await self._db(self.core.verify_key, presented, address)
        response = self._answer(check, address)
        self.metrics.observe(check.reason or "valid", time.perf_counter() - started)
        return response

    def _answer(self, check: KeyCheck, address: str) -> web.Response:
        if check.ok:
            return web.Response(text=_valid_body(check), content_type=_JSON)
        wait = self.limiter.retry_after(address)
        if wait:
            self.metrics.rate_limited += 1
            return web.Response(
                status=429,
                text=json.dumps({"valid": False, "reason": "rate-limited", "retry_after": wait}),
                content_type=_JSON,
                headers={"Retry-After": str(wait)},
            )
        self.limiter.failed(address)
        return web.Response(
            status=401,
            text=json.dumps({"valid": False, "reason": check.reason}),
            content_type=_JSON,
        )

    async def healthz(self, _request: web.Request) -> web.Response:
        if await self._db(self.core.database_answers):
            return web.json_response({"ok": True, "database": "ok"})
        return web.json_response(
            {"ok": False, "database": "The database does not answer."}, status=503
        )

    async def metrics_text(self, _request: web.Request) -> web.Response:
        text = self.metrics.render(self.core.key_usage.pending)
        return web.Response(text=text, content_type="text/plain", charset="utf-8")


async def _presented_key(request: web.Request) -> str:
    """The key from ``Authorization: Bearer``, ``x-api-key`` or a JSON body ``{"key": …}``."""
    found: list[str] = []
    authorization = request.headers.get("Authorization")
    if authorization is not None:
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() != "bearer":
            raise Refused(400, "The Authorization header must be 'Bearer KEY'.")
        found.append(value.strip())
    header_key = request.headers.get("x-api-key")
    if header_key is not None:
        found.append(header_key.strip())
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise Refused(413, f"The body must be at most {MAX_BODY} bytes.")
    if request.body_exists:
        found.append(await _body_key(request))
    if not found:
        raise Refused(400, "Send the key as 'Authorization: Bearer KEY', x-api-key or JSON.")
    if len(set(found)) > 1:
        raise Refused(400, "The request carries two different keys; send one.")
    return found[0]


async def _body_key(request: web.Request) -> str:
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise Refused(413, f"The body must be at most {MAX_BODY} bytes.") from None
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise Refused(400, 'The body must be JSON: {"key": "team.…"}.') from None
    if not isinstance(body, dict) or not isinstance(body.get("key"), str):
        raise Refused(400, 'The body must be a JSON object with a "key" string.')
    return str(body["key"])


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


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"valid": False, "error": message}, status=status)


# -- running it ---------------------------------------------------------------------------------


class RunningApi:
    """A started server: its address, and how to stop it (tests and the CLI)."""

    def __init__(self, runner: web.AppRunner, host: str, port: int) -> None:
        self._runner = runner
        self.host, self.port = host, port

    async def stop(self) -> None:
        await self._runner.cleanup()


async def start_api(
    core: Core, host: str, port: int, options: ApiOptions | None = None
) -> RunningApi:
    app = KeyApi(core, options).app()
    runner = web.AppRunner(
        app,
        access_log=None,  # one line per call would cost more than the verification
        handle_signals=False,
        max_line_size=PARSER_LIMIT,
        max_field_size=PARSER_LIMIT,
    )
    await runner.setup()
    site = web.TCPSite(runner, host, port, reuse_port=True)
    await site.start()
    server = site._server  # the bound socket tells the port when 0 was asked for
    sockets = getattr(server, "sockets", None) or []
    bound = sockets[0].getsockname()[1] if sockets else port
    return RunningApi(runner, host, bound)


def serve_forever(
    core: Core, host: str, port: int, options: ApiOptions | None = None, ready: Any = None
) -> None:
    """Run until SIGINT or SIGTERM, then stop cleanly (writing the last uses)."""

    async def main() -> None:
        running = await start_api(core, host, port, options)
        if ready is not None:
            ready(running)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await stop.wait()
        finally:
            await running.stop()

    asyncio.run(main())
