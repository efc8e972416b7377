"""What one command runs with: its parsed options, settings, one database, the actor.

Core is imported only when a command first needs the database, so ``auxot --help`` and
usage errors stay fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.db import Database
    from core.services import Core
    from core.settings import Settings
    from core.usecases.commands import Command
    from core.views import DeliveryReport, Principal

NO_USER = "Say who you are with --user EMAIL or AUXOT_USER."


class CliError(Exception):
    """A refusal made by the CLI itself (not by core); its text is the sentence to show."""


class Context:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._settings: Settings | None = None
        self._database: Database | None = None
        self._core: Core | None = None

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from core.settings import load_settings

            self._settings = load_settings(
                database_url=getattr(self.args, "db", None), user=getattr(self.args, "user", None)
            )
        return self._settings

    def use_data_dir(self, path: Path) -> None:
        """Keep this command's database, secret key and mail in ``path`` (the demo's own)."""
        self._settings = self.settings.model_copy(update={"data_dir": path})

    def database_url(self) -> str:
        return self.settings.resolved_database_url()

    def open(self, url: str | None = None, *, create_folder: bool = False) -> Database:
        """Open the database once for this command (``url`` overrides the configured one).
        Folders are made only for a database in the data directory (no --db, no
        AUXOT_DATABASE_URL, or ``create_folder``): a mistyped path is refused, not made."""
        if self._database is None:
            from core.db import open_database

            default = url is None and not self.settings.database_url
            self._database = open_database(
                url or self.database_url(), create_folder=create_folder or default
            )
        return self._database

    def core(self) -> Core:
        if self._core is None:
            from core.services import Core

            self._core = Core(self.open(), settings=self.settings)
        return self._core

    def user_email(self) -> str | None:
        email = (self.settings.user or "").strip()
        return email or None

    def actor(self) -> Principal:
        """The account named by --user or AUXOT_USER; core says when it does not exist."""
        email = self.user_email()
        if email is None:
            raise CliError(NO_USER)
        return self.core().principal_for(email)

    def run(self, command: Command) -> Any:
        """Run one named use case as the acting account; core carries out what follows it
        (mail is delivered before this returns)."""
        return self.core().run(self.actor(), command)

    def delivery(self) -> DeliveryReport | None:
        """The mail pass the last command made after its commit, if it made one."""
        from core.usecases.effects import DeliverNow

        after = self.core().after_commit
        return after.last_report() if isinstance(after, DeliverNow) else None

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
            self._database = None
            self._core = None
