"""The case store on a hospital's PostgreSQL server (issue 18): same API and guarantees as the SQLite store.

Imported only when a `postgresql://` store URL is configured (psycopg is not loaded otherwise).
"""

from guideline_db.store.postgres.store import PgCaseStore, ServerUnreachableError, display_url

__all__ = ["PgCaseStore", "ServerUnreachableError", "display_url"]
