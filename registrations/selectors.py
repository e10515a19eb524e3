"""Reads that pages share. Each is a fixed number of queries whatever the number of units:
figures over a subtree are summed by the database over the path prefix (GROUP BY), never by
looping over units in Python."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection, connections
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from campaigns.models import Campaign, CampaignStatus, Theme
from emulation import sql as esql
from emulation.workflow import EDITABLE, SENT, ReviewStatus
from federation.models import (
    SUBTREE_ROLES,
    Organization,
    OrganizationKind,
    memberships_of,
)
from registrations import rollups
from registrations.content import CONTENT_PREFETCH
from registrations.models import (
    NOT_REGISTERED,
    NOT_REGISTERED_LABEL,
    DeadlineExtension,
    Level,
    RegisteredTheme,
    Registration,
)

# The order in which statuses are counted and shown.
STATUS_ORDER = (
    NOT_REGISTERED,
    ReviewStatus.DRAFT,
    ReviewStatus.RETURNED,
    ReviewStatus.SUBMITTED,
    ReviewStatus.APPROVED,
)


def status_label(status: str | None):
    if not status or status == NOT_REGISTERED:
        return NOT_REGISTERED_LABEL
    return ReviewStatus(status).label


def in_subtree(queryset: QuerySet, path: str, prefix: str = ""):
    """Rows of ``queryset`` whose unit (``<prefix>path``) lies in the subtree of ``path``.

    On PostgreSQL ``LIKE 'path%'`` walks the pattern index of the path column. SQLite cannot use
    an index for ``LIKE`` on a column of the default collation, so a range on the same column,
    which adds nothing to the result, lets it walk the index there.
    """
    queryset = queryset.filter(**{f"{prefix}path__startswith": path})
    if connections[queryset.db].vendor == "sqlite":
        longest = Organization._meta.get_field("path").max_length
        last = Organization.alphabet[-1] * (longest - len(path))
        queryset = queryset.filter(
            **{f"{prefix}path__gte": path, f"{prefix}path__lte": path + last}
        )
    return queryset


def participants(campaign: Campaign, queryset: QuerySet | None = None) -> QuerySet:
    """The units taking part in ``campaign``: every active unit strictly below its issuer."""
    queryset = Organization.objects.all() if queryset is None else queryset
    issuer = campaign.issuer
    return in_subtree(queryset, issuer.path).filter(depth__gt=issuer.depth, is_active=True)


def takes_part(campaign: Campaign, organization: Organization) -> bool:
    issuer = campaign.issuer
    return (
        organization.is_active
        and organization.path.startswith(issuer.path)
        and organization.pk != issuer.pk
    )


def in_branch(campaign: Campaign, organization: Organization) -> bool:
    """The unit is the issuer or below it: it has a queue and a consolidation."""
    return organization.is_active and organization.path.startswith(campaign.issuer.path)


def with_registration(queryset: QuerySet, campaign: Campaign) -> QuerySet:
    """Units, each with its registration for ``campaign`` (if any) and its extended deadline,
    joined in the same query (LEFT JOIN)."""
    return queryset.annotate(
        reg=FilteredRelation("registrations", condition=Q(registrations__campaign=campaign)),
        ext=FilteredRelation(
            "registration_extensions", condition=Q(registration_extensions__campaign=campaign)
        ),
    ).annotate(
        registration_id=F("reg__id"),
        registration_status=F("reg__status"),
        registration_version=F("reg__version"),
        registration_revision=F("reg__revision"),
        registration_submitted_at=F("reg__submitted_at"),
        registration_reviewed_at=F("reg__reviewed_at"),
        extended_until=F("ext__until"),
    )


def _overdue_q(campaign: Campaign, today: dt.date) -> Q:
    """Units (annotated by :func:`with_registration`) past their deadline with nothing sent."""
    deadline = campaign.registration_deadline
    if deadline is None or today <= deadline or campaign.status != CampaignStatus.ACTIVE:
        return Q(pk__in=[])
    not_sent = Q(reg__id__isnull=True) | Q(reg__status__in=EDITABLE)
    not_extended = Q(ext__until__isnull=True) | Q(ext__until__lt=today)
    return not_sent & not_extended


def _status_q(status: str) -> Q:
    if status == NOT_REGISTERED:
        return Q(reg__id__isnull=True)
    return Q(reg__status=status)


@dataclass
class Progress:
    """Figures of a group of units: counts per status and the shares the progress bar shows."""

    counts: dict

    @property
    def total(self) -> int:
        return self.counts.get("total", 0)

    @property
    def approved(self) -> int:
        return self.counts.get(ReviewStatus.APPROVED, 0)

    @property
    def submitted(self) -> int:
        return self.counts.get(ReviewStatus.SUBMITTED, 0)

    @property
    def registered(self) -> int:
        return self.total - self.counts.get(NOT_REGISTERED, 0)

    @property
    def overdue(self) -> int:
        return self.counts.get("overdue", 0)

    def percent(self, status: str) -> str:
        if not self.total:
            return "0"
        return f"{self.counts.get(status, 0) * 100 / self.total:.2f}"

    @property
    def approved_percent(self) -> int:
        return round(self.approved * 100 / self.total) if self.total else 0

    @cached_property
    def segments(self) -> list[dict]:
        """The bar, approved first."""
        return [
            {"status": status, "label": status_label(status), "count": self.counts.get(status, 0)}
            | {"percent": self.percent(status)}
            for status in reversed(STATUS_ORDER)
        ]


def past_deadline(campaign: Campaign, today: dt.date) -> bool:
    """Units may be overdue: the campaign is active and its deadline has passed."""
    deadline = campaign.registration_deadline
    return bool(deadline and today > deadline and campaign.status == CampaignStatus.ACTIVE)


def progress_from(statuses: dict, total: int, extended: int = 0, *, late: bool) -> Progress:
    """A :class:`Progress` from the counters' units per status and the number of units: the
    units with no registration are the rest; when the deadline has passed, the overdue are the
    units with nothing sent less those whose extended deadline is still ahead (``extended``)."""
    counts = {status: statuses.get(status, 0) for status in STATUS_ORDER[1:]}
    counts[NOT_REGISTERED] = max(total - sum(counts.values()), 0)
    counts["total"] = total
    waiting = counts[NOT_REGISTERED] + sum(counts[s] for s in EDITABLE)
    counts["overdue"] = max(waiting - extended, 0) if late else 0
    return Progress(counts)


def extended_not_sent(campaign: Campaign, queryset: QuerySet, today: dt.date, group=None) -> dict:
    """Units of ``queryset`` (of units) whose extended deadline is still ahead and which sent
    nothing, counted per ``group`` (an expression over the unit; one query)."""
    sent = Registration.objects.filter(
        campaign=campaign, organization=OuterRef("pk"), status__in=SENT
    )
    queryset = (
        queryset.filter(
            registration_extensions__campaign=campaign,
            registration_extensions__until__gte=today,
        )
        .exclude(Exists(sent))
        .order_by()
    )
    if group is None:
        return {None: queryset.count()}
    return dict(
        queryset.annotate(group=group)
        .values("group")
        .annotate(n=Count("id"))
        .values_list("group", "n")
    )


def children_progress(
    campaign: Campaign, parent: Organization, today: dt.date
) -> tuple[Progress, str]:
    """Counts per status of the units directly below ``parent``, and the status of ``parent``'s
    own registration: from the branch counters and the number of children (two queries; one
    more for the extensions once the deadline has passed)."""
    figures = rollups.level_figures(campaign, [parent.pk]).get(parent.pk, {})
    statuses = {status: row["units"] for status, row in figures.get(Level.CHILD, {}).items()}
    own = [status for status, row in figures.get(Level.SELF, {}).items() if row["units"]]
    total = _count_children(parent)
    late = past_deadline(campaign, today)
    extended = extended_not_sent(campaign, children_of(parent), today)[None] if late else 0
    progress = progress_from(statuses, total, extended, late=late)
    return progress, own[0] if own else NOT_REGISTERED


# ---------------------------------------------------------------------------------------------
# The reviewer's queue: the units directly below one unit.


def _children_sql(parent: Organization) -> tuple[str, list]:
    """The condition of :func:`children_of` on ``o`` (the units table), written in SQL: the
    queue reads it on every view, and the ORM takes longer to build the statement than the
    database to answer it. All children's paths have the same length, so on SQLite a range on
    the path, which walks its index, is the same set as the prefix."""
    sql = "o.path LIKE %s AND o.depth = %s AND o.is_active = %s"
    params = [parent.path + "%", parent.depth + 1, True]
    if connection.vendor == "sqlite":
        last = parent.path + Organization.alphabet[-1] * Organization.steplen
        sql += " AND o.path >= %s AND o.path <= %s"
        params += [parent.path, last]
    return sql, params


# What the lists of units leave unread (deferred: Django reads such a field on its first
# access, which the pages reading these lists never make): never shown, and their dates cost a
# conversion each, most of the reading of a few dozen units on SQLite.
UNIT_DEFER = ("search_key", "created_at", "updated_at")


def units_where(
    where: str, params: list, order: str = "o.path", defer: tuple = ()
) -> list[Organization]:
    """Units (``Organization`` instances) of the condition ``where`` on ``o``, written in SQL:
    one statement the ORM would take longer to build than the database to answer; the fields
    named in ``defer`` left unread."""
    return esql.instances(Organization, where, params, order, alias="o", defer=defer)


def unit_by_pk(pk) -> Organization | None:
    """The unit of id ``pk``, or ``None`` (one query written in SQL)."""
    units = units_where("o.id = %s", [pk])
    return units[0] if units else None


def campaign_by_pk(pk) -> Campaign | None:
    """The campaign of id ``pk`` with its issuer, or ``None`` (one query written in SQL)."""
    return campaign_and_unit(pk)[0]


# The levels above a unit whose ancestors :func:`campaign_and_unit` reads in its statement;
# a deeper unit's are read by :func:`ancestors_list`.
ANCESTOR_LEVELS = 16


def campaign_and_unit(campaign_pk, unit_pk=None, *, scalar: str = "", ancestors: bool = False):
    """(the campaign of id ``campaign_pk`` with its issuer or ``None``, the unit of id
    ``unit_pk`` or ``None``, the value of the scalar subquery ``scalar`` or ``None``): one
    statement written in SQL, where a page about a unit of a campaign would make two or three
    (``scalar``: a parameterless ``SELECT`` of one value, e.g. a version its cache key needs).
    ``ancestors``: the unit comes with the units above it, from the root down, as
    :func:`ancestors_list` gives them (``unit.ancestors_read``), joined in the same statement
    (one row each)."""
    campaign_columns = esql.columns(Campaign, "c")
    issuer_columns = esql.columns(Organization, "o")
    sql = f"SELECT {campaign_columns}, {issuer_columns}"
    params: list = []
    ancestors = ancestors and unit_pk is not None
    if unit_pk is not None:
        sql += f", {esql.columns(Organization, 'u')}"
    if ancestors:
        sql += f", {esql.columns(Organization, 'a')}"
    if scalar:
        sql += f", ({scalar})"
    table = Organization._meta.db_table
    sql += f" FROM {Campaign._meta.db_table} c JOIN {table} o ON o.id = c.issuer_id"
    if unit_pk is not None:
        sql += f" LEFT JOIN {table} u ON u.id = %s"
        params.append(unit_pk)
    if ancestors:
        # The paths of the levels above: prefixes of the unit's path, one step each.
        step = Organization.steplen
        prefixes = ", ".join(
            f"SUBSTR(u.path, 1, {step * level})" for level in range(1, ANCESTOR_LEVELS + 1)
        )
        sql += f" LEFT JOIN {table} a ON a.path IN ({prefixes}) AND a.depth < u.depth"
    sql += " WHERE c.id = %s"
    if ancestors:
        sql += " ORDER BY a.depth"
    # Prepared on PostgreSQL: planning the ancestors' join costs more than reading them.
    rows = esql.fetch(sql, [*params, campaign_pk], prepare=True)
    if not rows:
        return None, None, None
    row = rows[0]
    size = len(Campaign._meta.concrete_fields)
    width = len(Organization._meta.concrete_fields)
    (campaign,) = esql.loader(Campaign)([row[:size]])
    organizations = esql.loader(Organization)
    (campaign.issuer,) = organizations([row[size : size + width]])
    unit = None
    if unit_pk is not None and row[size + width] is not None:  # the unit's id: None if missing
        (unit,) = organizations([row[size + width : size + 2 * width]])
        if ancestors:
            start = size + 2 * width
            above = [r[start : start + width] for r in rows if r[start] is not None]
            if unit.depth - 1 > ANCESTOR_LEVELS:  # deeper than the statement looks
                unit.ancestors_read = ancestors_list(unit)
            else:
                unit.ancestors_read = organizations(above)
    return campaign, unit, row[-1] if scalar else None


def children_list(parent: Organization) -> list[Organization]:
    """``list(children_of(parent).order_by("path"))`` (one query)."""
    where, params = _children_sql(parent)
    return units_where(where, params)


def ancestors_list(unit: Organization) -> list[Organization]:
    """``list(unit.ancestors_chain())``: the units above ``unit``, from the root down (one
    query, none for a root)."""
    step = Organization.steplen
    paths = [unit.path[:i] for i in range(step, len(unit.path), step)]
    if not paths:
        return []
    return units_where(f"o.path IN ({', '.join(['%s'] * len(paths))})", paths, "o.depth")


def _count_children(parent: Organization) -> int:
    """``children_of(parent).count()`` (one query)."""
    where, params = _children_sql(parent)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {Organization._meta.db_table} o WHERE {where}", params
        )
        return cursor.fetchone()[0]


def _moment(value):
    """A date and time read with raw SQL as the ORM gives it (SQLite answers text or a naive
    date and time in UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def _day(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


class _ChildrenPage:
    """The unfiltered queue's rows for the paginator: ``with_registration(children_of(parent),
    campaign).order_by("path")``, each slice read with one statement written in SQL."""

    ordered = True

    def __init__(self, campaign: Campaign, parent: Organization, count: int):
        self.campaign, self.parent, self.count = campaign, parent, count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, window: slice) -> list:
        where, params = _children_sql(self.parent)
        sql = (
            f"SELECT {esql.columns(Organization, 'o')}, r.id, r.status, r.version, r.revision, "
            f"r.submitted_at, r.reviewed_at, e.until FROM {Organization._meta.db_table} o "
            f"LEFT JOIN {Registration._meta.db_table} r ON r.organization_id = o.id "
            "AND r.campaign_id = %s "
            f"LEFT JOIN {DeadlineExtension._meta.db_table} e ON e.organization_id = o.id "
            f"AND e.campaign_id = %s WHERE {where} ORDER BY o.path LIMIT %s OFFSET %s"
        )
        start = window.start or 0
        params = [self.campaign.pk, self.campaign.pk, *params, window.stop - start, start]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        size = len(Organization._meta.concrete_fields)
        units = esql.loader(Organization)([row[:size] for row in rows])
        for unit, row in zip(units, rows, strict=True):
            (
                unit.registration_id,
                unit.registration_status,
                unit.registration_version,
                unit.registration_revision,
                submitted_at,
                reviewed_at,
                until,
            ) = row[size:]
            unit.registration_submitted_at = _moment(submitted_at)
            unit.registration_reviewed_at = _moment(reviewed_at)
            unit.extended_until = _day(until)
        return units


@dataclass
class QueueFilters:
    status: str = ""
    kind: str = ""
    overdue: bool = False
    q: str = ""

    def query_string(self) -> str:
        from urllib.parse import urlencode

        values = {
            "status": self.status,
            "kind": self.kind,
            "overdue": "1" if self.overdue else "",
            "q": self.q,
        }
        return urlencode({k: v for k, v in values.items() if v})


@dataclass
class Queue:
    parent: Organization
    campaign: Campaign
    own_status: str  # of the parent's own registration (when it takes part)
    progress: Progress
    page: object
    rows: list
    filters: QueueFilters
    kinds: list = field(default_factory=list)


def children_of(parent: Organization) -> QuerySet:
    return in_subtree(Organization.objects.all(), parent.path).filter(
        depth=parent.depth + 1, is_active=True
    )


def review_queue(
    campaign: Campaign,
    parent: Organization,
    *,
    filters: QueueFilters,
    today: dt.date,
    page_number=None,
    per_page: int = 50,
) -> Queue:
    """The units directly below ``parent`` with their registration status, filtered and
    paginated, and the counts per status of all of them (three or four queries: the counts from
    the branch counters, the children, the page; the number of matches when filtered)."""
    progress, own_status = children_progress(campaign, parent, today)
    unfiltered = not (filters.status or filters.kind or filters.overdue or filters.q)
    if unfiltered:
        # Counted already: no second COUNT, and the page read with one statement in SQL.
        paginator = Paginator(_ChildrenPage(campaign, parent, progress.total), per_page)
        paginator.count = progress.total
    else:
        rows = with_registration(children_of(parent), campaign)
        if filters.status in STATUS_ORDER:
            rows = rows.filter(_status_q(filters.status))
        if filters.kind:
            rows = rows.filter(kind=filters.kind)
        if filters.overdue:
            rows = rows.filter(_overdue_q(campaign, today))
        if filters.q:
            rows = rows.search(filters.q)
        paginator = Paginator(rows.order_by("path"), per_page)
    page = paginator.get_page(page_number)
    units = list(page)
    deadline = campaign.registration_deadline
    active = campaign.status == CampaignStatus.ACTIVE
    labels = {status: str(status_label(status)) for status in STATUS_ORDER}
    for unit in units:
        unit.status = unit.registration_status or NOT_REGISTERED
        unit.status_label = labels[unit.status]
        unit.deadline = (
            max(deadline, unit.extended_until) if deadline and unit.extended_until else deadline
        )
        unit.is_overdue = bool(
            active
            and unit.deadline
            and today > unit.deadline
            and unit.status in (NOT_REGISTERED, *EDITABLE)
        )
    return Queue(
        parent=parent,
        campaign=campaign,
        own_status=own_status,
        progress=progress,
        page=page,
        rows=units,
        filters=filters,
    )


def registrations_for_confirmation(campaign: Campaign, parent: Organization, ids) -> list:
    """The registrations awaiting review among ``ids`` below ``parent``, with their units, for
    the confirmation page of a bulk approval (one query)."""
    return list(
        Registration.objects.filter(
            pk__in=ids,
            campaign=campaign,
            status=ReviewStatus.SUBMITTED,
            organization__in=children_of(parent),
        )
        .select_related("organization")
        .order_by("organization__path")
    )


def submitted_below(campaign: Campaign, parent: Organization) -> list:
    """Every registration awaiting review directly below ``parent`` (one query)."""
    return list(
        Registration.objects.filter(
            campaign=campaign,
            status=ReviewStatus.SUBMITTED,
            organization__in=children_of(parent),
        )
        .select_related("organization")
        .order_by("organization__path")
    )


# ---------------------------------------------------------------------------------------------
# One registration.


def registration_for(campaign: Campaign, organization: Organization) -> Registration | None:
    """The registration of a unit with everything its page shows (four queries)."""
    return (
        Registration.objects.filter(campaign=campaign, organization=organization)
        .select_related("submitted_by", "reviewed_by")
        .prefetch_related(*CONTENT_PREFETCH)
        .first()
    )


def extension_of(campaign: Campaign, organization: Organization) -> DeadlineExtension | None:
    return (
        DeadlineExtension.objects.filter(campaign=campaign, organization=organization)
        .select_related("granted_by")
        .first()
    )


def leader_of(organization: Organization):
    """The person who signs for the unit: its leader (the earliest appointed)."""
    membership = (
        organization.memberships.filter(role="leader", user__is_active=True)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    return membership.user if membership else None


# ---------------------------------------------------------------------------------------------
# The consolidation of a subtree.


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
    the branch counters (two queries)."""
    themes, counts, sums = rollups.theme_figures(campaign, unit.pk, statuses)
    totals = {theme.pk: ThemeTotal(theme) for theme in themes}
    for theme_id, units in counts.items():
        if theme_id in totals:
            totals[theme_id].units = units
    rows = sorted(
        sums,
        key=lambda row: (-row["units"], row["name"]),
    )
    for row in rows:
        theme_total = totals.get(row["theme_id"])
        if theme_total is not None:
            average = row["total"] / row["targets"] if row["targets"] else None
            theme_total.targets.append(
                TargetTotal(row["name"], row["unit"], row["total"], row["units"], average)
            )
    return sorted(totals.values(), key=lambda t: t.theme.number)


def summary(
    campaign: Campaign, unit: Organization, *, scope: str = "approved", today: dt.date
) -> Summary:
    """The consolidation of ``unit``'s subtree, read from the branch counters of the unit and
    of its children and from the units per branch: a fixed number of queries whatever the
    size of the subtree (one more once the deadline has passed, for the extensions)."""
    statuses = SCOPES.get(scope, SCOPES["approved"])
    # ``children_list(unit)``, without the dates and times that no consolidation shows.
    children = units_where(*_children_sql(unit), defer=UNIT_DEFER)
    figures = rollups.branch_figures(campaign, unit.pk, [child.pk for child in children], statuses)
    units = figures.units
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
        total = units.get(child.pk) or 0
        progress = progress_from(
            figures.children[child.pk], total, extended.get(child.path, 0), late=late
        )
        branches.append(BranchRow(child, progress))
    # The issuer itself does not take part: its subtree's participants are the units below it.
    total = (units.get(unit.pk) or 0) - (0 if own else 1)
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
    """A page of the registrations of the subtree in ``statuses``, each with the themes it
    chose (two queries, three when their ``count`` is not given)."""
    registrations = (
        subtree_registrations(campaign, unit, statuses)
        .select_related("organization")
        .order_by("organization__path")
    )
    paginator = Paginator(registrations, per_page)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(page_number)
    rows = list(page)
    chosen = chosen_themes([r.pk for r in rows])
    for registration in rows:
        registration.theme_ids = chosen.get(registration.pk, set())
    return page, rows


# ---------------------------------------------------------------------------------------------
# The start page.


@dataclass
class CampaignCard:
    campaign: Campaign
    own: list = field(default_factory=list)  # the user's units taking part, with a status
    queues: list = field(default_factory=list)  # (unit, pending count) the user reviews


def start_page(user, campaigns: list[Campaign]) -> list[CampaignCard]:
    """For each campaign: the user's own units with their registration status, and the units
    whose queue the user looks after with the number awaiting review (three queries)."""
    memberships = memberships_of(user)
    unit_ids = {m.organization_id for m in memberships}
    upper_ids = {m.organization_id for m in memberships if m.role in SUBTREE_ROLES}
    units = {
        u.pk: u
        for u in Organization.objects.filter(pk__in=unit_ids, is_active=True).order_by(
            "depth", "path"
        )
    }
    campaign_ids = [c.pk for c in campaigns]
    statuses = {
        (campaign_id, org_id): status
        for campaign_id, org_id, status in Registration.objects.filter(
            campaign_id__in=campaign_ids, organization_id__in=list(units)
        ).values_list("campaign_id", "organization_id", "status")
    }
    queue_units = [u for u in units.values() if u.pk in upper_ids]
    if user.is_superuser:
        # Superusers hold no role: they start from the issuers' queues.
        issuers = {c.issuer_id: c.issuer for c in campaigns}
        known = {u.pk for u in queue_units}
        queue_units += [unit for pk, unit in issuers.items() if pk not in known]
    pending: dict[tuple[int, str], int] = {}
    if queue_units and campaign_ids:
        condition = Q(pk__in=[])
        for unit in queue_units:
            condition |= Q(organization__path__startswith=unit.path) & Q(
                organization__depth=unit.depth + 1
            )
        parent_path = Substr(
            "organization__path", 1, (F("organization__depth") - 1) * Organization.steplen
        )
        for row in (
            Registration.objects.filter(condition, campaign_id__in=campaign_ids)
            .filter(status=ReviewStatus.SUBMITTED)
            .order_by()
            .annotate(parent_path=parent_path)
            .values("campaign_id", "parent_path")
            .annotate(count=Count("id"))
        ):
            pending[(row["campaign_id"], row["parent_path"])] = row["count"]
    cards = []
    for campaign in campaigns:
        card = CampaignCard(campaign)
        for unit in units.values():
            if takes_part(campaign, unit):
                status = statuses.get((campaign.pk, unit.pk), NOT_REGISTERED)
                card.own.append((unit, status, status_label(status)))
        for unit in queue_units:
            if in_branch(campaign, unit) and unit.kind != OrganizationKind.GRASSROOTS:
                card.queues.append((unit, pending.get((campaign.pk, unit.path), 0)))
        cards.append(card)
    return cards
