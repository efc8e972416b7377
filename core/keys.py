"""Team API key format: ``team.<key_id>.<secret>``. Only the key id and a SHA-256 digest of
the secret are stored; the plaintext exists only in the creating call's return value."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

PREFIX = "team"
_KEY_ID = re.compile(r"[0-9a-f]{16}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{43}")
# A bare key, as most clients send it: one match, no header to strip.
_BARE = re.compile(r"team\.([0-9a-f]{16})\.([A-Za-z0-9_-]{43})")
# Longer than any header a real client sends; refused before any other work.
MAX_PRESENTED = 512


@dataclass(frozen=True)
class NewKey:
    key_id: str
    secret: str

    @property
    def plaintext(self) -> str:
        return f"{PREFIX}.{self.key_id}.{self.secret}"


def generate() -> NewKey:
    return NewKey(secrets.token_hex(8), secrets.token_urlsafe(32))


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(secret: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(secret), stored_digest)


def masked(key_id: str) -> str:
    return f"{PREFIX}.{key_id}.…"


def parse(presented: str | None) -> tuple[str, str] | None:
    """(key_id, secret) from a raw key, a ``Bearer …`` value, an ``Authorization: Bearer …``
    line or an ``x-api-key`` value; None when it cannot be a team key."""
    if not presented or len(presented) > MAX_PRESENTED:
        return None
    bare = _BARE.fullmatch(presented)
    if bare is not None:
        key_id, secret = bare.group(1, 2)
        return key_id, secret
    value = presented.strip()
    lowered = value.lower()
    for prefix in ("authorization:", "x-api-key:"):
        if lowered.startswith(prefix):
            value = value[len(prefix) :].strip()
            lowered = value.lower()
    if lowered.startswith("bearer "):
        value = value[7:].strip()
    parts = value.split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    _, key_id, secret = parts
    if not _KEY_ID.fullmatch(key_id) or not _SECRET.fullmatch(secret):
        return None
    return key_id, secret
