"""``auxot outbox``: invitation mail waiting to be sent, and sending it now."""

from __future__ import annotations

import argparse

from cli.commands.members import say_delivery
from cli.context import Context
from cli.options import CommandAdder
from cli.output import print_json, say
from cli.paging import add_limit_option, more, print_page
from core.usecases import commands as uc


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:
    group = adder.group(subparsers, "outbox", "mail waiting to be sent")
    listing = adder.add(
        group, "list", list_outbox, "list the newest messages and how their delivery went"
    )
    add_limit_option(listing, 100, "messages")
    adder.add(
        group, "flush", flush_outbox, "send every unsent message now, over one connection a batch"
    )


def list_outbox(ctx: Context) -> int:
    page = ctx.run(uc.ListOutbox(more(ctx)))
    messages = page.items
    return print_page(
        ctx,
        page,
        "message",
        ("ID", "KIND", "TO", "STATUS", "ATTEMPTS", "CREATED", "LAST ERROR"),
        (
            (
                m.id,
                m.kind,
                m.recipient,
                "failed for good" if m.final else m.status,
                m.attempts,
                m.created_at,
                m.last_error or "",
            )
            for m in messages
        ),
        empty="The outbox is empty.",
    )


def flush_outbox(ctx: Context) -> int:
    core = ctx.core()
    ctx.run(uc.ListOutbox(uc.PageRequest(limit=0)))  # the same permission as reading the outbox
    report = core.deliver_outbox(due_only=False)
    if ctx.json:
        print_json(report)
    elif not report.outcomes and not report.left:
        say("Nothing was waiting to be sent.")
    else:
        say_delivery(report)
    return 0 if not report.failed else 1
