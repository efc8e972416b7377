"""``python -m cli`` runs the same entry point as the ``auxot`` console script."""

from __future__ import annotations

import sys

from cli.main import main

sys.exit(main())
