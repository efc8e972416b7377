"""How values read on screen. Every piece of user text becomes a ``Text`` or ``Content``
here or at its call site, never markup."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from core.vocabulary import PLAN_LABELS, RESOURCE_KINDS, ROLE_HELP, ROLES
from core.vocabulary import kind_label as _kind_words

__all__ = ["RESOURCE_KINDS", "ROLES", "ROLE_HELP"]

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


def one_line(text: str) -> str:
    """Collapse newlines and runs of spaces so a cell stays one line."""
    return " ".join(text.split())


def cell(value: object, style: str = "", justify: str = "left") -> Text:
    """A table cell that shows ``value`` literally, cut with an ellipsis when too long."""
    return Text(
        one_line(str(value)),
        style=style,
        no_wrap=True,
        overflow="ellipsis",
        justify=justify,  # type: ignore[arg-type]  # Rich wants a JustifyMethod literal; callers pass left/right/center
        end="",
    )


def count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


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
