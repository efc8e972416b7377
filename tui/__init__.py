"""The Auxot Teams terminal app: Settings → Teams over core's services."""

from __future__ import annotations

from tui.app import AuxotApp, run_app

__all__ = ["AuxotApp", "run_app"]
