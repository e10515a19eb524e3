"""Reads written in plain SQL for the pages that every view repeats (dashboards, queues,
consolidations): for a short statement, building it as a queryset costs Django several times
what the database spends answering it. Each helper here returns what the ORM would return
(model instances with their values converted, or rows), so callers and templates do not
change; the tests of each caller compare the results with the querysets they replaced."""

import hashlib
import re
import threading
from collections import OrderedDict

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.db.models.base import ModelState


def placeholders(values) -> str:
    """``%s, %s, …``: one placeholder per value, for ``IN (…)``."""
    return ", ".join(["%s"] * len(values))


def fetch(sql: str, params, *, prepare: bool = False) -> list:
    """The rows of ``sql``. ``prepare``: a long statement a page makes on every view, which
    PostgreSQL would otherwise parse and plan every time (about a millisecond for the
    dashboard's counts, more than it spends answering): prepared once per connection and
    executed by name (:func:`_fetch_prepared`). Other databases ignore it."""
    if prepare and connection.vendor == "postgresql" and settings.PREPARED_STATEMENTS:
        return _fetch_prepared(sql, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Prepared statements a connection may hold before they are all deallocated (each distinct
# statement text is one: the same read for a different number of children is another).
MAX_PREPARED = 200


def _fetch_prepared(sql: str, params) -> list:
    """``PREPARE`` the statement once per database session (its name is a digest of its
    text), then ``EXECUTE`` it with the parameters. A prepared statement outlives the
    transaction it was made in (a rollback does not undo it) and ends with the session; the
    names this session holds are kept on the connection wrapper, with the session they
    belong to, so a new session prepares again."""
    params = list(params)
    name = "q_" + hashlib.sha1(sql.encode()).hexdigest()[:20]
    with connection.cursor() as cursor:
        session = connection.connection
        held = getattr(connection, "_prepared_statements", None)
        if held is None or held[0] is not session:
            held = connection._prepared_statements = (session, set())
        if name not in held[1]:
            if len(held[1]) >= MAX_PREPARED:
                cursor.execute("DEALLOCATE ALL")
                held[1].clear()
            numbered = iter(range(1, len(params) + 1))
            text = re.sub(r"%s", lambda _match: f"${next(numbered)}", sql).replace("%%", "%")
            cursor.execute(f"PREPARE {name} AS {text}")
            held[1].add(name)
        if params:
            cursor.execute(f"EXECUTE {name}({placeholders(params)})", params)
        else:
            cursor.execute(f"EXECUTE {name}")
        return cursor.fetchall()


_COLUMNS: dict = {}


def fields(model, defer: tuple = ()) -> list:
    """The concrete fields of ``model`` that :func:`columns` reads."""
    return [f for f in model._meta.concrete_fields if f.attname not in defer]


def union_all(parts, *, prepare: bool = False) -> list[list[tuple]]:
    """Several reads in one statement, ``UNION ALL``: each read's rows, in the order of
    ``parts``. One round trip instead of one per read. A part is ``(sql, params)``, or
    ``(sql, params, width)`` for a read of ``width`` columns narrower than another: it is
    padded with ``NULL`` to the widest declared width and its rows come back at its own.
    Columns at the same position must have compatible types in every part (a typed ``NULL``
    where a part has nothing to put: ``CAST(NULL AS INTEGER)``). The widest reads come first
    in the statement: PostgreSQL gives the padding ``NULL`` the type of the column above it
    (two untyped ``NULL`` in a row would make a text column). ``prepare``: see :func:`fetch`."""
    parts = [(part[0], part[1], part[2] if len(part) > 2 else None) for part in parts]
    widest = max((width for *_rest, width in parts if width), default=0)
    order = sorted(range(len(parts)), key=lambda index: -(parts[index][2] or widest))
    sql = " UNION ALL ".join(
        f"SELECT {index} AS part, q.*{', NULL' * (widest - (width or widest))} FROM ({part_sql}) q"
        for index, (part_sql, _params, width) in ((i, parts[i]) for i in order)
    )
    params = [p for index in order for p in parts[index][1]]
    rows: list[list[tuple]] = [[] for _part in parts]
    ends = [width + 1 if width else None for _sql, _params, width in parts]
    for row in fetch(sql, params, prepare=prepare):  # tuples: slices are tuples
        part = row[0]
        rows[part].append(row[1 : ends[part]])
    return rows


def columns(model, alias: str, defer: tuple = ()) -> str:
    """The concrete columns of ``model`` on the table alias ``alias``, in the order
    :func:`loader` reads them; without the fields named in ``defer``."""
    key = (model, alias, defer, connection.vendor)
    if key not in _COLUMNS:
        quote = connection.ops.quote_name
        _COLUMNS[key] = ", ".join(f"{alias}.{quote(f.column)}" for f in fields(model, defer))
    return _COLUMNS[key]


_LOADERS: dict = {}


def loader(model, defer: tuple = ()):
    """A function from rows of ``model``'s concrete columns (:func:`columns`), read with plain
    SQL, to instances: the values converted as the ORM converts them (dates and times,
    booleans and decimals on SQLite) and each instance built as ``Model.from_db`` builds it,
    without its per-field ``__init__`` (no model here listens to ``pre_init`` or
    ``post_init``). The fields named in ``defer`` are left out and deferred, as
    ``QuerySet.defer`` leaves them: read from the database if ever used. Made once per model
    and database."""
    key = (model, defer, connection.alias, connection.vendor)
    if key not in _LOADERS:
        _LOADERS[key] = _make_loader(model, defer)
    return _LOADERS[key]


def _make_loader(model, defer: tuple):
    read = fields(model, defer)
    names = [f.attname for f in read]
    converters = []
    for index, model_field in enumerate(read):
        column = model_field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            converters.append((index, column, found))
    alias = connection.alias

    def load(rows) -> list:
        instances = []
        for row in rows:
            if converters:
                row = list(row)
                for index, column, found in converters:
                    value = row[index]
                    for converter in found:
                        value = converter(value, column, connection)
                    row[index] = value
            instance = model.__new__(model)
            instance.__dict__.update(zip(names, row, strict=True))
            instance._state = ModelState()
            instance._state.adding = False
            instance._state.db = alias
            instances.append(instance)
        return instances

    return load


def instances(
    model,
    where: str,
    params,
    order: str,
    alias: str = "t",
    defer: tuple = (),
    *,
    memo: "RowMemo | None" = None,
    version=None,
) -> list:
    """The instances of ``model`` matching ``where`` (on the table alias ``alias``), in the
    order ``order``, without the fields named in ``defer``: one statement, or none when
    ``memo`` already holds its rows for ``version`` (:class:`RowMemo`)."""
    sql = (
        f"SELECT {columns(model, alias, defer)} FROM {model._meta.db_table} {alias} "
        f"WHERE {where} ORDER BY {order}"
    )
    rows = memo.fetch(version, sql, params) if memo is not None else fetch(sql, params)
    return loader(model, defer)(rows)


class RowMemo:
    """The rows of small reads kept in the process under a version that the caller has read
    anyway and that changes with every change to what they read (a campaign's plan: its
    ``plan_version``, drawn again by every service that changes the plan). A read costs a
    round trip and a plan on PostgreSQL even for five rows; the rows are kept as the database
    gave them (tuples), so each caller builds its own instances and nothing is shared between
    requests. At most ``size`` reads, the least recently used dropped first."""

    def __init__(self, size: int = 512):
        self.size = size
        self._rows: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def fetch(self, version, sql: str, params) -> list:
        key = (connection.alias, connection.settings_dict["NAME"], version, sql, tuple(params))
        with self._lock:
            rows = self._rows.get(key)
            if rows is not None:
                self._rows.move_to_end(key)
                return rows
        rows = fetch(sql, params)
        with self._lock:
            self._rows[key] = rows
            while len(self._rows) > self.size:
                self._rows.popitem(last=False)
        return rows

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()


def set_prefetched(instance, name: str, model, objects: list) -> None:
    """Give ``instance`` the related objects ``name`` (a reverse relation) as
    ``prefetch_related`` would: ``instance.<name>.all()`` then answers ``objects`` without a
    query."""
    queryset = QuerySet(model=model)
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset
