"""A real, throwaway PostgreSQL cluster for the store tests (initdb + pg_ctl, Unix socket only).

One cluster per test session (started on first use, stopped at exit), one fresh database per test.
Unix socket in a temporary folder, `listen_addresses = ''`: no TCP port is opened. Run as root, the
server runs as the `postgres` user that Debian's package creates (initdb refuses root). Authentication:
`trust` for the superuser, `scram-sha-256` for everyone else, the test users' passwords in a libpq
passfile (the way hospital PCs keep theirs: never in abc-mdt's settings). Tests skip, saying why, only
when the server binaries are not installed (tools/install-system-deps.sh test installs them).
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

INSTALL_HINT = ("PostgreSQL server binaries not found (initdb, pg_ctl under /usr/lib/postgresql/*/bin): "
                "install Debian's postgresql package (tools/install-system-deps.sh test) to run the "
                "PostgreSQL store tests")
PASSWORD = "test-only-secret"


def bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PgServer:
    """A running cluster; `url(db, user)` gives a libpq URL to it."""

    def __init__(self) -> None:
        binaries = bin_dir()
        if binaries is None:
            pytest.skip(INSTALL_HINT)
        self.bin = binaries
        self.run_as: str | None = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root and there is no postgres user to run the test server as")
            self.run_as = "postgres"
        self.root = Path(tempfile.mkdtemp(prefix="abc-mdt-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self.port = 5432
        self.passfile = self.root / "client" / "pgpass"
        self.passfile.parent.mkdir()
        self.passfile.write_text("")
        self.passfile.chmod(0o600)
        if self.run_as:
            entry = pwd.getpwnam(self.run_as)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._ids = itertools.count(1)
        self._users: set[str] = set()
        self.initdb()
        self.start()

    def _run(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        extra: dict[str, Any] = {"user": self.run_as} if self.run_as else {}
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "HOME": str(self.root)}
        result = subprocess.run(list(args), capture_output=True, text=True, env=env, cwd=self.root,
                                timeout=timeout, **extra)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {result.stdout}\n{result.stderr}")
        return result

    def initdb(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--encoding=UTF8",
                  "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=reject")
        (self.data / "pg_hba.conf").write_text(
            "local all postgres trust\nlocal all all scram-sha-256\n")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(f"listen_addresses = ''\nunix_socket_directories = '{self.socket_dir}'\nport = {self.port}\n"
                       "max_connections = 60\nshared_buffers = 32MB\nfsync = on\nsynchronous_commit = on\n"
                       "password_encryption = 'scram-sha-256'\n")
        if self.run_as:
            entry = pwd.getpwnam(self.run_as)
            for path in (self.data / "pg_hba.conf", self.data / "postgresql.conf"):
                os.chown(path, entry.pw_uid, entry.pw_gid)

    def start(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"), "-w",
                  "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        return (f"postgresql://{user}@/{database}?host={self.socket_dir}&port={self.port}"
                f"&passfile={self.passfile}")

    @property
    def admin(self) -> str:
        return self.url()

    def user(self, name: str) -> str:
        """A clinician's login role (member of abc_mdt_user), its password in the passfile."""
        from guideline_db.store.postgres.admin import add_user

        if name not in self._users:
            add_user(self.admin, name, password=PASSWORD)
            with self.passfile.open("a") as handle:
                handle.write(f"*:*:*:{name}:{PASSWORD}\n")
            self._users.add(name)
        return name

    def new_database(self, users: tuple[str, ...] = ("tester",)) -> str:
        """A fresh database with the registry installed; the URL of its first user."""
        from guideline_db.store.postgres.admin import run, server_init

        name = f"registry_{os.getpid()}_{next(self._ids)}"
        run(self.admin, f'CREATE DATABASE "{name}"')
        server_init(self.url(name))
        for user in users:
            self.user(user)
        return self.url(name, users[0])

    def cleanup(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


_SERVER: PgServer | None = None


def server() -> PgServer:
    global _SERVER
    if _SERVER is None:
        _SERVER = PgServer()
        atexit.register(_SERVER.cleanup)
    return _SERVER


@pytest.fixture
def pg_server() -> PgServer:
    return server()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """The URL of a fresh registry database, as user `tester`."""
    return pg_server.new_database()


def open_engine(engine: str, tmp_path: Path, url: str | None = None, **kwargs: Any) -> Any:
    """An empty store of `engine` ('sqlite' or 'postgresql') for the shared tests."""
    from guideline_db.store import CaseStore
    from guideline_db.store.postgres import PgCaseStore

    if engine == "sqlite":
        kwargs.setdefault("mounts_file", None)
        kwargs.setdefault("user", "tester")
        return CaseStore.open(tmp_path / "data" / "cases.sqlite", **kwargs)
    kwargs.pop("mounts_file", None)
    kwargs.pop("user", None)   # on the server the actor is the database role (pg_server: tester)
    return PgCaseStore.connect(url or server().new_database(), anchor_dir=tmp_path / "anchors", **kwargs)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def any_store(engine: str, tmp_path: Path) -> Iterator[Any]:
    """An empty store of each engine in turn: the same test runs against SQLite and PostgreSQL."""
    with open_engine(engine, tmp_path) as store:
        yield store


# ----------------------------------------------------------------- client processes (concurrency and kill tests)

def worker(url: str, anchor_dir: str, out: str, seconds: float, shared: int, name: str) -> None:
    """One client PC for `seconds`: edits the shared cases from the version it loaded (stale saves must be
    refused), creates its own cases, searches; every acknowledged save and every refusal is written (and
    flushed) to `out` as a JSON line the moment the store returns."""
    import json
    import random
    import time

    from store_helpers import edited, make_case

    from guideline_db.store import StoreError, VersionConflictError
    from guideline_db.store.postgres import PgCaseStore

    rng = random.Random(name)
    deadline = time.monotonic() + seconds
    with PgCaseStore.connect(url, anchor_dir=Path(anchor_dir), timeout=30) as store, open(out, "a") as log:
        def record(kind: str, **values: Any) -> None:
            log.write(json.dumps({"kind": kind, **values}) + "\n")
            log.flush()

        own = 0
        while time.monotonic() < deadline:
            choice = rng.random()
            try:
                if choice < 0.6:
                    case_id = f"shared-{rng.randrange(shared)}"
                    case, info = store.load(case_id)
                    time.sleep(rng.random() * 0.02)  # "typing": others may save meanwhile
                    try:
                        saved = store.save_version(edited(case, kps=rng.choice([50, 60, 70, 80, 90]),
                                                          age=rng.randrange(30, 90)),
                                                   author=name, expected_version=info.version)
                    except VersionConflictError as exc:
                        record("refused", case_id=case_id, expected=info.version, message=exc.message)
                        continue
                    # the same content as the latest version is no new version (the store's no-op rule)
                    record("ok" if saved.version != info.version else "unchanged", case_id=case_id,
                           expected=info.version, version=saved.version, row_hash=saved.row_hash)
                elif choice < 0.8:
                    own += 1
                    case_id = f"{name}-{own}"
                    saved = store.save_version(make_case(case_id, name=f"王 {name}"), author=name, expected_version=0)
                    record("ok", case_id=case_id, expected=0, version=saved.version, row_hash=saved.row_hash)
                else:
                    found = store.list_cases("shared", limit=50)
                    record("search", found=len(found))
            except StoreError as exc:
                record("error", message=str(exc))
                time.sleep(0.05)


def start_worker(url: str, anchor_dir: Path, out: Path, seconds: float, shared: int,
                 name: str) -> subprocess.Popen[bytes]:
    tests = Path(__file__).resolve().parent
    code = (f"import sys; sys.path.insert(0, {str(tests)!r}); import pg_server; "
            f"pg_server.worker({url!r}, {str(anchor_dir)!r}, {str(out)!r}, {seconds!r}, {shared!r}, {name!r})")
    import sys

    return subprocess.Popen([sys.executable, "-c", code], cwd=tests.parent)
