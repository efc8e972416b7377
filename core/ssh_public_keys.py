"""OpenSSH public keys as people paste them: ``TYPE BASE64 [COMMENT]``, one line.

Parsed with the standard library only (no SSH library in core): the base64 blob is checked
field by field for its type, and fingerprinted the way ``ssh-keygen -l`` prints it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from core.errors import InvalidInput
from core.validation import _has_control

MAX_INPUT = 16_384
COMMENT_MAX = 200
RSA_MIN_BITS = 2048
RSA_MAX_BITS = 16_384

# type -> the fields after the type string: "str" a plain string, "mpint" an integer,
# "ed25519" 32 raw bytes, "curve" the curve name, "point" an uncompressed EC point.
_LAYOUTS: dict[str, tuple[str, ...]] = {
    "ssh-ed25519": ("ed25519",),
    "ssh-rsa": ("mpint", "mpint"),
    "ecdsa-sha2-nistp256": ("curve", "point"),
    "ecdsa-sha2-nistp384": ("curve", "point"),
    "ecdsa-sha2-nistp521": ("curve", "point"),
    "sk-ssh-ed25519@openssh.com": ("ed25519", "str"),
    "sk-ecdsa-sha2-nistp256@openssh.com": ("curve", "point", "str"),
}
KEY_TYPES = tuple(_LAYOUTS)
# Uncompressed point sizes: 0x04, then x and y.
_POINT_SIZES = {"nistp256": 65, "nistp384": 97, "nistp521": 133}
_TYPES_SENTENCE = "ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa or a security-key type"


@dataclass(frozen=True)
class PublicKey:
    key_type: str
    blob: bytes
    comment: str

    @property
    def openssh(self) -> str:
        """The key as ``TYPE BASE64``, without the comment."""
        return f"{self.key_type} {base64.b64encode(self.blob).decode()}"

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.blob)


def fingerprint_of(blob: bytes) -> str:
    """``SHA256:`` and the unpadded base64 of the blob's SHA-256, as OpenSSH prints it."""
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    return f"SHA256:{digest}"


def parse_public_key(text: str | bytes | None) -> PublicKey:
    """The one key in ``text`` (a ``.pub`` file's contents), or a sentence saying what is
    wrong with it. Blank lines and ``#`` comment lines are ignored."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(
                "That is not a public key file: it is not text.", "public_key"
            ) from None
    text = (text or "").strip()
    if not text:
        raise InvalidInput(
            "Paste a public key: the one line of a .pub file, such as ~/.ssh/id_ed25519.pub.",
            "public_key",
        )
    if len(text) > MAX_INPUT:
        raise InvalidInput(
            "That is too long for a public key; paste the one line of a .pub file.", "public_key"
        )
    if "PRIVATE KEY" in text:
        raise InvalidInput(
            "That is a private key; keep it secret and give the .pub file (the public key) instead.",
            "public_key",
        )
    if text.startswith("---- BEGIN SSH2 PUBLIC KEY"):
        raise InvalidInput(
            "That key is in RFC 4716 form; convert it with `ssh-keygen -i -f FILE` and paste the result.",
            "public_key",
        )
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    if len(lines) != 1:
        raise InvalidInput(
            "Give one public key at a time: that text holds several lines.", "public_key"
        )
    parts = lines[0].split(None, 2)
    key_type = parts[0]
    if key_type not in _LAYOUTS:
        if "-cert-v01@openssh.com" in key_type:
            raise InvalidInput(
                "SSH certificates are not accepted; give the plain public key.", "public_key"
            )
        raise InvalidInput(
            f"A public key starts with its type ({_TYPES_SENTENCE}); this one starts with "
            f"{key_type[:40]!r}.",
            "public_key",
        )
    if len(parts) < 2:
        raise InvalidInput("That public key has its type but not the key itself.", "public_key")
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(
            "That public key is damaged: its base64 text does not decode.", "public_key"
        ) from None
    _check_blob(key_type, blob)
    comment = " ".join(parts[2].split()) if len(parts) > 2 else ""
    if _has_control(comment):
        raise InvalidInput("A key's comment cannot contain control characters.", "public_key")
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(
            f"The key's comment is {len(comment)} characters; the limit is {COMMENT_MAX}.",
            "public_key",
        )
    return PublicKey(key_type, blob, comment)


def clean_fingerprint(value: str | None) -> str:
    """A fingerprint as typed (with or without ``SHA256:``), in its stored form."""
    raw = (value or "").strip()
    digest = raw[7:] if raw.upper().startswith("SHA256:") else raw
    digest = digest.rstrip("=")
    if len(digest) != 43 or not all(c.isascii() and (c.isalnum() or c in "+/") for c in digest):
        raise InvalidInput(
            "A key fingerprint looks like SHA256: and 43 characters, as `auxot ssh-keys list` "
            "or `ssh-keygen -lf KEY.pub` shows it.",
            "fingerprint",
        )
    return f"SHA256:{digest}"


def _check_blob(key_type: str, blob: bytes) -> None:
    damaged = InvalidInput(
        f"That {key_type} key is damaged: its data does not match its type.", "public_key"
    )
    fields, rest = _read_strings(blob, 1 + len(_LAYOUTS[key_type]))
    if fields is None or rest:
        raise damaged
    if fields[0] != key_type.encode():
        raise InvalidInput(
            "That public key is damaged: the type written before it differs from the type inside it.",
            "public_key",
        )
    curve = key_type.removeprefix("sk-").removeprefix("ecdsa-sha2-").removesuffix("@openssh.com")
    for kind, value in zip(_LAYOUTS[key_type], fields[1:]):
        if kind == "ed25519" and len(value) != 32:
            raise damaged
        if kind == "curve" and value != curve.encode():
            raise damaged
        if kind == "point" and (len(value) != _POINT_SIZES.get(curve) or value[:1] != b"\x04"):
            raise damaged
        if kind == "mpint" and (not value or value[0] & 0x80):
            raise damaged  # empty or negative
    if key_type == "ssh-rsa":
        bits = int.from_bytes(fields[2], "big").bit_length()
        if bits < RSA_MIN_BITS:
            raise InvalidInput(
                f"That RSA key has {bits} bits; use at least {RSA_MIN_BITS} (or an ed25519 key).",
                "public_key",
            )
        if bits > RSA_MAX_BITS:
            raise InvalidInput(
                f"That RSA key has {bits} bits; the limit is {RSA_MAX_BITS}.", "public_key"
            )


def _read_strings(blob: bytes, count: int) -> tuple[list[bytes] | None, bytes]:
    """``count`` SSH wire strings (4-byte big-endian length, then the bytes) and what follows."""
    fields = []
    offset = 0
    for _ in range(count):
        if len(blob) - offset < 4:
            return None, b""
        size = int.from_bytes(blob[offset : offset + 4], "big")
        offset += 4
        if size > len(blob) - offset:
            return None, b""
        fields.append(blob[offset : offset + size])
        offset += size
    return fields, blob[offset:]
