"""The footer: one key per action the current user may take.

Textual's footer folds neighbouring bindings of one group into a single label; our groups
organise the help screen, so here only *compact* groups fold ("[ ] Page") and every other
binding keeps its own description."""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

# The footer's own pieces, which no public Textual module exports; composing them is the one
# way to fold only compact groups (tests/tui/test_architecture.py lists this import).
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup


class AuxotFooter(Footer):
    # What the footer shows, as last composed (or about to be): the keys of a screen are
    # asked for again after every cursor move and focus change, and composing the footer
    # anew each time (a widget per key, styled) cost more than the move itself.
    _shown: tuple[object, ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        if self._bindings_ready and screen is self.screen and self.app.app_focus:
            shown = _shown_keys(screen)
            if shown == self._shown:
                return  # composed already, or about to be
            self._shown = shown
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self._shown = _shown_keys(self.screen)
        active = self.screen.active_bindings
        by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for _node, binding, enabled, tooltip in active.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        self.styles.grid_size_columns = len(by_action)
        firsts = [bindings[0] for bindings in by_action.values()]
        for group, entries in groupby(firsts, key=lambda entry: entry[0].group):
            items = list(entries)
            if group is not None and group.compact and len(items) > 1:
                with KeyGroup(classes="-compact"):
                    for binding, enabled, tooltip in items:
                        yield FooterKey(
                            binding.key,
                            self.app.get_key_display(binding),
                            "",
                            binding.action,
                            disabled=not enabled,
                            tooltip=tooltip or binding.description,
                            classes="-grouped",
                        ).data_bind(compact=Footer.compact)
                yield FooterLabel(group.description)
                continue
            for binding, enabled, tooltip in items:
                yield FooterKey(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    disabled=not enabled,
                    tooltip=tooltip,
                ).data_bind(compact=Footer.compact)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)
            if palette is not None:
                _node, binding, enabled, tooltip = palette
                yield FooterKey(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    classes="-command-palette",
                    disabled=not enabled,
                    tooltip=binding.tooltip or binding.description,
                )


def _shown_keys(screen: Screen) -> tuple[object, ...]:
    """What the footer would show on ``screen``: each shown binding and whether it is on."""
    return tuple(
        (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
        for _node, binding, enabled, tooltip in screen.active_bindings.values()
        if binding.show or binding.action == "command_palette"
    )
