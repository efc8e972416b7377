"""The line under the API keys table about the highlighted key, in plain words."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content

from core.views import KeyView
from core.vocabulary import EXPIRY_WARNING_DAYS
from tui.format import ago, minute, plain, safe_markup


def key_detail(key: KeyView, now: datetime) -> Content:
    """The line under the keys table: who made the key, when it ends, its scope, its last use."""
    created = safe_markup(
        "Created $when by [b]$who[/b]." if key.created_by else "Created $when.",
        when=minute(key.created_at),
        who=key.created_by or "",
    )
    if key.status == "revoked" and key.revoked_at is not None:
        then = plain(f" Revoked {minute(key.revoked_at)}; it no longer works.")
    elif key.status == "expired" and key.expires_at is not None:
        then = plain(f" Expired {minute(key.expires_at)}; it no longer works.")
    elif key.status == "rotated" and key.expires_at is not None and key.quiet_seconds:
        used = ago(key.last_used_at, now) if key.last_used_at else "never since"
        then = plain(
            f" Replaced by a new key; ends after {key.quiet_seconds // 60} min unused "
            f"(by {minute(key.expires_at)} UTC at the latest); old key last used {used}."
        )
    elif key.status == "rotated" and key.expires_at is not None:
        then = plain(f" Replaced by a new key; keeps working until {minute(key.expires_at)} UTC.")
    elif key.expires_within(now, EXPIRY_WARNING_DAYS) and key.expires_at is not None:
        then = Content(f" Expires soon: {minute(key.expires_at)} UTC.")
    elif key.expires_at is not None:
        then = plain(f" Expires {minute(key.expires_at)} UTC.")
    else:
        then = plain(" Does not expire.")
    scope = plain(" Read-only (read scope)." if key.scope == "read" else "")
    return created + then + scope + _last_use(key, now)


def _last_use(key: KeyView, now: datetime) -> Content:
    if key.last_used_at is None or key.status == "rotated":
        return plain("")
    where = f" from {key.last_used_from}" if key.last_used_from else ""
    return plain(f" Last used {ago(key.last_used_at, now)}{where}.")
