"""Members → Invite: one address or many pasted at once, and a role.

Core decides per address: an existing account is added at once, an unknown address gets a
pending invitation, and the rest say why nothing changed. The dialog then shows one line per
address (core's sentence, literally), starts sending the emails and follows that until it ends;
"Invite more" brings the form back with the addresses that were not accepted, to fix them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, LoadingIndicator, Select, Static, TextArea
from textual.worker import Worker

from core.errors import DomainError, InvalidInput
from core.views import InviteOutcome
from tui.bindings import DIALOG
from tui.format import ROLE_HELP, ROLES, count, plain, role_label, safe_markup
from tui.outbox_runner import DeliveryState, delivery_sentence
from tui.widgets.footer import AuxotFooter
from tui.widgets.form import FieldError, FieldLabel
from tui.widgets.people_suggestions import PeopleSuggestions
from tui.workers import CoreClient


@dataclass(frozen=True)
class InviteRequest:
    addresses: str  # as typed or pasted; core splits it
    role: str


# What each of core's results reads as, and how it is coloured.
RESULT_LABELS = {
    "added": ("✓ added", "$text-success"),
    "invited": ("✓ invited", "$text-success"),
    "already_member": ("• already a member", "$text-warning"),
    "already_invited": ("• already invited", "$text-warning"),
    "invalid": ("✗ invalid", "$text-error"),
    "refused": ("✗ refused", "$text-error"),
}
# Results whose address is worth correcting and sending again.
RETRYABLE = ("invalid", "refused")


def result_label(result: str) -> Content:
    label, colour = RESULT_LABELS.get(result, (result, "$text-muted"))
    return Content.styled(label, f"bold {colour}")


def result_summary(outcomes: list[InviteOutcome]) -> str:
    tally: dict[str, int] = {}
    for outcome in outcomes:
        tally[outcome.result] = tally.get(outcome.result, 0) + 1
    parts = [
        f"{n} {RESULT_LABELS.get(result, (result,))[0].split(' ', 1)[-1]}"
        for result, n in tally.items()
    ]
    addresses = "1 address" if len(outcomes) == 1 else f"{len(outcomes):,} addresses"
    return f"{addresses}: {', '.join(parts)}."


class AddressArea(TextArea):
    """Addresses typed or pasted. A paste keeps its new lines; Enter submits the form."""

    class Submitted(Message):
        pass

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()  # TextArea's own handler would insert a new line
            self.post_message(self.Submitted())
        elif event.key == "tab" and self.screen.query_one(PeopleSuggestions).accept(self):
            event.stop()
            event.prevent_default()  # the suggestion is taken instead of moving on


class InviteResultLine(Horizontal):
    """One address's result: a short label, then core's sentence."""

    def __init__(self, outcome: InviteOutcome) -> None:
        super().__init__(classes="invite-result")
        self.outcome = outcome

    def compose(self) -> ComposeResult:
        yield Static(result_label(self.outcome.result), classes="invite-result-label")
        yield Static(plain(self.outcome.message), classes="invite-result-message")


class InviteModal(CoreClient, ModalScreen[list[InviteOutcome] | None]):
    """Dismisses with every outcome of the invites made while it was open (None if none)."""

    BINDINGS: ClassVar = [
        Binding("escape", "close", "Close", id="dialog.cancel", group=DIALOG),
        Binding("ctrl+s", "submit", "Invite", id="dialog.submit", group=DIALOG),
    ]

    class Invited(Message):
        def __init__(self, outcomes: list[InviteOutcome]) -> None:
            super().__init__()
            self.outcomes = outcomes

    def __init__(
        self, team_name: str, submit: Callable[[InviteRequest], list[InviteOutcome]]
    ) -> None:
        super().__init__()
        self.team_name = team_name
        self._submit = submit
        self.outcomes: list[InviteOutcome] = []  # of the last round, shown on screen
        self.all_outcomes: list[InviteOutcome] = []
        self._awaiting_delivery = False

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog invite-dialog"):
            yield Static(
                safe_markup("Invite members to [b]$team[/b]", team=self.team_name),
                classes="dialog-title",
            )
            with Vertical(id="invite-form"):
                yield FieldLabel("Email addresses", "email")
                yield AddressArea(
                    id="email",
                    soft_wrap=True,
                    placeholder="name@example.com, another@example.com",
                )
                yield PeopleSuggestions(id="email-suggestions")
                yield Static(
                    plain("One or several: separate them with commas, spaces or new lines."),
                    classes="field-help",
                )
                yield FieldError("email")
                yield FieldLabel("Role", "role")
                yield Select(
                    [(role_label(role), role) for role in ROLES],
                    value="member",
                    allow_blank=False,
                    id="role",
                )
                yield Static(plain(ROLE_HELP["member"]), id="role-help", classes="field-help")
                yield FieldError("role")
                yield FieldError("form")
            with Vertical(id="invite-results-section"):
                yield Static("", id="invite-summary")
                yield VerticalScroll(id="invite-results")
                with Horizontal(id="invite-delivery"):
                    yield LoadingIndicator(id="invite-sending")
                    yield Static("", id="invite-delivery-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Invite", id="submit", variant="primary")
                yield Button("Invite more", id="more")
                yield Button("Done", id="done", variant="primary")
        yield AuxotFooter()

    def on_mount(self) -> None:
        self._show_form(True)
        self.query_one("#invite-delivery").display = False
        self.query_one("#email").focus()
        self.auxot.outbox.changed.subscribe(self, self._delivery_changed)

    def _show_form(self, form: bool) -> None:
        self.query_one("#invite-form").display = form
        self.query_one("#invite-results-section").display = not form
        for button in ("#cancel", "#submit"):
            self.query_one(button).display = form
        for button in ("#more", "#done"):
            self.query_one(button).display = not form
        self.refresh_bindings()

    @property
    def showing_results(self) -> bool:
        return bool(self.query_one("#invite-results-section").display)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":
            return not self.showing_results
        return True

    @on(TextArea.Changed, "#email")
    def _suggest(self, event: TextArea.Changed) -> None:
        self.query_one(PeopleSuggestions).typed(event.text_area.text)

    @on(Select.Changed, "#role")
    def _explain_role(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.query_one("#role-help", Static).update(plain(ROLE_HELP[event.value]))

    # -- closing --------------------------------------------------------------------------------

    @on(Button.Pressed, "#cancel, #done")
    def action_close(self) -> None:
        self.dismiss(self.all_outcomes or None)

    @on(Button.Pressed, "#more")
    def invite_more(self) -> None:
        """Back to the form, holding the addresses worth another try."""
        retry = [o.address for o in self.outcomes if o.result in RETRYABLE]
        area = self.query_one("#email", AddressArea)
        area.text = "\n".join(retry)
        area.move_cursor(area.document.end)
        self.query_one("#submit", Button).disabled = False
        self._clear_errors()
        self._show_form(True)
        area.focus()

    # -- inviting ---------------------------------------------------------------------------------

    @on(Button.Pressed, "#submit")
    @on(AddressArea.Submitted)
    def action_submit(self) -> None:
        if self.showing_results or self.query_one("#submit", Button).disabled:
            return
        self._clear_errors()
        role = self.query_one("#role", Select).value
        request = InviteRequest(
            self.query_one("#email", AddressArea).text,
            role if isinstance(role, str) else "member",
        )
        if not request.addresses.strip():
            self._show_error("email", "Enter at least one email address.")
            return
        self.query_one("#submit", Button).disabled = True
        self._run_submit(request)

    @work(thread=True, exclusive=True, group="invite", exit_on_error=False)
    def _run_submit(self, request: InviteRequest) -> None:
        # Core hands what it commits to the app's sender, which goes on if the dialog closes;
        # this dialog shows that pass's outcome itself.
        self.app.call_from_thread(self._expect_delivery, True)
        try:
            outcomes = self._submit(request)
        except BaseException:
            self.app.call_from_thread(self._expect_delivery, False)
            raise
        if not any(outcome.ok for outcome in outcomes):
            self.app.call_from_thread(self._expect_delivery, False)
        self.post_message(self.Invited(outcomes))

    def _expect_delivery(self, waiting: bool) -> None:
        self._awaiting_delivery = waiting
        self.auxot.outbox.show_next_in(self if waiting else None)

    def on_invite_modal_invited(self, message: Invited) -> None:
        self.outcomes = message.outcomes
        self.all_outcomes += message.outcomes
        self.query_one("#invite-summary", Static).update(plain(result_summary(message.outcomes)))
        results = self.query_one("#invite-results", VerticalScroll)
        results.remove_children()
        results.mount_all(InviteResultLine(outcome) for outcome in message.outcomes)
        self._show_form(False)
        done = self.query_one("#done")
        done.focus()
        self.call_after_refresh(done.scroll_visible, animate=False)
        self.query_one("#invite-delivery").display = any(o.ok for o in message.outcomes)

    def worker_failed(self, worker: Worker[object], error: BaseException) -> None:
        self.query_one("#submit", Button).disabled = False
        if isinstance(error, InvalidInput) and error.field in ("email", "role"):
            self._show_error(error.field, str(error))
        elif isinstance(error, DomainError):
            self._show_error("form", str(error))
        else:
            super().worker_failed(worker, error)

    # -- delivery ---------------------------------------------------------------------------------

    def _delivery_changed(self, state: DeliveryState) -> None:
        if not self._awaiting_delivery or not state.announced:
            return
        text = self.query_one("#invite-delivery-text", Static)
        self.query_one("#invite-sending").display = state.busy
        if state.busy:
            text.update(plain(f"Sending {count(state.announced, 'email')}…"))
            return
        self._awaiting_delivery = False
        if state.report is not None:
            text.update(plain(delivery_sentence(state.report)))
        else:
            text.update(plain("The emails could not be sent now; the app tries again later."))
        # The sentence can push the buttons down, below the dialog's edge: the focused one is
        # brought back into view, whether the sentence came before or after it was focused.
        focused = self.focused
        if focused is not None:
            self.call_after_refresh(focused.scroll_visible, animate=False)

    # -- errors ------------------------------------------------------------------------------------

    def _show_error(self, field: str, message: str) -> None:
        self.query_one(f"#{field}-error", FieldError).show(message)
        if field != "form":
            self.query_one(f"#{field}").focus()

    def _clear_errors(self) -> None:
        for error in self.query(FieldError):
            error.clear()

    def error_for(self, field: str) -> str:
        """The sentence shown under ``field`` ("form" for the general one), for tests."""
        return self.query_one(f"#{field}-error", FieldError).message

    @property
    def delivery_text(self) -> str:
        """The line about sending the emails, as shown, for tests."""
        return str(self.query_one("#invite-delivery-text", Static).render())

    @property
    def result_lines(self) -> list[tuple[str, str]]:
        """(result, sentence) per address of the last round, as shown, for tests."""
        return [
            (line.outcome.result, line.outcome.message) for line in self.query(InviteResultLine)
        ]


__all__ = ["AddressArea", "InviteModal", "InviteRequest"]
