"""Who holds a claim on an outbox message, and whether that process still lives.

A claim reads "HOST PID START NONCE": the host name, the process id, the process's start
time (so that a pid reused by a later process does not pass for the claimer) and a nonce
for the pass. A claim made on this host by a process that is gone can be taken back at
once; one made on another host cannot be checked from here and lapses after its lease."""

from __future__ import annotations

import os
import secrets
import socket
from functools import cache


@cache
def _host() -> str:
    return socket.gethostname().replace(" ", "_")[:100] or "localhost"


def _stat(pid: int) -> list[bytes]:
    """The fields of /proc/PID/stat after the command name (Linux); [] where there is none."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return []
    # The command name (field 2) may hold spaces; the fields after it do not.
    return stat.rsplit(b")", 1)[-1].split()


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot, or "-" where unknown."""
    fields = _stat(pid)
    return fields[19].decode() if len(fields) > 19 else "-"


def new_claim() -> str:
    """A claim for one delivery pass of this process."""
    pid = os.getpid()
    return f"{_host()} {pid} {_start_time(pid)} {secrets.token_hex(4)}"


def claim_is_dead(claim: str | None) -> bool:
    """True when ``claim`` was made on this host by a process that no longer runs."""
    parts = (claim or "").split()
    if len(parts) != 4 or parts[0] != _host() or not parts[1].isdigit():
        return False  # another host's (or an unreadable) claim: only its lease can end it
    pid, start = int(parts[1]), parts[2]
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, another user's
    except OSError:
        return False
    fields = _stat(pid)
    if fields[:1] in ([b"Z"], [b"X"]):
        return True  # exited, not yet reaped by its parent
    # Alive, unless the pid now belongs to a process that started after the claim was made.
    return start != "-" and _start_time(pid) not in ("-", start)
