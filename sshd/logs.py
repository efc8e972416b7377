"""Small pieces the SSH server's modules share: its log and how an error reads in it."""

from __future__ import annotations

import logging

log = logging.getLogger("auxot.sshd")


def one_line(error: BaseException) -> str:
    """An error as one log line: its type and its message with whitespace folded."""
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
