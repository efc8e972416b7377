"""People → Offboard: the plan first, line by line, then one transaction on Offboard.

The dialog reads core's plan in a worker (nothing changes while it is read) and shows it in
the CLI's words. Where the person is the last active owner of a team, a successor's email is
asked for; Enter reads the plan again with it, and Offboard with a successor the plan shown
was not made for reads the plan again rather than running, so what runs is what was shown.
A refusal (no successor, an unknown address, the workspace owner) is said in the dialog,
which stays open with nothing changed."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static
from textual.worker import Worker

from core.errors import DomainError, InvalidInput, NotFound
from core.offboarding_text import plan_lines
from core.usecases.commands import OffboardUser, PlanOffboarding
from core.validation import FILTER_MAX
from core.views import OffboardingPlan, UserView
from tui.bindings import DIALOG
from tui.format import plain, safe_markup
from tui.widgets.footer import AuxotFooter
from tui.widgets.form import FieldError, FieldLabel
from tui.workers import CoreClient


class OffboardModal(CoreClient, ModalScreen[OffboardingPlan | None]):
    """Dismisses with what was done, or None when cancelled."""

    BINDINGS: ClassVar = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", group=DIALOG),
    ]
    AUTO_FOCUS = "#cancel"  # a stray Enter never offboards anyone

    class Planned(Message):
        def __init__(self, plan: OffboardingPlan, successor: str) -> None:
            super().__init__()
            self.plan = plan
            self.successor = successor

    class Done(Message):
        def __init__(self, plan: OffboardingPlan) -> None:
            super().__init__()
            self.plan = plan

    def __init__(self, person: UserView) -> None:
        super().__init__()
        self.person = person
        self.plan: OffboardingPlan | None = None
        self.planned_for = ""  # the successor the plan shown was read with ("" for none)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog offboard-dialog"):
            yield Static(
                safe_markup("Offboard [b]$name[/b]", name=self.person.display_name),
                classes="dialog-title",
            )
            with Vertical(id="offboard-plan"):
                yield Static(plain("Reading what offboarding would do…"))
            with Vertical(id="offboard-successor"):
                yield FieldLabel("Successor", "successor")
                yield Input(
                    placeholder="Email of who takes over their teams (Enter shows the plan)",
                    id="successor",
                    max_length=FILTER_MAX,  # the longest email address
                )
                yield FieldError("successor")
            yield FieldError("offboard")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Offboard", id="confirm", variant="error")
        yield AuxotFooter()

    def on_mount(self) -> None:
        self.query_one("#offboard-successor").display = False
        self._read_plan("")

    # -- the plan -----------------------------------------------------------------------------

    @property
    def successor(self) -> str:
        return self.query_one("#successor", Input).value.strip()

    @property
    def busy(self) -> bool:
        return any(worker.is_running for worker in self.workers)

    def _clear_errors(self) -> None:
        for error in self.query(FieldError):
            error.clear()

    @work(thread=True, exclusive=True, group="offboard-plan", exit_on_error=False)
    def _read_plan(self, successor: str) -> None:
        plan = self.run(PlanOffboarding(self.person.email, successor or None))
        self.post_message(self.Planned(plan, successor))

    def on_offboard_modal_planned(self, message: Planned) -> None:
        self.plan, self.planned_for = message.plan, message.successor
        shown = self.query_one("#offboard-plan")
        shown.remove_children()
        shown.mount_all(
            # An item's wrapped words stay under it, indented, rather than at the margin.
            Static(plain(line.strip()), classes="plan-item" if line.startswith(" ") else "")
            for line in plan_lines(self.plan)
        )
        box = self.query_one("#offboard-successor")
        if any(team.last_owner for team in self.plan.teams) and not box.display:
            box.display = True
            self.query_one("#successor", Input).focus()

    @on(Input.Submitted, "#successor")
    def _successor_given(self) -> None:
        if not self.busy:
            self._clear_errors()
            self._read_plan(self.successor)

    # -- offboarding ----------------------------------------------------------------------------

    @on(Button.Pressed, "#confirm")
    def _confirmed(self) -> None:
        if self.busy:
            return
        self._clear_errors()
        if self.plan is None or self.successor != self.planned_for:
            # What runs is what was shown: read the plan for this successor first.
            self._read_plan(self.successor)
            if self.plan is not None:
                self.query_one("#offboard-error", FieldError).show(
                    "The plan now names this successor; check it and press Offboard again."
                )
            return
        self._offboard(self.planned_for)

    @work(thread=True, exclusive=True, group="offboard-run", exit_on_error=False)
    def _offboard(self, successor: str) -> None:
        self.post_message(self.Done(self.run(OffboardUser(self.person.email, successor or None))))

    def on_offboard_modal_done(self, message: Done) -> None:
        self.dismiss(message.plan)

    def worker_failed(self, worker: Worker[object], error: BaseException) -> None:
        if not isinstance(error, DomainError):
            super().worker_failed(worker, error)
            return
        self._clear_errors()  # one sentence at a time
        about_successor = (isinstance(error, InvalidInput) and error.field == "successor") or (
            isinstance(error, NotFound) and worker.group == "offboard-plan" and self.successor
        )
        if about_successor:
            self.query_one("#successor-error", FieldError).show(str(error))
        else:
            self.query_one("#offboard-error", FieldError).show(str(error))
        if self.plan is None:  # nothing to show: the sentence says why
            self.query_one("#offboard-plan").display = False

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if not any(w.group == "offboard-run" and w.is_running for w in self.workers):
            self.dismiss(None)  # an offboarding on its way lands, and the list shows it

    @property
    def error(self) -> str:
        """The refusal shown in the dialog, for tests."""
        return self.query_one("#offboard-error", FieldError).message
