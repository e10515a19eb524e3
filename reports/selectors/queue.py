"""The reviewer's queue: the units directly below one unit with their report on one phase,
filtered and paginated, with the counts per status of all of them and what the person may do
on each row."""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count

from campaigns.models import Campaign, CampaignStatus, Phase
from emulation.review.progress import QueueFilters
from emulation.workflow import EDITABLE
from federation.models import Organization
from registrations.models import NOT_REGISTERED
from registrations.selectors.common import children_of, with_registration
from registrations.selectors.common import status_label as registration_status_label
from reports.models import NOT_REPORTED, effective_deadline
from reports.selectors.common import (
    STATUS_ORDER,
    Progress,
    overdue_q,
    report_q,
    status_label,
    with_report,
)


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
    user=None,
    page_number=None,
    per_page: int = 50,
) -> Queue:
    """The units directly below ``parent`` with their report on ``phase`` and their
    registration, filtered and paginated, and the counts per status of all of them (three
    queries); each row says whether ``user`` may review it now (``can_review``)."""
    annotated = with_report(with_registration(children_of(parent), campaign), phase)
    aggregates = {s: Count("id", filter=report_q(s)) for s in STATUS_ORDER}
    aggregates["overdue"] = Count("id", filter=overdue_q(campaign, phase, today))
    aggregates["total"] = Count("id")
    progress = Progress(annotated.order_by().aggregate(**aggregates))
    rows = annotated
    if filters.status in STATUS_ORDER:
        rows = rows.filter(report_q(filters.status))
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.overdue:
        rows = rows.filter(overdue_q(campaign, phase, today))
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
        row.can_review = bool(
            active and user is not None and user.has_perm("reports.review_report", row)
        )
    return Queue(parent=parent, progress=progress, page=page, rows=units, filters=filters)
