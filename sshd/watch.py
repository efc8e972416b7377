"""The server's own background work: ending sessions whose access has ended, and
delivering queued mail.

Every few seconds (and at once when this process itself ends someone's access) the server
asks the database, in one read, whether the key and the account of each live session still
grant access; sessions that lost it are ended with one line. Polling is what makes this work
across processes and hosts: a key removed from the command line on another machine ends the
sessions on every server sharing the database.

Mail: every ``outbox_interval`` seconds the server delivers what is due in the outbox and
retries what failed (with its backoff), as ``auxot outbox flush`` does, so invitations leave
without anyone having the app open. Several servers on one PostgreSQL database share the work:
each message is claimed with ``SKIP LOCKED`` under a lease, so no message is sent twice."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from sshd.logs import log, one_line

if TYPE_CHECKING:
    from sshd.server import SshServer
    from sshd.session import AppSession


class AccessWatch:
    def __init__(self, server: SshServer, interval: float) -> None:
        self.server = server
        self.interval = interval
        self._wake = asyncio.Event()
        self._loop = asyncio.get_running_loop()

    def poke(self, *_: object) -> None:
        """Check now rather than at the next interval; safe from any thread."""
        self._loop.call_soon_threadsafe(self._wake.set)

    async def run(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), self.interval)
            except TimeoutError:
                pass
            self._wake.clear()
            await self.check()

    async def check(self) -> None:
        live: dict[AppSession, tuple[int, str]] = {}
        for session in list(self.server.sessions):
            principal = session.connection.principal
            if principal is not None and session.connection.fingerprint:
                live[session] = (principal.user_id, session.connection.fingerprint)
        if not live:
            return
        try:
            ended = await self.server.call(
                self.server.core.ssh_access_ended, sorted(set(live.values()))
            )
        except Exception as error:  # noqa: BLE001 - an outage keeps sessions; the app refuses
            log.error("could not check the sessions' access: %s", one_line(error))
            return
        for session, pair in live.items():
            reason = ended.get(pair)
            if reason is not None:
                assert session.connection.principal is not None
                log.info(
                    "ending the session of %s (key %s): %s",
                    session.connection.principal.email,
                    pair[1],
                    reason,
                )
                session.end(reason)


async def deliver_mail(server: SshServer, interval: float) -> None:
    """Deliver due mail every ``interval`` seconds until cancelled."""
    while True:
        await asyncio.sleep(interval)
        try:
            report = await server.call(server.core.deliver_outbox)
        except Exception as error:  # noqa: BLE001 - the next round tries again
            log.error("could not deliver queued mail: %s", one_line(error))
            continue
        if report.sent or report.failed:
            log.info(
                "outbox: %d sent, %d failed%s",
                report.sent,
                report.failed,
                f" ({'; '.join(report.errors)[:300]})" if report.errors else "",
            )
