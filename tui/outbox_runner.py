"""Sending the outbox while the app runs.

Core commits every message before anything is sent; this sends them off the UI thread: right
after the user invites someone (they wait for it: a progress line, then a notification), and
again every minute for whatever failed (core's backoff decides what is due, so a server that is
down is not hammered). One pass at a time; a request made during a pass runs right after it.
Widgets follow the passes through :attr:`OutboxRunner.changed`."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.signal import Signal
from textual.timer import Timer

from tui.format import home_relative

if TYPE_CHECKING:
    from core.views import DeliveryReport
    from tui.app import AuxotApp

RETRY_SECONDS = 60.0


@dataclass(frozen=True)
class DeliveryState:
    """Where delivery stands. ``announced`` is how many messages the user is waiting for
    (0 for a background retry); ``report`` is set when a pass has just finished."""

    busy: bool
    announced: int = 0
    report: DeliveryReport | None = None
    error: str | None = None


def delivery_sentence(report: DeliveryReport, *, link_hint: bool = True) -> str:
    """What became of each email of a finished pass, in core's words, and what the app does
    next (no markup: it holds addresses and paths). ``link_hint`` says how to copy the link
    of an invitation whose email was only written to a file: after an invite, in view of the
    invitations it made."""
    from core.delivery import delivery_lines

    lines = [line.text for line in delivery_lines(report)]
    if link_hint and any(o.status == "written" for o in report.outcomes):
        lines.append("Press c on an invitation to copy its link.")
    if any(o.status == "queued" for o in report.outcomes) or report.left:
        lines.append("The app tries again in the background.")
    return home_relative(" ".join(lines)) or "No email was waiting to be sent."


class OutboxRunner:
    """The app's one sender; see the module docstring."""

    def __init__(self, app: AuxotApp, retry_seconds: float = RETRY_SECONDS) -> None:
        self.app = app
        self.retry_seconds = retry_seconds
        self.changed: Signal[DeliveryState] = Signal(app, "outbox")
        self.state = DeliveryState(busy=False)
        self._waiting = 0  # messages announced while a pass was running
        self._again = False
        # Addresses whose email this app said had not gone: telling when it goes is news.
        self._failed: set[str] = set()
        # A dialog that shows the outcome of the next announced pass itself: no toast over
        # it then, unless it has closed meanwhile.
        self._shown_by: Screen[object] | None = None
        self._carry: DeliveryReport | None = None  # passes told together with the next one
        self._timer: Timer | None = None

    @property
    def mail_server(self) -> str | None:
        """The SMTP host, or None when messages are written as .eml files."""
        return self.app.core.settings.smtp_host or None

    def start(self) -> None:
        """Retry on a timer, starting with whatever an earlier run left waiting."""
        self._timer = self.app.set_interval(self.retry_seconds, self.retry, name="outbox-retry")
        self.retry()

    def show_next_in(self, screen: Screen[object] | None) -> None:
        """``screen`` shows the outcome of the next announced pass itself (no notification
        over it); None when it no longer waits for one."""
        self._shown_by = screen

    def send(self, announced: int, shown_by: Screen[object] | None = None) -> None:
        """Deliver what was just queued; ``announced`` messages are what the user waits for.
        ``shown_by`` shows the outcome itself, so no notification covers it."""
        self._shown_by = shown_by or self._shown_by
        if self.state.busy:
            self._waiting += announced
            self._again = True
            return
        self._run(announced)

    def retry(self) -> None:
        """A background pass over what is due; skipped while a pass is running."""
        if not self.state.busy:
            self._run(0)

    # -- one pass ----------------------------------------------------------------------------

    def _run(self, announced: int) -> None:
        self._publish(DeliveryState(busy=True, announced=announced))
        self.app.run_worker(
            partial(self._deliver, announced),
            thread=True,
            group="outbox",
            name="outbox",
            exit_on_error=False,
        )

    def _deliver(self, announced: int) -> None:
        """In the worker thread: never raises, so a background pass cannot take the app down."""
        report: DeliveryReport | None = None
        error: BaseException | None = None
        try:
            report = self.app.core.deliver_outbox(due_only=True)
        except Exception as exc:  # noqa: BLE001 — reported on the UI thread below
            error = exc
        try:
            self.app.call_from_thread(self._finished, announced, report, error)
        except RuntimeError:  # the app stopped while the pass ran
            pass

    def _finished(
        self, announced: int, report: DeliveryReport | None, error: BaseException | None
    ) -> None:
        waiting, again = self._waiting, self._again
        self._waiting, self._again = 0, False
        if again and report is not None:
            # Someone waits for messages queued during this pass, which may have taken some
            # of them already: pass again, and tell both passes as one.
            self._carry = _merged(self._carry, report)
            self._run(announced + waiting)
            return
        if report is not None:
            report, self._carry = _merged(self._carry, report), None
        self._publish(
            DeliveryState(
                busy=False,
                announced=announced,
                report=report,
                error=None if error is None else str(error),
            )
        )
        self._tell(announced, report, error)
        if again:
            self._run(waiting)

    def _tell(
        self, announced: int, report: DeliveryReport | None, error: BaseException | None
    ) -> None:
        if error is not None:
            if announced:
                self.app.report_error(error)
            else:
                self.app.log.error(f"outbox: {type(error).__name__}: {error}")
            return
        assert report is not None
        delivered = {o.recipient for o in report.outcomes if o.status in ("sent", "written")}
        recovered = delivered & self._failed
        self._failed = (self._failed - delivered) | {
            o.recipient for o in report.outcomes if o.status in ("queued", "rejected")
        }
        went = any(o.status == "sent" for o in report.outcomes) or (
            report.sent and not report.outcomes
        )
        if not announced and not went and not recovered:
            # A quiet retry, or waiting mail only written to files (no mail server, as in
            # the demo's start): the invitations list shows each one's delivery.
            return
        shown_by, self._shown_by = self._shown_by, None
        if announced and shown_by is not None and shown_by in self.app.screen_stack:
            return
        self.app.notify(
            delivery_sentence(report, link_hint=bool(announced)),
            title="Email" if announced else "Waiting email sent",
            severity="warning" if report.failed else "information",
            markup=False,
            timeout=10 if report.written_to or report.failed else 5,
        )

    def _publish(self, state: DeliveryState) -> None:
        self.state = state
        self.changed.publish(state)


class DeliverInBackground:
    """Core's after-commit effects inside the app: mail that ``Core.run`` committed is handed
    to the app's one sender, which delivers it off the UI thread, whichever screen, dialog
    or agent sentence made it. Core decides that mail goes; the app only decides where."""

    def __init__(self, runner: OutboxRunner) -> None:
        self.runner = runner

    def mail_queued(self, core: object, count: int) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # a worker thread, the usual case: over to the UI thread
            try:
                self.runner.app.call_from_thread(self.runner.send, count)
            except RuntimeError:
                pass  # the app has stopped: the next run (or `auxot outbox flush`) sends it
            return
        self.runner.send(count)

    def access_ended(self, command: object) -> None:
        """Sessions are the server's to end; an app has only its own."""


def _merged(first: DeliveryReport | None, second: DeliveryReport) -> DeliveryReport:
    if first is None:
        return second
    from core.views import DeliveryReport

    return DeliveryReport(
        sent=first.sent + second.sent,
        failed=first.failed + second.failed,
        written_to=second.written_to or first.written_to,
        errors=[*first.errors, *second.errors],
        outcomes=[*first.outcomes, *second.outcomes],
        left=second.left,
    )


__all__ = ["DeliverInBackground", "DeliveryState", "OutboxRunner", "delivery_sentence"]
