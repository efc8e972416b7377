"""Modal dialogs, one per module, each a ``ModalScreen`` whose name ends in ``Modal``.

A leaf package: dialogs use ``tui.widgets`` but never ``tui.screens`` or ``tui.team``; they
return their result through ``dismiss()`` or a message, and the screen that opened them
decides what happens next.

Import each dialog from its own module. The package does not re-export them: most read
core's views or the agent, and the app's first frame, which needs only the help dialog,
must not wait for those (tests/tui/test_cold_start.py)."""
