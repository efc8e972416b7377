"""Account → SSH keys: the public keys that sign you in to the app over SSH.

Your own keys only, whatever your role: workspace admins handle other people's keys with
``auxot ssh-keys``. A dialog rather than a Settings section, because a key belongs to the
account, not to a team."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static
from textual.worker import Worker, get_current_worker

from core.services.ssh_keys import ssh_fingerprint_of
from core.usecases.commands import AddSshKey, ListSshKeys, RemoveSshKey
from core.views import SshKeyView
from tui.bindings import DIALOG
from tui.commands import PaletteCommand, binding_commands
from tui.dialogs.add_ssh_key import AddSshKeyModal, NewSshKey
from tui.dialogs.confirm import ConfirmModal
from tui.format import cell, day, minute, plain, safe_markup
from tui.widgets.footer import AuxotFooter
from tui.widgets.table import Column, ResponsiveTable
from tui.workers import CoreClient

SSH_KEYS = Binding.Group("SSH keys")

# The names `ssh-keygen -l` prints in brackets after a fingerprint.
KEY_TYPE_LABELS = {
    "ssh-ed25519": "ED25519",
    "ssh-rsa": "RSA",
    "ecdsa-sha2-nistp256": "ECDSA",
    "ecdsa-sha2-nistp384": "ECDSA",
    "ecdsa-sha2-nistp521": "ECDSA",
    "sk-ssh-ed25519@openssh.com": "ED25519-SK",
    "sk-ecdsa-sha2-nistp256@openssh.com": "ECDSA-SK",
}

COLUMNS = (
    Column("type", "Type", width=10),
    Column("fingerprint", "Fingerprint", min_width=20, weight=3),
    Column("comment", "Comment", min_width=8, weight=1),
    Column("added", "Added", width=10),
    Column("last_used", "Last used", width=10),
)


def key_type_label(key_type: str) -> str:
    return KEY_TYPE_LABELS.get(key_type, key_type)


def key_cells(key: SshKeyView) -> tuple[Text, ...]:
    """One table row; the comment is the key owner's text, shown as it is."""
    return (
        cell(key_type_label(key.key_type)),
        cell(key.fingerprint, "bold"),
        cell(key.comment) if key.comment else cell("—", "dim"),
        cell(day(key.created_at)),
        cell(day(key.last_used_at)) if key.last_used_at else cell("never", "dim"),
    )


