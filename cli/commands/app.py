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


def register(subparsers: argparse._SubParsersAction, adder: CommandAdder) -> None:  # type: ignore[type-arg]
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
    """A fresh demo workspace each run: the default file is replaced; a database named with
    --db must be empty (core refuses to put a second workspace into it)."""
    from core.demo import build_demo

    _require_terminal()
    url = getattr(ctx.args, "db", None)
    if url is None:
        path = ctx.settings.resolved_data_dir() / DEMO_FILE
        _remove_sqlite_file(path)
        url = f"sqlite:///{path}"
    ctx.open(url, create_folder=getattr(ctx.args, "db", None) is None)
    core = ctx.core()
    owner = build_demo(core)
    return _run_app(core, owner)


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


def _remove_sqlite_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
