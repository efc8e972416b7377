"""One SSH client connection: public-key sign-in against core (or redeeming an invitation
with a new key), and nothing to open but sessions."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

import asyncssh

from core.errors import DomainError, NotFound
from core.views import Principal
from sshd.logs import log, one_line
from sshd.session import NOT_READY, AppSession

if TYPE_CHECKING:
    from sshd.server import SshServer

INVITE_PREFIX = "invite-"


class OverStartupCap(Exception):
    """Raised to close a connection over the cap of those not signed in yet."""


@dataclass
class _Candidate:
    """A key accepted so far in authentication; used once its signature checks out."""

    key_text: str
    fingerprint: str
    principal: Principal | None = None
    token: str | None = None


class AppConnection(asyncssh.SSHServer):
    """One client connection: public keys only, sessions only."""

    def __init__(self, server: SshServer) -> None:
        self.server = server
        self.conn: asyncssh.SSHServerConnection | None = None
        self.peer = "?"
        self.principal: Principal | None = None
        self.refusal: str | None = None
        self._candidate: _Candidate | None = None
        self._banners: set[str] = set()
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._source: str | None = None  # holds a place in the server's startup gate

    # -- connection ----------------------------------------------------------------------------

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.peer = f"{peer[0]}:{peer[1]}"
        if not self.server.startups.admit(peer[0]):
            # Over the cap: asyncssh closes a connection whose handler raises here, at once
            # and before it sends its version line, so the connection holds nothing for long.
            raise OverStartupCap(self.peer)
        self._source = peer[0]
        self.server.connections.add(self)

    def _signed_in_or_gone(self) -> None:
        if self._source is not None:
            self.server.startups.release(self._source)
            self._source = None

    def connection_lost(self, exc: Exception | None) -> None:
        self._signed_in_or_gone()
        self.server.connections.discard(self)
        if not self.ready.done():
            self.ready.set_result(None)
        if exc is not None and not isinstance(exc, asyncssh.ConnectionLost):
            log.info("connection from %s ended: %s", self.peer, one_line(exc))

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()

    # -- authentication ----------------------------------------------------------------------

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def host_based_auth_supported(self) -> bool:
        return False

    def public_key_auth_supported(self) -> bool:
        return True

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        """Called when a key is offered and again with its signature (checked by asyncssh
        afterwards). A key is acceptable when it belongs to an active account, or, with the
        user name ``invite-TOKEN``, when it is new and the token can still be redeemed."""
        fingerprint = key.get_fingerprint("sha256")
        key_text = key.export_public_key("openssh").decode()
        try:
            if username.startswith(INVITE_PREFIX):
                return await self._validate_invitation(
                    username[len(INVITE_PREFIX) :], key_text, fingerprint
                )
            principal = await self.server.call(self.server.core.principal_for_ssh_key, key_text)
        except DomainError as error:
            log.info("refused key %s from %s: %s", fingerprint, self.peer, error.message)
            return False
        except Exception as error:  # noqa: BLE001 - a database outage refuses, it does not crash
            log.error("refused key %s from %s: %s", fingerprint, self.peer, one_line(error))
            return False
        self._candidate = _Candidate(key_text, fingerprint, principal=principal)
        return True

    async def _validate_invitation(self, token: str, key_text: str, fingerprint: str) -> bool:
        core = self.server.core
        try:
            await self.server.call(core.check_invitation_token, token)
        except DomainError as error:
            self._banner(error.message)
            log.info(
                "refused invitation from %s with key %s: %s", self.peer, fingerprint, error.message
            )
            return False
        try:
            await self.server.call(core.principal_for_ssh_key, key_text)
        except NotFound:
            pass
        except DomainError:
            return self._key_taken(fingerprint)
        else:
            return self._key_taken(fingerprint)
        self._candidate = _Candidate(key_text, fingerprint, token=token)
        return True

    def _key_taken(self, fingerprint: str) -> bool:
        message = "That SSH key is already registered to an account; connect without the invite- user name."
        self._banner(message)
        log.info("refused invitation from %s: key %s is already registered", self.peer, fingerprint)
        return False

    def _banner(self, message: str) -> None:
        """Tell the client why (only on the invitation path: the token holder may know)."""
        if self.conn is not None and message not in self._banners:
            self._banners.add(message)
            try:
                self.conn.send_auth_banner(f"auxot: {message}\r\n")
            except OSError:
                pass

    async def auth_completed(self) -> None:
        """The client proved it holds the key: redeem the invitation or record the login.
        Sessions wait for this before starting the app."""
        self._signed_in_or_gone()
        candidate = self._candidate
        core = self.server.core
        try:
            if candidate is None:
                self.refusal = NOT_READY
            elif candidate.token is not None:
                result = await self.server.call(
                    core.accept_invitation_with_ssh_key, candidate.token, candidate.key_text
                )
                self.principal = result.principal
                log.info(
                    "invitation redeemed by %s (key %s) from %s: %s",
                    result.principal.email,
                    candidate.fingerprint,
                    self.peer,
                    result.outcome,
                )
            else:
                assert candidate.principal is not None
                await self.server.call(core.record_ssh_login, candidate.principal)
                self.principal = candidate.principal
                log.info(
                    "%s signed in with key %s from %s",
                    self.principal.email,
                    candidate.fingerprint,
                    self.peer,
                )
        except DomainError as error:
            self.refusal = error.message
            log.info("refused %s after sign-in: %s", self.peer, error.message)
        except Exception as error:  # noqa: BLE001
            self.refusal = NOT_READY
            log.error("sign-in of %s failed: %s", self.peer, one_line(error))
        finally:
            if not self.ready.done():
                self.ready.set_result(None)

    @property
    def fingerprint(self) -> str:
        return self._candidate.fingerprint if self._candidate else ""

    # -- what the client may open: sessions, nothing else ------------------------------------------

    def session_requested(self) -> AppSession:
        return AppSession(self)

    def connection_requested(
        self, dest_host: str, dest_port: int, orig_host: str, orig_port: int
    ) -> bool:
        log.info("refused port forwarding to %s:%s from %s", dest_host, dest_port, self.peer)
        return False

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        log.info(
            "refused remote port forwarding on %s:%s from %s", listen_host, listen_port, self.peer
        )
        return False

    def unix_connection_requested(self, dest_path: str) -> bool:
        log.info("refused socket forwarding from %s", self.peer)
        return False

    def unix_server_requested(self, listen_path: str) -> bool:
        log.info("refused socket forwarding from %s", self.peer)
        return False

    def tun_requested(self, unit: int | None) -> bool:
        return False

    def tap_requested(self, unit: int | None) -> bool:
        return False
