"""The one time a team API key is shown: the full key, a copy button, and a warning that it
will not be shown again.

It closes only when the user says they stored the key; Escape explains that instead of
closing. Closing drops the key from the screen, from this object and from the app's own
copy of the clipboard (the terminal's clipboard keeps it: that is where the user wanted it).
Nothing else in the app ever holds the plaintext, so nothing can show it again."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from core.views import CreatedKey, KeyView
from tui.bindings import DIALOG
from tui.format import minute, plain, safe_markup
from tui.widgets.footer import AuxotFooter

WARNING = (
    "Copy this key now and store it somewhere safe. It is not stored anywhere and will not "
    "be shown again; if it is lost, rotate the key."
)
REMINDER = (
    "This dialog stays open until you choose “I have stored it”: the key cannot be shown "
    "again once it closes."
)


def old_key_end(old: KeyView) -> Content:
    """When the key a rotation replaced stops working, in one sentence."""
    if old.revoked_at is not None:
        return safe_markup("The old key [b]$masked[/b] stopped working at once.", masked=old.masked)
    if old.expires_at is None:  # rotation always sets an end; say so rather than guess
        return safe_markup("The old key [b]$masked[/b] was replaced.", masked=old.masked)
    return safe_markup(
        "The old key [b]$masked[/b] keeps working until [b]$end UTC[/b], then stops.",
        masked=old.masked,
        end=minute(old.expires_at),
    )


class KeyRevealModal(ModalScreen[None]):
    """Shows ``created.plaintext`` until the user confirms they stored it; dismisses with
    None. ``replaces`` (after a rotation) adds the old key's end time."""

    BINDINGS: ClassVar = [
        Binding("c", "copy", "Copy key", id="key_reveal.copy", group=DIALOG),
        Binding(
            "escape",
            "remind",
            "Why this stays open",
            show=False,
            id="key_reveal.escape",
            group=DIALOG,
        ),
    ]
    AUTO_FOCUS = "#key-copy"

    def __init__(self, created: CreatedKey, team_name: str) -> None:
        super().__init__()
        self._created: CreatedKey | None = created
        # What may stay after closing: the key's public parts, never its secret.
        self.key: KeyView = created.key
        self.replaces: KeyView | None = created.replaces
        self.team_name = team_name

    @property
    def is_showing_key(self) -> bool:
        return self._created is not None

    def compose(self) -> ComposeResult:
        created = self._created
        assert created is not None, "a reveal modal shows its key once"
        if self.replaces is None:
            title = safe_markup(
                "New API key [b]$name[/b] for $team", name=self.key.name, team=self.team_name
            )
        else:
            title = safe_markup("New key for [b]$name[/b]", name=self.key.name)
        with Vertical(classes="dialog key-dialog"):
            yield Static(title, classes="dialog-title")
            yield Static(plain(WARNING), id="key-warning")
            yield Static(plain(created.plaintext), id="key-value")
            if self.replaces is not None:
                yield Static(old_key_end(self.replaces), id="key-old-end", classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Copy to clipboard", id="key-copy")
                yield Button("I have stored it", id="key-stored", variant="primary")
            yield Static("", id="key-reminder")
        yield AuxotFooter()

    def on_mount(self) -> None:
        self.query_one("#key-reminder").display = False

    @on(Button.Pressed, "#key-copy")
    def action_copy(self) -> None:
        if self._created is None:
            return
        # OSC 52: the terminal puts it on the clipboard of the machine the user sits at,
        # also over SSH. The notification never holds the key.
        self.app.copy_to_clipboard(self._created.plaintext)
        self.notify("Copied the key to the clipboard.", title="Copied", markup=False)
        self.query_one("#key-stored", Button).focus()

    def action_remind(self) -> None:
        reminder = self.query_one("#key-reminder", Static)
        reminder.update(plain(REMINDER))
        reminder.display = True

    @on(Button.Pressed, "#key-stored")
    def action_stored(self) -> None:
        self._forget()
        self.dismiss(None)

    def on_unmount(self) -> None:
        # Also when the screen under it closes the dialog (the team went away meanwhile).
        self._forget()

    def _forget(self) -> None:
        created, self._created = self._created, None
        if created is None:
            return
        for shown in self.query("#key-value").results(Static):
            shown.update("")
        # The app keeps its own copy of what it last copied (for pasting inside the app),
        # from the button or from a mouse selection of the key; it must not outlive the dialog.
        copied = self.app.clipboard
        if copied and (created.plaintext in copied or copied in created.plaintext):
            self.app._clipboard = ""
