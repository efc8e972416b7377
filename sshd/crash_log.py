"""An app's crash report, sent to the server's log instead of the user's terminal.

Each app process gets the write end of a pipe (its number in ``AUXOT_CRASH_FD``); the app
writes a traceback there when it dies of an error (see :mod:`tui.crash_report`) and shows the
user one sentence. The server reads the pipe until the process closes it and logs what came."""

from __future__ import annotations

import asyncio
import os

from sshd.logs import log

CRASH_FD_ENV = "AUXOT_CRASH_FD"
MAX_REPORT = 64 * 1024


class CrashPipe:
    def __init__(self) -> None:
        self.read_fd, self.write_fd = os.pipe()
        os.set_inheritable(self.write_fd, True)

    def started(self) -> None:
        """The app has its copy of the write end: close ours, so EOF comes when it exits."""
        os.close(self.write_fd)

    async def report(self, who: str, pid: int) -> None:
        """Wait for the app to close the pipe; log what it wrote, if anything."""
        data = await asyncio.get_running_loop().run_in_executor(None, self._read_all)
        text = data.decode("utf-8", "replace").strip()
        if text:
            fields = {"event": "app.crash", "account": who, "pid": pid, "traceback": text}
            log.error("app pid %s of %s crashed: %s", pid, who, text, extra={"fields": fields})

    def _read_all(self) -> bytes:
        chunks, size = [], 0
        try:
            while chunk := os.read(self.read_fd, 65536):
                if size < MAX_REPORT:
                    chunks.append(chunk[: MAX_REPORT - size])
                size += len(chunk)
        except OSError:
            pass
        finally:
            os.close(self.read_fd)
        return b"".join(chunks)

    def abandon(self) -> None:
        """The app never started: close both ends."""
        for fd in (self.read_fd, self.write_fd):
            try:
                os.close(fd)
            except OSError:
                pass
