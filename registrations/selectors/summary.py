"""The consolidation of a subtree: its units per status, the themes chosen and the targets
summed per theme, the figures of each branch below, and the units with the themes each one
chose; read from the per-branch counters, so a fixed number of queries whatever its size."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Substr

from campaigns.models import Campaign, Theme
from emulation.workflow import ReviewStatus
from federation.models import BranchUnitCount, Organization
from registrations import rollups
from registrations.models import RegisteredTheme, Registration
from registrations.selectors.common import (
    UNIT_DEFER,
    Progress,
    extended_not_sent,
    in_subtree,
    participants,
    past_deadline,
    progress_from,
    takes_part,
)

SCOPES = {
    "approved": (ReviewStatus.APPROVED,),
    "sent": (ReviewStatus.APPROVED, ReviewStatus.SUBMITTED),
}


@dataclass
class TargetTotal:
    """Alike targets of several units: summed, or averaged when they are rates (a unit of
    measure "%": adding up "95 %" of ten units means nothing)."""

    name: str
    unit: str
    total: Decimal
    units: int
    average: Decimal | None = None

    @property
    def is_rate(self) -> bool:
        return self.unit.strip() == "%"

    @property
    def value(self) -> Decimal:
        if self.is_rate and self.average is not None:
            return Decimal(self.average).quantize(Decimal("0.01")).normalize()
        return self.total


@dataclass
class ThemeTotal:
    theme: Theme
    units: int = 0
    targets: list[TargetTotal] = field(default_factory=list)


@dataclass
class BranchRow:
    unit: Organization
    progress: Progress
    is_self: bool = False


@dataclass
class Summary:
    campaign: Campaign
    unit: Organization
    scope: str
    statuses: tuple
    progress: Progress
    themes: list[ThemeTotal]
    key_works: dict
    branches: list[BranchRow]

    @property
    def counted(self) -> int:
        return sum(self.progress.counts.get(s, 0) for s in self.statuses)

    @property
    def most_chosen(self) -> int:
        """The units of the theme chosen most (the full width of the themes' bars)."""
        return max((total.units for total in self.themes), default=0)


def subtree_participants(campaign: Campaign, unit: Organization) -> QuerySet:
    return in_subtree(participants(campaign), unit.path)


def subtree_registrations(campaign: Campaign, unit: Organization, statuses) -> QuerySet:
    """The registrations of ``unit`` and the units below it in ``statuses``."""
    return in_subtree(
        Registration.objects.filter(
            campaign=campaign, status__in=statuses, organization__is_active=True
        ),
        unit.path,
        "organization__",
    )


def theme_totals(campaign: Campaign, unit: Organization, statuses) -> list[ThemeTotal]:
    """For every theme of the campaign: how many units of the subtree chose it and its targets
    summed (alike targets: the same name and unit of measure, accents and case ignored), from
    the branch counters (two queries: the themes with their counts, the targets)."""
    totals = {
        theme.pk: ThemeTotal(theme, theme.units)
        for theme in rollups.themes_chosen(campaign, unit.pk, statuses=statuses)
    }
    sums = rollups.target_sums(campaign, unit.pk, statuses=statuses)
    for row in sorted(sums, key=lambda row: (-row["units"], row["name"])):
        theme_total = totals.get(row["theme_id"])
        if theme_total is not None:
            average = row["total"] / row["targets"] if row["targets"] else None
            theme_total.targets.append(
                TargetTotal(row["name"], row["unit"], row["total"], row["units"], average)
            )
    return sorted(totals.values(), key=lambda t: t.theme.number)


def unit_and_children(unit: Organization) -> list[Organization]:
    """``unit`` and the active units directly below it, in the order of the tree, each with
    ``branch_units``: the active units of its subtree, itself included, from the union tree's
    counters (one query)."""
    units = (
        BranchUnitCount.objects.filter(branch=OuterRef("pk"))
        .order_by()
        .values("branch")
        .annotate(n=Sum("units"))
        .values("n")
    )
    return list(
        in_subtree(Organization.objects.all(), unit.path)
        .filter(depth__in=[unit.depth, unit.depth + 1], is_active=True)
        .defer(*UNIT_DEFER)
        .annotate(branch_units=Coalesce(Subquery(units), 0))
        .order_by("path")
    )


def summary(
    campaign: Campaign, unit: Organization, *, scope: str = "approved", today: dt.date
) -> Summary:
    """The consolidation of ``unit``'s subtree, read from the branch counters of the unit and
    of its children and from the units per branch (four queries whatever the size of the
    subtree; one more once the deadline has passed, for the extensions)."""
    statuses = SCOPES.get(scope, SCOPES["approved"])
    read = unit_and_children(unit)
    children = [branch for branch in read if branch.pk != unit.pk]
    total = next((branch.branch_units for branch in read if branch.pk == unit.pk), 0)
    figures = rollups.branch_figures(campaign, unit.pk, [child.pk for child in children], statuses)
    late = past_deadline(campaign, today)
    extended = {}
    if late:
        prefix = Substr("path", 1, len(unit.path) + Organization.steplen)
        extended = extended_not_sent(
            campaign, in_subtree(participants(campaign), unit.path), today, prefix
        )
    own = takes_part(campaign, unit)
    branches = []
    if own:
        progress = progress_from(figures.own, 1, extended.get(unit.path, 0), late=late)
        branches.append(BranchRow(unit, progress, is_self=True))
    for child in children:
        progress = progress_from(
            figures.children[child.pk], child.branch_units, extended.get(child.path, 0), late=late
        )
        branches.append(BranchRow(child, progress))
    # The issuer itself does not take part: its subtree's participants are the units below it.
    total -= 0 if own else 1
    progress = progress_from(figures.whole, max(total, 0), sum(extended.values()), late=late)
    works = figures.key_works
    return Summary(
        campaign=campaign,
        unit=unit,
        scope=scope if scope in SCOPES else "approved",
        statuses=statuses,
        progress=progress,
        themes=theme_totals(campaign, unit, statuses),
        key_works={
            "count": works["key_works"],
            "value": works["key_works_value"] or None,
            "units": works["units_with_key_works"],
        },
        branches=branches,
    )


def chosen_themes(registration_ids) -> dict[int, set[int]]:
    """For each registration, the ids of its themes (one query)."""
    chosen: dict[int, set[int]] = {}
    for registration_id, theme_id in RegisteredTheme.objects.filter(
        registration_id__in=registration_ids
    ).values_list("registration_id", "theme_id"):
        chosen.setdefault(registration_id, set()).add(theme_id)
    return chosen


def unit_matrix(
    campaign: Campaign,
    unit: Organization,
    statuses,
    *,
    page_number,
    per_page=50,
    count: int | None = None,
):
    """A page of the registrations of the subtree in ``statuses``, each with its unit and
    ``theme_ids``, the themes it chose (two queries, three when their ``count`` is not
    given)."""
    registrations = (
        subtree_registrations(campaign, unit, statuses)
        .select_related("organization")
        .prefetch_related(
            Prefetch("themes", queryset=RegisteredTheme.objects.only("registration", "theme"))
        )
        .order_by("organization__path")
    )
    paginator = Paginator(registrations, per_page)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(page_number)
    rows = list(page)
    for registration in rows:
        registration.theme_ids = {chosen.theme_id for chosen in registration.themes.all()}
    return page, rows
