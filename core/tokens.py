"""Invitation tokens: derived from a nonce and the server's secret key, stored only as hashes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets


def new_nonce() -> str:
    return secrets.token_hex(16)


def invitation_token(secret_key: bytes, nonce: str) -> str:
    """The token for one invitation. Only the holder of the secret key can compute it."""
    digest = hmac.new(secret_key, f"invite:{nonce}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def looks_like_token(value: str) -> bool:
    """Tokens are 43 base64url characters; anything else is refused before any lookup."""
    return len(value) == 43 and all(c.isascii() and (c.isalnum() or c in "-_") for c in value)


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
