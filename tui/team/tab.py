"""What the team screen asks of each of its tabs: the user's rights on the team, handed
down, and a reload when something about the team changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.reactive import reactive

from core.views import TeamAccess
from tui.workers import CoreClient

if TYPE_CHECKING:
    from textual.widget import Widget

    # A mixin at run time, so that each tab keeps its own container (Vertical,
    # VerticalScroll) first in line for CSS; a widget to the type checker.
    _Widget = Widget
else:
    _Widget = object


# The tabs, by the key that shows them (1 to 5).
TAB_LABELS = {
    "members": "Members",
    "resources": "Resources",
    "activity": "Activity",
    "settings": "Settings",
    "keys": "API keys",
}


def tab_title(tab: str) -> str:
    """'2 Resources': the key that shows a tab leads its title, so it is seen, not guessed."""
    return f"[b]{list(TAB_LABELS).index(tab) + 1}[/b] {TAB_LABELS[tab]}"


class TeamTab(CoreClient, _Widget):
    """Base of the team screen's tabs (members, resources, activity, settings, keys)."""

    access: reactive[TeamAccess | None] = reactive(None)

    def hand_access(self, access: TeamAccess) -> None:
        """The user's rights on the team, as just read. A tab not mounted yet takes them
        quietly: it applies them when it mounts."""
        if self.is_mounted:
            self.access = access
        else:
            self.set_reactive(TeamTab.access, access)

    def unsaved_changes(self) -> str | None:
        """What leaving the screen now would drop ("the team's new name"), or None."""
        return None

    def reload(self) -> None:
        """Read again what the tab shows; a tab that only shows ``access`` has nothing to do."""
