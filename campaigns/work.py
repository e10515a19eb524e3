"""What the work providers (:mod:`emulation.work`) read: the person, the day, the active
campaigns they take part in or review, and their units with the roles they hold in each.

The home page builds one context for every active campaign; the campaign page one for its own
campaign. Which units a person acts for in a campaign is decided here, once, by the roles:

- officers and leaders prepare their unit's registration, reports and nominations, when the
  unit takes part (active, strictly below the issuer);
- leaders and staff of an upper unit review the units directly below it (a superuser, with no
  unit, the issuer's);
- staff of the issuer or of a unit below it keep watch over their branch (the issuer's staff,
  and a superuser, over the whole campaign);
- council members vote in the sessions of their unit's council.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignStatus
from campaigns.selectors import visible_campaigns
from federation.models import SUBTREE_ROLES, Organization, Role, memberships_of
from federation.selectors import unit_counts

PREPARING_ROLES = (Role.OFFICER, Role.LEADER)


def _in_branch(campaign: Campaign, unit: Organization) -> bool:
    """The unit is the issuer or below it."""
    return unit.is_active and unit.path.startswith(campaign.issuer.path)


def takes_part(campaign: Campaign, unit: Organization) -> bool:
    """The unit is active and strictly below the issuer."""
    return _in_branch(campaign, unit) and unit.pk != campaign.issuer_id


@dataclass
class Context:
    user: Any
    today: dt.date
    campaigns: list[Campaign]
    units: list[Organization]  # the person's active units, highest first
    roles: dict[int, frozenset] = field(default_factory=dict)  # unit id -> roles held there
    # What several providers read, read once: key -> value (see :meth:`remember`).
    memo: dict = field(default_factory=dict)

    def remember(self, key: str, read):
        """The value ``read()`` returns, computed once per context under ``key``."""
        if key not in self.memo:
            self.memo[key] = read()
        return self.memo[key]

    @property
    def is_superuser(self) -> bool:
        return bool(self.user.is_superuser)

    def units_with(self, *roles) -> list[Organization]:
        return [unit for unit in self.units if self.roles.get(unit.pk, frozenset()) & set(roles)]

    def prepared_units(self, campaign: Campaign) -> list[Organization]:
        """The units taking part in ``campaign`` whose work the person prepares."""
        return [u for u in self.units_with(*PREPARING_ROLES) if takes_part(campaign, u)]

    def reviewed_units(self, campaign: Campaign) -> list[Organization]:
        """The upper units of the campaign's branch whose queue the person keeps (the units
        directly below them wait there)."""
        units = [
            u
            for u in self.units_with(*SUBTREE_ROLES)
            if not u.is_grassroots and _in_branch(campaign, u)
        ]
        if not units and self.is_superuser:
            units = [campaign.issuer]
        return units

    def watched_units(self, campaign: Campaign) -> list[Organization]:
        """The units whose whole branch the person watches as staff: their own unit when it
        is in the campaign's branch, the issuer when their unit is above it."""
        units = []
        for unit in self.units_with(Role.STAFF):
            if _in_branch(campaign, unit):
                units.append(unit)
            elif campaign.issuer.path.startswith(unit.path) and campaign.issuer not in units:
                units.append(campaign.issuer)
        if not units and self.is_superuser:
            units = [campaign.issuer]
        return units

    def council_units(self) -> list[Organization]:
        return self.units_with(Role.COUNCIL)


def context_for(
    user,
    today: dt.date,
    *,
    campaigns: list[Campaign] | None = None,
    units: list[Organization] | None = None,
) -> Context:
    """The context of ``user`` on ``today``: every active campaign they see with its issuer
    and phases (two queries) unless ``campaigns`` are given, and their active units (one query)
    unless given."""
    memberships = memberships_of(user) if user.is_authenticated else []
    roles: dict[int, set] = {}
    for membership in memberships:
        roles.setdefault(membership.organization_id, set()).add(membership.role)
    if units is None:
        units = (
            list(Organization.objects.filter(pk__in=list(roles)).order_by("depth", "path"))
            if roles
            else []
        )
    if campaigns is None:
        campaigns = list(
            visible_campaigns(user)
            .filter(status=CampaignStatus.ACTIVE)
            .prefetch_related("phases")
            .order_by("-year", "issuer__path", "pk")
        )
    return Context(
        user=user,
        today=today,
        campaigns=campaigns,
        units=[unit for unit in units if unit.is_active],
        roles={pk: frozenset(values) for pk, values in roles.items()},
    )


def branch_units(context: Context, branch_ids) -> dict[int, dict]:
    """For each branch of ``branch_ids``: its active units (``units``) and grassroots unions,
    from the counters of the tree; read once per context for all the branches asked by the
    providers that need them (one query)."""
    wanted = set(branch_ids)
    known = context.memo.setdefault("federation:branch-units", {})
    missing = wanted - set(known)
    if missing:
        counts = unit_counts(missing)
        for pk in missing:
            known[pk] = counts.get(pk, {"units": 0, "grassroots": 0, "members": 0})
    return {pk: known[pk] for pk in wanted}


def campaign_label(campaign: Campaign) -> str:
    """How an item names its campaign: "Kế hoạch số 13/KH-LĐLĐ (2017)", else its title."""
    if campaign.document_number:
        return _("Plan No. %(number)s (%(year)s)") % {
            "number": campaign.document_number,
            "year": campaign.year,
        }
    return campaign.title
