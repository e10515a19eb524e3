"""What the consolidation pages read, each a fixed number of queries whatever the number of units:

- the sender's page: the unit's consolidations (its registrations, each phase's report) with
  their state, what is approved below it now (from the counters per branch), and whether it
  may send each one now;
- the receiver's queue: the upper units directly below a unit (those with units below them),
  a page of them, each with the state of each of its consolidations, and the counts per state
  of all of them;
- one consolidation: what was sent (its snapshot) and what the person may do on it now.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Campaign, Phase
from consolidations.models import Consolidation
from consolidations.services import nothing_approved
from emulation.review.extensions import dmy
from emulation.workflow import EDITABLE, ReviewStatus
from federation.models import Organization
from registrations.models import Level, RegistrationCount
from registrations.selectors.common import ancestors_list, children_of, in_branch, takes_part
from reports.models import BranchReportCount, PhaseReport
from reports.selectors.common import PhaseInfo, phase_infos

NOT_SENT = "none"
# The order in which the states are counted and shown.
STATUS_ORDER = (
    ReviewStatus.SUBMITTED,
    ReviewStatus.RETURNED,
    ReviewStatus.APPROVED,
    NOT_SENT,
)
ROWS_PER_PAGE = 50

# The state as the unit that sends reads it, and as the unit above reads it.
SENDER_LABELS = {
    NOT_SENT: pgettext_lazy("sent up", "Not sent up"),
    ReviewStatus.DRAFT: pgettext_lazy("sent up", "Not sent up"),
    ReviewStatus.SUBMITTED: pgettext_lazy("sent up", "Sent up, awaiting review"),
    ReviewStatus.RETURNED: pgettext_lazy("sent up", "Returned"),
    ReviewStatus.APPROVED: pgettext_lazy("sent up", "Approved"),
}
RECEIVER_LABELS = {
    NOT_SENT: pgettext_lazy("sent up", "Not sent up"),
    ReviewStatus.DRAFT: pgettext_lazy("sent up", "Not sent up"),
    ReviewStatus.SUBMITTED: pgettext_lazy("review status", "Awaiting review"),
    ReviewStatus.RETURNED: pgettext_lazy("sent up", "Returned to the unit"),
    ReviewStatus.APPROVED: pgettext_lazy("review status", "Approved"),
}


def status_of(consolidation: Consolidation | str | None) -> str:
    """The state a page shows of a consolidation (or of its status): "none" until sent (a
    reopened one, a draft again, shows as not sent)."""
    status = getattr(consolidation, "status", consolidation)
    if not status or status == ReviewStatus.DRAFT:
        return NOT_SENT
    return status


def kind_title(phase: Phase | None) -> str:
    if phase is None:
        return _("Consolidated registrations")
    return _("Summary report on %(phase)s") % {"phase": phase.name}


def breadcrumb(user, campaign: Campaign, unit: Organization) -> list[Organization]:
    """The units above ``unit``, each with ``link``: the person may read the queue of what its
    units below sent up (one query, none for a root)."""
    ancestors = ancestors_list(unit)
    for ancestor in ancestors:
        ancestor.link = in_branch(campaign, ancestor) and user.has_perm(
            "consolidations.view_queue", ancestor
        )
    return ancestors


def reviewer_of(unit: Organization) -> Organization | None:
    """The unit above, that reviews what ``unit`` sends (one query)."""
    return unit.parent_unit()


# ---------------------------------------------------------------------------------------------
# The sender's page.


@dataclass
class Entry:
    """One consolidation a unit sends (its registrations, or its report on a phase), with its
    state and what the person may do now."""

    phase: Phase | None
    info: PhaseInfo | None
    consolidation: Consolidation | None
    approved_below: int  # units below whose registration or report is approved now
    can_send: bool = False
    can_reopen: bool = False
    refusal: str = ""  # why it cannot be sent now, when the person could send it
    live_url: str = ""  # the live consolidation, when the person may read it

    @property
    def status(self) -> str:
        return status_of(self.consolidation)

    @property
    def label(self):
        return SENDER_LABELS[self.status]

    @property
    def title(self) -> str:
        return kind_title(self.phase)

    @property
    def testid(self) -> str:
        return f"sendup-{self.info.number}" if self.info else "sendup-registrations"


@dataclass
class UnitPage:
    entries: list[Entry]
    reviewer: Organization | None
    may_send: bool  # the person sends for this unit (an officer or its leader)


def approved_below(campaign: Campaign, unit: Organization) -> dict:
    """Phase id (None: the registrations) -> the units strictly below ``unit`` whose
    registration (report on that phase) is approved now, from the counters per branch (three
    queries: the registrations', the reports' and the unit's own reports)."""
    approved = ReviewStatus.APPROVED
    registrations = RegistrationCount.objects.filter(
        campaign=campaign, branch=unit, status=approved, level__in=[Level.CHILD, Level.DEEPER]
    ).aggregate(n=Sum("units"))["n"]
    counts = {None: registrations or 0}
    rows = (
        BranchReportCount.objects.filter(campaign=campaign, branch=unit, status=approved)
        .order_by()
        .values_list("phase_id")
        .annotate(n=Sum("units"))
    )
    counts.update({phase_id: n or 0 for phase_id, n in rows})
    for phase_id in PhaseReport.objects.filter(
        campaign=campaign, organization=unit, status=approved
    ).values_list("phase_id", flat=True):
        counts[phase_id] = counts.get(phase_id, 0) - 1  # the unit's own report
    return counts


def unit_page(user, campaign: Campaign, unit: Organization, *, today: dt.date) -> UnitPage:
    """The consolidations ``unit`` sends in ``campaign``, for ``user`` (six queries: the phases
    and their reporting days, the unit's consolidations, what is approved below it, the unit
    above)."""
    infos = phase_infos(campaign)
    consolidations = (
        Consolidation.objects.filter(campaign=campaign, organization=unit)
        .select_related("submitted_by", "reviewed_by")
        .defer("snapshot")
    )
    sent = {c.phase_id: c for c in consolidations}
    below = approved_below(campaign, unit)
    may_send = (
        campaign.is_active
        and takes_part(campaign, unit)
        and user.has_perm("consolidations.send", unit)
    )
    may_reopen = campaign.is_active and user.has_perm("consolidations.reopen", unit)
    reads_registrations = user.has_perm("registrations.view_summary", unit)
    reads_reports = user.has_perm("reports.view_subtree", unit)
    entries = []
    for phase, info in [(None, None), *((info.phase, info) for info in infos)]:
        key = phase.pk if phase else None
        entry = Entry(
            phase=phase,
            info=info,
            consolidation=sent.get(key),
            approved_below=max(below.get(key, 0), 0),
        )
        if phase is None and reads_registrations:
            entry.live_url = reverse("registrations:summary", args=[campaign.pk, unit.pk])
        elif phase is not None and reads_reports:
            entry.live_url = reverse("reports:rollup", args=[campaign.pk, phase.pk, unit.pk])
        consolidation = entry.consolidation
        entry.can_reopen = bool(may_reopen and consolidation and consolidation.is_approved)
        if may_send and (consolidation is None or consolidation.status in EDITABLE):
            if info is not None and not info.is_open(today):
                entry.refusal = _("Reporting on %(phase)s opens on %(day)s.") % {
                    "phase": phase.name,
                    "day": dmy(info.opens_on),
                }
            elif not entry.approved_below:
                entry.refusal = nothing_approved(phase).message
            else:
                entry.can_send = True
        entries.append(entry)
    return UnitPage(entries=entries, reviewer=reviewer_of(unit), may_send=may_send)


# ---------------------------------------------------------------------------------------------
# The receiver's queue.


@dataclass
class Cell:
    """The state of one consolidation of one unit in the queue."""

    phase: Phase | None
    consolidation: Consolidation | None
    can_review: bool = False

    @property
    def status(self) -> str:
        return status_of(self.consolidation)

    @property
    def label(self):
        return RECEIVER_LABELS[self.status]

    @property
    def title(self) -> str:
        return kind_title(self.phase)


@dataclass
class Column:
    """One kind of consolidation (the registrations, a phase's report) with the counts per
    state of every upper unit below."""

    phase: Phase | None
    counts: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return kind_title(self.phase)

    @property
    def waiting(self) -> int:
        return self.counts.get(ReviewStatus.SUBMITTED, 0)

    @property
    def segments(self) -> list[dict]:
        return [
            {"status": str(status), "label": RECEIVER_LABELS[status], "count": self.counts[status]}
            for status in STATUS_ORDER
            if self.counts.get(status)
        ]


@dataclass
class Queue:
    columns: list[Column]
    rows: list
    page: object
    waiting_only: bool

    @property
    def waiting(self) -> int:
        return sum(column.waiting for column in self.columns)


def upper_children(unit: Organization):
    """The active units directly below ``unit`` that have units below them."""
    return children_of(unit).filter(numchild__gt=0)


def queue(
    user,
    campaign: Campaign,
    unit: Organization,
    *,
    waiting_only: bool = False,
    page_number=None,
    per_page: int = ROWS_PER_PAGE,
) -> Queue:
    """The upper units directly below ``unit`` with the state of each of their consolidations
    in ``campaign`` and what ``user`` may do on each, a page of them (those with a consolidation
    awaiting review when ``waiting_only``), and the counts per state of all of them (six
    queries: the phases and their reporting days, the counts, the number of units, the page,
    their consolidations; one more to count those awaiting review when only they are
    shown)."""
    infos = phase_infos(campaign)
    phases = [None, *(info.phase for info in infos)]
    upper = upper_children(unit)
    counts: dict = {}
    rows = (
        Consolidation.objects.filter(campaign=campaign, organization__in=upper.values("pk"))
        .order_by()
        .values_list("phase_id", "status")
        .annotate(n=Count("pk"))
    )
    for phase_id, status, n in rows:
        status = NOT_SENT if status == ReviewStatus.DRAFT else status
        column = counts.setdefault(phase_id, {})
        column[status] = column.get(status, 0) + n
    units = upper.defer("search_key", "created_at", "updated_at").order_by("path")
    if waiting_only:
        units = units.filter(
            Exists(
                Consolidation.objects.filter(
                    campaign=campaign,
                    organization=OuterRef("pk"),
                    status=ReviewStatus.SUBMITTED,
                )
            )
        )
    total = upper.count()
    paginator = Paginator(units, per_page)
    if not waiting_only:
        paginator.count = total  # counted already
    page = paginator.get_page(page_number)
    listed = list(page)
    sent = {
        (c.organization_id, c.phase_id): c
        for c in Consolidation.objects.filter(
            campaign=campaign, organization__in=[u.pk for u in listed]
        ).defer("snapshot")
    }
    columns = []
    for phase in phases:
        key = phase.pk if phase else None
        column_counts = dict(counts.get(key, {}))
        column_counts[NOT_SENT] = total - sum(
            n for status, n in column_counts.items() if status != NOT_SENT
        )
        columns.append(Column(phase=phase, counts=column_counts))
    active = campaign.is_active
    for row in listed:
        reviews = active and user.has_perm("consolidations.review", row)
        row.cells = []
        for phase in phases:
            consolidation = sent.get((row.pk, phase.pk if phase else None))
            row.cells.append(
                Cell(
                    phase=phase,
                    consolidation=consolidation,
                    can_review=bool(reviews and consolidation and consolidation.is_submitted),
                )
            )
    return Queue(columns=columns, rows=listed, page=page, waiting_only=waiting_only)


def _count(queryset, key: str) -> Coalesce:
    """The number of rows of ``queryset`` as a subquery: grouped by ``key``, a column they all
    share, they are one row."""
    rows = queryset.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows), 0)


