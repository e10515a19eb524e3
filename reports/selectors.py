"""Reads that pages share. Each is a fixed number of queries whatever the number of units:
figures over a subtree are summed by the database over the path prefix (GROUP BY on the first
characters of the path), never by looping over units in Python.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from campaigns import selectors as campaign_selectors
from campaigns.models import Campaign, CampaignStatus, Phase
from campaigns.selectors import PLAN_ROWS, plan_version
from emulation import sql as esql
from emulation.models import AuditEntry
from emulation.workflow import EDITABLE, SENT, ReviewStatus
from federation.models import BranchUnitCount, Organization, OrganizationKind
from registrations import rollups as registration_rollups
from registrations.models import NOT_REGISTERED, DeadlineExtension, Registration
from registrations.selectors import (
    UNIT_DEFER,
    children_of,
    in_subtree,
    participants,
    takes_part,
    with_registration,
)
from registrations.selectors import status_label as registration_status_label
from reports import rollups
from reports.content import CONTENT_PREFETCH
from reports.models import (
    NOT_REPORTED,
    NOT_REPORTED_LABEL,
    Indicator,
    PhaseReport,
    ReportExtension,
    ReportingWindow,
    effective_deadline,
    opening_day,
)

STATUS_ORDER = (
    NOT_REPORTED,
    ReviewStatus.DRAFT,
    ReviewStatus.RETURNED,
    ReviewStatus.SUBMITTED,
    ReviewStatus.APPROVED,
)
REGISTRATION_ORDER = (
    NOT_REGISTERED,
    ReviewStatus.DRAFT,
    ReviewStatus.RETURNED,
    ReviewStatus.SUBMITTED,
    ReviewStatus.APPROVED,
)
# The same statuses as plain strings with a zero each, to sum counts with
# ``sum(map(counts.get, keys, zeros))`` (the dashboard does it for every branch).
_REGISTERED = tuple(getattr(s, "value", s) for s in REGISTRATION_ORDER[1:])
_REPORTED = tuple(getattr(s, "value", s) for s in STATUS_ORDER[1:])
_SENT = tuple(getattr(s, "value", s) for s in SENT)
_ZEROS = (0,) * max(len(_REGISTERED), len(_REPORTED), len(_SENT))
# Which reports the figures count: accepted ones, or also those awaiting review.
SCOPES = {
    "approved": (ReviewStatus.APPROVED,),
    "sent": (ReviewStatus.APPROVED, ReviewStatus.SUBMITTED),
}
KINDS = [kind for kind in OrganizationKind if kind != OrganizationKind.NATIONAL]


def status_label(status: str | None):
    if not status or status == NOT_REPORTED:
        return NOT_REPORTED_LABEL
    return ReviewStatus(status).label


def scope_statuses(scope: str) -> tuple:
    return SCOPES.get(scope, SCOPES["approved"])


@dataclass
class Progress:
    """Counts per status of a group of units and the shares the progress bar shows; works for
    registrations and reports alike (``labels`` names the "nothing yet" state)."""

    counts: dict
    order: tuple = STATUS_ORDER
    kind: str = "report"

    @property
    def total(self) -> int:
        return self.counts.get("total", 0) or 0

    def count(self, status: str) -> int:
        return self.counts.get(status, 0) or 0

    @property
    def approved(self) -> int:
        return self.count(ReviewStatus.APPROVED)

    @property
    def submitted(self) -> int:
        return self.count(ReviewStatus.SUBMITTED)

    @property
    def none(self) -> int:
        return self.count(self.order[0])

    @property
    def sent(self) -> int:
        return self.approved + self.submitted

    @property
    def overdue(self) -> int:
        return self.count("overdue")

    @property
    def approved_percent(self) -> int:
        return round(self.approved * 100 / self.total) if self.total else 0

    @property
    def sent_percent(self) -> int:
        return round(self.sent * 100 / self.total) if self.total else 0

    def label(self, status: str):
        if self.kind == "registration":
            return registration_status_label(status)
        return status_label(status)

    @cached_property
    def segments(self) -> list[dict]:
        """The bar, approved first (the template of the registrations draws it); computed
        once, since a page may draw a bar and list its counts."""
        total = self.total
        labels = _labels(self.kind)
        return [
            {
                "status": status,
                "label": labels[status],
                "count": self.count(status),
                "percent": f"{self.count(status) * 100 / total:.2f}" if total else "0",
            }
            for status in reversed(self.order)
        ]


_LABELS: dict[tuple[str, str], dict] = {}


def _labels(kind: str) -> dict:
    """The labels of the statuses in the active language, translated once per process."""
    key = (kind, get_language() or "")
    if key not in _LABELS:
        order = REGISTRATION_ORDER if kind == "registration" else STATUS_ORDER
        label = registration_status_label if kind == "registration" else status_label
        _LABELS[key] = {status: str(label(status)) for status in order}
    return _LABELS[key]


# ---------------------------------------------------------------------------------------------
# Phases and their reporting dates.


@dataclass
class PhaseInfo:
    phase: Phase
    number: int
    is_final: bool
    opens_on: dt.date

    @property
    def review_label(self) -> str:
        return _("final review (tổng kết)") if self.is_final else _("interim review (sơ kết)")

    def is_open(self, today: dt.date) -> bool:
        return today >= self.opens_on

    def state(self, today: dt.date) -> str:
        """ "upcoming" (reporting not open), "open", or "past" (its deadline has passed)."""
        if today < self.opens_on:
            return "upcoming"
        deadline = self.phase.report_deadline
        if deadline and today > deadline:
            return "past"
        return "open"


def phase_infos(campaign: Campaign) -> list[PhaseInfo]:
    """The phases of a campaign in order, each with the day its reporting opens (one query for
    the reporting dates; the phases are read from the campaign's prefetch when there is one)."""
    phases = sorted(campaign.phases.all(), key=lambda p: p.start)
    ids = [p.pk for p in phases]
    windows = (
        {
            w.phase_id: w
            for w in esql.instances(
                ReportingWindow,
                f"t.phase_id IN ({esql.placeholders(ids)})",
                ids,
                "t.id",
                memo=PLAN_ROWS,
                version=plan_version(campaign),
            )
        }
        if ids
        else {}
    )
    return [
        PhaseInfo(
            phase=phase,
            number=index,
            is_final=index == len(phases),
            opens_on=opening_day(phase, windows.get(phase.pk)),
        )
        for index, phase in enumerate(phases, start=1)
    ]


def default_phase(infos: list[PhaseInfo], today: dt.date) -> PhaseInfo | None:
    """The phase a page opens on: the earliest phase whose reporting is open and whose deadline
    is ahead, else the last phase whose reporting opened, else the first."""
    if not infos:
        return None
    for info in infos:
        if info.state(today) == "open":
            return info
    opened = [info for info in infos if info.is_open(today)]
    return opened[-1] if opened else infos[0]


# ---------------------------------------------------------------------------------------------
# Units with their report (and registration) joined.


def with_report(queryset: QuerySet, phase: Phase) -> QuerySet:
    """Units, each with its report on ``phase`` (if any) and its extended report deadline,
    joined in the same query (LEFT JOIN on unique rows: no unit is repeated)."""
    return queryset.annotate(
        rep=FilteredRelation("phase_reports", condition=Q(phase_reports__phase=phase)),
        rext=FilteredRelation("report_extensions", condition=Q(report_extensions__phase=phase)),
    ).annotate(
        report_id=F("rep__id"),
        report_status=F("rep__status"),
        report_version=F("rep__version"),
        report_submitted_at=F("rep__submitted_at"),
        report_received_at=F("rep__received_at"),
        report_extended_until=F("rext__until"),
    )


def _report_q(status: str) -> Q:
    if status == NOT_REPORTED:
        return Q(rep__id__isnull=True)
    return Q(rep__status=status)


def _overdue_q(campaign: Campaign, phase: Phase, today: dt.date) -> Q:
    """Units (annotated by :func:`with_report`) past their report deadline with nothing sent."""
    deadline = phase.report_deadline
    if deadline is None or today <= deadline or campaign.status != CampaignStatus.ACTIVE:
        return Q(pk__in=[])
    not_sent = Q(rep__id__isnull=True) | Q(rep__status__in=EDITABLE)
    not_extended = Q(rext__until__isnull=True) | Q(rext__until__lt=today)
    return not_sent & not_extended


def counted_units(campaign: Campaign, unit: Organization, kind: str = "") -> QuerySet:
    """The units taking part in the campaign in ``unit``'s subtree (the unit included when it
    takes part), of one kind when ``kind`` is given."""
    queryset = in_subtree(participants(campaign), unit.path)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


# ---------------------------------------------------------------------------------------------
# Progress per branch.


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
# Plain SQL for the reads every first view of a dashboard makes: building them as querysets
# (Exists, FilteredRelation, GROUP BY over joins) cost Django several times what the database
# spends on them. Each is what :func:`registrations.selectors.in_subtree` and the querysets it
# replaced select; the tests compare them with the querysets' results.


def _subtree_sql(column: str, path: str) -> tuple[str, list]:
    """``column`` (a unit's path) in the subtree of ``path``: ``LIKE 'path%'`` and, on SQLite,
    the same range :func:`in_subtree` adds so that it walks the path index."""
    pattern = path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    sql, params = f"{column} LIKE %s ESCAPE '\\'", [pattern]
    if connection.vendor == "sqlite":
        longest = Organization._meta.get_field("path").max_length
        sql += f" AND {column} >= %s AND {column} <= %s"
        params += [path, path + Organization.alphabet[-1] * (longest - len(path))]
    return sql, params


def _date(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _extended_not_sent_sql(
    campaign: Campaign, phase: Phase, unit: Organization, kind: str, today: dt.date
) -> tuple[str, list]:
    """The id of the unit or of a child, and the units of that branch with nothing sent whose
    extension runs today or later (they are not late): the extensions of the phase, few; two
    columns, read with the counts (the branch of a unit is the unit whose path is the first
    step of its own below ``unit``)."""
    prefix_length = len(unit.path) + Organization.steplen
    issuer = campaign.issuer
    below, below_params = _subtree_sql("o.path", unit.path)
    within, within_params = _subtree_sql("o.path", issuer.path)
    table = Organization._meta.db_table
    sql = (
        f"SELECT b.id, COUNT(*) FROM {ReportExtension._meta.db_table} x"
        f" JOIN {table} o ON o.id = x.organization_id"
        f" JOIN {table} b ON b.path = SUBSTR(o.path, 1, %s)"
        f" WHERE x.phase_id = %s AND x.until >= %s AND {below} AND {within}"
        " AND o.is_active AND o.depth > %s"
    )
    params = [
        prefix_length,
        phase.pk,
        connection.ops.adapt_datefield_value(today),
        *below_params,
        *within_params,
        issuer.depth,
    ]
    if kind:
        sql += " AND o.kind = %s"
        params.append(kind)
    sql += (
        f" AND NOT EXISTS (SELECT 1 FROM {PhaseReport._meta.db_table} r"
        " WHERE r.organization_id = x.organization_id AND r.phase_id = %s"
        f" AND r.status IN ({', '.join(['%s'] * len(SENT))})) GROUP BY b.id"
    )
    params += [phase.pk, *SENT]
    return sql, params, 2


def _children(unit: Organization) -> list[Organization]:
    """:func:`registrations.selectors.children_of` in the order of the path, as plain SQL."""
    below, params = _subtree_sql("t.path", unit.path)
    return esql.instances(
        Organization,
        f"{below} AND t.depth = %s AND t.is_active",
        [*params, unit.depth + 1],
        "t.path",
        defer=UNIT_DEFER,
    )


def _unit_counts_sql(ids: list[int], kind: str) -> tuple[str, list]:
    """Branch id and its active units (of ``kind`` when given), the branch included: the
    ``units`` of :func:`federation.selectors.unit_counts`; two columns, read with the
    counts."""
    sql = (
        f"SELECT branch_id, SUM(units) FROM {BranchUnitCount._meta.db_table}"
        f" WHERE branch_id IN ({esql.placeholders(ids)})"
    )
    params = list(ids)
    if kind:
        sql += " AND kind = %s"
        params.append(kind)
    return sql + " GROUP BY branch_id", params, 2


def branch_progress(
    campaign: Campaign,
    phase: Phase,
    unit: Organization,
    *,
    kind: str,
    today: dt.date,
    more=None,
) -> tuple[list[BranchRow], Progress, Progress, list]:
    """The unit itself (when it takes part) and each unit directly below it, with the counts
    of registrations and of reports on ``phase`` per status over its subtree, and the totals
    of the whole subtree, read from the counters of the unit and of its children (units per
    branch, reports per status, registrations per status) and, once the deadline has passed,
    the few extensions still running. ``more``: a function given the ids of the unit and of its
    children that returns other reads (``(sql, params[, width])`` or None) to make in the same
    statement; their rows come last, None for a read that was None."""
    children = _children(unit)
    ids = [unit.pk, *(child.pk for child in children)]
    deadline = phase.report_deadline
    late = bool(deadline and today > deadline and campaign.status == CampaignStatus.ACTIVE)
    # The reports, registrations and units of each branch and, once late, the extensions still
    # running: one statement.
    parts = [
        rollups.report_counts_by_branch_sql(campaign, phase, ids, kind=kind),
        registration_rollups.status_counts_by_branch_sql(campaign, ids, kind=kind),
        _unit_counts_sql(ids, kind),
    ]
    if late:
        parts.append(_extended_not_sent_sql(campaign, phase, unit, kind, today))
    others = list(more(ids)) if more else []
    # Every read starts with an id, then numbers (no text column: PostgreSQL must find one type
    # per column across the reads).
    read = esql.union_all(
        parts + [part for part in others if part is not None],
        prepare=True,  # made on every first view: planned once per connection on PostgreSQL
    )
    report_rows, registration_rows, unit_rows = read[:3]
    extended = {branch_id: int(count) for branch_id, count in read[3]} if late else {}
    rest = iter(read[len(parts) :])
    other_rows = [None if part is None else next(rest) for part in others]
    units = {branch_id: int(count or 0) for branch_id, count in unit_rows}
    if (
        unit.pk in units
        and not takes_part(campaign, unit)
        and unit.is_active
        and (not kind or unit.kind == kind)
    ):
        units[unit.pk] -= 1  # the issuer counts in its branch but takes no part
    reports = rollups.report_counts_by_branch_of(report_rows)
    registrations = registration_rollups.status_counts_by_branch_of(registration_rows, ids)

    def progress(pk: int, path: str) -> tuple[dict, dict]:
        registration = dict(registrations.get(pk, {}))
        report = dict(reports.get(pk, {}))
        total = units.get(pk, 0)
        for counts in (registration, report):
            counts["total"] = total
        if late:
            sent = sum(map(report.get, _SENT, _ZEROS))
            report["overdue"] = (
                total - sent - (sum(extended.values()) if pk == unit.pk else extended.get(pk, 0))
            )
        return registration, report

    def finish(registration: dict, report: dict) -> tuple[Progress, Progress]:
        total = registration.get("total", 0)
        registration[NOT_REGISTERED] = total - sum(map(registration.get, _REGISTERED, _ZEROS))
        report[NOT_REPORTED] = total - sum(map(report.get, _REPORTED, _ZEROS))
        return (
            Progress(registration, REGISTRATION_ORDER, "registration"),
            Progress(report, STATUS_ORDER, "report"),
        )

    whole = progress(unit.pk, unit.path)
    branches = [(child, *progress(child.pk, child.path)) for child in children]
    rows = []
    if takes_part(campaign, unit):
        own_registration = _minus(whole[0], [b[1] for b in branches])
        own_report = _minus(whole[1], [b[2] for b in branches])
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
    return rows, total_registration, total_report, other_rows


# ---------------------------------------------------------------------------------------------
# Units late with their report.


@dataclass
class OverdueUnit:
    unit: Organization
    branch: str
    deadline: dt.date
    days_late: int
    status: str
    status_label: str
    registration_label: str
    extended: bool


def overdue_units(
    campaign: Campaign,
    phase: Phase,
    unit: Organization,
    *,
    kind: str,
    today: dt.date,
    branches: dict[str, str] | None = None,
) -> QuerySet:
    """The units of the subtree past their report deadline with nothing sent, longest late
    first: a queryset to slice (the page) or to iterate (the spreadsheet)."""
    deadline = phase.report_deadline
    if deadline is None or today <= deadline or campaign.status != CampaignStatus.ACTIVE:
        return Organization.objects.none()
    # Filtered with anti-joins before the report and registration are joined for display
    # (filtering on the joined relations makes Django join them again).
    sent = PhaseReport.objects.filter(phase=phase, organization=OuterRef("pk"), status__in=SENT)
    running = ReportExtension.objects.filter(
        phase=phase, organization=OuterRef("pk"), until__gte=today
    )
    late = counted_units(campaign, unit, kind).filter(~Exists(sent), ~Exists(running))
    return (
        with_report(with_registration(late, campaign), phase)
        .annotate(due=Coalesce("rext__until", Value(deadline)))
        .order_by("due", "path")
    )


def _late_units(
    campaign: Campaign, phase: Phase, where: str, params: list, *, order: str, limit: int
) -> list[Organization]:
    """Units of the condition ``where`` on ``o`` in the order ``order`` (at most ``limit``),
    each with its report on ``phase`` and its registration (ids and statuses) and their
    extended deadlines: one statement. They are read with a scalar subquery each rather than
    joined: PostgreSQL planned the five-table join in 2.2 ms for 0.2 ms of work, the
    subqueries in 0.3 ms (each is one lookup in a unique index, as the join was)."""
    report = (
        f"FROM {PhaseReport._meta.db_table} r WHERE r.organization_id = o.id AND r.phase_id = %s"
    )
    registration = (
        f"FROM {Registration._meta.db_table} g WHERE g.organization_id = o.id"
        " AND g.campaign_id = %s"
    )
    found = esql.fetch(
        f"SELECT {esql.columns(Organization, 'o', UNIT_DEFER)},"
        f" (SELECT r.id {report}), (SELECT r.status {report}),"
        f" (SELECT x.until FROM {ReportExtension._meta.db_table} x"
        " WHERE x.organization_id = o.id AND x.phase_id = %s),"
        f" (SELECT g.id {registration}), (SELECT g.status {registration}),"
        f" (SELECT e.until FROM {DeadlineExtension._meta.db_table} e"
        " WHERE e.organization_id = o.id AND e.campaign_id = %s)"
        f" FROM {Organization._meta.db_table} o"
        f" WHERE {where} ORDER BY {order} LIMIT %s",
        [phase.pk, phase.pk, phase.pk, campaign.pk, campaign.pk, campaign.pk, *params, limit],
    )
    size = len(esql.fields(Organization, UNIT_DEFER))
    units = esql.loader(Organization, UNIT_DEFER)([row[:size] for row in found])
    for unit, values in zip(units, found, strict=True):
        (
            unit.report_id,
            unit.report_status,
            report_extended_until,
            unit.registration_id,
            unit.registration_status,
            extended_until,
        ) = values[size:]
        # SQLite gives the joined dates as text
        unit.report_extended_until = _date(report_extended_until)
        unit.extended_until = _date(extended_until)
    return units


def first_overdue(
    campaign: Campaign, phase: Phase, unit: Organization, *, kind: str, today: dt.date, limit: int
) -> list:
    """The first ``limit`` rows of :func:`overdue_units`, without sorting the whole subtree:
    the units late since the deadline itself (no extension) come first, in the order of the
    path, which the database reads along the path index, stopping at ``limit``, with their
    report and registration joined (one statement); then, when there are fewer, those whose
    extension ran out, the earliest first (extensions are few; two more statements)."""
    deadline = phase.report_deadline
    if deadline is None or today <= deadline or campaign.status != CampaignStatus.ACTIVE:
        return []
    issuer = campaign.issuer
    within, within_params = _subtree_sql("o.path", issuer.path)
    below, below_params = _subtree_sql("o.path", unit.path)
    where = f"{within} AND o.depth > %s AND o.is_active AND {below}"
    params = [*within_params, issuer.depth, *below_params]
    if kind:
        where += " AND o.kind = %s"
        params.append(kind)
    where += (
        f" AND NOT EXISTS (SELECT 1 FROM {PhaseReport._meta.db_table} s"
        " WHERE s.organization_id = o.id AND s.phase_id = %s"
        f" AND s.status IN ({esql.placeholders(SENT)}))"
        f" AND NOT EXISTS (SELECT 1 FROM {ReportExtension._meta.db_table} n"
        " WHERE n.organization_id = o.id AND n.phase_id = %s)"
    )
    params += [phase.pk, *SENT, phase.pk]
    rows = _late_units(campaign, phase, where, params, order="o.path", limit=limit)
    if len(rows) < limit:
        units = counted_units(campaign, unit, kind)
        ran_out = in_subtree(
            ReportExtension.objects.filter(phase=phase, until__lt=today),
            unit.path,
            "organization__",
        ).filter(organization__in=units)
        ids = list(
            ran_out.exclude(
                organization__in=PhaseReport.objects.filter(phase=phase, status__in=SENT).values(
                    "organization_id"
                )
            )
            .order_by("until", "organization__path")
            .values_list("organization_id", flat=True)[: limit - len(rows)]
        )
        if ids:
            position = {pk: index for index, pk in enumerate(ids)}
            more = _late_units(
                campaign,
                phase,
                f"o.id IN ({esql.placeholders(ids)})",
                ids,
                order="o.id",
                limit=len(ids),
            )
            rows += sorted(more, key=lambda row: position[row.pk])
    return rows


def overdue_rows(units, phase: Phase, unit: Organization, today: dt.date, branches: dict):
    """The rows of :func:`overdue_units` as the page and the spreadsheet show them."""
    prefix_length = len(unit.path) + Organization.steplen
    report_labels, registration_labels = _labels("report"), _labels("registration")
    rows = []
    for row in units:
        deadline = effective_deadline(phase, row.report_extended_until)
        status = row.report_status or NOT_REPORTED
        registration = row.registration_status or NOT_REGISTERED
        rows.append(
            OverdueUnit(
                unit=row,
                branch="" if row.path == unit.path else branches.get(row.path[:prefix_length], ""),
                deadline=deadline,
                days_late=(today - deadline).days if deadline else 0,
                status=status,
                status_label=report_labels.get(status) or str(status_label(status)),
                registration_label=registration_labels.get(registration)
                or str(registration_status_label(registration)),
                extended=bool(row.report_extended_until),
            )
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Themes, indicators and targets over a subtree.


def theme_choices(
    campaign: Campaign, unit: Organization, *, kind: str, counts: dict | None = None
) -> list[tuple]:
    """For each theme of the campaign, how many units of the subtree chose it in an approved
    registration (one query on the registrations' counters of the unit unless ``counts``, what
    ``registrations.rollups.theme_counts`` gives, is passed; the themes come from the
    campaign's prefetch)."""
    if counts is None:
        counts = registration_rollups.theme_counts(campaign, unit.pk, kind=kind)
    themes = sorted(campaign.themes.all(), key=lambda t: t.number)
    return [(theme, counts.get(theme.pk, 0)) for theme in themes]


def indicators_of(campaign: Campaign) -> list[Indicator]:
    """The campaign's indicators in their order (``Indicator.Meta.ordering``; one statement,
    kept with the plan's rows: ``campaigns.selectors.PLAN_ROWS``)."""
    return esql.instances(
        Indicator,
        "t.campaign_id = %s",
        [campaign.pk],
        "t.position, t.id",
        memo=PLAN_ROWS,
        version=plan_version(campaign),
    )


def phase_sums(totals: dict, unit: Organization) -> dict[tuple[int, int], Decimal]:
    """(phase id, indicator id) -> total over the unit's subtree, from
    :func:`rollup`'s indicator totals."""
    return {
        (phase_id, indicator_id): value
        for phase_id, branches in totals.items()
        for indicator_id, value in branches.get(unit.pk, {}).items()
    }


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
    more_rows: list = field(default_factory=list)  # the rows of rollup()'s ``more`` reads

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


def rollup(
    campaign: Campaign,
    phase: Phase,
    unit: Organization,
    *,
    scope: str = "approved",
    kind: str = "",
    today: dt.date,
    all_phases: bool = False,
    more=None,
) -> Rollup:
    """Each indicator and each target of ``phase`` over ``unit``'s subtree, level by level:
    the unit's own report and each child's branch (drill down by opening a child's).
    ``all_phases``: the indicators of every phase are summed in the same query
    (:attr:`Rollup.by_phase`), for the dashboard's comparison. The indicator totals of the unit
    and of each branch (phase id -> branch id -> indicator id -> total) are read from the
    counters in the statement of the progress counts, with the reads ``more()`` returns
    (their rows in :attr:`Rollup.more_rows`)."""
    scope = scope if scope in SCOPES else "approved"
    statuses = scope_statuses(scope)

    indicators = indicators_of(campaign)
    indicator_ids = [i.id for i in indicators]

    def reads(ids):
        sums = rollups.indicator_sums_by_branch_sql(
            campaign,
            ids,
            indicator_ids,
            kind=kind,
            statuses=statuses,
            phase=phase,
            every_phase_of=unit.pk if all_phases else None,
        )
        return [sums, *(more() if more else [])]

    rows, registration, report, (sum_rows, *more_rows) = branch_progress(
        campaign, phase, unit, kind=kind, today=today, more=reads
    )
    branches = [row.unit.pk for row in rows if not row.is_self]
    grouped = (
        rollups.indicator_sums_by_branch_of(sum_rows, indicator_ids) if sum_rows is not None else {}
    )
    by_branch = grouped.get(phase.pk, {})
    counted = tuple(getattr(s, "value", s) for s in statuses)
    for row in rows:
        if row.is_self:  # the unit's own report: its subtree less its children's branches
            row.totals = {
                pk: value
                for pk, value in _minus(
                    by_branch.get(unit.pk, {}), [by_branch.get(pk, {}) for pk in branches]
                ).items()
                if value
            }
        else:
            row.totals = by_branch.get(row.unit.id, {})
        get = row.totals.get
        row.values = [get(pk) or 0 for pk in indicator_ids]
        report_counts = row.report.counts
        row.counted = sum(report_counts.get(s, 0) or 0 for s in counted)
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
        registration=registration,
        report=report,
        totals=totals,
        by_phase=sums,
        more_rows=more_rows,
    )


# ---------------------------------------------------------------------------------------------
# The dashboard.


@dataclass
class PhaseColumn:
    info: PhaseInfo
    values: dict  # indicator id -> total


@dataclass
class IndicatorRow:
    indicator: Indicator
    values: list  # one per phase, in order

    @property
    def change(self) -> int | None:
        """The change from the first to the last phase that has a figure, in percent."""
        figures = [v for v in self.values if v is not None]
        if len(figures) < 2 or not figures[0]:
            return None
        return round((figures[-1] - figures[0]) * 100 / figures[0])


@dataclass
class Event:
    day: dt.date
    kind: str  # "deadline", "milestone", "opening"
    text: str
    days_left: int
    is_round: bool = False


@dataclass
class Dashboard:
    campaign: Campaign
    unit: Organization
    phases: list[PhaseInfo]
    current: PhaseInfo
    kind: str
    scope: str
    today: dt.date
    rollup: Rollup
    overdue: list[OverdueUnit]
    overdue_total: int
    themes: list[tuple]
    indicator_rows: list[IndicatorRow]
    events: list[Event]

    @property
    def phase(self) -> Phase:
        return self.current.phase

    @property
    def deadline(self) -> dt.date | None:
        return self.phase.report_deadline

    @property
    def days_to_deadline(self) -> int | None:
        return (self.deadline - self.today).days if self.deadline else None

    @property
    def max_theme_units(self) -> int:
        return max((count for _theme, count in self.themes), default=0)

    def chart_themes(self) -> dict:
        return {
            "labels": [f"{theme.number}. {theme.title}" for theme, _count in self.themes],
            "values": [count for _theme, count in self.themes],
        }

    def chart_indicators(self) -> list[dict]:
        return [
            {
                "title": f"{row.indicator.name} ({row.indicator.unit})",
                "labels": [info.phase.name for info in self.phases],
                "values": [float(v) if v is not None else 0 for v in row.values],
            }
            for row in self.indicator_rows
        ]


def next_events(
    campaign: Campaign, infos: list[PhaseInfo], today: dt.date, limit: int = 6
) -> list[Event]:
    """The next deadlines, reporting openings and commemorative milestones, from today on
    (from the campaign's prefetch: no query)."""
    views = campaign_selectors.phase_views(campaign)
    events = [
        Event(d.day, "deadline", d.label, (d.day - today).days)
        for d in campaign_selectors.deadlines(campaign, views)
        if d.day >= today
    ]
    events += [
        Event(
            info.opens_on,
            "opening",
            _("Reporting on %(phase)s opens") % {"phase": info.phase.name},
            (info.opens_on - today).days,
        )
        for info in infos
        if info.opens_on > today and info.opens_on != info.phase.start
    ]
    events += [
        Event(m.date, "milestone", capfirst(m.wording), (m.date - today).days, m.is_round)
        for m in campaign.milestones.all()
        if m.date >= today
    ]
    events.sort(key=lambda e: (e.day, e.kind))
    return events[:limit]


OVERDUE_ROWS = 25


# What changes whenever something the figures depend on changes: every report, registration,
# plan and tree change writes an audit entry, so the last entry's id (read from the primary
# key's index; the dashboard reads it in the statement of its campaign and unit).
FIGURES_VERSION_SQL = f"SELECT MAX(id) FROM {AuditEntry._meta.db_table}"


def figures_version() -> int:
    """:data:`FIGURES_VERSION_SQL` read alone."""
    return esql.fetch(FIGURES_VERSION_SQL, [])[0][0] or 0


def dashboard_cache_key(
    campaign: Campaign,
    unit: Organization,
    *,
    today: dt.date,
    params,
    extra: str = "",
    version: int | None = None,
) -> str:
    """The cache key of a dashboard: the campaign (with its creation time, so a database
    rebuilt with the same ids never meets an old entry), the unit and its place in the tree,
    the filters, the day, the language and the figures' version (:func:`figures_version`
    unless ``version`` gives it)."""
    phase = str(params.get("phase", ""))
    kind = str(params.get("kind", ""))
    scope = str(params.get("scope", ""))
    parts = [
        "reports-dashboard-1",
        str(campaign.pk),
        f"{campaign.created_at.timestamp():.6f}" if campaign.created_at else "",
        str(unit.pk),
        unit.path,
        phase if phase.isdigit() else "",
        kind if kind in OrganizationKind.values else "",
        scope if scope in SCOPES else "",
        today.isoformat(),
        get_language() or "",
        extra,
        str(figures_version() if version is None else version),
    ]
    return ":".join(parts)


def dashboard(
    campaign: Campaign,
    unit: Organization,
    *,
    phase_id=None,
    kind: str = "",
    scope: str = "approved",
    today: dt.date,
) -> Dashboard | None:
    """Everything the dashboard of ``unit``'s subtree shows, in a fixed number of queries.
    ``campaign`` must come with its themes, phases and milestones prefetched
    (``campaigns.selectors.campaign_with_plan``). None when the campaign has no phase."""
    infos = phase_infos(campaign)
    if not infos:
        return None
    current = next((i for i in infos if str(i.phase.pk) == str(phase_id)), None)
    current = current or default_phase(infos, today)
    kind = kind if kind in OrganizationKind.values else ""
    scope = scope if scope in SCOPES else "approved"
    themes = registration_rollups.theme_counts_sql(campaign, unit.pk, kind=kind)
    data = rollup(
        campaign,
        current.phase,
        unit,
        scope=scope,
        kind=kind,
        today=today,
        all_phases=True,
        more=lambda: [themes and (*themes, 2)],
    )
    (theme_rows,) = data.more_rows
    branches = {row.unit.path: row.unit.display_name for row in data.rows if not row.is_self}
    late = []
    if data.report.overdue:  # the counts say whether the list has anything: no query otherwise
        late = first_overdue(
            campaign, current.phase, unit, kind=kind, today=today, limit=OVERDUE_ROWS
        )
    by_phase = data.by_phase
    indicator_rows = [
        IndicatorRow(indicator, [by_phase.get((info.phase.pk, indicator.pk)) for info in infos])
        for indicator in data.indicators
    ]
    return Dashboard(
        campaign=campaign,
        unit=unit,
        phases=infos,
        current=current,
        kind=kind,
        scope=scope,
        today=today,
        rollup=data,
        overdue=overdue_rows(late, current.phase, unit, today, branches),
        overdue_total=data.report.overdue,
        themes=theme_choices(
            campaign, unit, kind=kind, counts=registration_rollups.theme_counts_of(theme_rows or [])
        ),
        indicator_rows=indicator_rows,
        events=next_events(campaign, infos, today),
    )


# ---------------------------------------------------------------------------------------------
# The reviewer's queue: the units directly below one unit, for one phase.


@dataclass
class QueueFilters:
    status: str = ""
    kind: str = ""
    overdue: bool = False
    q: str = ""

    def query_string(self, **extra) -> str:
        from urllib.parse import urlencode

        values = {
            "status": self.status,
            "kind": self.kind,
            "overdue": "1" if self.overdue else "",
            "q": self.q,
            **extra,
        }
        return urlencode({k: v for k, v in values.items() if v})


@dataclass
class Queue:
    parent: Organization
    progress: Progress
    page: object
    rows: list
    filters: QueueFilters


def review_queue(
    campaign: Campaign,
    phase: Phase,
    parent: Organization,
    *,
    filters: QueueFilters,
    today: dt.date,
    page_number=None,
    per_page: int = 50,
) -> Queue:
    """The units directly below ``parent`` with their report on ``phase`` and their
    registration, filtered and paginated, and the counts per status of all of them (four
    queries)."""
    children = children_of(parent)
    annotated = with_report(with_registration(children, campaign), phase)
    aggregates = {s: Count("id", filter=_report_q(s)) for s in STATUS_ORDER}
    aggregates["overdue"] = Count("id", filter=_overdue_q(campaign, phase, today))
    aggregates["total"] = Count("id")
    progress = Progress(annotated.order_by().aggregate(**aggregates))
    rows = annotated
    if filters.status in STATUS_ORDER:
        rows = rows.filter(_report_q(filters.status))
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.overdue:
        rows = rows.filter(_overdue_q(campaign, phase, today))
    if filters.q:
        rows = rows.search(filters.q)
    page = Paginator(rows.order_by("path"), per_page).get_page(page_number)
    units = list(page)
    active = campaign.status == CampaignStatus.ACTIVE
    for row in units:
        row.status = row.report_status or NOT_REPORTED
        row.status_label = status_label(row.status)
        row.registration_label = registration_status_label(
            row.registration_status or NOT_REGISTERED
        )
        row.deadline = effective_deadline(phase, row.report_extended_until)
        row.is_overdue = bool(
            active
            and row.deadline
            and today > row.deadline
            and row.status in (NOT_REPORTED, *EDITABLE)
        )
        row.days_late = (today - row.deadline).days if row.is_overdue else 0
    return Queue(parent=parent, progress=progress, page=page, rows=units, filters=filters)


# ---------------------------------------------------------------------------------------------
# The receiving department's inbox.

INBOX_MARKS = ("new", "received", "accepted", "returned")


def _mark_q(mark: str) -> Q:
    return {
        "new": Q(status=ReviewStatus.SUBMITTED, received_at__isnull=True),
        "received": Q(status=ReviewStatus.SUBMITTED, received_at__isnull=False),
        "accepted": Q(status=ReviewStatus.APPROVED),
        "returned": Q(status=ReviewStatus.RETURNED),
    }[mark]


@dataclass
class Inbox:
    campaign: Campaign
    counts: dict
    page: object
    rows: list
    mark: str
    phase: Phase | None


def inbox(
    campaign: Campaign, user, *, phase: Phase | None, mark: str, page_number=None, per_page=50
) -> Inbox:
    """The reports that reached the issuing unit (those of the units directly below it) once
    sent: new, received, accepted or returned, with the counts of each (three queries)."""
    issuer = campaign.issuer
    reports = in_subtree(
        PhaseReport.objects.filter(
            campaign=campaign,
            organization__depth=issuer.depth + 1,
            organization__in=Organization.objects.visible_to(user).values("pk"),
            status__in=(ReviewStatus.SUBMITTED, ReviewStatus.RETURNED, ReviewStatus.APPROVED),
        ),
        issuer.path,
        "organization__",
    )
    if phase is not None:
        reports = reports.filter(phase=phase)
    counts = reports.aggregate(**{m: Count("id", filter=_mark_q(m)) for m in INBOX_MARKS})
    mark = mark if mark in INBOX_MARKS else ""
    rows = reports.filter(_mark_q(mark)) if mark else reports
    rows = rows.select_related(
        "organization", "phase", "submitted_by", "received_by", "reviewed_by"
    ).order_by(F("received_at").asc(nulls_first=True), "-submitted_at", "pk")
    page = Paginator(rows, per_page).get_page(page_number)
    items = list(page)
    for report in items:
        report.campaign = campaign
        report.mark = next((m for m in INBOX_MARKS if _matches(report, m)), "")
    return Inbox(campaign=campaign, counts=counts, page=page, rows=items, mark=mark, phase=phase)


def _matches(report: PhaseReport, mark: str) -> bool:
    if mark == "new":
        return report.status == ReviewStatus.SUBMITTED and report.received_at is None
    if mark == "received":
        return report.status == ReviewStatus.SUBMITTED and report.received_at is not None
    if mark == "accepted":
        return report.status == ReviewStatus.APPROVED
    return report.status == ReviewStatus.RETURNED


# ---------------------------------------------------------------------------------------------
# One report.


def report_for(phase: Phase, organization: Organization) -> PhaseReport | None:
    """The report of a unit on a phase with everything its page shows (five queries)."""
    return (
        PhaseReport.objects.filter(phase=phase, organization=organization)
        .select_related("submitted_by", "reviewed_by", "received_by")
        .prefetch_related(*CONTENT_PREFETCH, "attachments")
        .first()
    )


def extension_of(phase: Phase, organization: Organization) -> ReportExtension | None:
    return (
        ReportExtension.objects.filter(phase=phase, organization=organization)
        .select_related("granted_by")
        .first()
    )


# ---------------------------------------------------------------------------------------------
# The start page.


@dataclass
class CampaignCard:
    campaign: Campaign
    phases: list[PhaseInfo]
    own: list = field(default_factory=list)  # (unit, [(info, status, label)])
    upper: list = field(default_factory=list)  # units whose dashboard the user reads
    can_inbox: bool = False
    can_configure: bool = False
    inbox_new: int = 0
    current: PhaseInfo | None = None  # the phase the links open on


def start_page(user, campaigns: list[Campaign], today: dt.date) -> list[CampaignCard]:
    """For each campaign: the phases with their reporting dates, the user's units with the
    status of their report on each phase, the units whose dashboard the user reads, and the
    new reports in the inbox of the issuing unit's staff (five queries)."""
    from federation.models import SUBTREE_ROLES, memberships_of

    memberships = memberships_of(user)
    unit_ids = {m.organization_id for m in memberships}
    upper_ids = {m.organization_id for m in memberships if m.role in SUBTREE_ROLES}
    units = list(
        Organization.objects.filter(pk__in=unit_ids, is_active=True).order_by("depth", "path")
    )
    campaign_ids = [c.pk for c in campaigns]
    windows = {
        w.phase_id: w for w in ReportingWindow.objects.filter(phase__campaign_id__in=campaign_ids)
    }
    statuses = {
        (phase_id, org_id): status
        for phase_id, org_id, status in PhaseReport.objects.filter(
            campaign_id__in=campaign_ids, organization_id__in=[u.pk for u in units]
        ).values_list("phase_id", "organization_id", "status")
    }
    inbox_campaigns = [c for c in campaigns if user.has_perm("reports.view_inbox", c)]
    new_counts: dict[int, int] = {}
    if inbox_campaigns:
        condition = Q(pk__in=[])
        for campaign in inbox_campaigns:
            condition |= Q(
                campaign=campaign,
                organization__depth=campaign.issuer.depth + 1,
                organization__path__startswith=campaign.issuer.path,
            )
        new_counts = dict(
            PhaseReport.objects.filter(
                condition, status=ReviewStatus.SUBMITTED, received_at__isnull=True
            )
            .order_by()
            .values("campaign_id")
            .annotate(count=Count("id"))
            .values_list("campaign_id", "count")
        )
    cards = []
    for campaign in campaigns:
        phases = sorted(campaign.phases.all(), key=lambda p: p.start)
        infos = [
            PhaseInfo(p, i, i == len(phases), opening_day(p, windows.get(p.pk)))
            for i, p in enumerate(phases, start=1)
        ]
        card = CampaignCard(campaign, infos, current=default_phase(infos, today))
        for unit in units:
            if takes_part(campaign, unit):
                card.own.append(
                    (
                        unit,
                        [
                            (
                                info,
                                statuses.get((info.phase.pk, unit.pk), NOT_REPORTED),
                                status_label(statuses.get((info.phase.pk, unit.pk))),
                            )
                            for info in infos
                        ],
                    )
                )
        for unit in units:
            if (
                unit.pk in upper_ids
                and unit.path.startswith(campaign.issuer.path)
                and unit.kind != OrganizationKind.GRASSROOTS
            ):
                card.upper.append(unit)
        if user.is_superuser and not card.upper:
            card.upper.append(campaign.issuer)
        card.can_inbox = campaign in inbox_campaigns
        card.inbox_new = new_counts.get(campaign.pk, 0)
        card.can_configure = user.has_perm("reports.configure", campaign)
        cards.append(card)
    return cards
