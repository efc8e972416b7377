"""The warm process: ``python -m sshd.warm FD``, started by the server, forks session apps.

It imports what the app needs (Textual, SQLAlchemy, the CLI, the app, core and the settings)
once, runs the app's first screen once on a throwaway workspace (:mod:`sshd.rehearsal`, so
that what every session would otherwise quicken and cache in pages of its own is done here,
in shared ones), freezes that heap (``gc.freeze``) so the forked sessions share its pages,
and then waits on the socket ``FD`` for requests. No database connection, thread or
descriptor of the rehearsal is left when it forks: each session opens its own connections
after the fork.

A request (one datagram, see :mod:`sshd.warm_client`) carries the CLI's arguments, the
environment, the directory, the window size and the PTY slave, plus any extra descriptors.
The child becomes a session leader with the PTY as its controlling terminal, exactly as
:mod:`sshd.launch` makes a cold one, and runs the CLI. This process replies with the child's
pid, reaps it, and reports its exit status. It ends when the server closes the socket.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import gc
import importlib
import io
import json
import os
import select
import signal
import socket
import sys
from typing import Any

from sshd.launch import run_cli, take_terminal
from sshd.pty_process import set_window_size
from sshd.rehearsal import rehearse_in_warm_process

MAX_MESSAGE = 1 << 18
MAX_FDS = 8
# Received descriptors are first moved up here, so that placing them cannot clobber another.
_HIGH_FD = 256


# Imported by the app before its first rows, beyond what cli.main and tui.app import.
_FIRST_SCREEN_MODULES = (
    "sqlalchemy.orm",
    "sqlite3",
    "concurrent.futures.thread",
    "email.parser",
    "email.generator",
    "textual.app",
    "textual.document",
    "textual.drivers.linux_driver",
    "textual.layouts.factory",
    "textual.layouts.horizontal",
    "textual.layouts.stream",
    "textual.scrollbar",
    "textual.widgets",
    "cli.commands",
    "cli.examples",
    "cli.main",
    "core.agent",
    "core.db",
    "core.delivery",
    "core.services",
    "core.settings",
    "tui.app",
    "tui.dialogs",
    "tui.team",
    "tui.widgets",
)
# Textual loads these widgets on first use of their names.
_LAZY_WIDGETS = ("Button", "Checkbox", "ContentSwitcher", "TabbedContent", "TabPane", "TextArea")


def warm_up() -> None:
    """Import what a session's app imports before it draws its first rows."""
    for name in _FIRST_SCREEN_MODULES:
        importlib.import_module(name)
    widgets = importlib.import_module("textual.widgets")
    for name in _LAZY_WIDGETS:
        getattr(widgets, name)


def send(sock: socket.socket, message: dict[str, Any]) -> None:
    sock.send(json.dumps(message).encode())


def main() -> None:
    sock = socket.socket(fileno=int(sys.argv[1]))
    sock.setblocking(True)
    # No collection while importing: freed objects would leave holes in the heap's pages,
    # which each session's allocations would then fill, copying those pages. Frozen, the
    # imported objects are never scanned (written to) by a session's collections either.
    gc.disable()
    warm_up()
    rehearse_in_warm_process()  # the app's first screen, once (see sshd.rehearsal)
    gc.freeze()
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    send(sock, {"ready": os.getpid()})
    try:
        serve(sock, wake_read, wake_write)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server is gone
    os._exit(0)


