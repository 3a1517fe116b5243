"""What `abc-mdt --version` prints: the app, the guideline database it would use, and the key libraries.

A bug report or an audit needs all three: the same app version can run against a different database
(ABC_MDT_GUIDELINE_DB) or, installed from source, with different libraries. Library versions come from the
installed metadata (the bundle carries it: packaging/abc-mdt.spec), so nothing heavy (Qt) is imported.
"""

from __future__ import annotations

import importlib.metadata
import platform
import sqlite3

from guideline_db import __version__

# The libraries whose version changes what a user sees: the case model, the PDF, the signatures, the GUI.
KEY_LIBRARIES = ("pydantic", "reportlab", "pyhanko", "pyhanko-certvalidator", "cryptography", "PySide6",
                 "sqlite-utils", "platformdirs")


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    for name in KEY_LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def version_text() -> str:
    from guideline_db.database import GuidelineIntegrityError, open_guideline

    lines = [f"abc-mdt {__version__}"]
    try:
        db = open_guideline()
        lines.append(f"guideline: {db.title} (edition {db.edition}, built {db.meta.get('build_date')})")
        lines.append(f"database: {db.path}")
        lines.append(f"database sha256: {db.sha256} (verified)")
    except GuidelineIntegrityError as exc:
        lines.append(f"guideline database: NOT usable: {exc}")
    from guideline_db import app_logging, user_dirs

    lines.append(f"settings: {user_dirs.managed_settings_path()} (IT, read only), {user_dirs.state_path()} (app)")
    lines.append(f"log file: {app_logging.log_path()}")
    lines.append("libraries: " + ", ".join(f"{name} {version}" for name, version in library_versions().items()))
    return "\n".join(lines) + "\n"
