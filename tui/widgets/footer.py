"""The footer: one key per action the current user may take.

Textual's footer folds neighbouring bindings of one group into a single label; our groups
organise the help screen instead, so here every binding keeps its own description."""

from __future__ import annotations

from collections import defaultdict

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class AuxotFooter(Footer):
    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        active = self.screen.active_bindings
        by_action: defaultdict[str, list[tuple[object, bool, str]]] = defaultdict(list)
        for _node, binding, enabled, tooltip in active.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        self.styles.grid_size_columns = len(by_action)
        for bindings in by_action.values():
            binding, enabled, tooltip = bindings[0]
            yield FooterKey(
                binding.key,  # type: ignore[attr-defined]
                self.app.get_key_display(binding),  # type: ignore[arg-type]
                binding.description,  # type: ignore[attr-defined]
                binding.action,  # type: ignore[attr-defined]
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
