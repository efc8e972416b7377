"""Composing and delivering the emails Auxot Teams sends.

Messages are built with the standard library's ``EmailMessage`` (plain text plus an HTML
alternative) and sent with aiosmtplib; with no SMTP server configured they are written as
``.eml`` files in the data directory instead.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.message import EmailMessage
from email.policy import Policy
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any, Self

from core.settings import Settings


@dataclass(frozen=True)
class InvitationMail:
    recipient: str
    team: str
    role: str
    inviter: str
    link: str
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class AddedMail:
    recipient: str
    team: str
    role: str
    inviter: str


def _article(role: str) -> str:
    return "an" if role[:1] in "aeiou" else "a"


def compose_invitation(mail: InvitationMail, sender: str) -> EmailMessage:
    expires = mail.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    role = f"{_article(mail.role)} {mail.role}"
    text = (
        f"{mail.inviter} invited you to join the team {mail.team} on Auxot as {role}.\n\n"
        f"Create your account and join the team:\n{mail.link}\n\n"
        f'Or, in a terminal with Auxot installed:\n    auxot accept {mail.token} --name "Your Name"\n\n'
        f"This invitation expires on {expires}. If you were not expecting it, ignore this email.\n"
    )
    e = html.escape
    body = (
        f"<p>{e(mail.inviter)} invited you to join the team <strong>{e(mail.team)}</strong> "
        f"on Auxot as {e(role)}.</p>"
        f'<p><a href="{e(mail.link, quote=True)}">Create your account and join the team</a></p>'
        f"<p>Or, in a terminal with Auxot installed:<br><code>auxot accept {e(mail.token)} "
        f"--name &quot;Your Name&quot;</code></p>"
        f"<p>This invitation expires on {e(expires)}. If you were not expecting it, ignore this "
        f"email.</p>"
    )
    return _message(
        sender,
        mail.recipient,
        f"{_name(mail.inviter)} invited you to {mail.team} on Auxot",
        text,
        body,
    )


def compose_added(mail: AddedMail, sender: str) -> EmailMessage:
    role = f"{_article(mail.role)} {mail.role}"
    text = f"{mail.inviter} added you to the team {mail.team} on Auxot as {role}.\n"
    body = (
        f"<p>{html.escape(mail.inviter)} added you to the team "
        f"<strong>{html.escape(mail.team)}</strong> on Auxot as {html.escape(role)}.</p>"
    )
    return _message(sender, mail.recipient, f"You were added to {mail.team} on Auxot", text, body)


def _name(inviter: str) -> str:
    """ "Olive Owner (owner@…)" → "Olive Owner", for a subject line that stays short."""
    return inviter.split(" (", 1)[0]


class EncodedText(str):
    """A header value that is always written as RFC 2047 encoded words (UTF-8).

    Text with ``=?`` in it (a team named ``=?utf-8?q?Bcc=3A_x=40example.com?=``) would
    otherwise be taken for an encoded word, both when it is set and by the reader's mail
    program, and shown decoded. Encoded as a whole, it reads as what was typed."""

    def __new__(cls, name: str, text: str) -> Self:
        value = super().__new__(cls, text)
        value.name = name
        return value

    name: str

    def fold(self, *, policy: Policy) -> str:
        linesep = policy.linesep
        encoded = Header(str(self), "utf-8", header_name=self.name).encode(linesep=linesep)
        return f"{self.name}: {encoded}{linesep}"


def subject_header(subject: str) -> str:
    """The Subject as given, or encoded whole when part of it could read as an encoded word."""
    return EncodedText("Subject", subject) if "=?" in subject else subject


def _message(sender: str, recipient: str, subject: str, text: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject_header(subject)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain="auxot")
    message.set_content(text)
    message.add_alternative(f"<html><body>{body}</body></html>", subtype="html")
    return message


class DeliveryError(Exception):
    """Delivery failed; the message says what the server (or the disk) answered.
    ``permanent``: the server refused the recipient or the message for good (a 5xx reply
    to RCPT or DATA), so trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class ServerUnreachable(DeliveryError):
    """No connection could be made: no message of the batch went, none will until it is back."""


