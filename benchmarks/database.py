"""The throw-away benchmark database.

SQLite by default: one file per tree size under ``var/bench/`` (never ``var/db.sqlite3``).
PostgreSQL when ``DATABASE_URL`` names a PostgreSQL server: one database per tree size named
``emulation_bench_<size>`` on that server, created and dropped here; no other database is
touched. Nothing in this module imports Django models, because :func:`configure_environment`
must run before ``django.setup()``.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
PG_PREFIX = "emulation_bench"
META_TABLE = "bench_meta"


def configure_environment() -> str:
    """Point the settings at the benchmark database and turn the floor page on.

    Returns the vendor, ``"sqlite"`` or ``"postgresql"``. Must run before ``django.setup()``.
    """
    import environ

    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
    url = os.environ.get("DATABASE_URL", "")
    scheme = urlsplit(url).scheme if url else "sqlite"
    if scheme.startswith("postgres") or scheme in ("pgsql", "psql"):
        vendor = "postgresql"
        parts = urlsplit(url)
        os.environ["DATABASE_URL"] = parts._replace(path=f"/{PG_PREFIX}").geturl()
    elif scheme.startswith("sqlite"):
        vendor = "sqlite"
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"
    else:
        raise SystemExit(f"The benchmarks run on SQLite or PostgreSQL, not {scheme}.")
    os.environ["BENCHMARK"] = "1"  # adds the /_floor/ page to the URLconf
    os.environ["DEBUG"] = "0"  # measure what production runs: no debug templates or query log
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation.settings")
    return vendor


class BenchDatabase:
    """One benchmark database (a SQLite file or a PostgreSQL database) for one tree size."""

    def __init__(self, vendor: str, label: str):
        self.vendor = vendor
        if vendor == "sqlite":
            self.path = BENCH_DIR / f"bench-{label}.sqlite3"
            self.name = str(self.path)
        else:
            self.name = f"{PG_PREFIX}_{label}"

    def __str__(self) -> str:
        return self.name

    # -- lifecycle ------------------------------------------------------------------------

    def exists(self) -> bool:
        if self.vendor == "sqlite":
            return self.path.exists()
        with self._server_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            return cursor.fetchone() is not None

    def create(self) -> None:
        """Create the database empty, dropping a previous benchmark database of this name."""
        self.drop()
        if self.vendor == "postgresql":
            with self._server_cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.name}"')
        self.activate()

    def drop(self) -> None:
        from django.db import connections

        connections["default"].close()
        if self.vendor == "sqlite":
            assert self.path.parent == BENCH_DIR, self.path
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return
        assert self.name.startswith(PG_PREFIX), self.name
        with self._server_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def activate(self) -> None:
        """Make this database the one every query of the process goes to."""
        from django.conf import settings
        from django.db import connections

        connection = connections["default"]
        connection.close()
        connection.settings_dict["NAME"] = self.name
        settings.DATABASES["default"]["NAME"] = self.name

    def _server_cursor(self):
        from django.db import connections

        # A cursor on the server's maintenance database ("postgres"), in autocommit.
        return connections["default"]._nodb_cursor()

    # -- what the database holds ----------------------------------------------------------

    def read_fingerprint(self) -> str | None:
        from django.db import connection

        if META_TABLE not in connection.introspection.table_names():
            return None
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT value FROM {META_TABLE} WHERE key = %s", ["fingerprint"])
            row = cursor.fetchone()
        return row[0] if row else None

    def write_fingerprint(self, value: str) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {META_TABLE} "
                "(key VARCHAR(100) PRIMARY KEY, value TEXT NOT NULL)"
            )
            cursor.execute(f"DELETE FROM {META_TABLE} WHERE key = %s", ["fingerprint"])
            cursor.execute(
                f"INSERT INTO {META_TABLE} (key, value) VALUES (%s, %s)", ["fingerprint", value]
            )

    def analyze(self) -> None:
        """Refresh the planner's statistics on PostgreSQL, as autovacuum would shortly after a
        large import. SQLite is left as ``migrate`` leaves it (no ``sqlite_stat1``), as a
        development database would be."""
        if self.vendor != "postgresql":
            return
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
