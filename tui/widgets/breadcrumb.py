"""Where you are: Settings › Teams › a team. The last part is the page's title."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from tui.format import plain


class Breadcrumb(Static):
    def __init__(self, *parts: str, id: str | None = None) -> None:
        super().__init__(self._render_parts(parts), id=id)

    def set_parts(self, *parts: str) -> None:
        self.update(self._render_parts(parts))

    @staticmethod
    def _render_parts(parts: tuple[str, ...]) -> Content:
        pieces: list[Content] = []
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            pieces.append(plain(part).stylize("bold" if last else "dim"))
        return plain(" › ").stylize("dim").join(pieces)
