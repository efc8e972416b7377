"""Where the app's crash report goes. Run by ``auxot serve-ssh`` (``AUXOT_CRASH_FD`` set), the
traceback goes to the server's log through that file descriptor, and the user's terminal gets
one sentence; run locally, Textual shows it as usual."""

from __future__ import annotations

import os
import sys

from rich.console import Console
from textual.app import App

CRASH_FD_ENV = "AUXOT_CRASH_FD"
CRASH_SENTENCE = "auxot: The app stopped because of an error; the server's log has the details."


def send_crashes_to_server(app: App[object]) -> None:
    """Point the app's error console at the server's pipe, when there is one."""
    value = os.environ.get(CRASH_FD_ENV, "")
    if not value.isdigit():
        return
    try:
        stream = os.fdopen(int(value), "w", encoding="utf-8", errors="replace", buffering=1)
    except OSError:
        return
    app.error_console = Console(
        file=stream, markup=False, highlight=False, width=120, color_system=None
    )


def say_if_crashed(app: App[object]) -> None:
    """After the app ended: one sentence on the terminal if its report went to the server."""
    if app.return_code and os.environ.get(CRASH_FD_ENV, "").isdigit():
        sys.stdout.write(f"\r\n{CRASH_SENTENCE}\r\n")
        sys.stdout.flush()
