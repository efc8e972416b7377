"""What the app remembers between runs for the person at the keyboard: for now, the theme.

Kept as JSON in ``preferences.json`` under the user config directory (``~/.config/auxot`` on
Linux; ``AUXOT_CONFIG_DIR`` overrides it). A file that is missing, unreadable or not ours is
treated as no preferences; a failed write is logged and forgotten. Preferences never stop the
app from starting."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

FILE = "preferences.json"


@dataclass(frozen=True)
class Preferences:
    theme: str | None = None


def config_dir() -> Path:
    override = os.environ.get("AUXOT_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("auxot", appauthor=False))


def load_preferences(directory: Path | None = None) -> Preferences:
    path = (directory or config_dir()) / FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Preferences()
    theme = data.get("theme") if isinstance(data, dict) else None
    return Preferences(theme=theme if isinstance(theme, str) else None)


def save_preferences(preferences: Preferences, directory: Path | None = None) -> None:
    """Replace the file in one step (write beside it, then rename), so that two apps
    closing at once leave one whole file, never a mixed one. Raises OSError."""
    folder = directory or config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".preferences-", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(asdict(preferences), out, indent=2)
        os.replace(temporary, folder / FILE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remember(**changes: str) -> str | None:
    """Save ``changes`` over what is kept; the reason when it could not be written."""
    try:
        save_preferences(replace(load_preferences(), **changes))
    except OSError as error:
        return str(error)
    return None
