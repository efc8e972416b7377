"""Signing a key's registration challenge in the test process, in the form ``ssh-keygen -Y
sign`` writes (tests that have OpenSSH also check with the real ``ssh-keygen``)."""

from __future__ import annotations

import base64
import hashlib

import asyncssh

from core.ssh_signatures import NAMESPACE, key_proof_challenge


def _string(value: bytes) -> bytes:
    return len(value).to_bytes(4, "big") + value


def sshsig(key: asyncssh.SSHKey, message: bytes, namespace: str = NAMESPACE) -> str:
    """The armored SSH signature of ``message`` by ``key``."""
    digest = hashlib.sha512(message).digest()
    signed = b"SSHSIG" + _string(namespace.encode()) + _string(b"") + _string(b"sha512")
    algorithm = b"rsa-sha2-512" if key.algorithm == b"ssh-rsa" else key.algorithm
    signature = key.sign(signed + _string(digest), algorithm)
    blob = (
        b"SSHSIG"
        + (1).to_bytes(4, "big")
        + _string(key.public_data)
        + _string(namespace.encode())
        + _string(b"")
        + _string(b"sha512")
        + _string(signature)
    )
    body = base64.b64encode(blob).decode()
    lines = [body[i : i + 70] for i in range(0, len(body), 70)]
    return "\n".join(["-----BEGIN SSH SIGNATURE-----", *lines, "-----END SSH SIGNATURE-----"])


def key_proof(key: asyncssh.SSHKey, email: str) -> str:
    """``key``'s proof for registering it to ``email``."""
    fingerprint = key.get_fingerprint("sha256")
    return sshsig(key, key_proof_challenge(email, fingerprint).encode())
