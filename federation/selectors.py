"""Reads of the union tree that pages share; each is a fixed number of queries."""

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from federation.models import Organization, OrganizationKind


def children_with_rollup(org: Organization, *, queryset=None):
    """The direct children of ``org`` with, for each, the number of units and grassroots unions
    in its subtree and their members, summed by the database over the path prefix."""
    prefix_length = len(org.path) + Organization.steplen
    children = (queryset or Organization.objects).filter(
        path__startswith=org.path, depth=org.depth + 1
    )
    totals = {
        row["prefix"]: row
        for row in Organization.objects.filter(
            path__startswith=org.path, depth__gt=org.depth, is_active=True
        )
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
