"""What IT runs once per server and once per user: the registry's schema, roles and logins.

`server_init` (as a superuser or a role with CREATEROLE that owns the database): the three group roles,
the tables owned by `abc_mdt_owner` (NOLOGIN: nobody works as the owner), the append-only triggers and
the grants. `add_user`: one login role per clinician, member of `abc_mdt_user` (or `abc_mdt_reader` for
read-only reviewers), so the server knows who is writing and the audit records it (`db_role`).
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from guideline_db.store.postgres import schema as pg_schema


def server_init(admin_url: str) -> None:
    """Install the registry in the (empty) database `admin_url` names."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        for statement in pg_schema.create_group_roles_sql():
            conn.execute(statement)
        database = conn.execute("SELECT current_database()").fetchone()[0]
        conn.execute(f"GRANT {pg_schema.OWNER_ROLE} TO current_user")
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        conn.execute(f"GRANT CREATE, USAGE ON SCHEMA public TO {pg_schema.OWNER_ROLE}")
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}, {}").format(
            sql.Identifier(database), sql.Identifier(pg_schema.USER_ROLE), sql.Identifier(pg_schema.READER_ROLE)))
        with conn.transaction():
            conn.execute(f"SET LOCAL ROLE {pg_schema.OWNER_ROLE}")
            for statement in pg_schema.install_statements():
                conn.execute(statement)


def add_user(admin_url: str, name: str, *, password: str | None = None, read_only: bool = False) -> None:
    """A login role for one person (password optional: certificate or peer authentication need none)."""
    group = pg_schema.READER_ROLE if read_only else pg_schema.USER_ROLE
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))
        if password is not None:
            conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(name), sql.Literal(password)))
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(name)))


def run(admin_url: str, statement: str, params: Any = None) -> list[tuple[Any, ...]]:
    """One statement as the administrator (tests and IT scripts)."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        cursor = conn.execute(statement, params)
        return cursor.fetchall() if cursor.description else []
