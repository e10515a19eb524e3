"""Rows written many at a time: plain tuples in multi-row INSERTs, without model instances."""

import sqlite3

from django.db import connection
from django.utils import timezone

from reminders.services import limits


def _insert(
    model,
    columns: tuple[str, ...],
    rows: list[tuple],
    *,
    ignore_conflicts=False,
    returning: tuple[str, ...] = (),
):
    """INSERT plain tuples, many rows per statement, without building model instances (which
    cost more than the database's own work at 130,000 rows). Returns the number of rows
    inserted, or with ``returning`` (columns) the inserted rows' values of those columns."""
    if not rows:
        return [] if returning else 0
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    size = max(1, min(limits.BATCH, _max_params() // len(columns)))
    suffix = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    if returning:
        suffix += " RETURNING " + ", ".join(
            quote(model._meta.get_field(c).column) for c in returning
        )
    inserted, returned = 0, []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({names}) "
                f"VALUES {', '.join([one] * len(chunk))}{suffix}",
                [value for row in chunk for value in row],
            )
            if returning:
                returned.extend(cursor.fetchall())
            else:
                inserted += max(cursor.rowcount, 0)
    return returned if returning else inserted


def _max_params() -> int:
    """How many parameters one statement may take: SQLite says it (32,766 since 3.32, where
    Django assumes 999); psycopg2 interpolates them on the client (no limit)."""
    limit = connection.features.max_query_params
    if limit is None:
        return 1_000_000
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        getlimit = getattr(connection.connection, "getlimit", None)  # Python 3.11+
        number = getattr(sqlite3, "SQLITE_LIMIT_VARIABLE_NUMBER", None)
        if getlimit is not None and number is not None:
            return getlimit(number)
    return limit


def _now():
    """The current time as the database takes it in a raw query."""
    return connection.ops.adapt_datetimefield_value(timezone.now())
