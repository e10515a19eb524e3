"""The start page: for each campaign, the person's units with the status of their report on
each phase, the dashboards they read, the inbox they keep and what they configure."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q

from campaigns.models import Campaign
from emulation.workflow import ReviewStatus
from federation.models import SUBTREE_ROLES, Organization, OrganizationKind, memberships_of
from registrations.selectors.common import takes_part
from reports.models import NOT_REPORTED, PhaseReport, ReportingWindow
from reports.selectors.common import PhaseInfo, default_phase, infos_of, status_label


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
    memberships = memberships_of(user)
    unit_ids = {m.organization_id for m in memberships}
    upper_ids = {m.organization_id for m in memberships if m.role in SUBTREE_ROLES}
    units = list(
        Organization.objects.filter(pk__in=unit_ids, is_active=True).order_by("depth", "path")
    )
    campaign_ids = [c.pk for c in campaigns]
    opens = dict(
        ReportingWindow.objects.filter(phase__campaign_id__in=campaign_ids).values_list(
            "phase_id", "opens_on"
        )
    )
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
        infos = infos_of(campaign.phases.all(), opens)
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
