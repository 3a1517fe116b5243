"""The user's preferences (idle-lock time, ...): the app's own state.json in the shared config folder.

The folders and files are decided once, in guideline_db/user_dirs.py, for the CLI and the GUI alike:
settings.json beside it belongs to the hospital's IT and is never written by the app; a state file that
does not parse is reported (user_dirs.settings_problems) and never overwritten. Patient data never goes here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from guideline_db import user_dirs

CONFIG_DIR_ENV = "ABC_MDT_CONFIG_DIR"
SETTINGS_FILE = user_dirs.STATE_FILE


def config_dir() -> Path:
    """$ABC_MDT_CONFIG_DIR, else the platform's config folder (~/.config, %APPDATA%) / abc-mdt."""
    return user_dirs.config_dir()


def settings_path() -> Path:
    return user_dirs.state_path()


def load() -> dict[str, Any]:
    """The saved preferences; {} when the file is missing, unreadable or not a JSON object."""
    return user_dirs.load_state()


def save(**values: Any) -> Path:
    """Merge `values` into the state file, atomically. Raises OSError when the folder cannot be written or
    the file exists but does not parse; the caller says so and keeps the value for this session."""
    return user_dirs.save_state(**values)
