"""Team → Members → pending invitations: who was invited and has not joined yet, whether
their email went out, and for owners and workspace admins resend, revoke and copy link.

It sits under the members table. Its keys work while its list has the focus (Tab from the
members), so ``x`` revokes here and removes a member there. Plain members never see it: core
would refuse them the list anyway.

The list is a virtual table over core's ``list_invitations``: a bulk invite of thousands
reads only the rows in view, and End reads the last ones from the far end."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant

from core.permissions import TeamAction
from core.usecases.commands import (
    ChangeInvitationRole,
    InvitationLink,
    ListInvitations,
    PageRequest,
    ResendInvitation,
    RevokeInvitation,
)
from core.views import InvitationView, Page, TeamAccess
from core.vocabulary import with_article
from tui.dialogs.confirm import ConfirmModal
from tui.dialogs.invitation_role import InvitationRoleModal
from tui.dialogs.invite_link import InviteLinkModal
from tui.format import (
    cell,
    count,
    day,
    home_relative,
    minute,
    one_line,
    plain,
    role_label,
    safe_markup,
)
from tui.outbox_runner import DeliveryState
from tui.team.messages import TeamChanged
from tui.widgets.table import Column, theme_color
from tui.widgets.virtual_table import RowSource, VirtualTable, nearer_end
from tui.workers import CoreClient

INVITATIONS = Binding.Group("Invitations")

COLUMNS = (
    Column("email", "Invited", min_width=14, weight=3),
    Column("role", "Role", width=6),
    Column("expires", "Expires", width=10),
    Column("status", "Status", width=7),
    Column("delivery", "Delivery", min_width=10, weight=2),
)


class InvitationsPanel(CoreClient, Vertical):
    BINDINGS: ClassVar = [
        Binding(
            "s",
            "resend",
            "Resend",
            tooltip="A new link and expiry for the highlighted invitation, emailed again",
            id="invitations.resend",
            group=INVITATIONS,
        ),
        Binding(
            "x,delete",
            "revoke",
            "Revoke",
            tooltip="The highlighted invitation's link stops working",
            id="invitations.revoke",
            group=INVITATIONS,
        ),
        Binding(
            "r",
            "change_role",
            "Change role",
            tooltip="The role the highlighted invitation gives when it is accepted",
            id="invitations.role",
            group=INVITATIONS,
        ),
        Binding(
            "c",
            "copy_link",
            "Copy link",
            tooltip="Show and copy the highlighted invitation's link, to send it yourself",
            id="invitations.copy_link",
            group=INVITATIONS,
        ),
    ]

    access: reactive[TeamAccess | None] = reactive(None)

    class LinkReady(Message):
        def __init__(self, email: str, url: str) -> None:
            super().__init__()
            self.email = email
            self.url = url

    class Resent(Message):
        def __init__(self, invitation: InvitationView) -> None:
            super().__init__()
            self.invitation = invitation

    def __init__(self, team_id: int, id: str | None = None) -> None:
        super().__init__(id=id)
        self.team_id = team_id
        self._sending = False

    def compose(self) -> ComposeResult:
        with Horizontal(classes="invitations-bar"):
            yield Static("", id="invitations-title")
            buttons: tuple[tuple[str, str, ButtonVariant], ...] = (
                ("Resend", "resend", "default"),
                ("Revoke", "revoke", "error"),
                ("Copy link", "copy", "default"),
            )
            for label, name, variant in buttons:
                button = Button(label, id=f"invitations-{name}", variant=variant, compact=True)
                button.can_focus = False  # Tab goes from the members straight to this list
                yield button
        yield VirtualTable(COLUMNS, id="invitations-table")
        yield Static("", id="invitation-detail")

    @property
    def table(self) -> VirtualTable[InvitationView]:
        return self.query_one("#invitations-table", VirtualTable)

    def on_mount(self) -> None:
        self.display = self.can_manage
        self._show()
        # A signal, unsubscribed on unmount: a subscription left behind kept every closed
        # team's panel alive. (The table redraws its cells itself when the theme changes.)
        self.auxot.outbox.changed.subscribe(self, self._delivery_changed)
        self.reload()

    def on_unmount(self) -> None:
        self.auxot.outbox.changed.unsubscribe(self)

    # -- permissions ----------------------------------------------------------------------------

    @property
    def can_manage(self) -> bool:
        return self.access is not None and self.access.can(TeamAction.MANAGE_MEMBERS)

    @property
    def selected(self) -> InvitationView | None:
        return self.table.current_row if self.is_mounted else None

    @property
    def total(self) -> int:
        """How many invitations are pending, as last read (none until the first read)."""
        return self.table.total or 0

    def watch_access(self, access: TeamAccess | None) -> None:
        if not self.is_mounted:
            return
        self.display = self.can_manage
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("resend", "revoke", "copy_link", "change_role"):
            if not self.can_manage:
                return False
            return True if self.selected is not None else None
        return True

    # -- loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        if not self.can_manage:
            return
        table = self.table
        if table.source is None:
            table.show(self._source())
        else:
            table.refresh_rows()

    def _source(self) -> RowSource[InvitationView]:
        run, team = self.run, self.team_id

        def fetch(offset: int, limit: int, total: int | None) -> Page[InvitationView]:
            page = PageRequest(*nearer_end(offset, limit, total))
            return run(ListInvitations(team, page=page))

        # A resend renews the same invitation: its id names the row across reads.
        return RowSource(fetch, key=lambda view: str(view.id), cells=self._cells)

    @on(VirtualTable.Loaded, "#invitations-table")
    def _loaded(self, event: VirtualTable.Loaded) -> None:
        event.stop()  # the members tab counts its own table only
        self._show()

    def _delivery_changed(self, state: DeliveryState) -> None:
        self._sending = state.busy and state.announced > 0
        self._show_title()
        if not state.busy and state.report is not None and self.can_manage:
            self.reload()  # delivery states changed

    # -- showing --------------------------------------------------------------------------------

    def _show(self) -> None:
        any_rows = self.total > 0
        self.table.display = any_rows
        for button in self.query(".invitations-bar Button"):
            button.display = any_rows
        self._show_title()
        self._show_detail()
        self.screen.refresh_bindings()

    def _show_title(self) -> None:
        title = self.query_one("#invitations-title", Static)
        title.set_class(not self.total, "-empty")
        if not self.total:
            text = plain("No pending invitations")
        elif self.has_focus_within:
            text = plain(f"Pending invitations · {self.total:,}")
        else:
            text = safe_markup(
                "Pending invitations · $n [dim](Tab to select)[/dim]", n=f"{self.total:,}"
            )
        if self._sending:
            text += plain(" · sending…")
        title.update(text)

    def on_descendant_focus(self) -> None:
        self._show_title()

    def on_descendant_blur(self) -> None:
        self._show_title()

    def _cells(self, view: InvitationView) -> tuple[Text, ...]:
        error = theme_color(self, "text-error", "red")
        expired = view.status == "expired"
        if view.delivery == "failed":
            delivery = cell(f"failed: {view.last_error or 'no reason given'}", f"bold {error}")
        elif view.delivery == "sent":
            delivery = cell("sent" if self.auxot.outbox.mail_server else "written (.eml)", "dim")
        else:
            delivery = cell(view.delivery, "dim")
        return (
            cell(view.email, "bold"),
            cell(role_label(view.role)),
            cell(day(view.expires_at), error if expired else ""),
            cell(view.status, f"bold {error}" if expired else "dim"),
            delivery,
        )

    def _show_detail(self) -> None:
        """The highlighted invitation in full: its whole delivery error, or what to do next.
        With no mail server, where the emails go and that the link can be copied."""
        detail = self.query_one("#invitation-detail", Static)
        view = self.selected
        if view is None:
            detail.update("")
            detail.display = False
            return
        detail.display = True
        if view.delivery == "failed":
            attempts = count(view.attempts, "attempt")
            line = safe_markup(
                "[b $text-error]Not delivered[/] after $attempts, retried in the background: "
                "$error",
                attempts=attempts,
                error=one_line(view.last_error or "no reason given"),
            )
        elif view.status == "expired":
            line = safe_markup(
                "Expired on $when UTC. Press [b]s[/b] to send a new link.",
                when=minute(view.expires_at),
            )
        else:
            line = safe_markup(
                "Invited by $by on $on · link valid until $until UTC",
                by=view.invited_by or "a former member",
                on=day(view.created_at),
                until=minute(view.expires_at),
            )
        if not self.auxot.outbox.mail_server:
            line += safe_markup(
                "\n[dim]No mail server: emails go to $dir; press [b]c[/b] to copy the link.[/dim]",
                dir=home_relative(str(self.core.settings.outbox_dir())),
            )
        detail.update(line)

    @on(VirtualTable.RowHighlighted, "#invitations-table")
    def _highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        event.stop()  # the members tab follows its own table only
        self._show_detail()
        self.screen.refresh_bindings()

    # -- resend ---------------------------------------------------------------------------------

    @on(Button.Pressed, "#invitations-resend")
    def action_resend(self) -> None:
        view = self.selected
        if view is not None and self.can_manage:
            self._resend(view.email)

    @work(thread=True, exclusive=True, group="invitations-change", exit_on_error=False)
    def _resend(self, email: str) -> None:
        resent = self.run(ResendInvitation(self.team_id, email))  # mails it too
        self.post_message(self.Resent(resent))

    def on_invitations_panel_resent(self, message: Resent) -> None:
        view = message.invitation
        self.post_message(
            TeamChanged(
                f"New invitation link for {view.email}, valid until {minute(view.expires_at)} "
                "UTC; the old link no longer works."
            )
        )

    # -- revoke ---------------------------------------------------------------------------------

    @on(Button.Pressed, "#invitations-revoke")
    def action_revoke(self) -> None:
        view = self.selected
        if view is None or not self.can_manage or self.access is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._revoke(view.email)

        self.app.push_screen(
            ConfirmModal(
                plain("Revoke invitation?"),
                safe_markup(
                    "Revoke the invitation of [b]$email[/b] to [b]$team[/b]? Its link stops "
                    "working at once; you can invite them again later.",
                    email=view.email,
                    team=self.access.team.name,
                ),
                "Revoke",
            ),
            confirmed,
        )

    @work(thread=True, exclusive=True, group="invitations-change", exit_on_error=False)
    def _revoke(self, email: str) -> None:
        view = self.run(RevokeInvitation(self.team_id, email))
        self.post_message(TeamChanged(f"Revoked the invitation of {view.email}."))

    # -- role -----------------------------------------------------------------------------------

    def action_change_role(self) -> None:
        view = self.selected
        if view is not None and self.can_manage:
            chosen = partial(self._change_role, view.email)
            self.app.push_screen(
                InvitationRoleModal(view), lambda role: chosen(role) if role else None
            )

    @work(thread=True, exclusive=True, group="invitations-change", exit_on_error=False)
    def _change_role(self, email: str, role: str) -> None:
        view = self.run(ChangeInvitationRole(self.team_id, email, role))
        self.post_message(
            TeamChanged(f"The invitation of {view.email} now makes them {with_article(view.role)}.")
        )

    # -- copy link ------------------------------------------------------------------------------

    @on(Button.Pressed, "#invitations-copy")
    def action_copy_link(self) -> None:
        view = self.selected
        if view is not None and self.can_manage:
            self._copy_link(view.email)

    @work(thread=True, exclusive=True, group="invitations-change", exit_on_error=False)
    def _copy_link(self, email: str) -> None:
        self.post_message(self.LinkReady(email, self.run(InvitationLink(self.team_id, email))))

    def on_invitations_panel_link_ready(self, message: LinkReady) -> None:
        # The link holds the token: shown in its dialog (and copied), never in a notification.
        view = self.selected
        if view is not None and view.email == message.email:
            self.app.push_screen(InviteLinkModal(view, message.url))

    # -- for the command palette ------------------------------------------------------------------

    def focus_list(self) -> None:
        self.query_one("#invitations-table").focus()


__all__ = ["INVITATIONS", "InvitationsPanel"]
