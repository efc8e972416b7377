"""What every screen and widget that calls core shares: where core is, and one path for
worker failures.

Core calls run in thread workers (``@work(thread=True, exclusive=True, group=...,
exit_on_error=False)``); a failed worker's ``StateChanged`` message lands here and goes to
:meth:`worker_failed`, which by default hands the error to the app's one error handler.
Forms override :meth:`worker_failed` to put core's sentence next to the field instead.

A dialog that changes data runs its use case through :meth:`CoreClient.committing`, so that
whoever opened it hears of the change as soon as core has committed it, not when the dialog
closes: the list behind a dialog reads again at once, also while a dialog that follows (a
key's one-time reveal) is still open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from textual.app import App
    from textual.message import Message

    from core.permissions import WorkspaceAction
    from core.services import Core
    from core.usecases.commands import Command
    from core.views import Principal
    from tui.app import AuxotApp
    from tui.widgets.virtual_table import VirtualTable

FormT = TypeVar("FormT")
ResultT = TypeVar("ResultT")


class CoreClient:
    """Mixin for a widget or screen that runs core's use cases in workers."""

    if TYPE_CHECKING:
        app: App[object]  # given by the widget or screen this is mixed into

    @property
    def auxot(self) -> AuxotApp:
        return cast("AuxotApp", self.app)

    @property
    def core(self) -> Core:
        return self.auxot.core

    @property
    def actor(self) -> Principal:
        return self.auxot.actor

    def may(self, action: WorkspaceAction) -> bool:
        """Whether the signed-in user may do ``action`` in the workspace (False until the app
        knows who they are). Core checks again; this only shows or hides the way to it."""
        me = self.auxot.me
        return me is not None and action in me.actions

    def run(self, command: Command) -> Any:
        """Run one of core's use cases as the signed-in user (in a worker: it waits on the
        database). Every read and write of the app goes this way, through ``Core.run``."""
        return self.core.run(self.actor, command)

    def committing(
        self,
        use_case: Callable[[FormT], ResultT],
        then: Callable[[ResultT], Message | None],
    ) -> Callable[[FormT], ResultT]:
        """``use_case`` as a dialog's worker runs it, followed at once by the message ``then``
        makes of its result (None: nothing to say), posted to this widget or screen."""

        def run(form: FormT) -> ResultT:
            result = use_case(form)
            message = then(result)
            if message is not None:
                self.post_message(message)  # type: ignore[attr-defined]  # a mixin: its widget posts, from any thread
            return result

        return run

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            event.stop()
            self.worker_failed(event.worker, event.worker.error)

    def worker_failed(self, worker: Worker[object], error: BaseException) -> None:
        self.auxot.report_error(error)

    def on_virtual_table_read_failed(self, event: VirtualTable.ReadFailed) -> None:
        """A list's page could not be read (its worker belongs to the table)."""
        event.stop()
        self.auxot.report_error(event.error)
