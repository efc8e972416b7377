"""``auxot audit``: the newest events of a team or of the whole workspace."""

from __future__ import annotations

import argparse

from cli.arguments import positive_int
from cli.context import Context
from cli.options import CommandAdder
from cli.output import print_json, print_table
from core.usecases import commands as uc


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:  # type: ignore[type-arg]
    audit = adder.add(subparsers, "audit", list_audit, "the audit log, newest first")
    audit.add_argument("--team", metavar="TEAM", help="only this team's events")
    audit.add_argument(
        "--limit",
        type=positive_int,
        default=50,
        metavar="N",
        help="how many events (default 50, at most 1000)",
    )


def list_audit(ctx: Context) -> int:
    events = ctx.run(uc.ListAudit(ctx.args.team, uc.PageRequest(limit=ctx.args.limit))).items
    if ctx.json:
        print_json(events)
        return 0
    print_table(
        ("ID", "AT", "ACTOR", "ACTION", "TARGET", "OUTCOME", "REASON"),
        (
            (e.id, e.at, e.actor, e.action, e.target, e.outcome, e.details.get("reason", ""))
            for e in events
        ),
        empty="No events yet.",
    )
    return 0
