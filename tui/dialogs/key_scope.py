"""API keys → Scope: make a key read-only, or give it the full scope again. The change holds
from the key's next call (the verification service reads the scope every time)."""

from __future__ import annotations

from core.views import KeyView
from tui.dialogs.confirm import ConfirmModal
from tui.format import plain, safe_markup


def other_scope(key: KeyView) -> str:
    return "full" if key.scope == "read" else "read"


def scope_question(key: KeyView) -> ConfirmModal:
    """Ask before the change, naming the key and what it will be able to do."""
    if other_scope(key) == "read":
        title = "Make [b]$name[/b] read-only?"
        text = "From its next call it can only read the team's resources; nothing else changes."
        button = "Make read-only"
    else:
        title = "Give [b]$name[/b] the full scope?"
        text = "From its next call it can do everything the team's keys may do."
        button = "Give full scope"
    return ConfirmModal(safe_markup(title, name=key.name), plain(text), button, danger=False)


def scope_changed(key: KeyView) -> str:
    what = "read-only" if key.scope == "read" else "back to the full scope"
    return f"The key {key.name} is {what} from its next call."
