"""Progress and figures per branch: the unit itself (when it takes part) and each unit directly
below it, read from the counters per branch that the services keep (units, registrations and
reports per status, indicator sums, themes and targets), never by counting a subtree: a fixed
number of queries whatever the size of the tree."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.core.paginator import Page
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Substr

from campaigns.models import Campaign, Phase
from emulation.workflow import SENT, ReviewStatus
from federation.models import BranchUnitCount, Organization, subtree_q
from registrations.models import NOT_REGISTERED, RegistrationCount
from registrations.selectors.common import Progress as RegistrationProgress
from registrations.selectors.common import children_of, takes_part
from registrations.selectors.summary import BranchPaging, children_page
from reports import rollups
from reports.models import NOT_REPORTED, Indicator, PhaseReport, ReportExtension
from reports.selectors.common import (
    REGISTRATION_ORDER,
    SCOPES,
    STATUS_ORDER,
    UNIT_DEFER,
    Progress,
    indicators_of,
    is_late,
    scope_statuses,
)

REVIEW_STATUSES = tuple(status.value for status in ReviewStatus)


@dataclass
class BranchRow:
    unit: Organization
    registration: Progress
    report: Progress
    is_self: bool = False
    totals: dict = field(default_factory=dict)  # indicator id -> total
    values: list = field(default_factory=list)  # the totals in the order of the indicators
    counted: int = 0  # reports counted in the totals


def _minus(whole: dict, parts) -> dict:
    """``whole`` less the sum of ``parts`` (dicts of numbers), key by key."""
    rest = dict(whole)
    for part in parts:
        for key, value in part.items():
            rest[key] = rest.get(key, 0) - (value or 0)
    return rest


# ---------------------------------------------------------------------------------------------
# The counters of the branches, one query each.


def unit_counts(branch_ids, kind: str, *, rest_of=None) -> dict[int, int]:
    """branch id -> its active units (of ``kind`` when given), the branch included
    (``rest_of``: see :func:`reports.rollups.branches_q`)."""
    branch_ids = list(branch_ids)
    queryset = BranchUnitCount.objects.filter(rollups.branches_q(branch_ids, rest_of))
    if kind:
        queryset = queryset.filter(kind=kind)
    rows = (
        queryset.order_by()
        .annotate(row_branch=rollups.branch_key(branch_ids, rest_of))
        .values("row_branch")
        .annotate(total=Sum("units"))
    )
    return {row["row_branch"]: row["total"] or 0 for row in rows}


def registration_counts(
    campaign: Campaign, branch_ids, kind: str, *, rest_of=None
) -> dict[int, dict]:
    """branch id -> registration status -> units of its subtree (every level) with a
    registration in that status: one row per branch (``rest_of``: see
    :func:`reports.rollups.branches_q`)."""
    branch_ids = list(branch_ids)
    queryset = RegistrationCount.objects.filter(
        rollups.branches_q(branch_ids, rest_of), campaign=campaign
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    rows = (
        queryset.order_by()
        .annotate(row_branch=rollups.branch_key(branch_ids, rest_of))
        .values("row_branch")
        .annotate(**{f"n_{s}": Sum("units", filter=Q(status=s)) for s in REVIEW_STATUSES})
    )
    return {
        row["row_branch"]: {s: row[f"n_{s}"] for s in REVIEW_STATUSES if row[f"n_{s}"]}
        for row in rows
    }


def extended_not_sent(
    campaign: Campaign, phase: Phase, unit: Organization, kind: str, today: dt.date
) -> dict[str, int]:
    """The path of the unit or of a child -> the units of that branch with nothing sent whose
    extension runs today or later (they are not late): the extensions of the phase, few."""
    issuer = campaign.issuer
    sent = PhaseReport.objects.filter(
        phase=phase, organization=OuterRef("organization"), status__in=SENT
    )
    queryset = ReportExtension.objects.filter(
        subtree_q(unit, "organization__"),
        subtree_q(issuer, "organization__"),
        phase=phase,
        until__gte=today,
        organization__is_active=True,
        organization__depth__gt=issuer.depth,
    ).exclude(Exists(sent))
    if kind:
        queryset = queryset.filter(organization__kind=kind)
    rows = (
        queryset.order_by()
        .annotate(branch=Substr("organization__path", 1, len(unit.path) + Organization.steplen))
        .values("branch")
        .annotate(units=Count("id"))
    )
    return {row["branch"]: row["units"] for row in rows}


@dataclass
class Branches:
    """What :func:`branch_progress` reads: the rows, the totals of the whole subtree, and when
    paged the page of children with ``rest_of``, the unit whose other children the counters
    summed as one row (:data:`reports.rollups.REST`) for its own row."""

    rows: list[BranchRow]
    registration: Progress
    report: Progress
    page: Page | None = None
    rest_of: Organization | None = None


def branch_progress(
    campaign: Campaign,
    phase: Phase,
    unit: Organization,
    *,
    kind: str,
    today: dt.date,
    paging: BranchPaging | None = None,
) -> Branches:
    """The unit itself (when it takes part) and each unit directly below it, with the counts
    of registrations and of reports on ``phase`` per status over its subtree, and the totals
    of the whole subtree, read from the counters of the unit and of its children (children,
    units, reports and registrations per branch: four queries) and, once the deadline has
    passed, the few extensions still running (one more). ``paging``: the children of one page
    only, the unit's own row on the first (one query more: their number); without it, every
    child (the documents)."""
    children = children_of(unit).defer(*UNIT_DEFER)
    page = rest_of = None
    if paging is None:
        children = list(children.order_by("path"))
    else:
        page = children_page(children, paging)
        children = list(page.object_list)
    own = takes_part(campaign, unit) and (paging is None or (page.number == 1 and not paging.q))
    if paging is not None and own:
        rest_of = unit  # the own row: the whole less every child, those of other pages too
    ids = [unit.pk, *(child.pk for child in children)]
    late = is_late(campaign, phase, today)
    units = unit_counts(ids, kind, rest_of=rest_of)
    reports = rollups.report_counts(campaign, phase, ids, kind=kind, rest_of=rest_of)
    registrations = registration_counts(campaign, ids, kind, rest_of=rest_of)
    extended = {}
    if late:
        by_path = {child.path: child.pk for child in children} | {unit.path: unit.pk}
        extended = {
            by_path[path]: count
            for path, count in extended_not_sent(campaign, phase, unit, kind, today).items()
            if path in by_path
        }
    if (
        unit.pk in units
        and not takes_part(campaign, unit)
        and unit.is_active
        and (not kind or unit.kind == kind)
    ):
        units[unit.pk] -= 1  # the issuer counts in its branch but takes no part

    def progress(pk: int) -> tuple[dict, dict]:
        registration = dict(registrations.get(pk, {}))
        report = dict(reports.get(pk, {}))
        total = units.get(pk, 0)
        registration["total"] = report["total"] = total
        if late:
            sent = sum(report.get(s, 0) for s in SENT)
            running = sum(extended.values()) if pk == unit.pk else extended.get(pk, 0)
            report["overdue"] = total - sent - running
        return registration, report

    def finish(registration: dict, report: dict) -> tuple[Progress, Progress]:
        total = registration.get("total", 0)
        registration[NOT_REGISTERED] = total - sum(
            registration.get(s, 0) for s in REGISTRATION_ORDER[1:]
        )
        report[NOT_REPORTED] = total - sum(report.get(s, 0) for s in STATUS_ORDER[1:])
        return (
            RegistrationProgress(registration),
            Progress(report),
        )

    whole = progress(unit.pk)
    branches = [(child, *progress(child.pk)) for child in children]
    rows = []
    if own:
        others = [progress(rollups.REST)] if rest_of is not None else []
        own_registration = _minus(whole[0], [b[1] for b in branches] + [o[0] for o in others])
        own_report = _minus(whole[1], [b[2] for b in branches] + [o[1] for o in others])
        if late:
            own_report["overdue"] = (
                own_report.get("total", 0)
                - sum(own_report.get(s, 0) for s in SENT)
                - extended.get(unit.pk, 0)
            )
        rows.append(BranchRow(unit, *finish(own_registration, own_report), is_self=True))
    for child, registration, report in branches:
        rows.append(BranchRow(child, *finish(registration, report)))
    total_registration, total_report = finish(*whole)
    return Branches(rows, total_registration, total_report, page=page, rest_of=rest_of)


# ---------------------------------------------------------------------------------------------
# Targets over a subtree.


@dataclass
class TargetTotal:
    """Alike targets of several units (same name and unit of measure, accents and case
    ignored): registered and achieved values summed, or averaged for rates ("%")."""

    name: str
    unit: str
    target: Decimal
    achieved: Decimal
    units: int
    target_average: Decimal | None = None
    achieved_average: Decimal | None = None

    @property
    def is_rate(self) -> bool:
        return self.unit.strip() == "%"

    def _value(self, total, average):
        if self.is_rate and average is not None:
            return Decimal(average).quantize(Decimal("0.01")).normalize()
        return total or Decimal(0)

    @property
    def target_value(self) -> Decimal:
        return self._value(self.target, self.target_average)

    @property
    def achieved_value(self) -> Decimal:
        return self._value(self.achieved, self.achieved_average)

    @property
    def percent(self) -> int | None:
        if not self.target_value:
            return None
        return round(self.achieved_value * 100 / self.target_value)


@dataclass
class ThemeTotal:
    theme: object
    units: int = 0
    targets: list[TargetTotal] = field(default_factory=list)


def target_totals(
    campaign: Campaign, phase: Phase, unit: Organization, *, kind: str, statuses
) -> list[ThemeTotal]:
    """For every theme: how many reports of the subtree speak of it, and its targets summed
    (two queries on the unit's counters; the themes come from the campaign's prefetch)."""
    totals = {t.pk: ThemeTotal(t) for t in sorted(campaign.themes.all(), key=lambda t: t.number)}
    for theme_id, units in rollups.theme_reports(
        campaign, phase, unit.pk, kind=kind, statuses=statuses
    ).items():
        if theme_id in totals:
            totals[theme_id].units = units
    grouped: dict[tuple, dict] = {}
    for theme_id, key, name, measure, *sums in rollups.target_sums(
        campaign, phase, unit.pk, kind=kind, statuses=statuses
    ):
        reports, targets, target_total, achieved_total, achieved_count = sums
        row = grouped.setdefault(
            (theme_id, key),
            {"label": name, "measure": measure, "units": 0, "targets": 0, "target": Decimal(0)}
            | {"achieved": Decimal(0), "achieved_count": 0},
        )
        row["label"] = min(row["label"], name)
        row["measure"] = min(row["measure"], measure)
        row["units"] += reports or 0
        row["targets"] += targets or 0
        row["target"] += Decimal(target_total or 0)
        row["achieved"] += Decimal(achieved_total or 0)
        row["achieved_count"] += achieved_count or 0
    for (theme_id, _key), row in sorted(
        grouped.items(), key=lambda item: (item[0][0], -item[1]["units"], item[1]["label"])
    ):
        theme_total = totals.get(theme_id)
        if theme_total is None or not row["targets"]:
            continue
        counted = row["achieved_count"]
        theme_total.targets.append(
            TargetTotal(
                name=row["label"],
                unit=row["measure"],
                target=row["target"],
                achieved=row["achieved"] if counted else None,
                units=row["units"],
                target_average=row["target"] / row["targets"],
                achieved_average=row["achieved"] / counted if counted else None,
            )
        )
    return list(totals.values())


# ---------------------------------------------------------------------------------------------
# The roll-up of one phase over a subtree.


@dataclass
class Rollup:
    campaign: Campaign
    phase: Phase
    unit: Organization
    scope: str
    kind: str
    indicators: list[Indicator]
    rows: list[BranchRow]
    registration: Progress
    report: Progress
    totals: dict
    by_phase: dict = field(default_factory=dict)  # (phase id, indicator id) -> total
    page: Page | None = None  # the page of the units directly below, when paged
    paging: BranchPaging | None = None

    @property
    def searchable(self) -> bool:
        """The branches fill more than one page, or were searched: the search box shows."""
        return bool(self.paging and (self.paging.q or self.page.has_other_pages()))

    @cached_property
    def themes(self) -> list[ThemeTotal]:
        """Each theme with its targets summed (:func:`target_totals`): read when a page shows
        them (two queries), not for the dashboard, which does not."""
        return target_totals(
            self.campaign, self.phase, self.unit, kind=self.kind, statuses=self.statuses
        )

    @property
    def statuses(self) -> tuple:
        return scope_statuses(self.scope)

    @property
    def total_values(self) -> list:
        return [self.totals.get(i.pk) or 0 for i in self.indicators]

    @property
    def counted(self) -> int:
        return sum(self.report.count(s) for s in self.statuses)


def phase_sums(totals: dict, unit: Organization) -> dict[tuple[int, int], Decimal]:
    """(phase id, indicator id) -> total over the unit's subtree, from
    :func:`reports.rollups.indicator_sums`' totals."""
    return {
        (phase_id, indicator_id): value
        for phase_id, branches in totals.items()
        for indicator_id, value in branches.get(unit.pk, {}).items()
    }


