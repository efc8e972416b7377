"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives: for tests that mail
must leave right after a commit, with no flush."""

from __future__ import annotations

import email
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # aiosmtpd's handler hook
        self.messages.append(email.message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        return [str(message["To"]) for message in self.messages]

    def wait_for(self, count: int, timeout: float = 20.0) -> list[str]:
        """The recipients once ``count`` messages arrived; fails after ``timeout`` seconds,
        far less than the app's one-minute retry, so only an immediate send passes."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.messages) >= count, f"{len(self.messages)} of {count} messages arrived"
        return self.recipients()


@dataclass
class SmtpServer:
    inbox: Received
    port: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    inbox = Received()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SmtpServer(inbox, controller.port)
    finally:
        controller.stop()
