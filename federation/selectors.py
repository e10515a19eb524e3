"""Reads of the union tree that pages share; each is a fixed number of queries."""

from django.db import connections
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from federation.models import Organization, OrganizationKind


def in_subtree(queryset, path: str):
    """The rows of ``queryset`` whose path starts with ``path`` (the unit and its subtree).

    On PostgreSQL ``LIKE 'path%'`` walks the ``varchar_pattern_ops`` index that Django adds to
    the unique path column. SQLite cannot use an index for ``LIKE`` on a column of the default
    BINARY collation (its LIKE optimisation needs a NOCASE index), so it reads the whole table:
    25 ms per query at 130,000 units. There a range on the same column, which adds nothing to
    the result (every path under ``path`` lies between ``path`` and ``path`` followed by the
    alphabet's last letter up to the column's length), lets SQLite walk the path index. Not
    for a root: its subtree is the whole table, which SQLite reads faster in one scan than
    through the index (205 ms against 170 ms for the national unit page at 130,000 units).
    """
    queryset = queryset.filter(path__startswith=path)
    if connections[queryset.db].vendor == "sqlite" and len(path) > Organization.steplen:
        longest = Organization._meta.get_field("path").max_length
        queryset = queryset.filter(
            path__gte=path, path__lte=path + Organization.alphabet[-1] * (longest - len(path))
        )
    return queryset


def children_with_rollup(org: Organization, *, queryset=None):
    """The direct children of ``org`` with, for each, the number of units and grassroots unions
    in its subtree and their members, summed by the database over the path prefix."""
    prefix_length = len(org.path) + Organization.steplen
    if queryset is None:
        queryset = Organization.objects.all()
    children = in_subtree(queryset, org.path).filter(depth=org.depth + 1)
    totals = {
        row["prefix"]: row
        for row in in_subtree(Organization.objects.all(), org.path)
        .filter(depth__gt=org.depth, is_active=True)
        .order_by()  # the manager orders by path, which would split the groups
        .annotate(prefix=Substr("path", 1, prefix_length))
        .values("prefix")
        .annotate(
            units=Count("id"),
            grassroots=Count("id", filter=Q(kind=OrganizationKind.GRASSROOTS)),
            members=Sum("member_count", filter=Q(kind=OrganizationKind.GRASSROOTS)),
        )
    }
    return children, totals


def ancestor_names(units) -> dict[int, list[Organization]]:
    """For each unit, the chain of units above it (root first), in one query for all of them."""
    steplen = Organization.steplen
    paths = {u.path[:i] for u in units for i in range(steplen, len(u.path), steplen)}
    by_path = {
        o.path: o
        for o in Organization.objects.filter(path__in=paths).only(
            "id", "path", "name", "short_name", "depth"
        )
    }
    return {
        u.pk: [
            by_path[u.path[:i]]
            for i in range(steplen, len(u.path), steplen)
            if u.path[:i] in by_path
        ]
        for u in units
    }


def units_of(user):
    """The units in which the user holds a role, highest first."""
    return (
        Organization.objects.filter(memberships__user=user, is_active=True)
        .distinct()
        .order_by("depth", "path")
    )
