"""The first code a session's app process runs: ``python -m sshd.launch ARGS…``.

The server starts this process as a session leader (``setsid``) with the PTY on 0, 1 and 2.
Here the PTY becomes its controlling terminal (so window changes signal it and a hang-up
reaches it), SIGHUP is made to end the process at once, and then the CLI runs with ``ARGS``
exactly as ``python -m cli ARGS…`` would, in this same interpreter.
"""

from __future__ import annotations

import fcntl
import os
import runpy
import signal
import sys
import termios


def take_terminal() -> None:
    """Make the PTY on 0 this session leader's controlling terminal, and a hang-up fatal.

    A hang-up (the SSH client went away) ends the app at once, in the kernel, whatever the
    interpreter is busy with, even when the server was started with SIGHUP ignored (nohup).
    Nothing is lost: every service call is one transaction, which the database commits
    whole or rolls back when the connection drops; and nobody is left to see the screen."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


def run_cli(args: list[str]) -> None:
    """Run the CLI with ``args`` in this interpreter, as ``python -m cli ARGS…`` would."""
    sys.argv = ["auxot", *args]
    runpy.run_module("cli", run_name="__main__", alter_sys=True)


def main() -> None:
    try:
        take_terminal()
    except OSError:
        sys.stderr.write("auxot: this process must be started by `auxot serve-ssh`.\n")
        os._exit(1)
    run_cli(sys.argv[1:])


if __name__ == "__main__":
    main()
