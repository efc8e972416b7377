"""The admin agent's command line: the input with its session history, the list of choices
under it (a question's options, example sentences, the result's link), and how each of the
agent's answers reads.

Everything here shows typed text and core's sentences literally: answers are built as
``Content`` with the text passed as values, never read as markup."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tui.format import plain, safe_markup

if TYPE_CHECKING:
    from core.agent import Clarify, NotUnderstood, Plan

AGENT = Binding.Group("Admin agent")

# The team screen's tab for each part of a team an agent result points at. Invitations are
# listed in the Members tab.
TAB_OF_RESULT = {
    "members": "members",
    "invitations": "members",
    "resources": "resources",
    "keys": "keys",
}
TAB_LABELS = {"members": "Members", "resources": "Resources", "keys": "API keys"}

HINT = safe_markup(
    "[dim]Say what to do in plain English, one change at a time. Enter shows the plan; "
    "nothing is done until you confirm. Up and Down recall earlier sentences.[/dim]"
)
PLACEHOLDER = "e.g. Invite alice@example.com to the Platform Engineering team as a member"


@dataclass
class CommandHistory:
    """The sentences asked in this session, oldest first, and where Up/Down stand in them.

    Walking starts below the newest entry, where what was being typed (the draft) waits to
    come back when Down walks past the newest entry again."""

    entries: list[str] = field(default_factory=list)
    _position: int | None = None  # index into entries while walking; None when not walking
    _draft: str = ""

    def add(self, sentence: str) -> None:
        sentence = sentence.strip()
        if sentence and (not self.entries or self.entries[-1] != sentence):
            self.entries.append(sentence)
        self.stop()

    def stop(self) -> None:
        self._position = None
        self._draft = ""

    @property
    def walking(self) -> bool:
        return self._position is not None

    def previous(self, current: str) -> str | None:
        """The entry before the one shown (the newest when not walking yet), or None."""
        if not self.entries:
            return None
        if self._position is None:
            self._draft = current
            self._position = len(self.entries) - 1
        elif self._position > 0:
            self._position -= 1
        else:
            return None
        return self.entries[self._position]

    def next(self) -> str | None:
        """The entry after the one shown, the draft after the newest, None when not walking."""
        if self._position is None:
            return None
        if self._position < len(self.entries) - 1:
            self._position += 1
            return self.entries[self._position]
        draft = self._draft
        self.stop()
        return draft


class AgentInput(Input):
    """One sentence at a time. Enter asks for a plan, or confirms the plan on show; Up and
    Down walk the session's history (Down past the newest goes to the choices below)."""

    BINDINGS: ClassVar = [
        Binding("enter", "submit", "Show plan", id="agent.plan", group=AGENT),
        Binding("enter", "confirm", "Do it", id="agent.confirm", group=AGENT),
        Binding(
            "up",
            "history_previous",
            "Earlier sentence",
            show=False,
            id="agent.history_up",
            group=AGENT,
        ),
        Binding(
            "down",
            "history_next",
            "Later sentence",
            show=False,
            id="agent.history_down",
            group=AGENT,
        ),
    ]

    def __init__(self, history: CommandHistory, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.history = history
        self.plan_ready = False  # set by the screen: Enter confirms instead of planning

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":
            return not self.plan_ready
        if action == "confirm":
            return self.plan_ready
        return super().check_action(action, parameters)

    class Confirmed(Message):
        """Enter with a plan on show: do it."""

    class PastNewest(Message):
        """Down with no later sentence: the screen may move to the choices below."""

    def action_confirm(self) -> None:
        self.post_message(self.Confirmed())

    def action_history_previous(self) -> None:
        earlier = self.history.previous(self.value)
        if earlier is not None:
            self.show_sentence(earlier)

    def action_history_next(self) -> None:
        later = self.history.next()
        if later is not None:
            self.show_sentence(later)
        else:
            self.post_message(self.PastNewest())

    def show_sentence(self, sentence: str) -> None:
        self.value = sentence
        self.cursor_position = len(sentence)


class AgentChoices(OptionList):
    """What can be picked under an answer: a question's options, example sentences to use,
    or the result's link. The footer says which."""

    BINDINGS: ClassVar = [
        Binding("enter", "choose('options')", "Choose", id="agent.choose", group=AGENT),
        Binding("enter", "choose('examples')", "Use sentence", id="agent.use_example", group=AGENT),
        Binding("enter", "choose('link')", "Open", id="agent.open", group=AGENT),
    ]

    kind = "options"  # options, examples or link

    class Above(Message):
        """Up on the first choice: back to the command line."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            return parameters == (self.kind,)
        return super().check_action(action, parameters)

    def action_choose(self, kind: str) -> None:
        self.action_select()

    def action_cursor_up(self) -> None:
        first = next((i for i, o in enumerate(self.options) if not o.disabled), None)
        if self.highlighted is None or self.highlighted == first:
            self.post_message(self.Above())
        else:
            super().action_cursor_up()

    def set_choices(
        self, kind: str, labels: list[str], disabled: frozenset[int] = frozenset()
    ) -> None:
        self.kind = kind
        self.clear_options()
        self.add_options(
            Option(plain(label), disabled=index in disabled) for index, label in enumerate(labels)
        )
        self.display = bool(labels)
        if labels:
            self.highlighted = next((i for i in range(len(labels)) if i not in disabled), None)
        self.refresh_bindings()


# -- how each answer reads ------------------------------------------------------------------------


def plan_text(plan: Plan) -> Content:
    """The planned change in plain words, then what else is worth knowing, then the keys."""
    lines = [safe_markup("[b]$description[/b]", description=plan.description)]
    lines += [safe_markup("  [dim]·[/dim] $line", line=line) for line in plan.details]
    lines.append(safe_markup("[dim]Enter does it · Escape cancels · nothing is done yet[/dim]"))
    return plain("\n").join(lines)


def question_text(question: Clarify) -> Content:
    hint = (
        "Choose one with Enter; the sentence is read again with it spelled out."
        if question.sentences
        else "Choose one with Enter to see its plan."
    )
    return plain("\n").join(
        [
            safe_markup("[b]$question[/b]", question=question.question),
            safe_markup("[dim]$hint[/dim]", hint=hint),
        ]
    )


def not_understood_text(answer: NotUnderstood) -> Content:
    return plain("\n").join(
        [
            safe_markup("[b]$message[/b]", message=answer.message),
            safe_markup("[dim]Sentences that work (Enter puts one on the line):[/dim]"),
        ]
    )


def refused_text(message: str, title: str = "Refused") -> Content:
    return safe_markup("[b $text-error]$title:[/] $message", title=title, message=message)


def result_text(summary: str, ok: bool, heading: str = "") -> Content:
    lines = []
    if heading:
        lines.append(safe_markup("[dim]$heading[/dim]", heading=heading))
    style = "$text-success" if ok else "$text-warning"
    lines.append(safe_markup(f"[{style}]$summary[/]", summary=summary))
    return plain("\n").join(lines)


def link_label(kind: str, team: str, tab: str | None) -> str:
    if kind == "teams":
        return "Open the team list"
    label = TAB_LABELS.get(TAB_OF_RESULT.get(tab or "", ""), "")
    return f"Open {team} › {label}" if label else f"Open {team}"
