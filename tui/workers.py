"""What every screen and widget that calls core shares: where core is, and one path for
worker failures.

Core calls run in thread workers (``@work(thread=True, exclusive=True, group=...,
exit_on_error=False)``); a failed worker's ``StateChanged`` message lands here and goes to
:meth:`worker_failed`, which by default hands the error to the app's one error handler.
Forms override :meth:`worker_failed` to put core's sentence next to the field instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from textual.app import App

    from core.services import Core
    from core.views import Principal
    from tui.app import AuxotApp
    from tui.widgets.virtual_table import VirtualTable


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
