"""How values read on screen. Every piece of user text is shown through this module: as a
``Text`` cell (:func:`cell`), a ``Content`` (:func:`plain`) or a value put into a markup
template (:func:`safe_markup`), never parsed as markup, and with its control characters,
escape sequences and bidirectional overrides shown as escapes (``\\x1b``) rather than sent to
the terminal (:func:`shown`)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from rich.console import JustifyMethod
from rich.text import Text
from textual.content import Content

from core.text import visible
from core.vocabulary import PLAN_LABELS, RESOURCE_KINDS, ROLE_HELP, ROLES, count
from core.vocabulary import kind_label as _kind_words

__all__ = ["RESOURCE_KINDS", "ROLES", "ROLE_HELP", "count"]

# Audit actions as a sentence fragment; unknown actions are shown as they are stored.
ACTION_LABELS = {
    "team.create": "created team",
    "team.rename": "renamed team",
    "team.describe": "described team",
    "team.archive": "deleted team",
    "team.read": "opened team",
    "team.list": "listed teams",
    "member.add": "added member",
    "member.role": "changed role",
    "member.remove": "removed member",
    "member.leave": "left team",
    "member.list": "listed members",
    "resource.create": "created resource",
    "resource.delete": "deleted resource",
    "resource.list": "listed resources",
    "audit.list": "read activity",
    "member.invite": "invited member",
    "invitation.accept": "accepted invite",
    "invitation.resend": "resent invite",
    "invitation.revoke": "revoked invite",
    "invitation.role": "changed invite role",
    "invitation.link": "copied invite link",
    "key.create": "created key",
    "key.revoke": "revoked key",
    "key.rotate": "rotated key",
    "key.list": "listed keys",
}


def role_label(role: str | None) -> str:
    return role.capitalize() if role else "—"


def plan_label(plan: str) -> str:
    return PLAN_LABELS.get(plan, plan.capitalize())


def kind_label(kind: str) -> str:
    return _kind_words(kind, capital=True)


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def minute(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def shown(value: object, keep: str = "\n") -> str:
    """``value`` as text fit to show: control characters other than line breaks (and those
    in ``keep``) written as escapes."""
    return visible(str(value), keep)


def plain(text: object) -> Content:
    """User text (or any text) as ``Content``: never markup, nothing a terminal acts on."""
    return Content(shown(text, keep="\n\t"))


def safe_markup(template: str, **values: object) -> Content:
    """``template``'s markup with ``$name`` values put in as plain, safe text."""
    return Content.from_markup(template, **{k: shown(v) for k, v in values.items()})


def ago(moment: datetime, now: datetime) -> str:
    """How long before ``now``: "just now", "3 min ago", "5 h ago", "2 days ago"."""
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    return f"{days} day{'' if days == 1 else 's'} ago"


def home_relative(text: str) -> str:
    """``text`` with the home directory written as ``~``, as a shell reads it: a path to a
    file (an email written to the outbox) then fits a dialog's line instead of being cut
    mid-name where it wraps."""
    home = str(Path.home()).rstrip("/")
    if not home:
        return text
    return re.sub(re.escape(home) + r"(?=/)", "~", text)


def one_line(text: str) -> str:
    """Collapse newlines and runs of spaces so a cell stays one line, shown safely."""
    return visible(" ".join(text.split()))


def cell(value: object, style: str = "", justify: JustifyMethod = "left") -> Text:
    """A table cell that shows ``value`` literally, cut with an ellipsis when too long."""
    return Text(
        one_line(str(value)),
        style=style,
        no_wrap=True,
        overflow="ellipsis",
        justify=justify,
        end="",
    )


def shown_count(shown: int, overall: int | None, noun: str, filtered: bool) -> str:
    """A list's count line: "12 teams", or while a filter is on "3 of 12 teams" (of the
    shown rows themselves until the overall count has been read)."""
    if not filtered:
        return count(shown, noun)
    return f"{shown:,} of {count(overall if overall is not None else shown, noun)}"


def audit_target(target: str) -> str:
    """``user:bob@x`` → ``bob@x``; ``agent:Infra Bot`` → ``agent Infra Bot``."""
    kind, sep, rest = target.partition(":")
    if not sep:
        return target
    if kind in ("user", "team", "workspace", "invitation", "email"):
        return rest
    return f"{kind_label(kind).lower()} {rest}"


def audit_details(details: dict[str, object]) -> str:
    """A short plain summary of an audit event's details."""
    parts: list[str] = []
    if "from" in details and "to" in details:
        parts.append(f"{details['from']} → {details['to']}")
    elif "role" in details:
        parts.append(f"as {details['role']}")
    if "reason" in details:
        parts.append(str(details["reason"]))
    return "; ".join(parts)
