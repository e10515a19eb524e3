"""The units late with their report: the whole list (the spreadsheet iterates it) or its first
rows (the dashboard and the summary PDF), each with its report and registration joined."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf, Substr

from campaigns.models import Campaign, Phase
from emulation.workflow import SENT
from federation.models import Organization
from registrations.models import NOT_REGISTERED
from registrations.selectors.common import status_label as registration_status_label
from registrations.selectors.common import with_registration
from reports.models import NOT_REPORTED, PhaseReport, ReportExtension, effective_deadline
from reports.selectors.common import (
    UNIT_DEFER,
    counted_units,
    is_late,
    status_label,
    with_report,
)


@dataclass
class OverdueUnit:
    unit: Organization
    branch: str
    deadline: dt.date
    days_late: int
    status: str
    status_label: str
    registration_label: str
    extended: bool


def _late(
    campaign: Campaign, phase: Phase, unit: Organization, *, kind: str, extension: Exists
) -> QuerySet:
    """The units of the subtree with nothing sent that ``extension`` (an ``Exists`` on their
    report extension, or its negation) admits, their report and registration joined and their
    ``due`` day annotated. Filtered with anti-joins before the report and registration are
    joined for display (filtering on the joined relations makes Django join them again)."""
    sent = PhaseReport.objects.filter(phase=phase, organization=OuterRef("pk"), status__in=SENT)
    late = counted_units(campaign, unit, kind).filter(~Exists(sent), extension)
    return (
        with_report(with_registration(late, campaign), phase)
        .defer(*UNIT_DEFER)
        .annotate(due=Coalesce("rext__until", Value(phase.report_deadline)))
    )


def overdue_units(
    campaign: Campaign, phase: Phase, unit: Organization, *, kind: str, today: dt.date
) -> QuerySet:
    """The units of the subtree past their report deadline with nothing sent, longest late
    first (those late since the deadline itself in the order of the tree, then those whose
    extension ran out, the earliest first): a queryset to slice (the page) or to iterate (the
    spreadsheet)."""
    if not is_late(campaign, phase, today):
        return Organization.objects.none()
    running = ReportExtension.objects.filter(
        phase=phase, organization=OuterRef("pk"), until__gte=today
    )
    return _late(campaign, phase, unit, kind=kind, extension=~Exists(running)).order_by(
        "due", "path"
    )


def first_overdue(
    campaign: Campaign, phase: Phase, unit: Organization, *, kind: str, today: dt.date, limit: int
) -> list:
    """The first ``limit`` rows of :func:`overdue_units`, each with ``branch_name``: the name
    of the unit directly below ``unit`` it belongs to (whichever page of the branches shows
    it), read with it (two queries, none before the deadline).

    A unit without a report extension is due on the phase's deadline, one whose extension ran
    out on its extension's day (after the deadline): the first are read along the path index,
    the first ``limit`` in the order of the tree (no sort of the subtree), the others, few
    (the extensions of the phase), by their day; the rows are the first ``limit`` of both in
    the order of :func:`overdue_units`."""
    if not is_late(campaign, phase, today):
        return []
    branch = Organization.objects.filter(
        path=Substr(OuterRef("path"), 1, len(unit.path) + Organization.steplen)
    ).values(display=Coalesce(NullIf("short_name", Value("")), "name"))[:1]
    extensions = ReportExtension.objects.filter(phase=phase, organization=OuterRef("pk"))
    ran_out = extensions.filter(until__lt=today)
    reads = (
        (~Exists(extensions), ("path",)),
        (Exists(ran_out), ("due", "path")),
    )
    rows = []
    for extension, order in reads:
        late = _late(campaign, phase, unit, kind=kind, extension=extension)
        rows += late.annotate(branch_name=Subquery(branch)).order_by(*order)[:limit]
    # Paths (digits and capital letters) sort the same in Python as in the database.
    return sorted(rows, key=lambda row: (row.due, row.path))[:limit]


def overdue_rows(units, phase: Phase, unit: Organization, today: dt.date, branches: dict):
    """The rows of :func:`overdue_units` as the page and the spreadsheet show them
    (``branches``: the path of each child of ``unit`` -> its name, for the rows read without
    their ``branch_name``)."""
    prefix_length = len(unit.path) + Organization.steplen
    rows = []
    for row in units:
        deadline = effective_deadline(phase, row.report_extended_until)
        status = row.report_status or NOT_REPORTED
        registration = row.registration_status or NOT_REGISTERED
        branch = getattr(row, "branch_name", None) or branches.get(row.path[:prefix_length], "")
        rows.append(
            OverdueUnit(
                unit=row,
                branch="" if row.path == unit.path else branch,
                deadline=deadline,
                days_late=(today - deadline).days if deadline else 0,
                status=status,
                status_label=str(status_label(status)),
                registration_label=str(registration_status_label(registration)),
                extended=bool(row.report_extended_until),
            )
        )
    return rows
