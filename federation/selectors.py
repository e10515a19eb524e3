"""Reads of the union tree that pages share; each is a fixed number of queries."""

from django.conf import settings

from federation.models import (
    BranchUnitCount,
    Organization,
    OrganizationKind,
    children_q,
    subtree_q,
)


def in_subtree(queryset, path: str, prefix: str = ""):
    """The rows of ``queryset`` whose unit (reached through ``prefix``) is at ``path`` or below
    it (see :func:`federation.models.subtree_q`)."""
    return queryset.filter(subtree_q(path, prefix, using=queryset.db))


def children_with_rollup(org: Organization, *, queryset=None):
    """The direct children of ``org`` with, for each, the number of active units and grassroots
    unions in its subtree (itself included) and their members, read from the per-branch
    counters (:mod:`federation.rollups`): one query over the children's rows."""
    if queryset is None:
        queryset = Organization.objects.all()
    children = queryset.filter(children_q(org, using=queryset.db))
    totals: dict[str, dict] = {}
    rows = BranchUnitCount.objects.filter(children_q(org, "branch__")).values_list(
        "branch__path", "kind", "units", "members"
    )
    for path, kind, units, members in rows:
        _add(
            totals.setdefault(path, {"units": 0, "grassroots": 0, "members": 0}),
            kind,
            units,
            members,
        )
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


def unit_counts(branch_ids, kind: str = "") -> dict[int, dict]:
    """For each branch (by id): ``units``, ``grassroots`` and ``members`` (of its grassroots
    unions) over its subtree, the branch included, of one kind of unit when ``kind`` is given;
    read from the per-branch counters (one query)."""
    queryset = BranchUnitCount.objects.filter(branch_id__in=list(branch_ids))
    if kind:
        queryset = queryset.filter(kind=kind)
    result: dict[int, dict] = {}
    for branch_id, unit_kind, units, members in queryset.values_list(
        "branch_id", "kind", "units", "members"
    ):
        _add(
            result.setdefault(branch_id, {"units": 0, "grassroots": 0, "members": 0}),
            unit_kind,
            units,
            members,
        )
    return result


def _add(totals: dict, kind: str, units: int, members: int) -> None:
    totals["units"] += units
    if kind == OrganizationKind.GRASSROOTS:
        totals["grassroots"] += units
        totals["members"] += members


def branch_is_large(unit: Organization) -> bool:
    """The branch holds more units than a document may cover in a web request
    (``DOCUMENT_JOB_UNITS``): its documents are made by a background job. One query, on the
    per-branch counters."""
    units = unit_counts([unit.pk]).get(unit.pk, {}).get("units", 0)
    return units > settings.DOCUMENT_JOB_UNITS
