"""Quotas of nominations (tỷ lệ, số lượng khen thưởng): for a unit sending a nomination up, each
quota of the award and the campaign's year that concerns it, with its limit, the count used and
what is left. Read only; the review services enforce it on submit and endorse."""

import math
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from awards.models import (
    CouncilResult,
    Endorsement,
    Nomination,
    Quota,
    QuotaScope,
    RatioBase,
)
from emulation.workflow import ReviewStatus
from federation.models import Organization

# Nominations that count against a quota: on their way up or approved, not rejected.
UPWARD = (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED)


@dataclass
class QuotaUse:
    quota: Quota
    unit: Organization | None
    limit: int
    used: int

    @property
    def left(self) -> int:
        return max(self.limit - self.used, 0)

    @property
    def reached(self) -> bool:
        return self.used >= self.limit

    @property
    def where(self) -> str:
        return self.unit.name if self.unit is not None else _("all units together")


def _base(award_type, year: int):
    return Nomination.objects.filter(
        award_type=award_type, campaign__year=year, status__in=UPWARD
    ).exclude(council_result=CouncilResult.REJECTED)


def _sent_up_by(unit: Organization, award_type, year: int):
    """The nominations ``unit`` sent up: its own submitted ones, and those it endorsed."""
    endorsed = Endorsement.objects.filter(nomination=OuterRef("pk"), level=unit)
    return _base(award_type, year).filter(Q(nominating_unit=unit) | Exists(endorsed))


def _limit(quota: Quota, unit: Organization | None) -> int:
    if quota.max_count is not None:
        return quota.max_count
    if unit is None:
        return 0
    if quota.ratio_base == RatioBase.MEMBERS:
        base = (
            Organization.objects.filter(path__startswith=unit.path).aggregate(
                n=Sum("member_count")
            )["n"]
            or 0
        )
    else:
        base = (
            Nomination.objects.filter(
                award_type=quota.award_type_id,
                campaign__year=quota.year,
                nominating_unit__path__startswith=unit.path,
            )
            .exclude(status=ReviewStatus.DRAFT, submission_round=0)
            .count()
        )
    return math.floor(base * quota.ratio_percent / 100)


def quota_uses(nomination: Nomination, unit: Organization, *, exclude_self: bool = True):
    """Each quota that concerns ``unit`` sending ``nomination`` up, with its limit and the count
    already used (``nomination`` itself left out, so "reached" means it cannot go)."""
    year = nomination.campaign.year
    quotas = Quota.objects.filter(award_type=nomination.award_type_id, year=year).filter(
        Q(scope=QuotaScope.EACH_UNIT) | Q(scope=QuotaScope.TOTAL) | Q(unit=unit)
    )
    uses = []
    for quota in quotas.order_by("pk"):
        if quota.scope == QuotaScope.TOTAL:
            counted, where = _base(nomination.award_type_id, year), None
        else:
            counted, where = _sent_up_by(unit, nomination.award_type_id, year), unit
        if exclude_self and nomination.pk:
            counted = counted.exclude(pk=nomination.pk)
        uses.append(
            QuotaUse(quota=quota, unit=where, limit=_limit(quota, unit), used=counted.count())
        )
    return uses


def quota_message(uses: list[QuotaUse], nomination: Nomination) -> str:
    reached = [u for u in uses if u.reached]
    return _(
        "The quota of %(award)s for %(year)s is reached at %(where)s: %(used)s of %(limit)s "
        "already sent up."
    ) % {
        "award": nomination.award_type.name,
        "year": nomination.campaign.year,
        "where": reached[0].where,
        "used": reached[0].used,
        "limit": reached[0].limit,
    }
