"""Reading a .pub file's line: the key types accepted, fingerprints as OpenSSH prints them,
and a sentence for each way a pasted key can be wrong."""

from __future__ import annotations

import base64
import shutil
import subprocess

import pytest

from core.errors import InvalidInput
from core.ssh_public_keys import clean_fingerprint, parse_public_key
from tests.core.helpers import is_sentence, new_key


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("ssh-ed25519", {}),
        ("ssh-rsa", {"key_size": 2048}),
        ("ecdsa-sha2-nistp256", {}),
        ("ecdsa-sha2-nistp384", {}),
        ("ecdsa-sha2-nistp521", {}),
    ],
)
def test_fingerprints_match_asyncssh(kind, options):
    line, expected = new_key(kind, "me@host", **options)
    parsed = parse_public_key(line)
    assert parsed.key_type == kind
    assert parsed.fingerprint == expected
    assert parsed.comment == "me@host"
    assert parsed.openssh == " ".join(line.split()[:2])


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")
def test_fingerprint_matches_ssh_keygen(tmp_path):
    path = tmp_path / "id_ed25519"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "a b  c", "-f", str(path)], check=True
    )
    printed = subprocess.run(
        ["ssh-keygen", "-lf", str(path) + ".pub"], capture_output=True, text=True, check=True
    ).stdout.split()[1]
    parsed = parse_public_key((tmp_path / "id_ed25519.pub").read_bytes())
    assert parsed.fingerprint == printed
    assert parsed.comment == "a b c"


def test_blank_and_comment_lines_around_the_key_are_ignored():
    line, fingerprint = new_key()
    assert parse_public_key(f"\n# my key\n  {line}  \n\n").fingerprint == fingerprint


def _blob(line: str) -> bytes:
    return base64.b64decode(line.split()[1])


def _line(kind: str, blob: bytes) -> str:
    return f"{kind} {base64.b64encode(blob).decode()}"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Paste a public key"),
        ("   \n ", "Paste a public key"),
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n-----END OPENSSH PRIVATE KEY-----",
            "private key",
        ),
        ("---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----", "RFC 4716"),
        ("ssh-dss AAAAB3NzaC1kc3MAAACBAP", "starts with its type"),
        ('command="ls" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI', "starts with its type"),
        ("ssh-ed25519-cert-v01@openssh.com AAAA", "certificates"),
        ("ssh-ed25519", "not the key itself"),
        ("ssh-ed25519 not*base64", "does not decode"),
        ("ssh-ed25519 AAAA", "damaged"),
    ],
)
def test_bad_keys_are_refused_with_a_sentence(text, words):
    with pytest.raises(InvalidInput) as caught:
        parse_public_key(text)
    assert words in caught.value.message
    assert is_sentence(caught.value.message)


def test_damaged_blobs_are_refused():
    line, _ = new_key()
    blob = _blob(line)
    rsa_line, _ = new_key("ssh-rsa", key_size=2048)
    cases = [
        _line("ssh-ed25519", blob[:-1]),  # truncated key
        _line("ssh-ed25519", blob + b"\0"),  # trailing bytes
        _line("ssh-rsa", blob),  # type outside differs from inside
        _line("ecdsa-sha2-nistp256", _blob(new_key("ecdsa-sha2-nistp384")[0])),
        _line("ssh-ed25519", b"\xff\xff\xff\xff" + blob[4:]),  # a length beyond the end
        f"{line}\n{rsa_line}",  # two keys
    ]
    for text in cases:
        with pytest.raises(InvalidInput) as caught:
            parse_public_key(text)
        assert is_sentence(caught.value.message), text


def test_weak_rsa_keys_are_refused():
    line, _ = new_key("ssh-rsa", key_size=1024)
    with pytest.raises(InvalidInput, match="1024 bits"):
        parse_public_key(line)


def test_comments_with_control_characters_or_too_long_are_refused():
    line, _ = new_key(comment="")
    with pytest.raises(InvalidInput, match="control characters"):
        parse_public_key(line.strip() + " bad\x1b[31m")
    with pytest.raises(InvalidInput, match="limit is 200"):
        parse_public_key(line.strip() + " " + "x" * 201)


def test_fingerprints_are_accepted_with_or_without_prefix():
    _, fingerprint = new_key()
    assert clean_fingerprint(fingerprint) == fingerprint
    assert clean_fingerprint(fingerprint[7:]) == fingerprint
    assert clean_fingerprint(" sha256:" + fingerprint[7:] + "=") == fingerprint
    with pytest.raises(InvalidInput, match="SHA256:"):
        clean_fingerprint("MD5:aa:bb")
