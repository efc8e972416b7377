"""What happens after a use case commits, outside its transaction.

``Core.run`` hands each effect the registry names to the core's :class:`AfterCommit`. The
default, :class:`DeliverNow`, sends queued mail at once in the calling thread (what a command
line wants: the mail has left, or failed and been recorded, before it exits). The app installs
one that hands delivery to its background sender instead, so a screen never waits on a mail
server. Either way no front end decides whether mail goes out: the registry does."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from core.usecases.commands import Command
    from core.views import DeliveryReport


class Deliverer(Protocol):
    def deliver_outbox(
        self, *, due_only: bool = True, limit: int | None = None
    ) -> DeliveryReport: ...


class AfterCommit(Protocol):
    def mail_queued(self, core: Deliverer, count: int) -> None:
        """``count`` messages were committed to the outbox."""

    def access_ended(self, command: Command) -> None:
        """An account or one of its SSH keys lost access: its open sessions must end."""


class DeliverNow:
    """Deliver in the calling thread; keep each pass's report for the caller to show."""

    def __init__(self) -> None:
        self.reports: list[DeliveryReport] = []
        # Called with each command that ended someone's access (a server ends the sessions).
        self.on_access_ended: list[Callable[[Command], None]] = []

    def mail_queued(self, core: Deliverer, count: int) -> None:
        self.reports.append(core.deliver_outbox())

    def access_ended(self, command: Command) -> None:
        for listener in self.on_access_ended:
            listener(command)

    def last_report(self) -> DeliveryReport | None:
        return self.reports[-1] if self.reports else None