def queue_figures(campaign: Campaign, unit: Organization, phase: Phase | None) -> dict:
    """What a reviewer's queue of ``unit`` says of the consolidations of ``phase`` (None: of
    the registrations): how many upper units are directly below it (``units``), how many of
    their consolidations await review (``waiting``), and the status of ``unit``'s own
    (``own``, None when it has none); one query."""
    upper = upper_children(unit)
    sent = Consolidation.objects.filter(campaign=campaign, phase=phase)
    return (
        Organization.objects.filter(pk=unit.pk)
        .annotate(
            units=_count(upper, "depth"),
            waiting=_count(
                sent.filter(status=ReviewStatus.SUBMITTED, organization__in=upper.values("pk")),
                "campaign",
            ),
            own=Subquery(sent.filter(organization=unit).values("status")[:1]),
        )
        .values("units", "waiting", "own")
        .get()
    )


# ---------------------------------------------------------------------------------------------
# One consolidation.


@dataclass
class DetailPage:
    consolidation: Consolidation
    snapshot: dict
    status: str
    label: str
    reviewer: Organization | None
    can_review: bool
    can_send: bool  # send it again (returned, or reopened)
    can_reopen: bool
    counted: object  # the page of the units counted
    live_url: str = ""

    @property
    def branches(self) -> list[dict]:
        """The branches sent, each with ``cells``: (indicator, its value) for a report."""
        indicators = self.snapshot.get("indicators", [])
        return [
            {**branch, "cells": list(zip(indicators, branch.get("values", []), strict=False))}
            for branch in self.snapshot.get("branches", [])
        ]


