"""The reviewer's queue: the units directly below one unit with their registration status,
filtered and paginated, the counts per status of all of them, and what the person may do on
each row, checked with the rules for that row's unit."""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Q

from campaigns.models import Campaign, CampaignStatus
from emulation.review.progress import QueueFilters
from emulation.workflow import EDITABLE, ReviewStatus
from federation.models import Organization
from registrations.models import NOT_REGISTERED, Level, Registration
from registrations.rollups.reads import level_figures
from registrations.selectors.common import (
    STATUS_ORDER,
    UNIT_DEFER,
    Progress,
    children_of,
    extended_not_sent,
    past_deadline,
    progress_from,
    status_label,
    takes_part,
    with_registration,
)


@dataclass
class Queue:
    parent: Organization
    campaign: Campaign
    own_status: str | None  # of the parent's own registration; None: it does not take part
    progress: Progress
    page: object
    rows: list
    filters: QueueFilters
    can_summary: bool = False  # the person may read the consolidation of the parent's branch

    @property
    def own_status_label(self):
        return status_label(self.own_status)

    @property
    def can_bulk(self) -> bool:
        """Some row of the page may be approved (the bulk approval of the selected rows)."""
        return any(row.can_approve for row in self.rows)

    @property
    def can_approve_all(self) -> bool:
        """The person reviews some row and some unit below awaits review."""
        return bool(self.progress.submitted) and any(row.can_review for row in self.rows)


def _overdue_q(campaign: Campaign, today: dt.date) -> Q:
    """Units (annotated by :func:`with_registration`) past their deadline with nothing sent."""
    if not past_deadline(campaign, today):
        return Q(pk__in=[])
    not_sent = Q(reg__id__isnull=True) | Q(reg__status__in=EDITABLE)
    not_extended = Q(ext__until__isnull=True) | Q(ext__until__lt=today)
    return not_sent & not_extended


def _status_q(status: str) -> Q:
    if status == NOT_REGISTERED:
        return Q(reg__id__isnull=True)
    return Q(reg__status=status)


def children_progress(
    campaign: Campaign, parent: Organization, today: dt.date
) -> tuple[Progress, str]:
    """Counts per status of the units directly below ``parent``, and the status of ``parent``'s
    own registration: from the branch counters and the number of children (two queries; one
    more for the extensions once the deadline has passed)."""
    figures = level_figures(campaign, [parent.pk]).get(parent.pk, {})
    statuses = {status: row["units"] for status, row in figures.get(Level.CHILD, {}).items()}
    own = [status for status, row in figures.get(Level.SELF, {}).items() if row["units"]]
    total = children_of(parent).count()
    late = past_deadline(campaign, today)
    extended = extended_not_sent(campaign, children_of(parent), today)[None] if late else 0
    progress = progress_from(statuses, total, extended, late=late)
    return progress, own[0] if own else NOT_REGISTERED


def mark_actions(user, campaign: Campaign, unit: Organization) -> None:
    """What the person may do on the row of ``unit`` (annotated by :func:`review_queue`), by
    the rules for that unit: ``can_review`` it, ``can_approve`` its registration awaiting
    review, ``can_extend`` its deadline once overdue."""
    active = campaign.status == CampaignStatus.ACTIVE
    unit.can_review = active and user.has_perm("registrations.review_registration", unit)
    unit.can_approve = unit.can_review and unit.status == ReviewStatus.SUBMITTED
    unit.can_extend = unit.can_review and unit.is_overdue


def review_queue(
    user,
    campaign: Campaign,
    parent: Organization,
    *,
    filters: QueueFilters,
    today: dt.date,
    page_number=None,
    per_page: int = 50,
) -> Queue:
    """The units directly below ``parent`` with their registration status and what ``user``
    may do on each, filtered and paginated, and the counts per status of all of them (four
    queries: the counters, the number of children, the page, the number of matches when
    filtered; one more once the deadline has passed)."""
    progress, own_status = children_progress(campaign, parent, today)
    rows = with_registration(children_of(parent), campaign).defer(*UNIT_DEFER)
    if filters.status in STATUS_ORDER:
        rows = rows.filter(_status_q(filters.status))
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.overdue:
        rows = rows.filter(_overdue_q(campaign, today))
    if filters.q:
        rows = rows.search(filters.q)
    paginator = Paginator(rows.order_by("path"), per_page)
    if not filters.active:
        paginator.count = progress.total  # counted already
    page = paginator.get_page(page_number)
    units = list(page)
    deadline = campaign.registration_deadline
    active = campaign.status == CampaignStatus.ACTIVE
    for unit in units:
        unit.status = unit.registration_status or NOT_REGISTERED
        unit.status_label = status_label(unit.status)
        unit.deadline = (
            max(deadline, unit.extended_until) if deadline and unit.extended_until else deadline
        )
        unit.is_overdue = bool(
            active
            and unit.deadline
            and today > unit.deadline
            and unit.status in (NOT_REGISTERED, *EDITABLE)
        )
        mark_actions(user, campaign, unit)
    return Queue(
        parent=parent,
        campaign=campaign,
        own_status=own_status if takes_part(campaign, parent) else None,
        progress=progress,
        page=page,
        rows=units,
        filters=filters,
        can_summary=user.has_perm("registrations.view_summary", parent),
    )


def awaiting_approval(user, campaign: Campaign, parent: Organization, ids=None) -> list:
    """The registrations awaiting review directly below ``parent`` (those of ``ids`` when
    given) that ``user`` may approve, with their units, for the confirmation page of a bulk
    approval (one query)."""
    registrations = Registration.objects.filter(
        campaign=campaign,
        status=ReviewStatus.SUBMITTED,
        organization__in=children_of(parent),
    )
    if ids is not None:
        registrations = registrations.filter(pk__in=ids)
    return [
        registration
        for registration in registrations.select_related("organization").order_by(
            "organization__path"
        )
        if user.has_perm("registrations.review_registration", registration.organization)
    ]


def ids_below(campaign: Campaign, parent: Organization, ids) -> set[int]:
    """Those of the registrations ``ids`` whose unit is directly below ``parent`` (one
    query)."""
    return set(
        Registration.objects.filter(
            pk__in=ids, campaign=campaign, organization__in=children_of(parent)
        ).values_list("pk", flat=True)
    )
