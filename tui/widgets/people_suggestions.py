"""Under the Invite dialog's address field: the people whose name or address starts with the
word being typed, read from core as you type; Tab puts the first one's address in its place.

Suggestions only help: a failed read shows none, and typing goes on as before."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widgets import Static, TextArea
from textual.worker import Worker

from core.usecases.commands import SuggestPeople
from tui.format import plain
from tui.workers import CoreClient

if TYPE_CHECKING:
    from core.views import UserView

SHOWN = 3
_SEPARATORS = re.compile(r"[\s,;]+")


def last_word(text: str) -> tuple[int, str]:
    """Where the word being typed starts, and the word (empty after a separator)."""
    start = max((m.end() for m in _SEPARATORS.finditer(text)), default=0)
    return start, text[start:]


class PeopleSuggestions(CoreClient, Static):
    class Found(Message):
        def __init__(self, word: str, people: list[UserView]) -> None:
            super().__init__()
            self.word = word
            self.people = people

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, classes="field-help")
        self.word = ""
        self.people: list[UserView] = []

    def on_mount(self) -> None:
        self.display = False

    def typed(self, text: str) -> None:
        """The field changed: look up the word now being typed."""
        _, word = last_word(text)
        if word == self.word:
            return
        self.word = word
        self._show([])
        if len(word.strip()) >= 2:
            self._look_up(word)

    @work(thread=True, exclusive=True, group="people-suggest", exit_on_error=False)
    def _look_up(self, word: str) -> None:
        people = self.core.run(self.actor, SuggestPeople(word, SHOWN))
        self.post_message(self.Found(word, people))

    def on_people_suggestions_found(self, message: Found) -> None:
        if message.word == self.word:  # not overtaken by more typing
            matching = [p for p in message.people if p.email.casefold() != self.word.casefold()]
            self._show(matching)

    def worker_failed(self, worker: Worker[object], error: BaseException) -> None:
        self._show([])  # no suggestions is always a fine answer

    def _show(self, people: list[UserView]) -> None:
        self.people = people
        self.display = bool(people)
        if people:
            first, *others = people
            line = f"Tab: {first.display_name} <{first.email}>"
            if others:
                line += " · also " + ", ".join(p.display_name for p in others)
            self.update(plain(line))

    def accept(self, area: TextArea) -> bool:
        """Put the first suggestion in place of the word being typed; False when none."""
        if not self.people:
            return False
        start, _ = last_word(area.text)
        area.text = area.text[:start] + self.people[0].email + ", "
        area.move_cursor(area.document.end)
        return True
