"""Account → SSH keys → Add: paste the one line of a ``.pub`` file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static, TextArea

from core.errors import Conflict, DomainError, InvalidInput
from core.views import SshKeyView
from tui.dialogs.form import FormModal
from tui.format import plain
from tui.widgets.form import FieldError, FieldLabel

SIGNATURE_START = "-----BEGIN SSH SIGNATURE-----"


@dataclass(frozen=True)
class NewSshKey:
    public_key: str  # as pasted; core parses and checks it
    signature: str | None = None  # ssh-keygen -Y sign's block, pasted below the key


class AddSshKeyModal(FormModal[NewSshKey, SshKeyView]):
    """Dismisses with the registered :class:`SshKeyView`, or None when cancelled."""

    SUBMIT_LABEL = "Add key"
    # Core's InvalidInput for a bad key names the field "public_key".
    FIELDS = ("public_key",)
    ERROR_FIELDS: ClassVar[dict[type[DomainError], str]] = {
        Conflict: "public_key",
        InvalidInput: "public_key",  # the signature, pasted in the same field
    }

    def title_content(self) -> Content:
        return plain("Add an SSH key")

    def compose_fields(self) -> Iterable[Widget]:
        yield FieldLabel("Public key (Ctrl+S adds)", "public_key")
        # A TextArea, so that a long RSA line is seen whole once pasted.
        yield TextArea(id="public_key", soft_wrap=True, show_line_numbers=False)
        yield FieldError("public_key")
        yield Static(
            plain(
                "Paste the one line of your public key file, such as ~/.ssh/id_ed25519.pub "
                "(never the private key) and, below it, its signature from "
                "`auxot ssh-keys challenge` and `ssh-keygen -Y sign`, which proves the key is "
                "yours. Workspace admins need no signature."
            ),
            classes="field-help",
        )

    def read_form(self) -> NewSshKey:
        text = self.query_one("#public_key", TextArea).text
        key, start, signature = text.partition(SIGNATURE_START)
        return NewSshKey(public_key=key, signature=start + signature if start else None)