class SshKeysModal(CoreClient, ModalScreen[None]):
    """Lists the acting account's SSH keys; adds and removes them through core."""

    help_title = "Account › SSH keys"
    AUTO_FOCUS = ""  # nothing until the keys are read: then the table, or Add key
    BINDINGS: ClassVar = [
        Binding(
            "a,n",
            "add",
            "Add key",
            tooltip="Paste the line of a .pub file",
            id="ssh_keys.add",
            group=SSH_KEYS,
        ),
        Binding(
            "x,delete",
            "remove",
            "Remove",
            tooltip="Remove the highlighted key",
            id="ssh_keys.remove",
            group=SSH_KEYS,
        ),
        Binding("escape", "close", "Close", id="ssh_keys.close", group=DIALOG),
    ]

    class Added(Message):
        def __init__(self, key: SshKeyView) -> None:
            super().__init__()
            self.key = key

    class Loaded(Message):
        def __init__(self, keys: list[SshKeyView], select: int | None) -> None:
            super().__init__()
            self.keys = keys
            self.select = select

    class Removed(Message):
        def __init__(self, key: SshKeyView) -> None:
            super().__init__()
            self.key = key

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[SshKeyView] = []
        self._by_key: dict[str, SshKeyView] = {}

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog ssh-keys-dialog"):
            yield Static(
                safe_markup("Your SSH keys [dim]·[/dim] $email", email=self.actor.email),
                classes="dialog-title",
            )
            yield Static(
                plain(
                    "These keys sign you in to the app over SSH. "
                    "Removing one refuses its next sign-in."
                ),
                classes="dialog-text",
            )
            yield ResponsiveTable(COLUMNS, id="ssh-keys-table")
            yield Static(plain("Reading your keys…"), id="ssh-keys-empty")
            yield Static("", id="ssh-key-detail")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close", id="ssh-keys-close")
                yield Button("Remove", id="ssh-keys-remove", variant="error")
                yield Button("Add key", id="ssh-keys-add", variant="primary")
        yield AuxotFooter()

    def on_mount(self) -> None:
        self.query_one("#ssh-keys-table").display = False
        self.query_one("#ssh-key-detail").display = False
        self.query_one("#ssh-keys-remove").display = False
        self._load()

    @property
    def selected(self) -> SshKeyView | None:
        key = self.query_one("#ssh-keys-table", ResponsiveTable).current_key
        return self._by_key.get(key) if key else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":
            if not self.keys:
                return False
            return self.selected is not None or None
        return True

    def palette_commands(self) -> list[PaletteCommand]:
        return binding_commands(self)

    # -- loading -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="ssh-keys", exit_on_error=False)
    def _load(self, select: int | None = None) -> None:
        keys = self.run(ListSshKeys(self.actor.email)).items
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(keys, select))

    def on_ssh_keys_modal_loaded(self, message: Loaded) -> None:
        self.keys = message.keys
        self._by_key = {str(key.id): key for key in self.keys}
        table = self.query_one("#ssh-keys-table", ResponsiveTable)
        table.set_rows([(str(key.id), key_cells(key)) for key in self.keys])
        table.display = bool(self.keys)
        self.query_one("#ssh-keys-remove").display = bool(self.keys)
        empty = self.query_one("#ssh-keys-empty", Static)
        empty.display = not self.keys
        empty.update(
            plain(
                "You have no SSH keys yet. Press a to add one: the line of your .pub file, "
                "such as ~/.ssh/id_ed25519.pub."
            )
        )
        if message.select is not None:  # a key just added: the cursor and the focus on it
            table.move_to_key(str(message.select))
            table.focus()
        elif self.keys and self.focused is None:
            table.focus()
        elif not self.keys and self.focused in (None, table):
            self.query_one("#ssh-keys-add").focus()
        self._show_detail()

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted key in full, for what the table's columns cut."""
        detail = self.query_one("#ssh-key-detail", Static)
        key = self.selected
        detail.display = key is not None
        if key is not None:
            this_session = key.fingerprint == ssh_fingerprint_of(self.actor)
            used = f"last used {minute(key.last_used_at)}" if key.last_used_at else "never used"
            detail.update(
                safe_markup(
                    "[b]$fingerprint[/b] ($type)\n$comment$added · $used$session",
                    fingerprint=key.fingerprint,
                    type=key_type_label(key.key_type),
                    comment=f"{key.comment} · " if key.comment else "",
                    added=f"added {minute(key.created_at)}",
                    used=used,
                    session="\nThis session signed in with this key." if this_session else "",
                )
            )
        self.refresh_bindings()

    # -- actions -----------------------------------------------------------------------------

    @on(Button.Pressed, "#ssh-keys-close")
    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#ssh-keys-add")
    def action_add(self) -> None:
        def add(new: NewSshKey) -> SshKeyView:
            added: SshKeyView = self.run(AddSshKey(self.actor.email, new.public_key, new.signature))
            return added

        self.app.push_screen(AddSshKeyModal(self.committing(add, self.Added)))

    def on_ssh_keys_modal_added(self, message: Added) -> None:
        key = message.key
        self.notify(
            f"Added the SSH key {key.fingerprint} ({key_type_label(key.key_type)}).", markup=False
        )
        self._load(select=key.id)

    @on(Button.Pressed, "#ssh-keys-remove")
    def action_remove(self) -> None:
        key = self.selected
        if key is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._remove(key)

        warning = (
            " This session signed in with it: sign in with another key next time."
            if key.fingerprint == ssh_fingerprint_of(self.actor)
            else ""
        )
        self.app.push_screen(
            ConfirmModal(
                plain("Remove SSH key?"),
                safe_markup(
                    "Remove [b]$fingerprint[/b]$comment? Signing in with it over SSH will be "
                    "refused.$warning",
                    fingerprint=key.fingerprint,
                    comment=f" ({key.comment})" if key.comment else "",
                    warning=warning,
                ),
                "Remove",
            ),
            confirmed,
        )

    @work(thread=True, exclusive=True, group="ssh-keys-change", exit_on_error=False)
    def _remove(self, key: SshKeyView) -> None:
        removed = self.run(RemoveSshKey(self.actor.email, key.fingerprint))
        self.post_message(self.Removed(removed))

    def on_ssh_keys_modal_removed(self, message: Removed) -> None:
        self.notify(f"Removed the SSH key {message.key.fingerprint}.", markup=False)
        self._load()

    def worker_failed(self, worker: Worker[object], error: BaseException) -> None:
        super().worker_failed(worker, error)
        if worker.group == "ssh-keys-change":
            self._load()  # someone else may have removed it: show what core holds now


__all__ = ["SshKeysModal", "key_type_label"]
