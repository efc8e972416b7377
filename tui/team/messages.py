"""Messages the team screen's tabs send up to it."""

from __future__ import annotations

from textual.message import Message

from core.views import TeamView


class TeamChanged(Message):
    """Something about the team changed; reload what it shows. ``notice`` is plain text."""

    def __init__(self, notice: str = "") -> None:
        super().__init__()
        self.notice = notice


class TeamArchived(Message):
    """The team was deleted (archived); leave its screen."""

    def __init__(self, team: TeamView) -> None:
        super().__init__()
        self.team = team