def rollup(
    campaign: Campaign,
    phase: Phase,
    unit: Organization,
    *,
    scope: str = "approved",
    kind: str = "",
    today: dt.date,
    all_phases: bool = False,
    paging: BranchPaging | None = None,
) -> Rollup:
    """Each indicator of ``phase`` over ``unit``'s subtree, level by level: the unit's own
    report and each child's branch (drill down by opening a child's), read from the counters
    (the progress of :func:`branch_progress`, the indicators and their sums per branch: six
    queries, seven once late). ``all_phases``: the unit's sums of every phase are read in the
    same query (:attr:`Rollup.by_phase`), for the dashboard's comparison. ``paging``: the
    branches of one page (one query more, see :func:`branch_progress`), else every one."""
    scope = scope if scope in SCOPES else "approved"
    statuses = scope_statuses(scope)
    indicators = indicators_of(campaign)
    indicator_ids = [i.pk for i in indicators]
    read = branch_progress(campaign, phase, unit, kind=kind, today=today, paging=paging)
    rows = read.rows
    branches = [row.unit.pk for row in rows if not row.is_self]
    grouped = {}
    if indicator_ids:
        grouped = rollups.indicator_sums(
            campaign,
            [unit.pk, *branches],
            kind=kind,
            statuses=statuses,
            phase=phase,
            every_phase_of=unit.pk if all_phases else None,
            rest_of=read.rest_of,
        )
    by_branch = grouped.get(phase.pk, {})
    others = [rollups.REST] if read.rest_of is not None else []
    counted = tuple(str(s) for s in statuses)
    for row in rows:
        if row.is_self:  # the unit's own report: its subtree less its children's branches
            row.totals = {
                pk: value
                for pk, value in _minus(
                    by_branch.get(unit.pk, {}),
                    [by_branch.get(pk, {}) for pk in [*branches, *others]],
                ).items()
                if value
            }
        else:
            row.totals = by_branch.get(row.unit.pk, {})
        row.values = [row.totals.get(pk) or 0 for pk in indicator_ids]
        row.counted = sum(row.report.count(s) for s in counted)
    sums = phase_sums(grouped, unit)
    totals = {i.pk: sums[(phase.pk, i.pk)] for i in indicators if (phase.pk, i.pk) in sums}
    return Rollup(
        campaign=campaign,
        phase=phase,
        unit=unit,
        scope=scope,
        kind=kind,
        indicators=indicators,
        rows=rows,
        registration=read.registration,
        report=read.report,
        totals=totals,
        by_phase=sums,
        page=read.page,
        paging=paging,
    )
