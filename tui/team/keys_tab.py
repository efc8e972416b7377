"""Team → API keys: the team's keys for service-to-service calls. Only the team's admins and
owners and workspace admins see this tab (the team screen adds it for them alone); they
create, rotate and revoke keys here. A new key is shown once, by :class:`KeyRevealModal`.

The plaintext of a key never passes through this widget's state: the form returns it to a
callback that hands it straight to the reveal modal.

The list is a virtual table over core's ``list_keys``: it reads only the keys in view."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Static
from textual.worker import get_current_worker

from core.permissions import TeamAction
from core.usecases.commands import (
    CreateKey,
    ListKeys,
    PageRequest,
    RevokeKey,
    RotateKey,
    SetKeyScope,
)
from core.views import CreatedKey, KeyView, Page, TeamAccess
from core.vocabulary import EXPIRY_WARNING_DAYS
from tui.dialogs.confirm import ConfirmModal
from tui.dialogs.key_reveal import KeyRevealModal
from tui.dialogs.key_scope import other_scope, scope_changed, scope_question
from tui.dialogs.new_key import KeyRequest, NewKeyModal
from tui.dialogs.rotate_key import RotateKeyModal, RotateRequest
from tui.format import cell, count, day, plain, safe_markup
from tui.team.key_detail import key_detail
from tui.team.messages import TeamChanged
from tui.team.tab import TeamTab
from tui.widgets.table import Column, theme_color
from tui.widgets.virtual_table import RowSource, VirtualTable

KEYS = Binding.Group("API keys")

# Created and creator of the highlighted key are in the line under the table: at 80 columns
# the masked key id alone takes 23.
COLUMNS = (
    Column("name", "Name", min_width=10),
    Column("key", "Key", width=23),
    Column("status", "Status", width=7),
    Column("last_used", "Last used", width=10),
    Column("expires", "Expires", width=10),
)

# Status → (theme colour, fallback, extra style).
_STATUS_STYLE = {
    "active": ("text-success", "green", "bold"),
    "rotated": ("text-warning", "yellow", ""),
    "expired": ("", "", "dim"),
    "revoked": ("", "", "dim"),
}
ROTATABLE = ("active",)
REVOCABLE = ("active", "rotated")  # revoking a rotated key ends its grace period at once


class KeysTab(TeamTab, Vertical):
    BINDINGS: ClassVar = [
        Binding(
            "n,a",
            "new",
            "New key",
            tooltip="Create a key for a service; it is shown once",
            id="keys.new",
            group=KEYS,
        ),
        Binding(
            "o",
            "rotate",
            "Rotate",
            tooltip="Replace the selected key; the old one works for a grace period",
            id="keys.rotate",
            group=KEYS,
        ),
        Binding(
            "s",
            "scope",
            "Scope",
            tooltip="Make the selected key read-only, or give it the full scope again",
            id="keys.scope",
            group=KEYS,
        ),
        Binding(
            "x,delete",
            "revoke",
            "Revoke",
            tooltip="Stop the selected key at once",
            id="keys.revoke",
            group=KEYS,
        ),
    ]

    class Counted(Message):
        """How many of the team's keys are active."""

        def __init__(self, active: int) -> None:
            super().__init__()
            self.active = active

    def __init__(
        self, team_id: int, access: TeamAccess | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.team_id = team_id
        self.set_reactive(KeysTab.access, access)
        self.active: int | None = None  # active keys, as last counted
        self._select_after_load: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="tab-toolbar"):
            yield Static("", id="keys-count", classes="tab-count")
            yield Button("New key", id="keys-new", variant="primary", compact=True)
            yield Button("Rotate", id="keys-rotate", compact=True)
            yield Button("Revoke", id="keys-revoke", variant="error", compact=True)
        yield VirtualTable(COLUMNS, id="keys-table")
        yield Static("", id="keys-empty", classes="tab-empty")
        yield Static("", id="keys-detail")

    @property
    def table(self) -> VirtualTable[KeyView]:
        return self.query_one("#keys-table", VirtualTable)

    def on_mount(self) -> None:
        # The table redraws its cells itself when the theme changes.
        self.query_one("#keys-empty").display = False
        self.reload()

    def focus(self, scroll_visible: bool = True) -> KeysTab:
        """The team screen focuses the tab: the table, or New key while there is no key."""
        table = self.query_one("#keys-table")
        (table if table.display else self.query_one("#keys-new")).focus(scroll_visible)
        return self

    def _refocus_if_lost(self) -> None:
        """Focus New key when the focus was on the table that is now hidden, or went nowhere,
        while this tab is the one on show."""
        focused = self.screen.focused
        table = self.query_one("#keys-table")
        shown = isinstance(self.parent, Widget) and self.parent.display
        if shown and self.screen is self.app.screen and focused in (None, table):
            self.focus()

    # -- permissions ------------------------------------------------------------------------

    @property
    def can_manage(self) -> bool:
        return self.access is not None and self.access.can(TeamAction.MANAGE_KEYS)

    @property
    def selected(self) -> KeyView | None:
        """The highlighted key; none before the tab is first shown."""
        return self.table.current_row if self.is_mounted else None

    @property
    def total(self) -> int:
        """How many keys the team has, as last read (none until the first read)."""
        return self.table.total or 0

    def watch_access(self) -> None:
        if self.is_mounted:
            self._show_selection()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new", "rotate", "revoke", "scope"):
            if not self.can_manage:
                return False
            key = self.selected
            if action == "rotate" and (key is None or key.status not in ROTATABLE):
                return None
            if action in ("revoke", "scope") and (key is None or key.status not in REVOCABLE):
                return None
        return True

    # -- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        table = self.table
        if table.source is None:
            table.show(self._source())
        else:
            table.refresh_rows()
        self._count_active()

    def _source(self) -> RowSource[KeyView]:
        run, team = self.run, self.team_id

        def fetch(offset: int, limit: int, _total: int | None) -> Page[KeyView]:
            return run(ListKeys(team, page=PageRequest(offset, limit)))

        return RowSource(fetch, key=lambda key: key.key_id, cells=self._cells)

    @work(thread=True, exclusive=True, group="keys-count", exit_on_error=False)
    def _count_active(self) -> None:
        active = self.run(ListKeys(self.team_id, True, PageRequest(limit=0))).total
        if not get_current_worker().is_cancelled:
            self.post_message(self.Counted(active))

    def on_keys_tab_counted(self, message: Counted) -> None:
        self.active = message.active
        self._show_count()

    @on(VirtualTable.Loaded, "#keys-table")
    def _loaded(self) -> None:
        table = self.table
        if self._select_after_load is not None:
            # A new key is the newest live one: it is on the first page.
            table.move_to_key(self._select_after_load)
            self._select_after_load = None
        self._show_count()
        empty = self.query_one("#keys-empty", Static)
        empty.display = not self.total
        table.display = bool(self.total)
        if not self.total:
            # The focus may be on the table, or on its way there (focusing is deferred):
            # once the hidden table has settled, hand it to New key.
            self.call_after_refresh(self._refocus_if_lost)
        empty.update(
            plain(
                "This team has no API keys yet. Press n to create one for a service that "
                "calls Auxot for the team, such as a CI pipeline or an intake webhook."
            )
        )
        self._show_selection()

    def _show_count(self) -> None:
        if self.table.total is None:
            return
        text = count(self.total, "key")
        if self.total and self.active is not None:
            text += f", {self.active:,} active"
        self.query_one("#keys-count", Static).update(plain(text))

    def _cells(self, key: KeyView) -> tuple[Text, ...]:
        name, fallback, extra = _STATUS_STYLE.get(key.status, ("", "", ""))
        color = theme_color(self, name, fallback) if name else ""
        faded = key.status in ("expired", "revoked")
        soon = key.expires_within(self.core.clock(), EXPIRY_WARNING_DAYS)
        warning = f"bold {theme_color(self, 'text-warning', 'yellow')}"
        expires = day(key.expires_at) if key.expires_at else "never"
        return (
            cell(key.name, "dim" if faded else "bold"),
            cell(key.masked, "dim"),
            cell(key.status, f"{extra} {color}".strip()),
            cell(day(key.last_used_at) if key.last_used_at else "never", "dim" if faded else ""),
            cell(
                f"⚠ {expires}" if soon else expires, warning if soon else ("dim" if faded else "")
            ),
        )

    @on(VirtualTable.RowHighlighted, "#keys-table")
    def _highlighted(self) -> None:
        self._show_selection()

    def _show_selection(self) -> None:
        """The highlighted key in full under the table, the buttons it allows, the footer."""
        key = self.selected
        detail = key_detail(key, self.core.clock()) if key else ""
        self.query_one("#keys-detail", Static).update(detail)
        self.query_one("#keys-new", Button).display = self.can_manage
        rotate = self.query_one("#keys-rotate", Button)
        revoke = self.query_one("#keys-revoke", Button)
        rotate.display = revoke.display = self.can_manage and bool(self.total)
        rotate.disabled = key is None or key.status not in ROTATABLE
        revoke.disabled = key is None or key.status not in REVOCABLE
        self.screen.refresh_bindings()

    # -- new, rotate, revoke ------------------------------------------------------------------

    @on(Button.Pressed, "#keys-new")
    def action_new(self) -> None:
        if not self.can_manage or self.access is None:
            return
        team_id = self.team_id

        def create(request: KeyRequest) -> CreatedKey:
            created: CreatedKey = self.run(
                CreateKey(team_id, request.name, request.expires_in_days, request.scope)
            )
            return created

        modal = NewKeyModal(self.access.team.name, self.committing(create, self._made))
        self.app.push_screen(modal, self._reveal)

    @on(Button.Pressed, "#keys-rotate")
    def action_rotate(self) -> None:
        key = self.selected
        if key is None or not self.can_manage or key.status not in ROTATABLE:
            return
        team_id = self.team_id

        def rotate(request: RotateRequest) -> CreatedKey:
            rotation = RotateKey(
                team_id, key.key_id, request.grace_hours, until_unused=request.until_unused
            )
            created: CreatedKey = self.run(rotation)
            return created

        self.app.push_screen(RotateKeyModal(key, self.committing(rotate, self._made)), self._reveal)

    class Made(Message):
        """A key was created or rotated: its id, never its secret."""

        def __init__(self, key_id: str) -> None:
            super().__init__()
            self.key_id = key_id

    def _made(self, created: CreatedKey) -> Made:
        return self.Made(created.key.key_id)

    def on_keys_tab_made(self, message: Made) -> None:
        """Committed: the list behind the dialogs reads again and lands on the new key."""
        self._select_after_load = message.key_id
        self.post_message(TeamChanged())

    def _reveal(self, created: CreatedKey | None) -> None:
        """Straight from the form to the reveal modal; nothing here keeps the plaintext."""
        if created is not None and self.access is not None:
            self.app.push_screen(KeyRevealModal(created, self.access.team.name))

    @on(Button.Pressed, "#keys-revoke")
    def action_revoke(self) -> None:
        key = self.selected
        if key is None or not self.can_manage or key.status not in REVOCABLE:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._revoke(key)

        self.app.push_screen(
            ConfirmModal(
                plain("Revoke key?"),
                safe_markup(
                    "Revoke [b]$name[/b] ($masked)? Every service that uses it is refused "
                    "from its next request on. This cannot be undone.",
                    name=key.name,
                    masked=key.masked,
                ),
                "Revoke",
            ),
            confirmed,
        )

    @work(thread=True, exclusive=True, group="keys-change", exit_on_error=False)
    def _revoke(self, key: KeyView) -> None:
        revoked = self.run(RevokeKey(self.team_id, key.key_id))
        self.post_message(TeamChanged(f"Revoked the key {revoked.name}; it stops working at once."))

    def action_scope(self) -> None:
        key = self.selected
        if key is not None and self.can_manage and key.status in REVOCABLE:
            changed = other_scope(key)
            self.app.push_screen(
                scope_question(key), lambda yes: self._set_scope(key, changed) if yes else None
            )

    @work(thread=True, exclusive=True, group="keys-change", exit_on_error=False)
    def _set_scope(self, key: KeyView, scope: str) -> None:
        changed = self.run(SetKeyScope(self.team_id, key.key_id, scope))
        self.post_message(TeamChanged(scope_changed(changed)))
