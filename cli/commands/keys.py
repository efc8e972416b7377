"""``auxot keys``: team API keys. A new key is printed once; ``verify`` reads from stdin."""

from __future__ import annotations

import argparse
import sys

from cli.arguments import duration_minutes, expiry_days, non_negative_float, positive_float
from cli.confirm import add_yes_option, confirm
from cli.context import Context
from cli.options import CommandAdder
from cli.output import print_json, print_table, say, utc, warn
from cli.paging import DEFAULT_LIMIT, add_limit_option, more, print_page
from core.text import quoted
from core.usecases import commands as uc
from core.vocabulary import EXPIRY_WARNING_DAYS, KEY_SCOPES

# Mirrors core.services.keys, which checks it again.
DEFAULT_QUIET_MINUTES = 60.0

# Read at most this much of standard input: a key is about 60 characters.
MAX_KEY_INPUT = 4096


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:
    group = adder.group(subparsers, "keys", "team API keys")
    listing = adder.add(group, "list", list_keys, "list a team's keys (never the secrets)")
    add_limit_option(listing, DEFAULT_LIMIT, "keys")
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
    create.add_argument(
        "--scope",
        choices=KEY_SCOPES,
        default="full",
        help="full (the team's permissions; the default) or read (read-only use)",
    )

    scope = adder.add(group, "scope", set_scope, "change what a key may do (full or read)")
    scope.add_argument("team", metavar="TEAM", help="the team's name or id")
    scope.add_argument("key", metavar="KEY", help="the key's name or key id")
    scope.add_argument("scope", metavar="SCOPE", choices=KEY_SCOPES, help="full or read")

    expiring = adder.add(
        group, "expiring", list_expiring, "list keys that expire soon, across your teams"
    )
    expiring.add_argument(
        "--days",
        type=positive_float,
        default=EXPIRY_WARNING_DAYS,
        metavar="N",
        help=f"within N days (default {EXPIRY_WARNING_DAYS:g})",
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
    rotate.add_argument(
        "--until-unused",
        action="store_true",
        help="revoke the old key as soon as it goes unused for the quiet period",
    )
    rotate.add_argument(
        "--quiet-period",
        type=duration_minutes,
        default=DEFAULT_QUIET_MINUTES,
        metavar="DURATION",
        help="with --until-unused: how long unused (default 1h; at most the grace period)",
    )

    adder.add(
        group,
        "verify",
        verify_key,
        "check a key read from standard input (never from the command line)",
    )


def list_keys(ctx: Context) -> int:
    page = ctx.run(uc.ListKeys(ctx.args.team, page=more(ctx)))
    keys = page.items
    return print_page(
        ctx,
        page,
        "key",
        ("NAME", "KEY", "SCOPE", "STATUS", "CREATED BY", "CREATED", "LAST USED", "FROM", "EXPIRES"),
        (
            (
                k.name,
                k.masked,
                k.scope,
                k.status,
                k.created_by or "-",
                k.created_at,
                k.last_used_at or "never",
                k.last_used_from or "-",
                k.expires_at or "never",
            )
            for k in keys
        ),
        empty="No keys yet.",
    )


def list_expiring(ctx: Context) -> int:
    found = ctx.run(uc.ListExpiringKeys(ctx.args.days))
    if ctx.json:
        print_json(found)
        return 0
    print_table(
        ("TEAM", "NAME", "KEY", "SCOPE", "EXPIRES", "LAST USED"),
        (
            (
                e.team_name,
                e.key.name,
                e.key.masked,
                e.key.scope,
                e.key.expires_at,
                e.key.last_used_at or "never",
            )
            for e in found
        ),
        empty=f"No key expires within {ctx.args.days:g} days.",
    )
    return 0


def set_scope(ctx: Context) -> int:
    key = ctx.run(uc.SetKeyScope(ctx.args.team, ctx.args.key, ctx.args.scope))
    if ctx.json:
        print_json(key)
    else:
        say(f"The key {key.name} ({key.masked}) now has the {key.scope} scope, from its next call.")
    return 0


def create_key(ctx: Context) -> int:
    created = ctx.run(
        uc.CreateKey(ctx.args.team, ctx.args.name, ctx.args.expires_in, ctx.args.scope)
    )
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
    args = ctx.args
    created = ctx.run(
        uc.RotateKey(args.team, args.key, args.grace, args.until_unused, args.quiet_period)
    )
    if ctx.json:
        print_json(created)
        return 0
    old = created.replaces
    until = "at once" if old is None or old.expires_at is None else f"until {utc(old.expires_at)}"
    if old is not None and old.quiet_seconds is not None and old.expires_at is not None:
        until = f"until it goes {_minutes(old.quiet_seconds)} unused ({until} at the latest)"
    warn(
        f"Rotated the key {created.key.name}: the old key works {until}. "
        "Copy the new one now: it will not be shown again."
    )
    say(created.plaintext)
    return 0


def verify_key(ctx: Context) -> int:
    presented = sys.stdin.read(MAX_KEY_INPUT).strip()
    core = ctx.core()
    check = core.verify_key(presented)
    core.flush_key_uses()  # the last use is noted in memory; write it before exiting
    if ctx.json:
        print_json(check)
    elif check.ok:
        say(f"Valid: the key {check.key_name} of the team {check.team_name}.")
    else:
        warn(f"Not valid: {check.reason}.")
    return 0 if check.ok else 1


def _minutes(seconds: int) -> str:
    minutes = seconds / 60
    if minutes >= 60 and minutes % 60 == 0:
        return f"{minutes / 60:g} h"
    return f"{minutes:g} min"
