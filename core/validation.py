"""Checks for everything a person types. Each failure is an InvalidInput with a sentence."""

from __future__ import annotations

import unicodedata

from core.errors import InvalidInput
from core.vocabulary import PLANS, RESOURCE_KINDS, ROLES

TEAM_NAME_MAX = 80
DESCRIPTION_MAX = 500
DISPLAY_NAME_MAX = 80
RESOURCE_NAME_MAX = 80
RESOURCE_BODY_MAX = 100_000
# A filter longer than the longest email address cannot match anything, and SQLite refuses
# a LIKE pattern past 50,000 bytes.
FILTER_MAX = 320

# Bidirectional overrides can make a name read differently from what it is.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _has_control(value: str, allow: str = "") -> bool:
    return any(
        (unicodedata.category(ch) == "Cc" and ch not in allow) or ch in _BIDI_CONTROLS
        for ch in value
    )


def printable(value: str) -> str:
    """``value`` with control and bidirectional-override characters written as escapes
    (``\\x1b``), for records that keep what someone typed, such as an audit entry's target:
    PostgreSQL refuses NUL in text, and a terminal would obey an ESC sequence."""
    if not _has_control(value):
        return value
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if _has_control(ch) else ch for ch in value
    )


def check_filter(query: str) -> None:
    if len(query) > FILTER_MAX:
        raise InvalidInput(
            f"A filter can be at most {FILTER_MAX} characters; this one has {len(query):,}.",
            "filter",
        )


def check_page(offset: int, limit: int | None) -> None:
    """A page request that both backends answer alike: PostgreSQL refuses a negative OFFSET
    or LIMIT, where SQLite would quietly ignore it."""
    if offset < 0:
        raise InvalidInput(f"A page cannot start before the first row (offset {offset}).", "offset")
    if limit is not None and limit < 0:
        raise InvalidInput(f"A page cannot hold fewer than no rows (limit {limit}).", "limit")


def clean_name(value: str | None, what: str, max_length: int, field: str = "name") -> str:
    """Trim, collapse inner spaces, refuse empty, too long and control characters."""
    if value is None:
        raise InvalidInput(f"{what} is required.", field)
    if _has_control(value, allow=" "):
        raise InvalidInput(f"{what} cannot contain control characters.", field)
    # One form for text that reads the same: "é" typed composed or as "e" + accent.
    cleaned = " ".join(unicodedata.normalize("NFC", value).split())
    if not cleaned:
        raise InvalidInput(f"{what} cannot be empty.", field)
    if len(cleaned) > max_length:
        raise InvalidInput(
            f"{what} is {len(cleaned)} characters; the limit is {max_length}.", field
        )
    return cleaned


def lookup_safe(key: str) -> str:
    """``key`` fit to send to any database. PostgreSQL refuses NUL in text; nothing stored
    holds a control character, so NUL becomes another control character (\\x01) and a
    lookup with it still finds nothing, on both backends alike."""
    return key.replace("\x00", "\x01")


def name_key(name: str) -> str:
    """The case- and space-insensitive key that makes names unique."""
    return lookup_safe(" ".join(unicodedata.normalize("NFC", name).split()).casefold())


def clean_text(value: str | None, what: str, max_length: int, field: str) -> str:
    """Free text (descriptions, bodies): trimmed, newlines and tabs allowed, no other controls."""
    value = (value or "").strip()
    if _has_control(value, allow="\n\t"):
        raise InvalidInput(f"{what} cannot contain control characters.", field)
    if len(value) > max_length:
        raise InvalidInput(f"{what} is {len(value)} characters; the limit is {max_length}.", field)
    return value


def clean_team_name(value: str | None) -> str:
    return clean_name(value, "A team name", TEAM_NAME_MAX)


def clean_description(value: str | None) -> str:
    return clean_text(value, "A description", DESCRIPTION_MAX, "description")


def clean_display_name(value: str | None) -> str:
    return clean_name(value, "A name", DISPLAY_NAME_MAX, "display_name")


def clean_email(value: str | None) -> str:
    """A normalised email address, or a sentence saying what is wrong with it."""
    from email_validator import EmailNotValidError, validate_email

    raw = (value or "").strip()
    if not raw:
        raise InvalidInput("An email address is required.", "email")
    if _has_control(raw):
        raise InvalidInput("An email address cannot contain control characters.", "email")
    try:
        result = validate_email(raw, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidInput(f"{raw!r} is not a valid email address: {exc}", "email") from None
    return result.normalized


def email_key(email: str) -> str:
    return lookup_safe(email.casefold())


def _one_of(value: str | None, allowed: tuple[str, ...], what: str, field: str) -> str:
    cleaned = (value or "").strip().lower().replace("-", "_").replace(" ", "_")
    if cleaned not in allowed:
        listed = ", ".join(allowed)
        raise InvalidInput(f"{value!r} is not a {what}; choose one of {listed}.", field)
    return cleaned


def clean_role(value: str | None) -> str:
    return _one_of(value, ROLES, "role", "role")


def clean_plan(value: str | None) -> str:
    return _one_of(value, PLANS, "plan", "plan")


def clean_kind(value: str | None) -> str:
    return _one_of(value, RESOURCE_KINDS, "resource kind", "kind")


def clean_resource_name(value: str | None) -> str:
    return clean_name(value, "A resource name", RESOURCE_NAME_MAX)


def clean_body(value: str | None) -> str:
    return clean_text(value, "The body", RESOURCE_BODY_MAX, "body")
