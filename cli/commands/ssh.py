"""``auxot serve-ssh`` (the app over SSH) and ``auxot ssh-keys`` (who may sign in with what).

The SSH library is imported only by ``serve-ssh``; ``ssh-keys`` works on core alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.confirm import add_yes_option, confirm
from cli.context import CliError, Context
from cli.options import CommandAdder
from cli.output import print_json, say
from cli.paging import DEFAULT_LIMIT, add_limit_option, more, print_page
from core.text import quoted
from core.usecases import commands as uc

DEFAULT_LISTEN = "127.0.0.1:2222"


def listen_address(value: str) -> tuple[str, int]:
    """``HOST:PORT``, ``[IPv6]:PORT`` or ``PORT`` (on 127.0.0.1)."""
    text = value.strip()
    host, _, port = text.rpartition(":")
    if not _:
        host, port = "127.0.0.1", text
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise argparse.ArgumentTypeError(
            f"{quoted(value)} is not HOST:PORT with a port from 0 to 65535"
        )
    return host, int(port)


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:
    serve = adder.add(
        subparsers, "serve-ssh", serve_ssh, "serve the app to SSH clients (public keys only)"
    )
    serve.add_argument(
        "--listen",
        type=listen_address,
        default=listen_address(DEFAULT_LISTEN),
        metavar="HOST:PORT",
        help=f"address to listen on (default {DEFAULT_LISTEN}; 0.0.0.0:2222 for every interface)",
    )
    serve.add_argument(
        "--host-key",
        type=Path,
        metavar="PATH",
        help="the server's private host key, made on first start (default: "
        "ssh_host_ed25519_key in the data directory)",
    )
    serve.add_argument(
        "--log-format",
        choices=("text", "json"),
        help="the log on stderr: a line of text per event, or a JSON object per line "
        "(default: AUXOT_LOG_FORMAT, else text)",
    )

    group = adder.group(subparsers, "ssh-keys", "the SSH keys that sign people in to serve-ssh")
    listing = adder.add(
        group, "list", list_keys, "list keys (yours, or everyone's for workspace admins)"
    )
    add_limit_option(listing, DEFAULT_LIMIT, "keys")
    listing.add_argument("email", nargs="?", metavar="EMAIL", help="only this account's keys")
    add = adder.add(group, "add", add_key, "register a public key for an account")
    add.add_argument("email", metavar="EMAIL")
    add.add_argument(
        "pubkey_file", metavar="PUBKEY_FILE", help="a .pub file, or - for standard input"
    )
    add.add_argument(
        "--signature",
        metavar="SIG_FILE",
        help="the key's signature over its challenge (from `ssh-keygen -Y sign -n auxot-ssh-key`); "
        "needed to add a key for yourself unless you are a workspace admin",
    )
    challenge = adder.add(
        group, "challenge", key_challenge, "print the line to sign to prove you hold a key"
    )
    challenge.add_argument("email", metavar="EMAIL")
    challenge.add_argument(
        "pubkey_file", metavar="PUBKEY_FILE", help="a .pub file, or - for standard input"
    )
    remove = adder.add(group, "remove", remove_key, "unregister a key by its fingerprint")
    remove.add_argument("email", metavar="EMAIL")
    remove.add_argument("fingerprint", metavar="FINGERPRINT", help="SHA256:… as `list` shows it")
    add_yes_option(remove)


def list_keys(ctx: Context) -> int:
    page = ctx.run(uc.ListSshKeys(ctx.args.email, page=more(ctx)))
    keys = page.items
    return print_page(
        ctx,
        page,
        "SSH key",
        ("EMAIL", "TYPE", "FINGERPRINT", "COMMENT", "ADDED", "LAST USED"),
        (
            (k.email, k.key_type, k.fingerprint, k.comment, k.created_at, k.last_used_at or "never")
            for k in keys
        ),
        empty="No SSH keys.",
    )


def _read_input(name: str, what: str) -> bytes:
    """A small file (or standard input for ``-``), or one sentence saying why not."""
    try:
        if name == "-":
            return sys.stdin.buffer.read(65536)
        return Path(name).expanduser().read_bytes()[:65536]
    except OSError as error:
        raise CliError(f"Cannot read the {what} file {name}: {error.strerror or error}.") from None


def add_key(ctx: Context) -> int:
    text = _read_input(ctx.args.pubkey_file, "public key")
    signature = None
    if ctx.args.signature:
        signature = _read_input(ctx.args.signature, "signature")
    key = ctx.run(uc.AddSshKey(ctx.args.email, text, signature))
    if ctx.json:
        print_json(key)
    else:
        comment = f" ({key.comment})" if key.comment else ""
        say(f"Added the {key.key_type} key {key.fingerprint}{comment} for {key.email}.")
    return 0


def key_challenge(ctx: Context) -> int:
    text = _read_input(ctx.args.pubkey_file, "public key")
    sys.stdout.write(ctx.run(uc.SshKeyChallenge(ctx.args.email, text)) + "\n")
    return 0


def remove_key(ctx: Context) -> int:
    confirm(ctx, f"Remove the SSH key {quoted(ctx.args.fingerprint)} of {quoted(ctx.args.email)}?")
    key = ctx.run(uc.RemoveSshKey(ctx.args.email, ctx.args.fingerprint))
    if ctx.json:
        print_json(key)
    else:
        say(f"Removed the key {key.fingerprint} of {key.email}; it no longer signs in.")
    return 0


def serve_ssh(ctx: Context) -> int:
    from cli.commands.app import _missing_sqlite_file
    from sshd.serve import serve

    host, port = ctx.args.listen
    settings = ctx.settings
    if ctx.args.log_format:
        settings = settings.model_copy(update={"log_format": ctx.args.log_format})
    missing = f"No workspace at {ctx.database_url()}; run `auxot init` or `auxot demo` first."
    if _missing_sqlite_file(ctx.database_url()):
        raise CliError(missing)  # before opening would create an empty file there
    core = ctx.core()
    if core.get_workspace() is None:
        raise CliError(missing)
    return serve(
        core,
        database_url=ctx.database_url(),
        data_dir=settings.resolved_data_dir(),
        host=host,
        port=port,
        host_key_path=ctx.args.host_key,
        settings=settings,
    )
