"""The server on its own event loop in a background thread: for embedding it in another
program, and for the integration tests and benchmarks that drive it with real clients."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future
from typing import Any, Self

from core.services import Core
from sshd.server import ServeOptions, SshServer


class BackgroundServer:
    """``with BackgroundServer(core, options) as server: server.port …``"""

    def __init__(self, core: Core, options: ServeOptions) -> None:
        self.server = SshServer(core, options)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="auxot-sshd", daemon=True
        )

    @property
    def port(self) -> int:
        return self.server.address[1]

    def start(self, timeout: float = 10.0) -> Self:
        self._thread.start()
        self.run(self.server.start(), timeout)
        return self

    def run(self, coroutine: Any, timeout: float = 10.0) -> Any:
        """Run ``coroutine`` on the server's loop and wait for its result."""
        future: Future[Any] = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        return future.result(timeout)

    def stop(self, timeout: float = 15.0) -> None:
        if not self._thread.is_alive():
            return
        try:
            self.run(self.server.close(), timeout)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout)
            if not self._thread.is_alive():
                self._loop.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
