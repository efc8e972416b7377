"""Full screens, one per module. The team screen lives with its tabs in ``tui.team``;
dialogs are in ``tui.dialogs``."""

from __future__ import annotations

from tui.screens.team_list import TeamListScreen

__all__ = ["TeamListScreen"]
