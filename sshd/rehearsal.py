"""The warm process's rehearsal: the app's first screen, run once before the fork.

A session forked from the warm process shares its pages until it writes to them. Much of
what an app builds the first time it runs in a process is kept for the process's life, not
for the app's: modules imported on first use, SQLAlchemy's mapper configuration, module-level
caches (functools.lru_cache, compiled patterns, Textual's and Rich's caches of styles and
text), and the quickened code of every function called often enough. Built here once, on a
throwaway demo workspace and before :func:`gc.freeze`, they are shared by every session
instead of being built again, in private pages, by each. (Measured: about 3 MiB less per
session, and faster first rows. Most of what a session still copies is pages it only reads
from: Python 3.11 writes an object's reference count whenever it takes a reference to it.)

:func:`rehearse` builds the demo workspace in a temporary directory (in a forked child, so
that Alembic, which creates the schema, is not imported here), runs the app on it as
``auxot tui`` would (the CLI's parser, :class:`cli.context.Context` and its ``connect``),
through a driver that renders every frame as a terminal's would and throws the bytes away,
waits for its first rows and the work that follows them, and quits. Then it takes everything
down: the database's connections, the event loop, every thread, the environment it set, the
switch interval, and the directory. What stays is only what outlives any app in a process
(imported code, quickened; module-level caches of parsed CSS, styles and text), never a
connection, a row, a descriptor or a thread. A rehearsal that fails or takes too long is
logged and forgotten: the warm process comes up without it.
"""

from __future__ import annotations

import asyncio
import gc
import os
import shutil
import sys
import tempfile
import threading
import time
import weakref
from pathlib import Path
from typing import Any

from sshd.logs import log

SIZE = (120, 40)  # columns, rows: a common terminal
TIMEOUT = 20.0  # seconds for the whole app run
SETTLE = 0.7  # seconds the app runs after it has connected (its warm-up starts at 0.5 s)
THREAD_GRACE = 5.0  # seconds for the app's worker threads to end once it has quit
# "0" turns the rehearsal off (the warm process sets it itself when it restarts after one
# that left something behind).
REHEARSAL_ENV = "AUXOT_WARM_REHEARSAL"
# What the rehearsal sets, and gives back as it was.
_ENV_SET = (
    "AUXOT_DATABASE_URL",
    "AUXOT_DATA_DIR",
    "AUXOT_USER",
    "AUXOT_CONFIG_DIR",
    "AUXOT_SMTP_HOST",
    "TERM",
)
# A session's environment names these; the rehearsal must not act on the server's.
_ENV_DROP = ("AUXOT_CRASH_FD", "AUXOT_SSH_FINGERPRINT")


class RehearsalFailed(Exception):
    pass


def rehearse_in_warm_process() -> None:
    """The warm process's call, before its gc.freeze: :func:`rehearse`, unless turned off.
    Should it leave a thread or a descriptor behind after all, the warm process starts over
    as a fresh interpreter (same pid, same socket) without a rehearsal, rather than fork
    sessions beside them."""
    if os.environ.get(REHEARSAL_ENV, "1") == "0":
        return
    before = open_descriptors()
    rehearse()
    left = leftovers(before)
    if left:
        log.error("warm process: the rehearsal left %s; starting again without it", ", ".join(left))
        os.environ[REHEARSAL_ENV] = "0"
        os.execv(sys.executable, [sys.executable, "-m", "sshd.warm", *sys.argv[1:]])


def leftovers(descriptors_before: set[int]) -> list[str]:
    """Threads besides the main one, and descriptors not in ``descriptors_before``."""
    found = [f"thread {t.name}" for t in threading.enumerate() if t is not threading.main_thread()]
    found += [f"descriptor {fd}" for fd in sorted(open_descriptors() - descriptors_before)]
    return found


