"""Saving what a view exports: ask for the file (desktop_app.dialogs, so tests inject the path), then write the
bytes the core made, or say "Not written" with the reason. The content is made only once a file is chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app import dialogs
from desktop_app.qt import translate


def save_bytes(parent: Any, title: str, suggested: str, filters: str,
               content: Callable[[Path], bytes]) -> Path | None:
    """`content(path)` gives the bytes (the path's suffix may choose the format); None when cancelled or failed."""
    chosen = dialogs.save_file(parent, title, suggested, filters)
    if not chosen:
        return None
    path = Path(chosen)
    try:
        path.write_bytes(content(path))
    except OSError as exc:
        dialogs.message(parent, translate("ViewFiles", "Not written"), f"{path}: {exc.strerror or exc}", warning=True)
        return None
    return path


def list_format(path: Path) -> str:
    """json for a .json file, else csv (the list and audit exports)."""
    return "json" if path.suffix.lower() == ".json" else "csv"
