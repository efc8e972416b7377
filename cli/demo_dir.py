"""Where one ``auxot demo`` keeps its database, secret key and mail: a directory of its own
under ``<data dir>/demos/``, so that a second demo never rebuilds the database under a
running one.

A running demo holds a lock on its directory. A new demo removes the directories whose lock
is free (their demo has ended), so finished demos do not pile up, while a running one is
never touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; old demos are then kept, never removed.
    fcntl = None  # type: ignore[assignment]  # the module is optional on this platform

LOCK_FILE = ".running"


class DemoDir:
    """A fresh demo directory, locked for as long as this object is alive."""

    def __init__(self, data_dir: Path) -> None:
        root = data_dir / "demos"
        root.mkdir(parents=True, exist_ok=True)
        _remove_ended(root)
        self.path = Path(tempfile.mkdtemp(prefix="demo-", dir=root))
        self._lock = _lock(self.path / LOCK_FILE)

    def release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


def _lock(path: Path) -> int | None:
    """An exclusive lock on ``path``; None when it is held elsewhere or locks do not exist."""
    if fcntl is None:
        return None
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _remove_ended(root: Path) -> None:
    if fcntl is None:
        return
    for entry in root.iterdir():
        if not entry.is_dir() or not entry.name.startswith("demo-"):
            continue
        lock_path = entry / LOCK_FILE
        if not lock_path.exists():
            continue  # being made by another demo this very moment, or not one of ours
        fd = _lock(lock_path)
        if fd is None:
            continue  # that demo is still running
        try:
            shutil.rmtree(entry, ignore_errors=True)
        finally:
            os.close(fd)
