"""``auxot audit``: the newest events of a team or of the whole workspace."""

from __future__ import annotations

import argparse

from cli.context import Context
from cli.options import CommandAdder
from cli.paging import add_limit_option, more, print_page
from core.usecases import commands as uc


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:
    audit = adder.add(subparsers, "audit", list_audit, "the audit log, newest first")
    audit.add_argument("--team", metavar="TEAM", help="only this team's events")
    add_limit_option(audit, 50, "events", most=1000)


def list_audit(ctx: Context) -> int:
    page = ctx.run(uc.ListAudit(ctx.args.team, more(ctx)))
    events = page.items
    return print_page(
        ctx,
        page,
        "event",
        ("ID", "AT", "ACTOR", "ACTION", "TARGET", "OUTCOME", "REASON"),
        (
            (e.id, e.at, e.actor, e.action, e.target, e.outcome, e.details.get("reason", ""))
            for e in events
        ),
        empty="No events yet.",
    )
