"""The one place that says where abc-mdt keeps a user's files, and how its settings files are read.

The CLI, the case store, the report settings and the GUI all ask here, so they agree on every OS:

| kind   | Linux (XDG)                     | Windows                          | macOS                              | override            |
| data   | ~/.local/share/abc-mdt          | %LOCALAPPDATA%\\abc-mdt           | ~/Library/Application Support/...  | ABC_MDT_DATA_DIR    |
| config | ~/.config/abc-mdt               | %APPDATA%\\abc-mdt (roaming)      | ~/Library/Application Support/...  | ABC_MDT_CONFIG_DIR  |
| logs   | ~/.local/state/abc-mdt/log      | %LOCALAPPDATA%\\abc-mdt\\Logs      | ~/Library/Logs/abc-mdt             | ABC_MDT_LOG_DIR     |
| cache  | ~/.cache/abc-mdt                | %LOCALAPPDATA%\\abc-mdt\\Cache     | ~/Library/Caches/abc-mdt           | ABC_MDT_CACHE_DIR   |

Why platformdirs: it asks Windows for the known folders (SHGetKnownFolderPath) instead of guessing from
environment variables, follows the XDG spec (a relative $XDG_DATA_HOME is ignored), and knows macOS; three
hand-written resolvers had drifted apart (two settings.json on Windows). The case store is data and stays
local (never roaming: a synchronised SQLite file is a corrupted one); settings roam with the user.

Two settings files in the config folder, with different owners:

- ``settings.json``: **managed by the hospital's IT** (hospital name on reports, ...). The app only reads it,
  never writes it.
- ``state.json``: **the app's own** (idle-lock time and other preferences the user changes in the app).

A settings file that does not parse is never overwritten and never silently replaced by defaults: the problem
is recorded (``settings_problems()``; the CLI prints it on stderr, the GUI shows it) and the app goes on
with the defaults for that file.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

APP_NAME = "abc-mdt"
OVERRIDES = {"data": "ABC_MDT_DATA_DIR", "config": "ABC_MDT_CONFIG_DIR", "log": "ABC_MDT_LOG_DIR",
             "cache": "ABC_MDT_CACHE_DIR"}
MANAGED_SETTINGS_FILE = "settings.json"   # IT's; read only
STATE_FILE = "state.json"                 # the app's own
# The platform variables platformdirs reads; when a caller passes its own environ these come from it alone.
_PLATFORM_VARS = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "APPDATA",
                  "LOCALAPPDATA")

log = logging.getLogger(__name__)


class SettingsFileError(OSError):
    """A settings file exists but cannot be used; it is left as it is."""


def _platform(system: str):
    """The platformdirs implementation for `system` (a sys.platform value)."""
    if system == "win32":
        from platformdirs.windows import Windows as cls
    elif system == "darwin":
        from platformdirs.macos import MacOS as cls
    else:
        from platformdirs.unix import Unix as cls
    return cls(appname=APP_NAME, appauthor=False, roaming=False)


@contextlib.contextmanager
def _environment(environ: Mapping[str, str] | None) -> Iterator[None]:
    """platformdirs reads os.environ; a caller's own mapping (tests, the store's path API) stands in for it."""
    if environ is None:
        yield
        return
    saved = {name: os.environ.get(name) for name in _PLATFORM_VARS}
    with _ENVIRON_LOCK:
        try:
            for name in _PLATFORM_VARS:
                if environ.get(name):
                    os.environ[name] = environ[name]
                else:
                    os.environ.pop(name, None)
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


_ENVIRON_LOCK = threading.Lock()


def user_dir(kind: str, environ: Mapping[str, str] | None = None, system: str | None = None) -> Path:
    """The folder for `kind` (data | config | log | cache): its ABC_MDT_*_DIR override, else the platform's."""
    env = os.environ if environ is None else environ
    override = env.get(OVERRIDES[kind], "")
    if override:
        return Path(override).expanduser()
    system = system or sys.platform
    with _environment(environ):
        dirs = _platform(system)
        if kind == "data":
            path = dirs.user_data_dir
        elif kind == "config":
            # Roaming on Windows (%APPDATA%): preferences follow the user; everything else stays local.
            path = _platform_roaming(system).user_config_dir if system == "win32" else dirs.user_config_dir
        elif kind == "log":
            path = dirs.user_log_dir
        else:
            path = dirs.user_cache_dir
    return Path(path)


def _platform_roaming(system: str):
    from platformdirs.windows import Windows

    return Windows(appname=APP_NAME, appauthor=False, roaming=True)


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    return user_dir("data", environ)


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    return user_dir("config", environ)


def log_dir(environ: Mapping[str, str] | None = None) -> Path:
    return user_dir("log", environ)


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    return user_dir("cache", environ)


def managed_settings_path() -> Path:
    return config_dir() / MANAGED_SETTINGS_FILE


def state_path() -> Path:
    return config_dir() / STATE_FILE


# -- reading and writing settings files ---------------------------------------------------------------------

@dataclass(frozen=True)
class SettingsProblem:
    path: Path
    message: str

    def __str__(self) -> str:
        return f"settings file {self.path} not used: {self.message} (it was left as it is; fix or delete it)"


_problems: dict[Path, SettingsProblem] = {}
_problems_lock = threading.Lock()


def settings_problems(clear: bool = False) -> list[SettingsProblem]:
    """The settings files found unusable since the last clear, for the GUI to show (the CLI prints them and
    clears: a file read again later is reported again)."""
    with _problems_lock:
        problems = list(_problems.values())
        if clear:
            _problems.clear()
        return problems


def _record(path: Path, message: str | None) -> None:
    with _problems_lock:
        if message is None:
            _problems.pop(path, None)
        elif path not in _problems:
            _problems[path] = SettingsProblem(path, message)
            log.warning("%s", _problems[path])


def _parse(path: Path) -> tuple[dict[str, Any], str | None]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, None
    except OSError as exc:
        return {}, f"cannot be read ({exc.strerror or exc})"
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return {}, f"not UTF-8 text (invalid byte at offset {exc.start})"
    except json.JSONDecodeError as exc:
        return {}, f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
    if not isinstance(data, dict):
        return {}, "not a JSON object ({...})"
    return data, None


def read_settings_file(path: Path) -> dict[str, Any]:
    """The JSON object in `path`; {} when it does not exist. A file that exists but is unreadable, not UTF-8,
    not JSON or not an object gives {} too, and is recorded in settings_problems() (never rewritten)."""
    data, problem = _parse(path)
    _record(path, problem)
    return data


def managed_settings() -> dict[str, Any]:
    """IT's settings.json (read only)."""
    return read_settings_file(managed_settings_path())


def load_state() -> dict[str, Any]:
    """The app's own preferences (state.json)."""
    return read_settings_file(state_path())


def save_state(**values: Any) -> Path:
    """Merge `values` into state.json, atomically (a crash never leaves half a file).

    Raises SettingsFileError (an OSError) rather than replace a state file that exists but does not parse,
    and OSError when the folder cannot be written; the caller says so and keeps the value for this session."""
    path = state_path()
    current, problem = _parse(path)
    if problem is not None:
        _record(path, problem)
        raise SettingsFileError(str(SettingsProblem(path, problem)))
    merged = {**current, **values}
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(prefix=".state-", suffix=".json", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(merged, stream, ensure_ascii=False, indent=2, sort_keys=True)
            stream.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
