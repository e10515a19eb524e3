"""The consolidation of a subtree: its units per status, the themes chosen and the targets
summed per theme, the figures of each branch below (a page of them on the page, every one in
the documents), and the units with the themes each one chose; read from the per-branch
counters, so a fixed number of queries whatever its size."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Substr

from campaigns.models import Campaign, Theme
from emulation.params import to_int
from emulation.workflow import ReviewStatus
from federation.models import BranchUnitCount, Organization
from registrations.models import RegisteredTheme, Registration
from registrations.rollups.reads import branch_figures, target_sums, themes_chosen
from registrations.selectors.common import (
    UNIT_DEFER,
    Progress,
    children_of,
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
BRANCHES_PER_PAGE = 50
SEARCH_LENGTH = 100


# ---------------------------------------------------------------------------------------------
# A page of the branches: the pages show the units directly below 50 at a time, searched by
# name; the documents (PDF, spreadsheet) every one of them.


@dataclass(frozen=True)
class BranchPaging:
    """Which page of the branches a page shows, and the words searched in their names, as
    :meth:`from_params` validates them (a number, words of at most 100 characters)."""

    number: int = 1
    q: str = ""
    per_page: int = BRANCHES_PER_PAGE

    @classmethod
    def from_params(cls, params, per_page: int = BRANCHES_PER_PAGE) -> "BranchPaging":
        page = str(params.get("page", "")).strip()
        q = " ".join(str(params.get("q", "")).split())[:SEARCH_LENGTH]
        number = to_int(page, maximum=999_999) or 1
        return cls(number=max(number, 1), q=q, per_page=per_page)

    def query(self, **filters) -> str:
        """The query string of the page links: the validated ``filters`` and the search."""
        values = [(name, value) for name, value in filters.items() if value]
        return urlencode([*values, *([("q", self.q)] if self.q else [])])


def children_page(children: QuerySet, paging: BranchPaging, count: int | None = None) -> Page:
    """The page of ``children`` (units) that ``paging`` asks for, in the order of the tree,
    those whose name, short name or code holds the words searched when there are some; the
    last page when asked for a later one. ``count``: their number, when read already (the
    page's rows are then one query, else two)."""
    if paging.q:
        children = children.search(paging.q)
    paginator = Paginator(children.order_by("path"), paging.per_page)
    if count is not None:
        paginator.count = count
    return paginator.get_page(paging.number)


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
    branches: list[BranchRow]  # the page's rows when paged, else every one
    page: Page | None = None  # the page of the units directly below, when paged
    paging: BranchPaging | None = None

    @property
    def hidden_filters(self) -> list[tuple[str, str]]:
        """The filters the branches' search keeps: the scope."""
        return [("scope", self.scope)]

    @property
    def filters_query(self) -> str:
        return urlencode(self.hidden_filters)

    @property
    def branch_query(self) -> str:
        """The query string of the branches' page links: the scope and the search."""
        return self.paging.query(scope=self.scope) if self.paging else self.filters_query

    @property
    def searchable(self) -> bool:
        """The branches fill more than one page, or were searched: the search box shows."""
        return bool(self.paging and (self.paging.q or self.page.has_other_pages()))

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
        for theme in themes_chosen(campaign, unit.pk, statuses=statuses)
    }
    sums = target_sums(campaign, unit.pk, statuses=statuses)
    for row in sorted(sums, key=lambda row: (-row["units"], row["name"])):
        theme_total = totals.get(row["theme_id"])
        if theme_total is not None:
            average = row["total"] / row["targets"] if row["targets"] else None
            theme_total.targets.append(
                TargetTotal(row["name"], row["unit"], row["total"], row["units"], average)
            )
    return sorted(totals.values(), key=lambda t: t.theme.number)


def _branch_units() -> Subquery:
    """The active units of the subtree of the unit of the outer query, itself included, from
    the union tree's counters."""
    return Subquery(
        BranchUnitCount.objects.filter(branch=OuterRef("pk"))
        .order_by()
        .values("branch")
        .annotate(n=Sum("units"))
        .values("n")
    )


def unit_and_children(unit: Organization) -> list[Organization]:
    """``unit`` and the active units directly below it, in the order of the tree, each with
    ``branch_units``: the active units of its subtree, itself included, from the union tree's
    counters (one query)."""
    return list(
        in_subtree(Organization.objects.all(), unit.path)
        .filter(depth__in=[unit.depth, unit.depth + 1], is_active=True)
        .defer(*UNIT_DEFER)
        .annotate(branch_units=Coalesce(_branch_units(), 0))
        .order_by("path")
    )


def unit_and_children_page(unit: Organization, paging: BranchPaging) -> tuple[int, Page]:
    """The active units of ``unit``'s subtree, and the page of the active units directly below
    it that ``paging`` asks for, each with ``branch_units`` (two queries: the unit's units with
    the number of its children searched, the page)."""
    children = children_of(unit)
    if paging.q:
        children = children.search(paging.q)
    # The children are all at one depth: grouped by it, they are one row, their number.
    number = children.order_by().values("depth").annotate(n=Count("pk")).values("n")
    total, count = (
        Organization.objects.filter(pk=unit.pk)
        .annotate(branch_units=Coalesce(_branch_units(), 0), children=Coalesce(Subquery(number), 0))
        .values_list("branch_units", "children")
        .get()
    )
    children = (
        children_of(unit).defer(*UNIT_DEFER).annotate(branch_units=Coalesce(_branch_units(), 0))
    )
    return total, children_page(children, paging, count=count)


def summary(
    campaign: Campaign,
    unit: Organization,
    *,
    scope: str = "approved",
    today: dt.date,
    paging: BranchPaging | None = None,
) -> Summary:
    """The consolidation of ``unit``'s subtree, read from the branch counters of the unit and
    of its children and from the units per branch (four queries whatever the size of the
    subtree; one more once the deadline has passed, for the extensions). ``paging``: the
    branches of one page only, the unit's own row on the first (one query more: the number of
    children); without it, every branch (the documents)."""
    statuses = SCOPES.get(scope, SCOPES["approved"])
    page = None
    if paging is None:
        read = unit_and_children(unit)
        children = [branch for branch in read if branch.pk != unit.pk]
        total = next((branch.branch_units for branch in read if branch.pk == unit.pk), 0)
    else:
        total, page = unit_and_children_page(unit, paging)
        children = list(page.object_list)
    figures = branch_figures(campaign, unit.pk, [child.pk for child in children], statuses)
    late = past_deadline(campaign, today)
    extended = {}
    if late:
        prefix = Substr("path", 1, len(unit.path) + Organization.steplen)
        extended = extended_not_sent(
            campaign, in_subtree(participants(campaign), unit.path), today, prefix
        )
    own = takes_part(campaign, unit)
    branches = []
    # The unit's own row heads the first page of its branches (not a search's).
    if own and (paging is None or (page.number == 1 and not paging.q)):
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
        page=page,
        paging=paging,
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
