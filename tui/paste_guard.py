"""Pasted text stays text: escape characters inside a bracketed paste are dropped before
Textual's input parser sees them.

Textual 8.2's parser reads an ESC inside a paste as the start of an escape sequence and, when
that sequence means nothing, sends its characters on as key presses. A paste of ``\\x1b[1mxy``
on the API keys tab then pressed 1 (Members), x (Remove) and y (confirm): a member removed by
a paste. Terminals such as xterm and Alacritty strip ESC from what they paste for the same
reason; this does it for terminals that do not, and over SSH, where the client's terminal
decides. Only the paste's own end marker keeps its ESC. Outside a paste nothing is changed
or held back, so the Escape key is as quick as ever.
"""

from __future__ import annotations

from collections.abc import Iterable

# The one private Textual import here: the driver builds its parser from this class, and no
# public hook lets an app see the raw input first.
from textual._xterm_parser import XTermParser
from textual.drivers import linux_driver

ESC = "\x1b"
PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"


class PasteGuard:
    """Input as it arrives, in chunks, with ESC taken out of bracketed pastes."""

    def __init__(self) -> None:
        self.in_paste = False
        self._seen = ""  # the tail of what was passed on outside a paste (a split start)
        self._held = ""  # inside a paste: what may be the start of its end marker

    def clean(self, data: str) -> str:
        out: list[str] = []
        text = self._held + data
        self._held = ""
        while text:
            if self.in_paste:
                end = text.find(PASTE_END)
                if end < 0:
                    keep = _partial(text, PASTE_END)
                    out.append(text[: len(text) - keep].replace(ESC, ""))
                    self._held = text[len(text) - keep :]
                    break
                out.append(text[:end].replace(ESC, "") + PASTE_END)
                text = text[end + len(PASTE_END) :]
                self.in_paste = False
                self._seen = ""
            else:
                window = self._seen + text
                start = window.find(PASTE_START)
                if start < 0:
                    out.append(text)
                    self._seen = window[-(len(PASTE_START) - 1) :]
                    break
                cut = start + len(PASTE_START) - len(self._seen)  # in ``text``
                out.append(text[:cut])
                text = text[cut:]
                self.in_paste = True
        return "".join(out)


def _partial(text: str, marker: str) -> int:
    """How many characters at the end of ``text`` could begin ``marker``."""
    for size in range(min(len(marker) - 1, len(text)), 0, -1):
        if marker.startswith(text[-size:]):
            return size
    return 0


class GuardedParser(XTermParser):
    """Textual's parser, fed what :class:`PasteGuard` lets through."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._guard = PasteGuard()

    def feed(self, data: str) -> Iterable[object]:  # type: ignore[override]
        return super().feed(self._guard.clean(data))


def install() -> None:
    """Make the terminal driver build its parser from :class:`GuardedParser` (once)."""
    linux_driver.XTermParser = GuardedParser  # type: ignore[misc]


__all__ = ["GuardedParser", "PasteGuard", "install"]
