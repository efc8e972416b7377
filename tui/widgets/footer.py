"""The footer: one key per action the current user may take.

Textual's footer folds neighbouring bindings of one group into a single label; our groups
organise the help screen, so here only *compact* groups fold ("[ ] Page") and every other
binding keeps its own description.

The last keys ("esc Back", "? Help") are the ones a narrow terminal would cut. When the keys
do not fit the width, the footer first packs them closer (Textual's compact style), then
leaves out the command palette's hint (ctrl+p still opens it, and the help names it)."""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby

from rich.cells import cell_len
from textual import events
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
    # The keys' labels as last composed ((key, description) per key; a folded group is one
    # entry of its keys and its label), and how they were laid out: (compact, palette shown).
    _labels: tuple[tuple[tuple[str, ...], str], ...] = ()
    _palette_label: tuple[str, str] | None = None
    _layout: tuple[bool, bool] = (False, True)

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
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        self._labels = tuple(self._label_list(firsts))
        self._palette_label = None
        if palette is not None:
            binding = palette[1]
            self._palette_label = (self.app.get_key_display(binding), binding.description)
        compact, show_palette = self._layout = self._layout_for(self.app.size.width)
        self.set_reactive(Footer.compact, compact)
        self.set_class(compact, "-compact")
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
        if palette is not None and show_palette:
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

    def on_resize(self, event: events.Resize) -> None:
        if self._labels and self._layout_for(event.size.width) != self._layout:
            self._shown = None
            self.refresh(recompose=True)

    def _label_list(
        self, firsts: list[tuple[Binding, bool, str]]
    ) -> list[tuple[tuple[str, ...], str]]:
        """What the keys will read, as :meth:`compose` lays them out."""
        labels: list[tuple[tuple[str, ...], str]] = []
        for group, entries in groupby(firsts, key=lambda entry: entry[0].group):
            bindings = [binding for binding, _enabled, _tooltip in entries]
            keys = [self.app.get_key_display(binding) for binding in bindings]
            if group is not None and group.compact and len(bindings) > 1:
                labels.append((tuple(keys), group.description))
            else:
                labels.extend(
                    ((key,), b.description) for key, b in zip(keys, bindings, strict=True)
                )
        return labels

    def _layout_for(self, width: int) -> tuple[bool, bool]:
        """(compact, palette shown): the roomiest layout in which every key fits ``width``."""
        for compact, palette in ((False, True), (True, True), (True, False)):
            if _width(self._labels, self._palette_label if palette else None, compact) <= width:
                return compact, palette
        return True, False


def _shown_keys(screen: Screen) -> tuple[object, ...]:
    """What the footer would show on ``screen``: each shown binding and whether it is on."""
    return tuple(
        (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
        for _node, binding, enabled, tooltip in screen.active_bindings.values()
        if binding.show or binding.action == "command_palette"
    )


def _width(
    labels: tuple[tuple[tuple[str, ...], str], ...],
    palette: tuple[str, str] | None,
    compact: bool,
) -> int:
    """Cells the footer's keys take, by the widths Textual's footer styles give them."""
    total = 0
    for keys, description in labels:
        if len(keys) > 1:  # a folded group: its keys side by side, then its label
            inner = sum(cell_len(key) + (0 if compact else 2) for key in keys)
            total += 1 + inner + (0 if compact else 1) + cell_len(description) + 1
        elif compact:  # "k Description" and one cell of margin
            total += cell_len(keys[0]) + (1 + cell_len(description) if description else 0) + 1
        else:  # " k Description "
            total += cell_len(keys[0]) + 2 + (cell_len(description) + 1 if description else 0)
    if palette is not None:  # "▏^p palette ", docked right, in the compact style either way
        key, description = palette
        total += 1 + cell_len(key) + 1 + cell_len(description) + 1
    return total