def open_descriptors() -> set[int]:
    # The listing's own descriptor is closed again by the time this returns.
    return {int(fd) for fd in os.listdir("/proc/self/fd") if _is_open(int(fd))}


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def rehearse(timeout: float = TIMEOUT) -> bool:
    """Run the app's first screen once and take it all down again; whether it ran. Never
    raises (but for KeyboardInterrupt and SystemExit): a failure is logged. Meant for a
    process that has frozen nothing yet: it unfreezes what the app's collector froze."""
    saved_env = {name: os.environ.get(name) for name in (*_ENV_SET, *_ENV_DROP)}
    switch = sys.getswitchinterval()
    thresholds = gc.get_threshold()
    tmp = Path(tempfile.mkdtemp(prefix="auxot-warm-rehearsal-"))
    app_ref: weakref.ReferenceType[Any] | None = None
    ok = False
    try:
        email = _build_workspace(tmp)
        os.environ.update(
            AUXOT_DATABASE_URL=f"sqlite:///{tmp / 'auxot.db'}",
            AUXOT_DATA_DIR=str(tmp),
            AUXOT_USER=email,
            AUXOT_CONFIG_DIR=str(tmp / "config"),
            # No mail server, whatever the server's environment or .env says: the demo's
            # queued invitations are written into the throwaway directory, never sent.
            AUXOT_SMTP_HOST="",
            TERM="xterm-256color",
        )
        for name in _ENV_DROP:
            os.environ.pop(name, None)
        app_ref = _run_app(timeout)
        ok = True
    except Exception as error:  # noqa: BLE001 - the warm process comes up anyway
        log.warning("warm process: the rehearsal failed (%s: %s)", type(error).__name__, error)
    finally:
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        sys.setswitchinterval(switch)
        _join_threads()
        # A fresh policy: the next app finds no event loop, as in a new interpreter.
        asyncio.set_event_loop_policy(None)
        from tui.collector import forget_dead_widgets  # imported with the app it rehearses

        forget_dead_widgets()
        gc.unfreeze()  # the app's collector froze what it had loaded when it connected
        gc.collect()
        gc.set_threshold(*thresholds)
        shutil.rmtree(tmp, ignore_errors=True)
    if app_ref is not None and app_ref() is not None:
        log.warning("warm process: the rehearsal's app is still referenced after it ended")
    return ok


def _build_workspace(tmp: Path) -> str:
    """The demo workspace in ``tmp``, built in a forked child; its owner's address."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child exits here
        code = 1
        try:
            os.close(read_end)
            from core.db import open_database
            from core.demo import build_demo
            from core.services import Core
            from core.settings import Settings

            core = Core(
                open_database(f"sqlite:///{tmp / 'auxot.db'}"), settings=Settings(data_dir=tmp)
            )
            owner = build_demo(core)
            core.db.dispose()
            os.write(write_end, owner.email.encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as pipe:
            email = pipe.read().decode()
    finally:
        _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not email:
        raise RehearsalFailed("the demo workspace was not built")
    return email


def _run_app(timeout: float) -> weakref.ReferenceType[Any]:
    """The app as ``auxot tui`` runs it, until it has connected and settled; a weak
    reference to it, to check that nothing keeps it."""
    from functools import partial

    from cli.commands.app import connect
    from cli.context import Context
    from cli.main import build_parser
    from tui.app import AuxotApp

    context = Context(build_parser().parse_args(["tui"]))
    app = AuxotApp.connecting(partial(connect, context))
    app.driver_class = _discarding_driver()
    try:
        asyncio.run(asyncio.wait_for(_drive(app), timeout))
        if app.startup_error is not None:
            raise RehearsalFailed(f"the app did not connect: {app.startup_error}")
        if getattr(app, "_exception", None) is not None:
            raise RehearsalFailed(f"the app failed: {app._exception!r}")
    finally:
        context.close()
    return weakref.ref(app)


async def _drive(app: Any) -> None:
    async def pilot(pilot: Any) -> None:
        try:
            while app.core is None and app.startup_error is None:
                await asyncio.sleep(0.02)
            settled = time.monotonic() + SETTLE
            while time.monotonic() < settled or any(w.is_running for w in app.workers):
                await pilot.pause(0.05)
        finally:
            app.exit()

    await app.run_async(size=SIZE, auto_pilot=pilot)


def _discarding_driver() -> type:
    """A driver that is not headless (so each frame is rendered to escape sequences, as on
    a terminal) but writes nothing and reads nothing."""
    from textual.drivers.headless_driver import HeadlessDriver

    class DiscardingDriver(HeadlessDriver):
        @property
        def is_headless(self) -> bool:
            return False

    return DiscardingDriver


def _join_threads() -> None:
    deadline = time.monotonic() + THREAD_GRACE
    for thread in threading.enumerate():
        if thread is not threading.main_thread():
            thread.join(max(0.0, deadline - time.monotonic()))
