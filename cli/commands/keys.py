"""``auxot keys``: team API keys. A new key is printed once; ``verify`` reads from stdin."""

from __future__ import annotations

import argparse
import sys

from cli.arguments import expiry_days, non_negative_float
from cli.confirm import add_yes_option, confirm
from cli.context import Context
from cli.options import CommandAdder
from cli.output import print_json, print_table, say, warn
from core.text import quoted
from core.usecases import commands as uc

# Read at most this much of standard input: a key is about 60 characters.
MAX_KEY_INPUT = 4096


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:
    group = adder.group(subparsers, "keys", "team API keys")
    listing = adder.add(group, "list", list_keys, "list a team's keys (never the secrets)")
    listing.add_argument("team", metavar="TEAM", help="the team's name or id")

    create = adder.add(group, "create", create_key, "create a key; it is shown once")
    create.add_argument("team", metavar="TEAM", help="the team's name or id")
    create.add_argument("name", metavar="NAME")
    create.add_argument(
        "--expires-in",
        type=expiry_days,
        metavar="DAYS",
        help="expire after DAYS whole days (1 to 3,650)",
    )

    revoke = adder.add(group, "revoke", revoke_key, "revoke a key at once")
    revoke.add_argument("team", metavar="TEAM", help="the team's name or id")
    revoke.add_argument("key", metavar="KEY", help="the key's name or key id")
    add_yes_option(revoke)

    rotate = adder.add(
        group, "rotate", rotate_key, "replace a key; the old one lives for a grace period"
    )
    rotate.add_argument("team", metavar="TEAM", help="the team's name or id")
    rotate.add_argument("key", metavar="KEY", help="the key's name or key id")
    rotate.add_argument(
        "--grace",
        type=non_negative_float,
        default=24.0,
        metavar="HOURS",
        help="how long the old key keeps working (default 24, 0 = at once)",
    )

    adder.add(
        group,
        "verify",
        verify_key,
        "check a key read from standard input (never from the command line)",
    )


def list_keys(ctx: Context) -> int:
    keys = ctx.run(uc.ListKeys(ctx.args.team)).items
    if ctx.json:
        print_json(keys)
        return 0
    print_table(
        ("NAME", "KEY", "STATUS", "CREATED BY", "CREATED", "LAST USED", "EXPIRES"),
        (
            (
                k.name,
                k.masked,
                k.status,
                k.created_by or "-",
                k.created_at,
                k.last_used_at or "never",
                k.expires_at or "never",
            )
            for k in keys
        ),
        empty="No keys yet.",
    )
    return 0


def create_key(ctx: Context) -> int:
    created = ctx.run(uc.CreateKey(ctx.args.team, ctx.args.name, ctx.args.expires_in))
    if ctx.json:
        print_json(created)
        return 0
    # The plaintext goes to stdout alone on its last line, so `| tail -1` captures it; the
    # explanation goes to stderr.
    warn(
        f"Created the key {created.key.name} ({created.key.masked}). "
        "Copy it now: it is not stored and will not be shown again."
    )
    say(created.plaintext)
    return 0


def revoke_key(ctx: Context) -> int:
    confirm(
        ctx,
        f"Revoke the key {quoted(ctx.args.key)} of {quoted(ctx.args.team)}? It stops working at once.",
    )
    key = ctx.run(uc.RevokeKey(ctx.args.team, ctx.args.key))
    if ctx.json:
        print_json(key)
    else:
        say(f"Revoked the key {key.name} ({key.masked}); it stops working at once.")
    return 0


def rotate_key(ctx: Context) -> int:
    created = ctx.run(uc.RotateKey(ctx.args.team, ctx.args.key, ctx.args.grace))
    if ctx.json:
        print_json(created)
        return 0
    old = created.replaces
    until = (
        "at once"
        if old is None or old.expires_at is None
        else f"until {old.expires_at:%Y-%m-%d %H:%M} UTC"
    )
    warn(
        f"Rotated the key {created.key.name}: the old key works {until}. "
        "Copy the new one now: it will not be shown again."
    )
    say(created.plaintext)
    return 0


def verify_key(ctx: Context) -> int:
    presented = sys.stdin.read(MAX_KEY_INPUT).strip()
    check = ctx.core().verify_key(presented)
    if ctx.json:
        print_json(check)
    elif check.ok:
        say(f"Valid: the key {check.key_name} of the team {check.team_name}.")
    else:
        warn(f"Not valid: {check.reason}.")
    return 0 if check.ok else 1
