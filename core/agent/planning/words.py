"""Small helpers for writing plans in plain words."""

from __future__ import annotations


def quoted(text: str) -> str:
    """A typed name inside a sentence, in curly quotes so it stands apart."""
    return f"“{text}”"


def joined(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def clipped(text: str, length: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def days(count: float) -> str:
    return "1 day" if count == 1 else f"{_number(count)} days"


def hours(count: float) -> str:
    return "1 hour" if count == 1 else f"{_number(count)} hours"
