"""The HTTP service: ``POST /v1/keys/verify``, ``GET /healthz``, ``GET /metrics``.

Every verification reads the key's row (nothing is cached, so a revocation holds on the next
call). On SQLite the read takes a few microseconds and runs on the event loop; on PostgreSQL
it waits on the network, so it runs on a small thread pool, each thread with its own
connection. Good keys' last uses are noted in memory and written every ``flush_interval``
seconds by a background thread, which also retires keys rotated "until unused" once they
have gone quiet; stopping the server writes them once more.

The rate limiter and the metrics belong to this process; everything else is in the
database, so any number of servers can share one PostgreSQL database.

This module is the aiohttp part only; reading a request's key and answering it is in
``api.verify``, which has no HTTP framework in it.
"""

from __future__ import annotations

import asyncio
import gc
import signal
import time
from typing import Any

from aiohttp import web

from api.verify import (
    MAX_BODY,
    MAX_HEADERS_TOTAL,
    TOO_LARGE,
    Answer,
    ApiOptions,
    KeyService,
    Refused,
    check_content_length,
    check_header_sizes,
    key_in_body,
    keys_in_headers,
    one_key,
)
from core.services import Core

# Lines past the parser's own limit (twice the headers' total) get 400.
PARSER_LIMIT = 2 * MAX_HEADERS_TOTAL

_JSON = "application/json"


class KeyApi:
    """The service (``api.verify``) behind aiohttp."""

    def __init__(self, core: Core, options: ApiOptions | None = None) -> None:
        self.service = KeyService(core, options)

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[self._header_limits])
        app.router.add_post("/v1/keys/verify", self.verify)
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics_text)
        app.on_startup.append(self._started)
        app.on_cleanup.append(self._stopped)
        return app

    async def _started(self, _app: web.Application) -> None:
        self.service.start()

    async def _stopped(self, _app: web.Application) -> None:
        await self.service.stop()

    @web.middleware
    async def _header_limits(self, request: web.Request, handler: Any) -> web.StreamResponse:
        try:
            check_header_sizes(request.raw_headers)
        except Refused as refused:
            return _response(refused.answer())
        return await handler(request)

    async def verify(self, request: web.Request) -> web.Response:
        started = time.perf_counter()
        try:
            presented = await _presented_key(request)
        except Refused as refused:
            return _response(refused.answer())
        address = request.remote or "unknown"
        return _response(await self.service.verify(presented, address, started))

    async def healthz(self, _request: web.Request) -> web.Response:
        return _response(await self.service.health())

    async def metrics_text(self, _request: web.Request) -> web.Response:
        text = self.service.metrics_text()
        return web.Response(text=text, content_type="text/plain", charset="utf-8")


async def _presented_key(request: web.Request) -> str:
    """The key from ``Authorization: Bearer``, ``x-api-key`` or a JSON body ``{"key": …}``."""
    found = keys_in_headers(request.headers.get("Authorization"), request.headers.get("x-api-key"))
    check_content_length(request.content_length)
    if request.body_exists:
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            raise Refused(413, TOO_LARGE) from None
        found.append(key_in_body(raw))
    return one_key(found)


def _response(answer: Answer) -> web.Response:
    return web.Response(
        status=answer.status, text=answer.body, content_type=_JSON, headers=answer.headers
    )


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
        # What start-up made (modules, the ORM's mappers, compiled statements) lives as long
        # as the server: frozen, no collection scans it again. A full collection of it took
        # 59 ms in one benchmark run, a pause every request in flight waited for.
        gc.collect()
        gc.freeze()
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
