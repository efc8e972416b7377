"""What a delivery pass did, in sentences every front end shows alike: sent, written to a
file (with its path), not sent yet (with the reason), or refused for good (with the
server's reply)."""

from __future__ import annotations

from typing import NamedTuple

from core.views import DeliveryReport


class DeliveryLine(NamedTuple):
    text: str
    ok: bool  # False: a message did not go (not yet, or never)


# Beyond this many files, the folder is named instead of each file.
FILES_NAMED = 10


def _emails(n: int) -> str:
    return "1 email" if n == 1 else f"{n:,} emails"


def delivery_lines(report: DeliveryReport) -> list[DeliveryLine]:
    """One sentence per message that did not simply go, one for those that went, and one
    for what a pass left waiting. Plain text: addresses and paths are never markup."""
    lines: list[DeliveryLine] = []
    sent = [o for o in report.outcomes if o.status == "sent"]
    written = [o for o in report.outcomes if o.status == "written"]
    if len(sent) == 1:
        lines.append(DeliveryLine(f"Email to {sent[0].recipient} sent.", True))
    elif sent:
        lines.append(DeliveryLine(f"Sent {_emails(len(sent))}.", True))
    if not report.outcomes and report.sent:  # a report made without per-message outcomes
        lines.append(DeliveryLine(f"Sent {_emails(report.sent)}.", True))
    if written and len(written) <= FILES_NAMED:
        for n, o in enumerate(written):
            lead = "No mail server is set up: the email" if n == 0 else "The email"
            lines.append(DeliveryLine(f"{lead} to {o.recipient} was written to {o.detail}.", True))
    elif written:
        lines.append(
            DeliveryLine(
                f"No mail server is set up: {_emails(len(written))} written to "
                f"{report.written_to}.",
                True,
            )
        )
    for outcome in report.outcomes:
        if outcome.status == "queued":
            lines.append(
                DeliveryLine(
                    f"The email to {outcome.recipient} is not sent yet ({outcome.detail}); "
                    "it stays queued and is tried again.",
                    False,
                )
            )
        elif outcome.status == "rejected":
            lines.append(
                DeliveryLine(
                    f"The mail server refused the email to {outcome.recipient} for good "
                    f"({outcome.detail}); check the address, then resend the invitation.",
                    False,
                )
            )
    if report.left:
        verb = "is" if report.left == 1 else "are"
        lines.append(DeliveryLine(f"{_emails(report.left)} more {verb} waiting.", False))
    return lines
