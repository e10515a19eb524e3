"""Reading the counters: querysets over the rows of a few branches, grouped by the database."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from campaigns.models import Campaign, Theme
from emulation.workflow import ReviewStatus
from registrations.models import Level, RegistrationCount, TargetLabel, TargetSum, ThemeChoiceCount


def _kind_q(kind: str) -> Q:
    return Q(kind=kind) if kind else Q()


REGISTRATION_STATUSES = tuple(status.value for status in ReviewStatus)


def status_counts(
    campaign: Campaign, branch_ids, *, kind: str = "", level: int | None = None
) -> dict[int, dict[str, int]]:
    """For each branch: how many units of its subtree (itself included) have a registration in
    each status (statuses of no unit left out); only the units ``level`` below when given (1:
    its direct children). Units without a registration are not counted here: they are the
    participants minus the sum (one query)."""
    branch_ids = list(branch_ids)
    if not branch_ids:
        return {}
    rows = RegistrationCount.objects.filter(
        _kind_q(kind), campaign=campaign, branch_id__in=branch_ids
    )
    if level is not None:
        rows = rows.filter(level=level)
    result: dict[int, dict[str, int]] = {pk: {} for pk in branch_ids}
    for branch_id, status, units in (
        rows.order_by().values_list("branch_id", "status").annotate(n=Sum("units"))
    ):
        if units:
            result.setdefault(branch_id, {})[status] = units
    return result


def level_figures(campaign: Campaign, branch_ids, *, kind: str = "") -> dict:
    """branch id -> level -> status -> {units, key_works, key_works_value,
    units_with_key_works} (one query)."""
    result: dict = defaultdict(lambda: defaultdict(dict))
    branch_ids = list(branch_ids)
    if not branch_ids:
        return result
    rows = (
        RegistrationCount.objects.filter(_kind_q(kind), campaign=campaign, branch_id__in=branch_ids)
        .order_by()
        .values("branch_id", "level", "status")
        .annotate(
            n=Sum("units"),
            works=Sum("key_works"),
            works_value=Sum("key_works_value"),
            with_works=Sum("units_with_key_works"),
        )
    )
    for row in rows:
        result[row["branch_id"]][row["level"]][row["status"]] = {
            "units": row["n"],
            "key_works": row["works"] or 0,
            "key_works_value": row["works_value"] or 0,
            "units_with_key_works": row["with_works"] or 0,
        }
    return result


@dataclass
class BranchFigures:
    """What :func:`branch_figures` reads for the consolidation of one unit."""

    own: dict  # status -> the unit's own registration (1 or nothing)
    whole: dict  # status -> units of the unit's subtree, itself included
    key_works: dict  # key_works, key_works_value, units_with_key_works in the statuses asked
    children: dict  # child id -> status -> units of the child's subtree


def branch_figures(campaign: Campaign, unit_id: int, child_ids, statuses) -> BranchFigures:
    """The figures of the consolidation of ``unit_id`` and of its children: one row per branch,
    the units of each status summed over the branch's rows (a few: one per level, kind and
    status), the unit's own registration and the works of the registrations in ``statuses``
    (one query). The same sums as :func:`level_figures` over every level."""
    counted = [str(status) for status in statuses]
    sums = {}
    for status in REGISTRATION_STATUSES:
        sums[f"all_{status}"] = Sum("units", filter=Q(status=status))
        sums[f"own_{status}"] = Sum("units", filter=Q(status=status, level=Level.SELF))
    works = Q(status__in=counted)
    rows = (
        RegistrationCount.objects.filter(campaign=campaign, branch_id__in=[unit_id, *child_ids])
        .order_by()
        .values("branch_id")
        .annotate(
            **sums,
            works=Sum("key_works", filter=works),
            works_value=Sum("key_works_value", filter=works),
            with_works=Sum("units_with_key_works", filter=works),
        )
    )

    def per_status(row, prefix: str) -> dict:
        return {
            status: row[f"{prefix}_{status}"]
            for status in REGISTRATION_STATUSES
            if row[f"{prefix}_{status}"] is not None
        }

    figures = BranchFigures(
        own={},
        whole={},
        key_works={"key_works": 0, "key_works_value": Decimal(0), "units_with_key_works": 0},
        children={pk: {} for pk in child_ids},
    )
    for row in rows:
        if row["branch_id"] == unit_id:
            figures.own = per_status(row, "own")
            figures.whole = per_status(row, "all")
            figures.key_works = {
                "key_works": row["works"] or 0,
                "key_works_value": row["works_value"] or Decimal(0),
                "units_with_key_works": row["with_works"] or 0,
            }
        else:
            figures.children[row["branch_id"]] = per_status(row, "all")
    return figures


def theme_counts(
    campaign: Campaign,
    branch_id: int,
    *,
    kind: str = "",
    statuses=(ReviewStatus.APPROVED,),
) -> dict[int, int]:
    """How many units of the branch chose each theme in a registration in ``statuses``
    (approved by default; awaiting review and approved are the ones counted); one query."""
    rows = (
        ThemeChoiceCount.objects.filter(
            _kind_q(kind),
            campaign=campaign,
            branch_id=branch_id,
            status__in=[str(status) for status in statuses],
        )
        .order_by()
        .values_list("theme_id")
        .annotate(n=Sum("units"))
    )
    return {theme_id: units for theme_id, units in rows if units}


def themes_chosen(campaign: Campaign, branch_id: int, *, statuses=(ReviewStatus.APPROVED,)):
    """The campaign's themes in their order, each with ``units``: :func:`theme_counts` of the
    branch, 0 for a theme nobody chose (one query: the branch's rows of each theme summed
    through the unique key, which starts with the branch)."""
    counts = (
        ThemeChoiceCount.objects.filter(
            campaign=campaign,
            branch_id=branch_id,
            status__in=[str(status) for status in statuses],
            theme=OuterRef("pk"),
        )
        .order_by()
        .values("theme")
        .annotate(n=Sum("units"))
        .values("n")
    )
    return (
        Theme.objects.filter(campaign=campaign)
        .annotate(units=Coalesce(Subquery(counts), 0))
        .order_by("number")
    )


def target_sums(
    campaign: Campaign,
    branch_id: int,
    *,
    kind: str = "",
    statuses=(ReviewStatus.APPROVED,),
) -> list[dict]:
    """Alike targets of the branch's registrations in ``statuses``, per theme: ``theme_id``,
    ``key``, ``name``, ``unit`` (of measure), ``units``, ``targets`` and ``total``; the name
    and unit of measure from the key's label, the key itself when it has none (one query)."""
    label = TargetLabel.objects.filter(campaign=campaign, key=OuterRef("key"))
    rows = (
        TargetSum.objects.filter(
            _kind_q(kind),
            campaign=campaign,
            branch_id=branch_id,
            status__in=[str(status) for status in statuses],
        )
        .order_by()
        .values("theme_id", "key")
        .annotate(
            n=Sum("units"),
            count=Sum("targets"),
            sum=Sum("total"),
            label_name=Subquery(label.values("name")[:1]),
            label_unit=Subquery(label.values("unit")[:1]),
        )
    )
    return [
        {
            "theme_id": row["theme_id"],
            "key": row["key"],
            "name": row["key"] if row["label_name"] is None else row["label_name"],
            "unit": "" if row["label_name"] is None else row["label_unit"],
            "units": row["n"],
            "targets": row["count"],
            "total": row["sum"],
        }
        for row in rows
        if row["n"]
    ]
