"""The keys of the screen you came from, grouped, from its active bindings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.bindings import DIALOG
from tui.format import plain, safe_markup
from tui.widgets.footer import AuxotFooter


@dataclass(frozen=True)
class KeyHelp:
    group: str
    keys: str
    description: str


class HelpModal(ModalScreen[None]):
    BINDINGS: ClassVar = [
        Binding("escape,question_mark,f1,q", "close", "Close", id="help.close", group=DIALOG),
    ]

    def __init__(self, screen_title: str, keys: list[KeyHelp]) -> None:
        super().__init__()
        self.screen_title = screen_title
        self.keys = keys

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help-dialog"):
            yield Static(
                safe_markup("Keys: [b]$screen[/b]", screen=self.screen_title),
                classes="dialog-title",
            )
            with VerticalScroll(id="help-keys"):
                group = None
                for row in self.keys:
                    if row.group != group:
                        group = row.group
                        yield Static(plain(group), classes="help-group")
                    yield Static(
                        Content.assemble((f"{row.keys:>9}", "bold"), "  ", row.description),
                        classes="help-row",
                    )
            yield Static(
                plain("Ctrl+P opens the command palette with every action you may take."),
                classes="field-help",
            )
        yield AuxotFooter()

    def on_mount(self) -> None:
        self.query_one("#help-keys").focus()

    def action_close(self) -> None:
        self.dismiss(None)