def serve(sock: socket.socket, wake_read: int, wake_write: int) -> None:
    while True:
        readable, _, _ = select.select([sock, wake_read], [], [])
        if wake_read in readable:
            with contextlib.suppress(BlockingIOError):
                while os.read(wake_read, 512):
                    pass
        reap(sock)
        if sock not in readable:
            continue
        data, fds, _flags, _address = socket.recv_fds(sock, MAX_MESSAGE, MAX_FDS)
        if not data:
            return  # the server closed its end
        try:
            request = json.loads(data)
        except ValueError:
            request = None
        if not isinstance(request, dict) or not fds:
            _close_all(fds)
            ident = request.get("id") if isinstance(request, dict) else None
            send(sock, {"error": ident, "message": "not a request"})
            continue
        try:
            pid = os.fork()
        except OSError as error:
            _close_all(fds)
            send(sock, {"error": request.get("id"), "message": error.strerror or str(error)})
            continue
        if pid == 0:
            try:
                run_child(request, fds, [sock.fileno(), wake_read, wake_write])
            finally:
                os._exit(70)
        _close_all(fds)
        send(sock, {"started": request.get("id"), "pid": pid})


def reap(sock: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        send(sock, {"exited": pid, "status": os.waitstatus_to_exitcode(status)})


def _close_all(fds: list[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def run_child(request: dict[str, Any], fds: list[int], parent_fds: list[int]) -> None:
    """In the forked child: become the session's app, run the CLI, and exit. Never returns."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    gc.enable()
    _close_all(parent_fds)
    os.setsid()
    slave, *extra = (fcntl.fcntl(fd, fcntl.F_DUPFD, _HIGH_FD) for fd in fds)
    _close_all(fds)
    targets = [int(t) for t in request.get("fds", [])][: len(extra)]
    for fd in (0, 1, 2):
        os.dup2(slave, fd)
    for source, target in zip(extra, targets, strict=False):
        os.dup2(source, target)  # inheritable, where the environment says it is
    keep = sorted({0, 1, 2, *targets})
    for low, high in zip(keep, [*keep[1:], 1 << 20], strict=True):
        if high > low + 1:
            os.closerange(low + 1, high)
    take_terminal()  # as a cold session does (sshd.launch)
    columns, rows, xpixels, ypixels = request.get("size") or (80, 24, 0, 0)
    set_window_size(0, columns, rows, xpixels, ypixels)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    env = {str(k): str(v) for k, v in dict(request.get("env") or {}).items()}
    os.environ.clear()
    os.environ.update(env)
    _show_environment(env)
    if request.get("cwd"):
        os.chdir(request["cwd"])
    _reopen_stdio()
    code = 0
    try:
        run_cli([str(a) for a in request.get("args", [])])
    except SystemExit as done:
        code = _exit_code(done.code)
    except BaseException:  # noqa: BLE001 - a cold interpreter would print it and exit 1
        import traceback

        traceback.print_exc()
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    with contextlib.suppress(Exception):
        print(code, file=sys.stderr)
    return 1


def _reopen_stdio() -> None:
    """Standard streams on the PTY, buffered as a fresh interpreter buffers a terminal."""
    stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), "utf-8")
    stdout = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(1, "w", closefd=False)), "utf-8", line_buffering=True
    )
    stderr = io.TextIOWrapper(
        io.BufferedWriter(io.FileIO(2, "w", closefd=False)),
        "utf-8",
        "backslashreplace",
        line_buffering=True,
    )
    sys.stdin = sys.__stdin__ = stdin
    sys.stdout = sys.__stdout__ = stdout
    sys.stderr = sys.__stderr__ = stderr


def _show_environment(env: dict[str, str]) -> None:
    """Write the session's environment over the block the kernel shows as this process's
    environment (``/proc/PID/environ``, ``ps e``), so that an operator sees the account a
    session serves, as for a cold one. The server starts this process with spare room in
    that block (``AUXOT_WARM_ROOM``); os.environ no longer points into it after the clear."""
    try:
        with open("/proc/self/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        start, end = int(fields[47]), int(fields[48])
    except (OSError, IndexError, ValueError):
        return
    block = b"".join(f"{k}={v}".encode(errors="replace") + b"\0" for k, v in env.items())
    if 0 < start < end and len(block) <= end - start:
        ctypes.memmove(start, block.ljust(end - start, b"\0"), end - start)


if __name__ == "__main__":
    main()