def detail(
    user, consolidation: Consolidation, *, counted_page=None, per_page: int = 100
) -> DetailPage:
    """What a consolidation sent (its snapshot, the units counted a page at a time) and what
    ``user`` may do on it now (one query: the unit above)."""
    campaign, unit = consolidation.campaign, consolidation.organization
    active = campaign.is_active
    sender = user.has_perm("consolidations.send", unit)
    status = status_of(consolidation)
    labels = SENDER_LABELS if sender else RECEIVER_LABELS
    snapshot = consolidation.snapshot or {}
    counted = Paginator(snapshot.get("counted", []), per_page).get_page(counted_page)
    if consolidation.is_report:
        live = user.has_perm("reports.view_subtree", unit)
        live_url = reverse("reports:rollup", args=[campaign.pk, consolidation.phase_id, unit.pk])
    else:
        live = user.has_perm("registrations.view_summary", unit)
        live_url = reverse("registrations:summary", args=[campaign.pk, unit.pk])
    return DetailPage(
        consolidation=consolidation,
        snapshot=snapshot,
        status=status,
        label=labels[status],
        reviewer=reviewer_of(unit),
        can_review=active
        and consolidation.is_submitted
        and user.has_perm("consolidations.review", unit),
        can_send=active and consolidation.is_editable and sender,
        can_reopen=active
        and consolidation.is_approved
        and user.has_perm("consolidations.reopen", unit),
        counted=counted,
        live_url=live_url if live else "",
    )
