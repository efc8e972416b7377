"""Auxot Teams core: the one service layer that the app, the CLI and the SSH server share.

Nothing below this package imports Textual or the ``tui`` package.
"""
