"""An invitation's link, shown as text to send by hand (over SSH a terminal may not pass a
copy to the clipboard), and copied too. The link holds the invitation's token: it is shown
here only, never in a notification, and goes from the screen when the dialog closes."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from core.views import InvitationView
from core.vocabulary import with_article
from tui.bindings import DIALOG
from tui.format import minute, plain, safe_markup
from tui.widgets.footer import AuxotFooter


class InviteLinkModal(ModalScreen[None]):
    """Shows ``url``, the link of ``invitation``, already copied; Enter or Esc closes."""

    BINDINGS: ClassVar = [
        Binding("c", "copy", "Copy again", id="invite_link.copy", group=DIALOG),
        Binding("escape", "close", "Close", id="invite_link.close", group=DIALOG),
    ]
    AUTO_FOCUS = "#link-close"

    def __init__(self, invitation: InvitationView, url: str) -> None:
        super().__init__()
        self.invitation = invitation
        self._url = url

    def compose(self) -> ComposeResult:
        invitation = self.invitation
        with Vertical(classes="dialog key-dialog"):
            yield Static(
                safe_markup("Invitation link for [b]$email[/b]", email=invitation.email),
                classes="dialog-title",
            )
            yield Static(plain(self._url), id="link-value")
            yield Static(
                plain(
                    f"Copied to the clipboard. Whoever opens it can join {invitation.team_name} "
                    f"as {with_article(invitation.role)} until {minute(invitation.expires_at)} UTC; send it "
                    "only to that person."
                ),
                classes="dialog-text",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Copy again", id="link-copy")
                yield Button("Close", id="link-close", variant="primary")
        yield AuxotFooter()

    def on_mount(self) -> None:
        self.app.copy_to_clipboard(self._url)

    @on(Button.Pressed, "#link-copy")
    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self._url)
        self.notify("Copied the link to the clipboard.", title="Copied", markup=False)

    @on(Button.Pressed, "#link-close")
    def action_close(self) -> None:
        self.dismiss(None)

    def on_unmount(self) -> None:
        self._url = ""
        for shown in self.query("#link-value").results(Static):
            shown.update("")
