"""Proof that someone holds the private half of a public key: an SSH signature (the armored
``-----BEGIN SSH SIGNATURE-----`` block ``ssh-keygen -Y sign`` writes) over a challenge that
names the key and the account it is registered for.

The challenge needs no secret and no state: it binds one key to one account, and only the
key's holder can sign it. Checked with ``cryptography`` for ed25519, ECDSA and RSA keys.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from core.errors import InvalidInput
from core.ssh_public_keys import PublicKey

NAMESPACE = "auxot-ssh-key"
_MAGIC = b"SSHSIG"
_ARMOR = re.compile(
    r"-----BEGIN SSH SIGNATURE-----\s*(?P<body>[A-Za-z0-9+/=\s]+?)\s*-----END SSH SIGNATURE-----"
)
_HASHES = {"sha256": hashlib.sha256, "sha512": hashlib.sha512}
_CURVES: dict[str, tuple[ec.EllipticCurve, hashes.HashAlgorithm]] = {
    "ecdsa-sha2-nistp256": (ec.SECP256R1(), hashes.SHA256()),
    "ecdsa-sha2-nistp384": (ec.SECP384R1(), hashes.SHA384()),
    "ecdsa-sha2-nistp521": (ec.SECP521R1(), hashes.SHA512()),
}
_RSA_HASHES: dict[str, hashes.HashAlgorithm] = {
    "rsa-sha2-256": hashes.SHA256(),
    "rsa-sha2-512": hashes.SHA512(),
}


def key_proof_challenge(email: str, fingerprint: str) -> str:
    """The one line to sign to register the key ``fingerprint`` for the account ``email``."""
    return f"Register SSH key {fingerprint} for {email.strip().lower()} in Auxot Teams"


def proof_needed(email: str, key: PublicKey) -> InvalidInput:
    challenge = key_proof_challenge(email, key.fingerprint)
    return InvalidInput(
        "To register a key for yourself, prove you hold it: sign the line "
        f"{challenge!r} with `ssh-keygen -Y sign -n {NAMESPACE} -f YOUR_PRIVATE_KEY` (or run "
        f"`auxot ssh-keys challenge {email.strip()} KEY.pub | ssh-keygen -Y sign -n {NAMESPACE} "
        "-f YOUR_PRIVATE_KEY > KEY.sig`) and give the signature with the key.",
        "signature",
    )


def check_key_proof(key: PublicKey, email: str, signature: str | bytes) -> None:
    """Accept ``signature`` only if it is ``key``'s signature over the challenge for
    ``email``; otherwise one sentence saying what is wrong."""
    fields = _fields(_unarmor(signature))
    if len(fields) != 6 or fields[0] != b"\x00\x00\x00\x01":
        raise _bad("it is not a signature that ssh-keygen -Y sign writes")
    _, signer, namespace, _reserved, hash_name, wrapped = fields
    if signer != key.blob:
        raise _bad("it was made with another key")
    if namespace != NAMESPACE.encode():
        raise _bad(f"it was made for another purpose; sign with -n {NAMESPACE}")
    hasher = _HASHES.get(hash_name.decode(errors="replace"))
    if hasher is None:
        raise _bad("it uses an unknown hash")
    challenge = key_proof_challenge(email, key.fingerprint).encode()
    for message in (challenge, challenge + b"\n"):  # signed as typed or as a line
        signed = b"".join(
            [_MAGIC, _string(namespace), _string(b""), _string(hash_name)]
            + [_string(hasher(message).digest())]
        )
        if _verifies(key, wrapped, signed):
            return
    raise _bad(f"it does not sign the line {challenge.decode()!r} for that key")


def _verifies(key: PublicKey, wrapped: bytes, data: bytes) -> bool:
    parts = _read(wrapped, 2)
    if parts is None:
        return False
    algorithm, raw = parts[0].decode(errors="replace"), parts[1]
    public = _read(key.blob, {"ssh-ed25519": 2, "ssh-rsa": 3}.get(key.key_type, 3))
    if public is None:
        return False
    try:
        if key.key_type == "ssh-ed25519" and algorithm == "ssh-ed25519":
            Ed25519PublicKey.from_public_bytes(public[1]).verify(raw, data)
        elif key.key_type in _CURVES and algorithm == key.key_type:
            curve, digest = _CURVES[key.key_type]
            point = ec.EllipticCurvePublicKey.from_encoded_point(curve, public[2])
            r_s = _read(raw, 2)
            if r_s is None:
                return False
            der = encode_dss_signature(*(int.from_bytes(n, "big") for n in r_s))
            point.verify(der, data, ec.ECDSA(digest))
        elif key.key_type == "ssh-rsa" and algorithm in _RSA_HASHES:
            e, n = (int.from_bytes(value, "big") for value in public[1:3])
            rsa.RSAPublicNumbers(e, n).public_key().verify(
                raw, data, padding.PKCS1v15(), _RSA_HASHES[algorithm]
            )
        else:
            return False
    except (InvalidSignature, ValueError):
        return False
    return True


def _unarmor(signature: str | bytes) -> bytes:
    text = signature.decode("ascii", "replace") if isinstance(signature, bytes) else signature
    found = _ARMOR.search(text or "")
    if found is None:
        raise InvalidInput(
            "Give the signature as ssh-keygen -Y sign writes it, from "
            "-----BEGIN SSH SIGNATURE----- to -----END SSH SIGNATURE-----.",
            "signature",
        )
    try:
        blob = base64.b64decode("".join(found["body"].split()), validate=True)
    except (binascii.Error, ValueError):
        raise _bad("its base64 text does not decode") from None
    if not blob.startswith(_MAGIC):
        raise _bad("it is not an SSH signature")
    return blob[len(_MAGIC) :]


def _fields(blob: bytes) -> list[bytes]:
    """The version (4 raw bytes) and the five strings of a signature blob."""
    if len(blob) < 4:
        return []
    rest = _read(blob[4:], 5)
    return [blob[:4], *rest] if rest is not None else []


def _read(blob: bytes, count: int) -> list[bytes] | None:
    """``count`` SSH strings (a 4-byte length, then the bytes) from ``blob``."""
    values, at = [], 0
    for _ in range(count):
        if at + 4 > len(blob):
            return None
        size = int.from_bytes(blob[at : at + 4], "big")
        at += 4
        if at + size > len(blob):
            return None
        values.append(blob[at : at + size])
        at += size
    return values


def _string(value: bytes) -> bytes:
    return len(value).to_bytes(4, "big") + value


def _bad(why: str) -> InvalidInput:
    return InvalidInput(f"That signature does not prove you hold the key: {why}.", "signature")
