"""An option list whose cursor stops at its ends instead of wrapping round.

In a short list of choices that take effect on Enter (the role picker), wrapping turns one
stray ↓ on the last option into the first one: from Member to Owner.
"""

from __future__ import annotations

from textual.widgets import OptionList


class BoundedOptionList(OptionList):
    def action_cursor_down(self) -> None:
        if self._enabled_beyond(1):
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self._enabled_beyond(-1):
            super().action_cursor_up()

    def _enabled_beyond(self, direction: int) -> bool:
        """Whether an enabled option lies past the highlighted one in ``direction``."""
        here = self.highlighted
        if here is None:
            return True  # nothing highlighted yet: the first move picks an end
        options = self.options[here + 1 :] if direction > 0 else self.options[:here]
        return any(not option.disabled for option in options)
