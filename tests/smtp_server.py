"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives and misbehaves on
request: for the mail tests, and for tests that mail leaves right after a commit."""

from __future__ import annotations

import asyncio
import email
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from typing import NamedTuple

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Inbox:
    """An SMTP handler that keeps what it receives and misbehaves on request."""

    messages: list[Message] = field(default_factory=list)
    mode: str = "accept"  # accept, refuse_sender, refuse_recipient, drop, slow
    connections: int = 0  # SMTP sessions greeted, to see a connection reused
    # Addresses refused with a 550 whatever the mode, to mix them with deliverable ones.
    unknown: set[str] = field(default_factory=set)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, options):
        if self.mode == "refuse_sender":
            return "550 5.7.1 Sender rejected by policy"
        if self.mode == "busy":
            return "451 4.3.0 Try again later"
        if self.mode == "closing":
            return "421 4.3.2 Service shutting down"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):
        if self.mode == "refuse_recipient" or address in self.unknown:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "drop":
            server.transport.close()
            return "421 closing"
        if self.mode == "slow":
            await asyncio.sleep(3)
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


class LoopbackController(Controller):
    """aiosmtpd's controller on a port the kernel picks as it binds: a port found free
    beforehand can be taken by another process (a parallel test worker) before the bind."""

    def _create_server(self):
        sock = socket.socket()
        sock.bind((self.hostname, 0))
        self.port = sock.getsockname()[1]
        return self.loop.create_server(self._factory_invoker, sock=sock, ssl=self.ssl_context)


class SmtpServer(NamedTuple):
    inbox: Inbox
    port: int


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    inbox = Inbox()
    # ready_timeout: generous, for a machine busy with other test runs
    controller = LoopbackController(inbox, hostname="127.0.0.1", ready_timeout=60)
    controller.start()
    try:
        yield SmtpServer(inbox, controller.port)
    finally:
        controller.stop()
