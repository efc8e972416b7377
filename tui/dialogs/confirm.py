"""A yes/no question before something that cannot be undone from here."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.bindings import DIALOG
from tui.format import plain
from tui.widgets.footer import AuxotFooter


class ConfirmModal(ModalScreen[bool]):
    """Dismisses with True when confirmed. Cancel comes first and has the focus, so a stray
    Enter never removes anyone."""

    BINDINGS: ClassVar = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", group=DIALOG),
        Binding("y", "confirm", "Confirm", id="dialog.confirm", group=DIALOG),
    ]
    AUTO_FOCUS = "#cancel"

    def __init__(
        self, title: Content, message: Content, confirm_label: str, *, danger: bool = True
    ) -> None:
        super().__init__()
        self.title_content = title
        self.message = message
        self.confirm_label = confirm_label
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_content, classes="dialog-title")
            yield Static(self.message, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(
                    self.confirm_label, id="confirm", variant="error" if self.danger else "primary"
                )
        yield AuxotFooter()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)


def discard_question(unsaved: str) -> ConfirmModal:
    """Before leaving a screen with ``unsaved`` changes ("the team's new name")."""
    return ConfirmModal(
        plain("Discard unsaved changes?"),
        plain(f"Going back drops {unsaved}. Save it with ctrl+s, or discard it."),
        "Discard",
    )
