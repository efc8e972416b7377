"""The server's host key: generated on first start, then kept (0600) and reused."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import asyncssh

from core.errors import ConfigError

HOST_KEY_NAME = "ssh_host_ed25519_key"


def default_host_key_path(data_dir: Path) -> Path:
    return data_dir / HOST_KEY_NAME


def load_or_create_host_key(path: Path) -> tuple[asyncssh.SSHKey, bool]:
    """The host key at ``path`` and whether it was made now. A new ed25519 key is written
    with 0600 permissions (and its ``.pub`` beside it); an existing key that others can read
    is refused, as OpenSSH refuses it."""
    path = path.expanduser()
    try:
        return _load(path), False
    except FileNotFoundError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(
            f"Cannot create the folder for the host key {path}: {error.strerror}."
        ) from None
    key = asyncssh.generate_private_key("ssh-ed25519", comment="auxot serve-ssh")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another server made it first: use theirs
        return _load(path), False
    except OSError as error:
        raise ConfigError(f"Cannot write the host key {path}: {error.strerror}.") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.export_private_key("openssh"))
    public = path.with_name(path.name + ".pub")
    try:
        public.write_bytes(key.export_public_key("openssh"))
    except OSError:
        pass  # the .pub file is a convenience; the private key holds everything
    return key, True


def _load(path: Path) -> asyncssh.SSHKey:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise
    except OSError as error:
        raise ConfigError(f"Cannot read the host key {path}: {error.strerror}.") from None
    if not stat.S_ISREG(mode):
        raise ConfigError(f"The host key {path} is not a file.")
    if mode & 0o077:
        raise ConfigError(
            f"The host key {path} can be read by other users; run `chmod 600 {path}` first."
        )
    try:
        return asyncssh.read_private_key(path)
    except (asyncssh.KeyImportError, asyncssh.KeyEncryptionError, OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise ConfigError(f"The host key {path} cannot be used: {reason}.") from None
