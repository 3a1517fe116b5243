"""Which engine holds the cases: the local SQLite file (default) or the hospital's PostgreSQL registry.

Selected by configuration, never by the GUI or CLI: `ABC_MDT_STORE_URL`, else `store_url` in IT's
settings.json (user_dirs.managed_settings). A `postgresql://` URL (or `postgres://`) selects the server;
nothing configured selects the SQLite store. The URL must not carry a password: libpq reads it from
~/.pgpass (%APPDATA%\\postgresql\\pgpass.conf), a service file, or uses a client certificate
(docs/hospital-server.md) — a settings file readable by every user of the PC is no place for it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from guideline_db.store.errors import StoreUsageError

ENV_VAR = "ABC_MDT_STORE_URL"
SETTINGS_KEY = "store_url"
OFFLINE_CACHE_FILE = "offline-cache.sqlite"
SECRET_HINT = ("remove the password from the URL and put it in the libpq password file (~/.pgpass) or a service "
               "file, or use a client certificate; see docs/hospital-server.md")


def is_server_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def check_url(url: str, where: str) -> str:
    if not is_server_url(url):
        raise StoreUsageError(f"{where}: store URL {url!r} is not a postgresql:// URL",
                              "use postgresql://host/database (or leave it unset for the local store)")
    parts = urlsplit(url)
    query = {key.lower() for key in parse_qs(parts.query)}
    if parts.password is not None or "password" in query or "sslpassword" in query:
        raise StoreUsageError(f"{where}: the store URL holds a password in clear; it was not used", SECRET_HINT)
    return url


def configured_store_url(environ: dict[str, str] | None = None) -> str | None:
    """The configured server URL, or None for the local SQLite store."""
    env = os.environ if environ is None else environ
    if value := env.get(ENV_VAR, "").strip():
        return check_url(value, ENV_VAR)
    from guideline_db import user_dirs

    value = user_dirs.managed_settings().get(SETTINGS_KEY)
    if isinstance(value, str) and value.strip():
        return check_url(value.strip(), f"{user_dirs.managed_settings_path()} ({SETTINGS_KEY})")
    return None


def open_server(url: str, *, read_only: bool = False, data_dir: Path | None = None, **kwargs: Any) -> Any:
    """The PostgreSQL registry at `url`, with this PC's anchor and offline cache in `data_dir`."""
    from guideline_db import user_dirs
    from guideline_db.store.postgres import PgCaseStore, ServerUnreachableError

    folder = data_dir if data_dir is not None else user_dirs.data_dir()
    try:
        return PgCaseStore.connect(check_url(url, "store URL"), anchor_dir=folder, read_only=read_only,
                                   offline_cache=folder / OFFLINE_CACHE_FILE, **kwargs)
    except ServerUnreachableError as exc:
        exc.offline_cache = folder / OFFLINE_CACHE_FILE  # what the GUI offers instead (open_offline_cache)
        exc.url = url                                     # and the server it keeps trying (desktop_app.server_link)
        if exc.offline_cache.is_file():
            from guideline_db.store.errors import StoreError

            try:
                with open_offline_cache(folder) as cache:
                    copies, pending = len(cache.cached_cases()), len(cache.pending())
            except StoreError as damaged:    # the outage is still what the user must hear first
                exc.message += f"; this PC's offline copy cannot be used: {damaged.message}"
            else:
                exc.message += (f"; this PC has a read-only copy of the {copies} cases it last opened"
                                + (f" and {pending} local saves waiting for the server" if pending else ""))
        raise


def open_offline_cache(data_dir: Path | None = None) -> Any:
    """This PC's copy of the cases it opened from the server, and its saves waiting for it (offline.py)."""
    from guideline_db import user_dirs
    from guideline_db.store.postgres.offline import OfflineCache

    return OfflineCache((data_dir if data_dir is not None else user_dirs.data_dir()) / OFFLINE_CACHE_FILE)


def open_store(path: Path | str | None = None, **kwargs: Any) -> Any:
    """The store the configuration selects: a server URL (argument or configuration) or an SQLite file.

    `path` may itself be a postgresql:// URL. With no path and no configured URL: the local SQLite store.
    """
    from guideline_db.store.case_store import CaseStore

    if isinstance(path, str) and is_server_url(path):
        return open_server(path, read_only=bool(kwargs.get("read_only")),
                           **{k: v for k, v in kwargs.items() if k in ("clock", "timeout")})
    return CaseStore.open(path, **kwargs)
