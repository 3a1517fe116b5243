"""The user's preferences (idle-lock time, ...) in one small JSON file in the user's config folder.

Why a JSON file and not QSettings: the file is readable and editable by a hospital's IT staff, its
place is explicit (ABC_MDT_CONFIG_DIR, like ABC_MDT_DATA_DIR for the store, lets tests and managed
installs point elsewhere), and a damaged or hand-broken file falls back to the defaults instead of
stopping the app. Patient data never goes here.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from desktop_app.qt import QStandardPaths

CONFIG_DIR_ENV = "ABC_MDT_CONFIG_DIR"
SETTINGS_FILE = "settings.json"


def config_dir() -> Path:
    """$ABC_MDT_CONFIG_DIR, else the platform's config folder (~/.config, %LOCALAPPDATA%) / abc-mdt."""
    override = os.environ.get(CONFIG_DIR_ENV, "")
    if override:
        return Path(override).expanduser()
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    return (Path(base) if base else Path.home() / ".config") / "abc-mdt"


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


def load() -> dict[str, Any]:
    """The saved settings; {} when the file is missing, unreadable or not a JSON object."""
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(**values: Any) -> Path:
    """Merge `values` into the settings file, atomically (a crash never leaves half a file).

    Raises OSError when the folder cannot be written; the caller says so and keeps the value for
    this session."""
    merged = {**load(), **values}
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(merged, stream, ensure_ascii=False, indent=2, sort_keys=True)
            stream.write("\n")
        os.replace(temporary, settings_path())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return settings_path()
