"""What the window remembers between launches (QSettings, an INI file beside settings.json):
geometry and dock layout, zoom, language, the step sidebar, and the recent case files.

Why QSettings here and JSON for the idle lock (user_settings): these are Qt's own window state blobs
(saveGeometry/saveState), which QSettings stores natively; the file lives in the same config folder
(ABC_MDT_CONFIG_DIR), so tests and managed installs point both elsewhere at once. No patient data
is kept: recent files are paths the user opened, nothing from inside them.
"""

from __future__ import annotations

from typing import Any

from desktop_app.qt import QSettings
from desktop_app.user_settings import config_dir

FILE_NAME = "window.ini"
MAX_RECENT = 8


def settings() -> QSettings:
    return QSettings(str(config_dir() / FILE_NAME), QSettings.Format.IniFormat)


def value(key: str, default: Any = None) -> Any:
    return settings().value(key, default)


def put(**values: Any) -> None:
    store = settings()
    for key, item in values.items():
        store.setValue(key, item)
    store.sync()


def recent_files() -> list[str]:
    found = settings().value("recent_files", [])
    if isinstance(found, str):
        found = [found]
    return [str(p) for p in (found or [])][:MAX_RECENT]


def add_recent(path: str) -> list[str]:
    files = [path] + [p for p in recent_files() if p != path]
    put(recent_files=files[:MAX_RECENT])
    return files[:MAX_RECENT]
