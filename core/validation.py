"""Checks for everything a person types. Each failure is an InvalidInput with a sentence."""

from __future__ import annotations

import unicodedata

from core.errors import InvalidInput
from core.text import BIDI_CONTROLS, has_control, quoted
from core.vocabulary import PLANS, RESOURCE_KINDS, ROLES

TEAM_NAME_MAX = 80
DESCRIPTION_MAX = 500
DISPLAY_NAME_MAX = 80
RESOURCE_NAME_MAX = 80
RESOURCE_BODY_MAX = 100_000
KEY_EXPIRY_MAX_DAYS = 3650

# A filter longer than the longest email address cannot match anything, and SQLite refuses
# a LIKE pattern past 50,000 bytes.
FILTER_MAX = 320


def _has_control(value: str, allow: str = "") -> bool:
    return has_control(value, allow)


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


def normal_name(value: str) -> str:
    """The one form of a name, for storing and for matching: NFKC (so that "ﬁ" and "fi", or
    a full-width "Ａ" and "A", are one name), without Unicode format characters (zero-width
    spaces and joiners, direction marks, the byte-order mark: category Cf), with whitespace
    trimmed and collapsed. Never refuses anything; :func:`clean_name` does that. The
    bidirectional controls stay: a name refuses them, so a lookup with one finds nothing."""
    without_format = "".join(
        ch for ch in value if unicodedata.category(ch) != "Cf" or ch in BIDI_CONTROLS
    )
    return " ".join(unicodedata.normalize("NFKC", without_format).split())


def _shows(ch: str) -> bool:
    """A character that leaves a mark: not a space, separator, control, format or
    combining character."""
    return unicodedata.category(ch)[0] not in "ZC" and unicodedata.category(ch) not in ("Mn", "Me")


def clean_name(value: str | None, what: str, max_length: int, field: str = "name") -> str:
    """A name in its one form (:func:`normal_name`); refuses empty, invisible, too long,
    and control characters. Every name validator (teams, keys, resources, people) is this."""
    if value is None:
        raise InvalidInput(f"{what} is required.", field)
    if _has_control(value, allow=" "):
        raise InvalidInput(f"{what} cannot contain control characters.", field)
    if not value.strip():
        raise InvalidInput(f"{what} cannot be empty.", field)
    cleaned = normal_name(value)
    if not any(_shows(ch) for ch in cleaned):
        raise InvalidInput(f"{what} needs at least one visible character.", field)
    if len(cleaned) > max_length:
        raise InvalidInput(
            f"{what} is {len(cleaned):,} characters; the limit is {max_length}.", field
        )
    return cleaned


def lookup_safe(key: str) -> str:
    """``key`` fit to send to any database. PostgreSQL refuses NUL in text; nothing stored
    holds a control character, so NUL becomes another control character (\\x01) and a
    lookup with it still finds nothing, on both backends alike."""
    return key.replace("\x00", "\x01")


def name_key(name: str) -> str:
    """The key that makes names unique and finds them: the name's one form
    (:func:`normal_name`), case-folded."""
    return lookup_safe(unicodedata.normalize("NFKC", normal_name(name).casefold()))


def clean_text(value: str | None, what: str, max_length: int, field: str) -> str:
    """Free text (descriptions, bodies): trimmed, newlines and tabs allowed, no other controls."""
    value = (value or "").strip()
    if _has_control(value, allow="\n\t"):
        raise InvalidInput(f"{what} cannot contain control characters.", field)
    if len(value) > max_length:
        raise InvalidInput(
            f"{what} is {len(value):,} characters; the limit is {max_length}.", field
        )
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
        raise InvalidInput(f"{quoted(raw)} is not a valid email address: {exc}", "email") from None
    return result.normalized


def email_key(email: str) -> str:
    return lookup_safe(email.casefold())


def _one_of(value: str | None, allowed: tuple[str, ...], what: str, field: str) -> str:
    cleaned = (value or "").strip().lower().replace("-", "_").replace(" ", "_")
    if cleaned not in allowed:
        listed = ", ".join(allowed)
        raise InvalidInput(f"{quoted(value or '')} is not a {what}; choose one of {listed}.", field)
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


def clean_expiry_days(value: float | str | None) -> int | None:
    """A key's lifetime: a whole number of days from 1 to 3,650, or None for no expiry."""
    sentence = f"A key's expiry is a whole number of days, from 1 to {KEY_EXPIRY_MAX_DAYS:,}."
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InvalidInput(sentence, "expires")
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit()):
            raise InvalidInput(sentence, "expires")
        value = int(text)
    if isinstance(value, float):
        if not value.is_integer():
            raise InvalidInput(sentence, "expires")
        value = int(value)
    if not 1 <= value <= KEY_EXPIRY_MAX_DAYS:
        raise InvalidInput(sentence, "expires")
    return value