# One message of a batch: its outbox id and the composed email.
Outgoing = tuple[int, EmailMessage]
# What became of it: the server's reply, or the DeliveryError that stopped it.
Result = str | DeliveryError


async def send_batch(batch: list[Outgoing], settings: Settings) -> dict[int, Result]:
    """Send ``batch`` over one SMTP connection (opened again once if the server drops it).
    Returns each message's reply or error; an unreachable server fails them all with
    :class:`ServerUnreachable`."""
    import aiosmtplib

    smtp: aiosmtplib.SMTP | None = None
    results: dict[int, Result] = {}
    try:
        for message_id, message in batch:
            if smtp is None or not smtp.is_connected:
                try:
                    smtp = await _connect(settings)
                except DeliveryError as error:
                    for pending, _ in batch:
                        results.setdefault(pending, error)
                    return results
            try:
                _, reply = await smtp.send_message(message)
                results[message_id] = reply
            except aiosmtplib.SMTPException as exc:
                results[message_id] = _failure(exc, settings)
                if isinstance(
                    exc, (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError)
                ):
                    smtp.close()
    finally:
        if smtp is not None and smtp.is_connected:
            try:
                await smtp.quit()
            except aiosmtplib.SMTPException:
                smtp.close()
    return results


async def _connect(settings: Settings) -> Any:
    import aiosmtplib

    smtp = aiosmtplib.SMTP(
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=settings.smtp_password,
        use_tls=settings.smtp_tls,
        start_tls=settings.smtp_starttls and not settings.smtp_tls,
        timeout=settings.smtp_timeout,
    )
    try:
        await smtp.connect()
    except aiosmtplib.SMTPException as exc:
        smtp.close()
        error = _failure(exc, settings)
        raise ServerUnreachable(str(error)) from None
    except OSError as exc:
        smtp.close()
        raise ServerUnreachable(
            f"cannot reach {settings.smtp_host}:{settings.smtp_port}: {exc.strerror or exc}"
        ) from None
    return smtp


def _failure(exc: Exception, settings: Settings) -> DeliveryError:
    """The sentence for a failed send, and whether it is final."""
    import aiosmtplib

    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        refused = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in exc.recipients)
        final = all(r.code >= 500 for r in exc.recipients)
        return DeliveryError(f"recipient refused ({refused})", permanent=final)
    if isinstance(exc, aiosmtplib.SMTPRecipientRefused):
        return DeliveryError(
            f"recipient refused ({exc.recipient}: {exc.code} {exc.message})",
            permanent=exc.code >= 500,
        )
    if isinstance(exc, aiosmtplib.SMTPConnectError):
        return DeliveryError(f"cannot reach {settings.smtp_host}:{settings.smtp_port} ({exc})")
    if isinstance(exc, aiosmtplib.SMTPTimeoutError):
        return DeliveryError(
            f"{settings.smtp_host} did not answer within {settings.smtp_timeout:g} s"
        )
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        # A 5xx to the message itself is final; one to MAIL FROM is about our sender, which
        # a corrected setting fixes, so it is tried again.
        final = isinstance(exc, aiosmtplib.SMTPDataError) and exc.code >= 500
        return DeliveryError(f"{exc.code} {exc.message}", permanent=final)
    return DeliveryError(str(exc) or exc.__class__.__name__)


def write_eml(message: EmailMessage, directory: Path, name: str) -> Path:
    """Write the message where a person (or a mail tool) can pick it up; owner-only."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{name}.eml"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(bytes(message))
    except OSError as exc:
        raise DeliveryError(f"cannot write {directory}: {exc.strerror or exc}") from None
    return path
