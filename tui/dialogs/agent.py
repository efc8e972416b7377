"""The admin agent's command line, opened with ``:`` over the team list or a team.

One sentence becomes at most one core call. Enter shows the plan in plain words and changes
nothing; Enter again does it, Escape cancels. A question (two teams or people match) offers
its options, an unreadable sentence offers the closest examples, a refusal shows core's
sentence. The result appears under the line with a link to the screen it changed.

Planning and doing run in thread workers. A created or rotated key goes straight from the
worker's message to the Keys tab's one-time reveal dialog; nothing here keeps it."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.events import Key, Paste
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static
from textual.worker import Worker

from core.agent import Agent, AgentResult, Answer, Clarify, NotUnderstood, Plan, Refused
from core.errors import DomainError, PermissionDenied, PlanRequired
from core.usecases.commands import ArchiveTeam, LeaveTeam, OpenTeam
from core.views import CreatedKey, TeamView
from tui.dialogs import agent_result
from tui.dialogs.agent_result import AgentClosed, ResultLink, choice_sentence, link_of
from tui.dialogs.key_reveal import KeyRevealModal
from tui.dialogs.type_name import ConfirmPlanModal
from tui.format import safe_markup
from tui.widgets.agent_bar import (
    AGENT,
    HINT,
    PLACEHOLDER,
    AgentChoices,
    AgentInput,
    CommandHistory,
    not_understood_text,
    plan_text,
    question_text,
    refused_text,
    result_text,
)
from tui.widgets.footer import AuxotFooter
from tui.workers import CoreClient


class AgentModal(CoreClient, ModalScreen[None]):
    """The command line and the answer under it, docked at the bottom of the screen."""

    BINDINGS: ClassVar = [
        Binding("escape", "cancel", "Cancel", id="agent.cancel", group=AGENT),
        Binding("escape", "close", "Close", id="agent.close", group=AGENT),
        Binding(
            "pageup", "scroll_answer(-1)", "Scroll up", show=False, id="agent.page_up", group=AGENT
        ),
        Binding(
            "pagedown",
            "scroll_answer(1)",
            "Scroll down",
            show=False,
            id="agent.page_down",
            group=AGENT,
        ),
    ]
    AUTO_FOCUS = "#agent-input"
    help_title = "Admin agent"

    class Answered(Message):
        def __init__(self, serial: int, sentence: str, answer: Answer) -> None:
            super().__init__()
            self.serial = serial
            self.sentence = sentence
            self.answer = answer

    class Done(Message):
        """A plan ran. ``result`` may hold a new key: it is taken out once, then dropped."""

        def __init__(self, plan: Plan, result: AgentResult | None, link: ResultLink | None) -> None:
            super().__init__()
            self.plan = plan
            self.result = result
            self.link = link

    class TeamFound(Message):
        def __init__(self, team: TeamView, tab: str | None) -> None:
            super().__init__()
            self.team = team
            self.tab = tab

    def __init__(self, history: CommandHistory, *, over_team_list: bool = False) -> None:
        super().__init__()
        self.history = history
        self._over_team_list = over_team_list  # a link to the team list would go nowhere
        self._serial = 0  # the sentence whose answer is awaited; older answers are dropped
        self._sentence = ""  # the sentence the answer on show belongs to
        self.plan: Plan | None = None  # on show, waiting for Enter
        self.question: Clarify | None = None
        self.examples: list[str] = []
        self.link: ResultLink | None = None
        self.busy = False
        self.changed = False  # something was done: what is under the dialog is read again
        self._gone_team: int | None = None  # a team deleted or left from here

    @property
    def agent(self) -> Agent:
        return Agent(self.core)

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="agent-panel"):
            yield Static(
                safe_markup(
                    "[b]Admin agent[/b] [dim]· one change at a time, shown before it is done[/dim]"
                ),
                id="agent-title",
            )
            yield AgentInput(
                self.history, placeholder=PLACEHOLDER, select_on_focus=False, id="agent-input"
            )
            # Not a stop on Tab's way to the choices: Page Up/Down scroll it from the line.
            with VerticalScroll(id="agent-answer-box", can_focus=False):
                yield Static(HINT, id="agent-answer")
            yield AgentChoices(id="agent-choices")
        yield AuxotFooter()

    def on_mount(self) -> None:
        self.choices.display = False

    @property
    def line(self) -> AgentInput:
        return self.query_one("#agent-input", AgentInput)

    @property
    def choices(self) -> AgentChoices:
        return self.query_one("#agent-choices", AgentChoices)

    def _answer(self, content: Content) -> None:
        self.query_one("#agent-answer", Static).update(content)
        self.query_one("#agent-answer-box").scroll_home(animate=False)

    def _reset(self, content: Content = HINT) -> None:
        """Forget the answer on show (plan, question, examples, link)."""
        self.plan = self.question = self.link = None
        self.examples = []
        self.line.plan_ready = False
        self.choices.set_choices("options", [])
        self._answer(content)
        self.refresh_bindings()

    # -- keys -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.plan is not None or self.question is not None
        if action == "close":
            return self.plan is None and self.question is None
        return True

    def action_cancel(self) -> None:
        self._reset(safe_markup("[dim]Cancelled; nothing was done.[/dim]"))
        self.line.focus()

    def action_close(self) -> None:
        self._leave()

    def action_scroll_answer(self, direction: int) -> None:
        box = self.query_one("#agent-answer-box", VerticalScroll)
        if direction < 0:
            box.scroll_page_up(animate=False)
        else:
            box.scroll_page_down(animate=False)

    def on_key(self, event: Key) -> None:
        # Typing while a choice has the focus goes to the command line. The focus moves
        # after this key is handled, so each key of a fast burst is forwarded the same way.
        if self.focused is self.choices and event.is_printable and event.character:
            event.stop()
            self.line.focus()
            self.line.insert_text_at_cursor(event.character)

    def on_paste(self, event: Paste) -> None:
        if self.focused is self.choices and event.text:
            event.stop()
            self.line.focus()
            self.line.insert_text_at_cursor(event.text.splitlines()[0] if event.text else "")

    @on(AgentInput.PastNewest)
    def _down_to_choices(self) -> None:
        if self.choices.display and self.choices.option_count:
            self.choices.focus()

    @on(AgentChoices.Above)
    def _up_to_line(self) -> None:
        self.line.focus()

    # -- planning -------------------------------------------------------------------------------

    @on(Input.Submitted, "#agent-input")
    def _submitted(self, event: Input.Submitted) -> None:
        sentence = event.value.strip()
        if not sentence or self.busy:
            return
        self.history.add(sentence)
        self._plan_sentence(sentence)

    @on(Input.Changed, "#agent-input")
    def _edited(self, event: Input.Changed) -> None:
        # A plan belongs to the sentence it was made from: another sentence needs a new plan.
        if self.plan is not None and event.value.strip() != self._sentence:
            self._reset(safe_markup("[dim]The sentence changed: Enter shows its plan.[/dim]"))

    def _plan_sentence(self, sentence: str) -> None:
        self._reset(safe_markup("[dim]Reading…[/dim]"))
        self._serial += 1
        self._sentence = sentence
        self.busy = True
        self._plan_worker(self._serial, sentence)

    @work(thread=True, exclusive=True, group="agent-plan", exit_on_error=False)
    def _plan_worker(self, serial: int, sentence: str) -> None:
        agent = self.agent
        answer = agent.plan(self.actor, sentence)
        if isinstance(answer, Plan) and not answer.changes:
            # A question changes nothing: it is answered at once, without a confirmation.
            result = agent.execute(self.actor, answer)
            self.post_message(self.Done(answer, result, link_of(answer, result)))
            return
        self.post_message(self.Answered(serial, sentence, answer))

    def on_agent_modal_answered(self, message: Answered) -> None:
        if message.serial != self._serial:
            return
        self.busy = False
        if self.line.value.strip() != message.sentence:  # edited while it was being read
            self._reset(safe_markup("[dim]The sentence changed: Enter shows its plan.[/dim]"))
            return
        answer = message.answer
        if isinstance(answer, Plan):
            self._show_plan(answer)
        elif isinstance(answer, Clarify):
            self._show_question(answer)
        elif isinstance(answer, NotUnderstood):
            self.examples = list(answer.examples)
            self._answer(not_understood_text(answer))
            self.choices.set_choices("examples", self.examples)
        elif isinstance(answer, Refused):
            self._answer(refused_text(answer.message))
        self.refresh_bindings()

    def _show_plan(self, plan: Plan) -> None:
        self._reset(plan_text(plan))
        self.plan = plan
        self.line.plan_ready = True
        self.line.focus()
        self.refresh_bindings()

    def _show_question(self, question: Clarify) -> None:
        self.question = question
        self._answer(question_text(question))
        usable = {
            index
            for index in range(len(question.options))
            if choice_sentence(question, index) or index < len(question.plans)
        }
        unusable = frozenset(set(range(len(question.options))) - usable)
        self.choices.set_choices("options", list(question.options), unusable)
        self.choices.focus()

    @on(AgentChoices.OptionSelected, "#agent-choices")
    def _chosen(self, event: AgentChoices.OptionSelected) -> None:
        index = event.option_index
        kind = self.choices.kind
        if kind == "options" and self.question is not None:
            question = self.question
            sentence = choice_sentence(question, index)
            if sentence:
                self.line.show_sentence(sentence)
                self.history.add(sentence)
                self.line.focus()
                self._plan_sentence(sentence)
            elif index < len(question.plans):
                self._show_plan(question.plans[index])
        elif kind == "examples" and index < len(self.examples):
            self.line.show_sentence(self.examples[index])
            self.line.focus()
        elif kind == "link" and self.link is not None:
            self._follow(self.link)

    # -- doing ----------------------------------------------------------------------------------

    @on(AgentInput.Confirmed)
    def _confirmed(self) -> None:
        plan = self.plan
        if plan is None or self.busy:
            return
        if plan.typed_confirmation:  # the name typed first, as the screens ask
            self.app.push_screen(
                ConfirmPlanModal(plan), lambda yes: self._do(plan) if yes else None
            )
        else:
            self._do(plan)

    def _do(self, plan: Plan) -> None:
        self._reset(safe_markup("[dim]Doing it…[/dim]"))
        self.busy = True
        self._execute(plan)

    @work(thread=True, group="agent-do", exit_on_error=False)
    def _execute(self, plan: Plan) -> None:
        result = self.agent.execute(self.actor, plan)
        self.post_message(self.Done(plan, result, link_of(plan, result)))

    def on_agent_modal_done(self, message: Done) -> None:
        self.busy = False
        plan, result = message.plan, message.result
        message.result = None
        assert result is not None
        if plan.changes:
            self.changed = True
            for screen in self.app.screen_stack[:-1]:  # what shows behind, read again now
                screen.post_message(agent_result.AgentChanged())
            if isinstance(plan.command, (ArchiveTeam, LeaveTeam)):
                self._gone_team = plan.command.team
        self.line.value = ""  # ready for the next sentence; Up brings this one back
        self.history.stop()
        heading = "" if plan.changes else plan.description
        self._reset(result_text(result.summary, result.ok, heading))
        self.link = message.link
        if self.link is not None and self.link.kind == "teams" and self._over_team_list:
            self.link = None  # already there
        if self.link is not None:
            self.choices.set_choices("link", [self.link.label])
            self.choices.focus()
        else:
            self.line.focus()
        if result.secret is not None and isinstance(result.data, CreatedKey):
            self._reveal(result.data, plan.target_team or "")
        del result
        self.refresh_bindings()

    def _reveal(self, created: CreatedKey, team_name: str) -> None:
        self.app.push_screen(KeyRevealModal(created, team_name))

    def worker_failed(self, worker: Worker[object], error: BaseException) -> None:
        if worker.group not in ("agent-plan", "agent-do", "agent-link"):
            super().worker_failed(worker, error)
            return
        self.busy = False
        if isinstance(error, DomainError):
            refused = (
                isinstance(error, (PermissionDenied, PlanRequired)) or error.outcome == "denied"
            )
            self._reset(refused_text(str(error), "Refused" if refused else "Not done"))
        else:
            self.log.error(f"{type(error).__name__}: {error}")
            self._reset(
                refused_text(
                    f"That did not work ({type(error).__name__}); nothing was changed. Try again.",
                    "Error",
                )
            )
        self.line.focus()

    # -- leaving --------------------------------------------------------------------------------

    def _follow(self, link: ResultLink) -> None:
        if link.kind == "teams":
            self._leave(to_team_list=True)
        else:
            self._find_team(link)

    @work(thread=True, exclusive=True, group="agent-link", exit_on_error=False)
    def _find_team(self, link: ResultLink) -> None:
        access = self.run(OpenTeam(link.team_ref or link.team_name))
        self.post_message(self.TeamFound(access.team, link.tab))

    def on_agent_modal_team_found(self, message: TeamFound) -> None:
        self._leave(team=message.team, tab=message.tab)

    def _leave(
        self, *, to_team_list: bool = False, team: TeamView | None = None, tab: str | None = None
    ) -> None:
        """Close, and tell the app what was done here and where the link points."""
        closed = AgentClosed(
            changed=self.changed,
            gone_team=self._gone_team,
            to_team_list=to_team_list,
            team=team,
            part=tab,
        )
        self.dismiss(None)
        self.app.post_message(closed)
