"""The base of every form: fields, the error under each, Cancel and a submit button.

A form reads its fields into a dataclass and hands it to the ``submit`` callable its opener
gave it (a core use case). That call runs in a thread worker; on success the form dismisses
with what core returned, on a refusal core's sentence appears next to the field it is about
and the form stays open."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar, Generic, TypeVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Static
from textual.widgets.button import ButtonVariant
from textual.worker import Worker

from core.errors import DomainError, InvalidInput
from tui.bindings import DIALOG
from tui.widgets.footer import AuxotFooter
from tui.widgets.form import FieldError
from tui.workers import CoreClient

FormT = TypeVar("FormT")
ResultT = TypeVar("ResultT")


class FormModal(CoreClient, ModalScreen[ResultT | None], Generic[FormT, ResultT]):
    BINDINGS: ClassVar = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", group=DIALOG),
    ]

    SUBMIT_LABEL: ClassVar[str] = "Save"
    SUBMIT_VARIANT: ClassVar[ButtonVariant] = "primary"
    # Field ids that have an error line; core's InvalidInput names one of them.
    FIELDS: ClassVar[tuple[str, ...]] = ()
    # Refusals that do not name a field but are about one (Conflict on a name, ...).
    ERROR_FIELDS: ClassVar[dict[type[DomainError], str]] = {}

    class Submitted(Message):
        def __init__(self, result: object) -> None:
            super().__init__()
            self.result = result

    def __init_subclass__(cls, **kwargs: object) -> None:
        # Ctrl+S says what this form does ("Add team", "Invite"...), so each form gets its
        # own binding, set before Textual merges the class's bindings.
        if "SUBMIT_LABEL" in cls.__dict__:
            cls.BINDINGS = [
                *cls.__dict__.get("BINDINGS", []),
                Binding("ctrl+s", "submit", cls.SUBMIT_LABEL, id="dialog.submit", group=DIALOG),
            ]
        super().__init_subclass__(**kwargs)

    def __init__(self, submit: Callable[[FormT], ResultT]) -> None:
        super().__init__()
        self._submit = submit

    # -- what a form defines ---------------------------------------------------------------

    def title_content(self) -> Content:
        raise NotImplementedError

    def compose_fields(self) -> Iterable[Widget]:
        raise NotImplementedError

    def read_form(self) -> FormT:
        """The typed values; may raise InvalidInput for a check made before core is asked."""
        raise NotImplementedError

    # -- the frame ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_content(), classes="dialog-title")
            yield from self.compose_fields()
            yield FieldError("form")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self.SUBMIT_LABEL, id="submit", variant=self.SUBMIT_VARIANT)
        yield AuxotFooter()

    def on_mount(self) -> None:
        if self.FIELDS:
            self.query_one(f"#{self.FIELDS[0]}").focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#submit")
    @on(Input.Submitted)
    def action_submit(self) -> None:
        self.clear_errors()
        try:
            form = self.read_form()
        except InvalidInput as error:
            self.show_error(error)
            return
        self.query_one("#submit", Button).disabled = True
        self._run_submit(form)

    @work(thread=True, exclusive=True, group="form", exit_on_error=False)
    def _run_submit(self, form: FormT) -> None:
        result = self._submit(form)
        self.post_message(self.Submitted(result))

    def on_form_modal_submitted(self, message: FormModal.Submitted) -> None:
        # The message carries what _submit returned: a ResultT.
        self.dismiss(cast("ResultT | None", message.result))

    # -- errors next to fields ----------------------------------------------------------------

    def worker_failed(self, worker: Worker[object], error: BaseException) -> None:
        self.query_one("#submit", Button).disabled = False
        if isinstance(error, DomainError):
            self.show_error(error)
        else:
            super().worker_failed(worker, error)

    def field_for(self, error: DomainError) -> str:
        if isinstance(error, InvalidInput) and error.field in self.FIELDS:
            return error.field
        for kind, field in self.ERROR_FIELDS.items():
            if isinstance(error, kind):
                return field
        return "form"

    def show_error(self, error: DomainError) -> None:
        field = self.field_for(error)
        self.query_one(f"#{field}-error", FieldError).show(str(error))
        if field != "form":
            self.query_one(f"#{field}").focus()

    def clear_errors(self) -> None:
        for error in self.query(FieldError):
            error.clear()

    def error_for(self, field: str) -> str:
        """The sentence shown under ``field`` ("form" for the general one), for tests."""
        return self.query_one(f"#{field}-error", FieldError).message
