"""Account → SSH keys → Add: paste the one line of a ``.pub`` file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static, TextArea

from core.errors import Conflict, DomainError
from core.views import SshKeyView
from tui.dialogs.form import FormModal
from tui.format import plain
from tui.widgets.form import FieldError, FieldLabel


@dataclass(frozen=True)
class NewSshKey:
    public_key: str  # as pasted; core parses and checks it


class AddSshKeyModal(FormModal[NewSshKey, SshKeyView]):
    """Dismisses with the registered :class:`SshKeyView`, or None when cancelled."""

    SUBMIT_LABEL = "Add key"
    # Core's InvalidInput for a bad key names the field "public_key".
    FIELDS = ("public_key",)
    ERROR_FIELDS: ClassVar[dict[type[DomainError], str]] = {Conflict: "public_key"}

    def title_content(self) -> Content:
        return plain("Add an SSH key")

    def compose_fields(self) -> Iterable[Widget]:
        yield FieldLabel("Public key (Ctrl+S adds)", "public_key")
        # A TextArea, so that a long RSA line is seen whole once pasted.
        yield TextArea(id="public_key", soft_wrap=True, show_line_numbers=False)
        yield FieldError("public_key")
        yield Static(
            plain(
                "Paste the one line of your public key file, such as ~/.ssh/id_ed25519.pub. "
                "Never the private key."
            ),
            classes="field-help",
        )

    def read_form(self) -> NewSshKey:
        return NewSshKey(public_key=self.query_one("#public_key", TextArea).text)
