"""Before something that cannot be undone: the thing's name, typed exactly as shown.

Deleting a team from Settings and the admin agent's irreversible plans (deleting a team,
revoking a key) ask the same way, so a stray Enter never does either."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Static

from core.agent.answers import Plan
from core.errors import InvalidInput
from tui.dialogs.form import FormModal
from tui.format import plain
from tui.widgets.form import FieldError, FieldLabel

RequestT = TypeVar("RequestT")
ResultT = TypeVar("ResultT")


class TypeNameModal(FormModal[RequestT, ResultT]):
    """Submits ``request`` once ``name`` is typed; ``what`` says whose name it is."""

    SUBMIT_VARIANT = "error"
    FIELDS = ("confirm-name",)

    def __init__(
        self,
        title: Content,
        text: Content,
        *,
        name: str,
        what: str,
        request: RequestT,
        submit: Callable[[RequestT], ResultT],
    ) -> None:
        super().__init__(submit)
        self._title = title
        self._text = text
        self.name_to_type = name
        self.what = what
        self.request = request

    def title_content(self) -> Content:
        return self._title

    def compose_fields(self) -> Iterable[Widget]:
        yield Static(self._text, classes="dialog-text")
        yield FieldLabel(f"Type {self.what} to confirm", "confirm-name")
        yield Input(id="confirm-name", placeholder=self.name_to_type)
        yield FieldError("confirm-name")

    def read_form(self) -> RequestT:
        if self.query_one("#confirm-name", Input).value.strip() != self.name_to_type:
            raise InvalidInput(
                f"That is not {self.what}; type it exactly as shown to go on.", "confirm-name"
            )
        return self.request


class ConfirmPlanModal(TypeNameModal[None, bool]):
    """The agent's irreversible plan: dismisses with True once the name is typed."""

    SUBMIT_LABEL = "Do it"

    def __init__(self, plan: Plan) -> None:
        name = plan.typed_confirmation or ""
        super().__init__(
            plain(plan.description),
            plain(" ".join(("This cannot be undone.", *plan.details))),
            name=name,
            what="the team's name" if name == plan.target_team else "the key's name",
            request=None,
            submit=lambda _: True,
        )
