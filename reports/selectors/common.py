"""What every report page reads: the campaign and the unit of its address and the units above
it, the statuses and their labels, counts per status with the shares of a progress bar, the
phases with the day their reporting opens, and units with their report joined."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignStatus, Milestone, Phase
from emulation.review import progress as review
from emulation.workflow import EDITABLE, ReviewStatus
from federation.models import Organization, OrganizationKind
from federation.selectors import in_subtree
from registrations.models import NOT_REGISTERED
from registrations.selectors.common import in_branch, participants
from reports.models import (
    NOT_REPORTED,
    NOT_REPORTED_LABEL,
    Indicator,
    ReportingWindow,
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
# Which reports the figures count: accepted ones, or also those awaiting review.
SCOPES = {
    "approved": (ReviewStatus.APPROVED,),
    "sent": (ReviewStatus.APPROVED, ReviewStatus.SUBMITTED),
}
KINDS = [kind for kind in OrganizationKind if kind != OrganizationKind.NATIONAL]
# What the lists of units leave unread: never shown.
UNIT_DEFER = ("search_key", "created_at", "updated_at")


def status_label(status: str | None):
    if not status or status == NOT_REPORTED:
        return NOT_REPORTED_LABEL
    return ReviewStatus(status).label


def scope_statuses(scope: str) -> tuple:
    return SCOPES.get(scope, SCOPES["approved"])


# ---------------------------------------------------------------------------------------------
# The campaign and the unit of an address.


def campaign_by_pk(pk, *, asked_phase=None) -> Campaign | None:
    """The campaign of id ``pk`` with its issuer, or None (one query). ``asked_phase``: a phase
    id the address asks for; ``campaign.asked_phase_exists`` then says whether the campaign has
    it, read in the same query (the dashboard validates its filters before reading the plan)."""
    queryset = Campaign.objects.select_related("issuer")
    if asked_phase is not None:
        queryset = queryset.annotate(
            asked_phase_exists=Exists(Phase.objects.filter(campaign=OuterRef("pk"), pk=asked_phase))
        )
    return queryset.filter(pk=pk).order_by().first()


def breadcrumb(user, campaign: Campaign, unit: Organization) -> list[Organization]:
    """The units above ``unit``, from the root down, each with ``link``: the person may read
    its dashboard (one query, none for a root)."""
    if unit.depth <= 1:
        return []
    ancestors = list(unit.ancestors_chain().defer(*UNIT_DEFER))
    for ancestor in ancestors:
        ancestor.link = in_branch(campaign, ancestor) and user.has_perm(
            "reports.view_subtree", ancestor
        )
    return ancestors


# ---------------------------------------------------------------------------------------------
# Counts per status.


class Progress(review.Progress):
    """Counts per status of a group of units' reports and the shares the progress bar shows."""

    order = STATUS_ORDER
    label = staticmethod(status_label)


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


def infos_of(phases, opens: dict) -> list[PhaseInfo]:
    """The phases in order, each with the day its reporting opens (``opens``: phase id -> the
    day set by the issuing unit, when later than the phase's first day)."""
    phases = sorted(phases, key=lambda p: p.start)
    return [
        PhaseInfo(
            phase=phase,
            number=index,
            is_final=index == len(phases),
            opens_on=opens.get(phase.pk) or phase.start,
        )
        for index, phase in enumerate(phases, start=1)
    ]


# The plan of a campaign as the report pages read it: ``campaigns.selectors.PLAN``, each phase
# with the day its reporting opens joined (``reporting_opens_on``).
PLAN = (
    "themes",
    Prefetch(
        "phases", queryset=Phase.objects.annotate(reporting_opens_on=F("reporting__opens_on"))
    ),
    Prefetch(
        "milestones", queryset=Milestone.objects.select_related("holiday").order_by("date", "pk")
    ),
)


def load_plan(campaign: Campaign) -> Campaign:
    """Give ``campaign`` (already read) its themes, its phases with their reporting dates and
    its milestones with their days (three queries)."""
    prefetch_related_objects([campaign], *PLAN)
    return campaign


def campaign_with_plan(queryset, pk) -> Campaign:
    """The campaign ``pk`` of ``queryset`` with its issuer, receiving department and
    :data:`PLAN` (four queries)."""
    return (
        queryset.select_related("issuer", "receiving_department").prefetch_related(*PLAN).get(pk=pk)
    )


def phase_infos(campaign: Campaign) -> list[PhaseInfo]:
    """The phases of a campaign in order, each with the day its reporting opens: from the
    campaign's :data:`PLAN`, else one query for the reporting dates."""
    phases = list(campaign.phases.all())
    if all(hasattr(phase, "reporting_opens_on") for phase in phases):
        opens = {phase.pk: phase.reporting_opens_on for phase in phases}
    else:
        opens = dict(
            ReportingWindow.objects.filter(phase__in=phases).values_list("phase_id", "opens_on")
        )
    return infos_of(phases, opens)


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


def indicators_of(campaign: Campaign) -> list[Indicator]:
    """The campaign's indicators in their order (one query)."""
    return list(Indicator.objects.filter(campaign=campaign))


def indicators_in_use(campaign: Campaign) -> set[int]:
    """The ids of the campaign's indicators some report gave a value (they cannot be deleted;
    one query)."""
    return set(
        Indicator.objects.filter(campaign=campaign, values__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
    )


# ---------------------------------------------------------------------------------------------
# Units with their report joined.


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


def report_q(status: str) -> Q:
    """Units (annotated by :func:`with_report`) whose report is in ``status``."""
    if status == NOT_REPORTED:
        return Q(rep__id__isnull=True)
    return Q(rep__status=status)


def is_late(campaign: Campaign, phase: Phase, today: dt.date) -> bool:
    """Units may be late with their report: the campaign is active and the deadline passed."""
    deadline = phase.report_deadline
    return bool(deadline and today > deadline and campaign.status == CampaignStatus.ACTIVE)


def overdue_q(campaign: Campaign, phase: Phase, today: dt.date) -> Q:
    """Units (annotated by :func:`with_report`) past their report deadline with nothing sent."""
    if not is_late(campaign, phase, today):
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
