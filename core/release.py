"""This installation's release of Auxot Teams: the package's version. Its own module, so that
``auxot --version`` reads it without importing the database layer."""

from __future__ import annotations

PACKAGE = "auxot"


def this_release() -> str | None:
    """The installed package's version, or None when the package is not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(PACKAGE)
    except PackageNotFoundError:
        return None
