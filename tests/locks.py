"""Another connection holds rows while a service runs: the proof that a service locks the row it
changes and not the rows it only reads (the campaign, the units, the award type ...), which
every unit shares. PostgreSQL only: SQLite has no row locks.

The other connection takes ``FOR NO KEY UPDATE``, the lock an ordinary UPDATE of the row takes
(someone editing the campaign or the unit at that moment). It does not stop rows being inserted
with a key to the held row (those take ``FOR KEY SHARE``), but it stops any ``SELECT ... FOR
UPDATE`` that reaches the row, which is what a service joining it used to do.
"""

import contextlib

import pytest
from django.db import OperationalError, connection, transaction

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL; SQLite locks the whole database",
)


@contextlib.contextmanager
def _other_connection():
    """A second connection to the test database, in a transaction until the end."""
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        yield other
    finally:
        other.rollback()
        other.close()


def _lock_rows(cursor, rows, mode: str) -> None:
    quote = connection.ops.quote_name
    for row in rows:
        table, pk = quote(row._meta.db_table), quote(row._meta.pk.column)
        cursor.execute(f"SELECT 1 FROM {table} WHERE {pk} = %s FOR {mode}", [row.pk])
        assert cursor.fetchone(), f"{row!r} is not in the database"


@contextlib.contextmanager
def held_elsewhere(*rows, wait: str = "2s"):
    """Inside, another connection holds ``rows`` (model instances) in an open transaction, and a
    statement of this connection that waits for one of them fails after ``wait`` instead of
    waiting: a service that runs to its end did not wait for them."""
    with _other_connection() as other:
        with other.cursor() as cursor:  # psycopg2: the first statement opens a transaction
            _lock_rows(cursor, rows, "NO KEY UPDATE")
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = %s", [wait])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")


def referable_elsewhere(*rows, wait: str = "2s") -> bool:
    """True when another connection may insert rows with a key to ``rows`` now (it takes
    ``FOR KEY SHARE`` on them): what this connection's open transaction holds does not stop
    the units' work that refers to them."""
    with _other_connection() as other, other.cursor() as cursor:
        cursor.execute("SET lock_timeout = %s", [wait])
        try:
            _lock_rows(cursor, rows, "KEY SHARE")
        except connection.Database.OperationalError as exc:
            if "lock timeout" in str(exc):
                return False
            raise
    return True


def waits(queryset) -> bool:
    """True when locking ``queryset``'s rows waits for the rows held elsewhere (the check that
    the test holds what it means to: a ``SELECT ... FOR UPDATE`` joined to them waits)."""
    try:
        with transaction.atomic():
            list(queryset)
    except OperationalError as exc:
        if "lock timeout" in str(exc):
            return True
        raise
    return False
