"""What every registration page reads: the campaign and the unit of its address, the units
above it, who takes part, the units directly below, and the counts per status of a group of
units with the shares of its progress bar."""

import datetime as dt

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet

from campaigns.models import Campaign, CampaignStatus
from emulation.review import progress as review
from emulation.workflow import EDITABLE, SENT, ReviewStatus
from federation.models import Organization
from federation.selectors import in_subtree
from registrations.models import NOT_REGISTERED, NOT_REGISTERED_LABEL, Registration

# The order in which statuses are counted and shown.
STATUS_ORDER = (
    NOT_REGISTERED,
    ReviewStatus.DRAFT,
    ReviewStatus.RETURNED,
    ReviewStatus.SUBMITTED,
    ReviewStatus.APPROVED,
)

# What the lists of units leave unread (deferred: never shown, and their dates cost a
# conversion each).
UNIT_DEFER = ("search_key", "created_at", "updated_at")


def status_label(status: str | None):
    if not status or status == NOT_REGISTERED:
        return NOT_REGISTERED_LABEL
    return ReviewStatus(status).label


# ---------------------------------------------------------------------------------------------
# The campaign, the unit and the units above it.


def campaign_by_pk(pk) -> Campaign | None:
    """The campaign of id ``pk`` with its issuer, or ``None`` (one query)."""
    return Campaign.objects.select_related("issuer").filter(pk=pk).order_by().first()


def unit_by_pk(pk) -> Organization | None:
    """The unit of id ``pk``, or ``None`` (one query)."""
    return Organization.objects.filter(pk=pk).order_by().first()


def ancestors_list(unit: Organization) -> list[Organization]:
    """The units above ``unit``, from the root down (one query, none for a root)."""
    if unit.depth <= 1:
        return []
    return list(unit.ancestors_chain().defer(*UNIT_DEFER))


def breadcrumb(user, campaign: Campaign, unit: Organization) -> list[Organization]:
    """The units above ``unit`` for the breadcrumb, each with ``link``: the person may read its
    queue (one query, none for a root)."""
    ancestors = ancestors_list(unit)
    for ancestor in ancestors:
        ancestor.link = in_branch(campaign, ancestor) and user.has_perm(
            "registrations.view_queue", ancestor
        )
    return ancestors


# ---------------------------------------------------------------------------------------------
# Who takes part.


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


def children_of(parent: Organization) -> QuerySet:
    """The active units directly below ``parent`` (a range of the ``(depth, path)`` index)."""
    return in_subtree(Organization.objects.all(), parent.path).filter(
        depth=parent.depth + 1, is_active=True
    )


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


# ---------------------------------------------------------------------------------------------
# Counts per status and the progress bar.


class Progress(review.Progress):
    """Figures of a group of units: counts per status and the shares the progress bar shows."""

    order = STATUS_ORDER
    label = staticmethod(status_label)

    @property
    def registered(self) -> int:
        return self.total - self.none

    @property
    def not_registered(self) -> int:
        return self.none


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
