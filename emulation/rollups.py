"""Counters kept per branch of the union tree, so that a page about a branch reads a few rows.

A roll-up table holds, for every unit that has something below it, the totals of its whole
subtree (itself included): e.g. how many units of the branch have a registration in each
status, or the sum of an indicator. A service that changes one unit's figures adds the change
to the rows of the unit and of each of its ancestors, in the same transaction, with
:func:`add`; a page about unit U then reads the rows of U's children instead of grouping the
whole subtree. Each app keeps its own tables and its own rebuild (a ``GROUP BY`` over the path
prefixes, the reference the incremental counters are tested against); this module only holds
the SQL they share, and imports no app.

The model needs a unique constraint over ``keys`` and a ``db_default`` on every counter column
(a statement that adds to some counters leaves the others to the database); the statement is an
``INSERT … ON CONFLICT (keys) DO UPDATE SET total = table.total + excluded.total``, which
PostgreSQL and SQLite both understand. Rows are written in the order of their keys, so two
transactions that touch the same ancestors lock them in the same order and cannot deadlock.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence

from django.db import connections, router

BATCH = 500


def branch_paths(path: str, steplen: int) -> list[str]:
    """The paths of a unit's ancestors and of the unit itself, from the root down."""
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


def add(model, rows: Iterable[Mapping], *, keys: Sequence[str], sums: Sequence[str]) -> int:
    """Add each row's ``sums`` to the counters of its ``keys``, creating missing rows.

    Rows with the same keys are merged first; rows whose sums are all zero are skipped.
    Returns the number of counter rows written.
    """
    merged: dict[tuple, list] = {}
    for row in rows:
        key = tuple(row[name] for name in keys)
        totals = merged.setdefault(key, [0] * len(sums))
        for index, name in enumerate(sums):
            totals[index] += row.get(name) or 0
    items = sorted(
        ((key, totals) for key, totals in merged.items() if any(totals)),
        key=lambda item: tuple("" if v is None else v for v in item[0]),
    )
    if not items:
        return 0
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key_columns = [quote(model._meta.get_field(name).column) for name in keys]
    sum_columns = [quote(model._meta.get_field(name).column) for name in sums]
    columns = ", ".join(key_columns + sum_columns)
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in sum_columns)
    placeholder = "(" + ", ".join(["%s"] * (len(keys) + len(sums))) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(items), BATCH):
            batch = items[start : start + BATCH]
            values = ", ".join([placeholder] * len(batch))
            params = [value for key, totals in batch for value in (*key, *totals)]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values} "
                f"ON CONFLICT ({', '.join(key_columns)}) DO UPDATE SET {updates}",
                params,
            )
    return len(items)


# Every app with counters registers how to recompute them all from its base tables, for the
# ``rebuild_counters`` command (after a restore, a raw SQL change or a bug fix).
REBUILDERS: dict[str, Callable[[], object]] = {}


def register_rebuild(label: str, rebuild: Callable[[], object]) -> None:
    REBUILDERS[label] = rebuild


def carried_rows(
    tables: Sequence[tuple], plan: Sequence[tuple], carry: Callable
) -> tuple[dict, dict[int, list[str]]]:
    """The rows that carry moved subtrees' totals from their old ancestors to their new ones.

    ``tables``: (model, keys, sums), ``branch`` and ``campaign`` among the keys. ``plan``:
    (move, campaign, counted before, counted after), a move having the moved unit's
    ``unit_id``, ``old_path`` and ``new_path``. The unit's own rows (the totals of its
    subtree) are read once; ``carry(model, sums, total, campaign, end, sign)`` gives the rows
    that add ``sign`` times one of them to the ancestors on the path ``end``: -1 for the old
    path of a unit counted before, +1 for the new one of a unit counted after. Returns the rows
    per model and, per campaign id, the new paths of the subtrees that left it."""
    campaigns = {campaign.pk for _move, campaign, _was, _is in plan}
    units = {move.unit_id for move, _campaign, _was, _is in plan}
    totals: dict[tuple[int, int], list] = {}
    for model, keys, sums in tables:
        for row in model.objects.filter(campaign__in=campaigns, branch_id__in=units).values_list(
            *keys, *sums
        ):
            total = dict(zip([*keys, *sums], row, strict=True))
            totals.setdefault((total["branch"], total["campaign"]), []).append((model, sums, total))
    rows: dict = {model: [] for model, _keys, _sums in tables}
    left: dict[int, list[str]] = {}
    for move, campaign, was_in, is_in in plan:
        ends = [(move.old_path, -1)] if was_in else []
        if is_in:
            ends.append((move.new_path, 1))
        else:
            left.setdefault(campaign.pk, []).append(move.new_path)
        for end, sign in ends:
            for model, sums, total in totals.get((move.unit_id, campaign.pk), []):
                rows[model].extend(carry(model, sums, total, campaign, end, sign))
    return rows, left


def apply_carried(tables: Sequence[tuple], rows: dict, left: dict, branches: Callable) -> None:
    """Add the rows of :func:`carried_rows` and delete the counters of the subtrees that left a
    campaign (``branches(roots)``: the ids of the units of those subtrees, a subquery)."""
    for model, keys, sums in tables:
        add(model, rows[model], keys=keys, sums=sums)
        for campaign_id, roots in left.items():
            model.objects.filter(campaign_id=campaign_id, branch__in=branches(roots)).delete()
