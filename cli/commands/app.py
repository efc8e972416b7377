"""``auxot`` / ``auxot tui`` and ``auxot demo``: open the terminal app.

Textual is imported only here and only when the app is opened, so plain commands start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from cli.context import NO_USER, CliError, Context
from cli.options import CommandAdder

if TYPE_CHECKING:
    from core.services import Core
    from core.views import Principal

DEMO_FILE = "demo.db"


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:
    adder.add(subparsers, "tui", open_app, "open the terminal app (the default command)")
    adder.add(
        subparsers, "demo", open_demo, "open the app on a fresh demo workspace in its own database"
    )


def open_app(ctx: Context) -> int:
    """The app's first frame comes first: the settings, the database and the account are
    read behind it (connect, in a worker), so SQLAlchemy and pydantic are not on the way to
    the screen. A refusal there ends the app and is said here, as before."""
    _require_terminal()
    try:
        from tui.app import run_app_connecting
    except ModuleNotFoundError as exc:
        if exc.name not in ("tui", "tui.app", "textual"):
            raise
        raise CliError("The terminal app is not available in this installation.") from None
    run_app_connecting(partial(connect, ctx))
    return 0


def connect(ctx: Context) -> tuple[Core, Principal]:
    """Core over the configured database and the account the app acts as, or the sentence
    that says why not (benchmarks/ui_bench.py starts the app the same way)."""
    url = ctx.database_url()
    init_hint = "`auxot init --workspace NAME --owner EMAIL`"
    if _missing_sqlite_file(url):
        if ctx.settings.database_url and not _sqlite_folder_exists(url):
            ctx.open()  # refused: that the named folder does not exist is the news
        # Say so before open_database would create an empty file there.
        raise CliError(f"No workspace at {url}; run `auxot demo` to try it, or {init_hint}.")
    core = ctx.core()
    if core.get_workspace() is None:
        raise CliError(f"No workspace at {url}; run `auxot demo` to try it, or {init_hint}.")
    if ctx.user_email() is None:
        raise CliError(f"{NO_USER} (Or run `auxot demo` to try the app on demo data.)")
    actor = ctx.actor()
    if os.environ.get("AUXOT_SSH_FINGERPRINT"):  # a session of `auxot serve-ssh`: audit the key
        actor = actor.over_ssh(os.environ["AUXOT_SSH_FINGERPRINT"])
    core.me(actor)  # a deactivated account is refused here, with core's sentence
    return core, actor


def open_demo(ctx: Context) -> int:
    """A fresh demo workspace each run, in a directory of its own (database, secret key and
    mail), opened as its owner or as the demo person --user names. A database named with --db
    must be empty (core refuses to put a second workspace into it)."""
    from cli.demo_dir import DemoDir
    from core.demo import build_demo, demo_email, demo_people

    _require_terminal()
    who = getattr(ctx.args, "user", None)  # AUXOT_USER names a real account, not a demo one
    address = demo_email(who) if who else None
    if who and address is None:
        raise CliError(
            f"'{who}' is not a demo person; the demo people are "
            f"{', '.join(demo_people())} (a name or its address)."
        )
    url = getattr(ctx.args, "db", None)
    demo = None
    if url is None:
        demo = DemoDir(ctx.settings.resolved_data_dir())
        ctx.use_data_dir(demo.path)
        url = f"sqlite:///{demo.path / DEMO_FILE}"
    try:
        ctx.open(url, create_folder=demo is not None)
        core = ctx.core()
        actor = build_demo(core)
        if address is not None:
            actor = core.principal_for(address)
        code = _run_app(core, actor)
    finally:
        if demo is not None:
            demo.release()
    if demo is not None:
        print(f"This demo's database and mail are in {demo.path} until the next `auxot demo`.")
    return code


def _require_terminal() -> None:
    if not has_terminal():
        # Without a terminal the app would wait for keys that never come.
        raise CliError(
            "The app needs a terminal; for scripts use the commands (see `auxot --help`)."
        )


def _run_app(core: Core, actor: Principal) -> int:
    try:
        from tui.app import run_app
    except ModuleNotFoundError as exc:
        if exc.name not in ("tui", "tui.app", "textual"):
            raise
        raise CliError("The terminal app is not available in this installation.") from None
    run_app(core, actor)
    return 0


def has_terminal() -> bool:
    """A terminal, or a Textual driver named in the environment that brings its own screen
    (``textual serve "auxot tui"`` runs the app in a browser this way)."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    return sys.stdin.isatty() and sys.stdout.isatty()


def _missing_sqlite_file(url: str) -> bool:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return False  # open_database says what is wrong with it
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return False
    return not Path(parsed.database).expanduser().exists()


def _sqlite_folder_exists(url: str) -> bool:
    from sqlalchemy.engine import make_url

    return Path(make_url(url).database or ".").expanduser().parent.is_dir()
