"""Text that someone typed, made fit to show on a terminal and to quote in a sentence.

A terminal obeys what it is sent: ESC starts a sequence that can set the window title or clear
the screen, a C1 byte can do the same, and a bidirectional override makes text read
differently from what it is. :func:`visible` writes each such character as an escape
(``\\x1b``, ``\\u202e``) that shows what is there without acting on it. The CLI's output layer
and the app show every piece of user text through it; records that keep what someone typed
(an audit entry's target) store it so too.
"""

from __future__ import annotations

import unicodedata

# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters that end a line on some terminals and readers without being a newline.
_LINE_BREAKS = frozenset("\u2028\u2029")

QUOTE_LIMIT = 60


def is_control(ch: str) -> bool:
    """C0, DEL, C1 (category Cc), a bidirectional control, or a line or paragraph separator."""
    return unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS or ch in _LINE_BREAKS


def has_control(value: str, allow: str = "") -> bool:
    return any(is_control(ch) and ch not in allow for ch in value)


def escape_char(ch: str) -> str:
    r"""``\x1b``, ``\u202e``: the character written as Python writes it in a string."""
    return ch.encode("unicode_escape").decode("ascii")


def visible(value: str, keep: str = "") -> str:
    """``value`` with every control character (except those in ``keep``) written as an
    escape, so that showing it sends the terminal nothing it would act on."""
    if not has_control(value, keep):
        return value
    return "".join(escape_char(ch) if is_control(ch) and ch not in keep else ch for ch in value)


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """What someone typed, quoted in a sentence: at most ``limit`` characters of it, shown
    visibly, and when it is longer an ellipsis and its whole length, so that an error line
    never echoes a megabyte back."""
    text = str(value).strip()
    if len(text) <= limit:
        return f"'{visible(text)}'"
    return f"'{visible(text[:limit])}…' ({len(text):,} characters)"
