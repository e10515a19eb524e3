"""The start page: for each campaign, the person's own units with their registration
status, and the queues they look after with the number awaiting review."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import Substr

from campaigns.models import Campaign
from emulation.workflow import ReviewStatus
from federation.models import SUBTREE_ROLES, Organization, OrganizationKind, memberships_of
from registrations.models import NOT_REGISTERED, Registration
from registrations.selectors.common import in_branch, status_label, takes_part


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
