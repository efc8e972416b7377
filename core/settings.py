"""Settings from the environment (prefix ``AUXOT_``) and an optional ``.env`` file."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.errors import ConfigError


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("auxot", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUXOT_", env_file=".env", extra="ignore")

    database_url: str | None = None
    data_dir: Path | None = None
    user: str | None = None
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    smtp_tls: bool = False
    smtp_from: str = "Auxot <no-reply@auxot.local>"
    smtp_timeout: float = Field(default=30.0, gt=0, le=600)
    public_url: str = "http://localhost:8000"
    invite_ttl_hours: int = Field(default=168, ge=1, le=24 * 365)
    # Derives invitation tokens; shared by every front end of one database. When unset, a
    # random key is kept in the data directory (fine for one machine, set it for PostgreSQL).
    secret_key: str | None = Field(default=None, min_length=32)
    # `auxot serve-ssh` limits, in the spirit of OpenSSH's MaxStartups and LoginGraceTime.
    ssh_max_startups: int = Field(default=50, ge=1, le=100_000)  # not yet signed in, in all
    ssh_max_startups_per_source: int = Field(default=10, ge=1, le=100_000)  # … per address
    ssh_login_grace_time: float = Field(default=30.0, gt=0, le=3600)  # seconds to sign in
    ssh_max_sessions_per_account: int = Field(default=5, ge=1, le=10_000)
    ssh_max_sessions_per_connection: int = Field(default=3, ge=1, le=10_000)
    ssh_max_sessions: int = Field(default=100, ge=1, le=100_000)  # the whole server
    # How often the server checks that each session's key and account still grant access.
    ssh_access_check_interval: float = Field(default=2.0, gt=0, le=3600)
    # How often the server delivers (and retries) queued mail; 0 turns it off.
    ssh_outbox_interval: float = Field(default=30.0, ge=0, le=86_400)
    # Fork each session's app from a process that has already imported it (off: exec each).
    ssh_warm: bool = True
    # How `serve-ssh` writes its log to stderr: a line of text per event, or a JSON object.
    log_format: Literal["text", "json"] = "text"

    def resolved_data_dir(self) -> Path:
        return self.data_dir or default_data_dir()

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.resolved_data_dir() / 'auxot.db'}"

    def resolved_secret_key(self) -> bytes:
        if self.secret_key:
            return self.secret_key.encode()
        return _secret_key_file(self.resolved_data_dir() / "secret.key")

    def outbox_dir(self) -> Path:
        return self.resolved_data_dir() / "outbox"


def _secret_key_file(path: Path) -> bytes:
    """The key kept in ``path``, created (0600) on first use."""
    import os
    import secrets

    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(48).encode()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return _read_key(path)
    except OSError as exc:
        raise ConfigError(
            f"Cannot create the secret key file {path}: {exc.strerror or exc}; "
            "set AUXOT_SECRET_KEY or AUXOT_DATA_DIR."
        ) from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key


def _read_key(path: Path) -> bytes:
    """The key in ``path``; FileNotFoundError when there is none yet."""
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise ConfigError(
            f"Cannot read the secret key file {path}: {exc.strerror or exc}; "
            "give this account access to it, or set AUXOT_SECRET_KEY."
        ) from None


def load_settings(**overrides: object) -> Settings:
    """Read settings; a bad value stops with one sentence naming the setting."""
    try:
        given: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
        return Settings(**given)  # pydantic checks each value and names the bad one
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "AUXOT_" + str(first["loc"][0]).upper() if first.get("loc") else "a setting"
        raise ConfigError(f"{name} is not valid: {first['msg']}.") from None
