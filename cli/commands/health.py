"""``auxot health``: a check of this installation for people and for container health
checks (exit 0 when every check passes, 1 otherwise)."""

from __future__ import annotations

import argparse

from cli.context import Context
from cli.options import CommandAdder
from cli.output import print_json, say


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:  # type: ignore[type-arg]
    adder.add(
        subparsers,
        "health",
        show_health,
        "check the database, its schema, the data directory and mail (exit 0 or 1)",
    )


def show_health(ctx: Context) -> int:
    from core.health import check_health

    checks = check_health(ctx.settings)
    healthy = all(check.ok for check in checks)
    if ctx.json:
        print_json({"ok": healthy, "checks": checks})
    else:
        for check in checks:
            say(f"{'ok  ' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
    return 0 if healthy else 1
