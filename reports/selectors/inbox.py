"""The receiving department's inbox: the reports of the units directly below the issuing unit
once sent, marked new, received, accepted or returned."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, F, Q

from campaigns.models import Campaign, CampaignStatus, Phase
from emulation.workflow import ReviewStatus
from federation.models import Organization
from federation.selectors import in_subtree
from reports.models import PhaseReport

INBOX_MARKS = ("new", "received", "accepted", "returned")


def _mark_q(mark: str) -> Q:
    return {
        "new": Q(status=ReviewStatus.SUBMITTED, received_at__isnull=True),
        "received": Q(status=ReviewStatus.SUBMITTED, received_at__isnull=False),
        "accepted": Q(status=ReviewStatus.APPROVED),
        "returned": Q(status=ReviewStatus.RETURNED),
    }[mark]


def _matches(report: PhaseReport, mark: str) -> bool:
    if mark == "new":
        return report.status == ReviewStatus.SUBMITTED and report.received_at is None
    if mark == "received":
        return report.status == ReviewStatus.SUBMITTED and report.received_at is not None
    if mark == "accepted":
        return report.status == ReviewStatus.APPROVED
    return report.status == ReviewStatus.RETURNED


@dataclass
class Inbox:
    campaign: Campaign
    counts: dict
    page: object
    rows: list
    mark: str
    phase: Phase | None

    @property
    def active(self) -> bool:
        return self.campaign.status == CampaignStatus.ACTIVE


def inbox(
    campaign: Campaign, user, *, phase: Phase | None, mark: str, page_number=None, per_page=50
) -> Inbox:
    """The reports that reached the issuing unit (those of the units directly below it) once
    sent: new, received, accepted or returned, with the counts of each (three queries); each
    row says whether ``user`` may review it now (``can_review``)."""
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
    active = campaign.status == CampaignStatus.ACTIVE
    for report in items:
        report.campaign = campaign
        report.mark = next((m for m in INBOX_MARKS if _matches(report, m)), "")
        report.can_review = active and user.has_perm("reports.review_report", report.organization)
    return Inbox(campaign=campaign, counts=counts, page=page, rows=items, mark=mark, phase=phase)
