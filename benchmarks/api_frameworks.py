"""The key service on Starlette and uvicorn, for ``benchmarks/api_bench.py --frameworks``.

It serves ``POST /v1/keys/verify``, ``GET /healthz`` and ``GET /metrics`` over the same
``api.verify`` code as ``auxot serve-api`` (aiohttp), so that only the framework differs
between the two. It is a benchmark, not part of the product: the product does not depend on
Starlette or uvicorn (they are in the ``bench`` extra).

    .venv/bin/python benchmarks/api_frameworks.py [--listen 127.0.0.1:0] [--db-threads N]

The database comes from AUXOT_DATABASE_URL, as for the CLI. Once listening it writes the
address on standard error, in the same words as ``auxot serve-api``.
"""

from __future__ import annotations

import argparse
import socket
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from api.verify import (
    MAX_BODY,
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
from core.db import open_database
from core.services import Core
from core.settings import load_settings


def build_app(service: KeyService) -> Starlette:
    async def verify(request: Request) -> Response:
        started = time.perf_counter()
        try:
            check_header_sizes(request.headers.raw)
            presented = await _presented_key(request)
        except Refused as refused:
            return _response(refused.answer())
        address = request.client.host if request.client else "unknown"
        return _response(await service.verify(presented, address, started))

    async def healthz(request: Request) -> Response:
        try:
            check_header_sizes(request.headers.raw)
        except Refused as refused:
            return _response(refused.answer())
        return _response(await service.health())

    async def metrics(_request: Request) -> Response:
        return PlainTextResponse(service.metrics_text())

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        service.start()
        try:
            yield
        finally:
            await service.stop()

    routes = [
        Route("/v1/keys/verify", verify, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


async def _presented_key(request: Request) -> str:
    headers = request.headers
    found = keys_in_headers(headers.get("authorization"), headers.get("x-api-key"))
    length = headers.get("content-length")
    check_content_length(int(length) if length and length.isdigit() else None)
    chunked = "chunked" in headers.get("transfer-encoding", "").lower()
    if (length and length != "0") or chunked:
        found.append(key_in_body(await _read_body(request)))
    return one_key(found)


async def _read_body(request: Request) -> bytes:
    # A chunked body has no length to check first, so the limit holds while reading.
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            raise Refused(413, TOO_LARGE)
    return bytes(raw)


def _response(answer: Answer) -> Response:
    return Response(
        answer.body,
        status_code=answer.status,
        media_type="application/json",
        headers=dict(answer.headers),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", default="127.0.0.1:0", metavar="HOST:PORT")
    parser.add_argument("--db-threads", type=int, metavar="N")
    args = parser.parse_args()
    host, _, port = args.listen.rpartition(":")

    settings = load_settings()
    core = Core(open_database(settings.resolved_database_url()), settings=settings)
    service = KeyService(core, ApiOptions(db_threads=args.db_threads))
    config = uvicorn.Config(
        build_app(service),
        loop="asyncio",  # the same event loop as the aiohttp server
        http="httptools",  # the C parser, as aiohttp's
        ws="none",
        lifespan="on",
        access_log=False,
        log_level="warning",
    )
    # Bound and listening before the address is written, so the first request waits in the
    # backlog rather than being refused. The protocol is named so that asyncio turns Nagle's
    # algorithm off on accepted connections, as it does for servers it binds itself: without
    # it a response written in two parts waits about 40 ms for the client's delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, int(port)))
    sock.listen(2048)
    bound = sock.getsockname()[1]
    print(f"Verifying team keys on http://{host}:{bound} (Starlette on uvicorn).", file=sys.stderr)
    sys.stderr.flush()
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
