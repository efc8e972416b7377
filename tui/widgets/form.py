"""Pieces of a form: a labelled field with its error line under it."""

from __future__ import annotations

from textual.widgets import Static

from tui.format import plain


class FieldLabel(Static):
    """The name of a field; ``for_field`` lets a click focus the field."""

    def __init__(self, text: str, for_field: str) -> None:
        super().__init__(plain(text), classes="field-label")
        self.for_field = for_field

    def on_click(self) -> None:
        self.screen.query_one(f"#{self.for_field}").focus()


class FieldError(Static):
    """Core's sentence about one field, shown right under it; hidden while empty."""

    def __init__(self, for_field: str) -> None:
        super().__init__("", id=f"{for_field}-error", classes="field-error", markup=False)
        self.message = ""
        self.display = False

    def show(self, message: str) -> None:
        self.message = message
        self.update(plain(message))
        self.display = True

    def clear(self) -> None:
        self.message = ""
        self.update("")
        self.display = False
