"""``auxot serve-api``: the key verification service (docs/api.md).

The HTTP library is imported only when the service starts."""

from __future__ import annotations

import argparse

from cli.arguments import non_negative_int, positive_float
from cli.commands.ssh import listen_address
from cli.context import Context
from cli.options import CommandAdder
from cli.output import warn

DEFAULT_LISTEN = "127.0.0.1:8787"


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:  # type: ignore[type-arg]
    serve = adder.add(
        subparsers, "serve-api", serve_api, "serve key verification over HTTP (docs/api.md)"
    )
    serve.add_argument(
        "--listen",
        type=listen_address,
        default=listen_address(DEFAULT_LISTEN),
        metavar="HOST:PORT",
        help=f"address to listen on (default {DEFAULT_LISTEN})",
    )
    serve.add_argument(
        "--flush-interval",
        type=positive_float,
        default=5.0,
        metavar="SECONDS",
        help="how often keys' last uses are written (default 5)",
    )
    serve.add_argument(
        "--db-threads",
        type=non_negative_int,
        metavar="N",
        help="threads for database reads (default 0: each read runs on the event loop)",
    )


def serve_api(ctx: Context) -> int:
    from api.server import ApiOptions, RunningApi, serve_forever

    host, port = ctx.args.listen
    options = ApiOptions(flush_interval=ctx.args.flush_interval, db_threads=ctx.args.db_threads)

    def ready(running: RunningApi) -> None:
        warn(f"Verifying team keys on http://{running.host}:{running.port} (Ctrl-C stops).")

    try:
        serve_forever(ctx.core(), host, port, options, ready)
    except OSError as error:
        warn(f"Cannot listen on {host}:{port}: {error.strerror or error}.")
        return 1
    return 0
