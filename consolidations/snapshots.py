"""What a consolidation sends: the figures of the unit's branch at the moment of sending, taken
from the same reads as the pages that show them live (the registrations' consolidation, the
reports' roll-up of a phase), counting approved registrations and accepted reports only, with
the list of the units counted; stored as JSON, numbers as text (exact decimals).

Taking a snapshot reads every branch directly below the unit (not a page of them) and the list
of the units counted: a few queries whatever the size of the branch, and rows in proportion to
it, once per sending.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from campaigns.models import Campaign, Phase
from emulation.workflow import ReviewStatus
from federation.models import Organization
from federation.selectors import in_subtree
from registrations.selectors import common as registration_common
from registrations.selectors.summary import subtree_registrations, summary
from reports.models import PhaseReport
from reports.selectors import common as report_common
from reports.selectors.progress import rollup

COUNTED = (ReviewStatus.APPROVED,)
REGISTRATION_STATUSES = [str(s) for s in registration_common.STATUS_ORDER]
REPORT_STATUSES = [str(s) for s in report_common.STATUS_ORDER]


@dataclass
class Snapshot:
    data: dict
    counted_below: int  # units strictly below the sender whose object is counted


def _text(value) -> str | None:
    """A number as exact text ("1500", "12.5"), or None."""
    if value is None:
        return None
    text = format(Decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _unit(unit: Organization) -> dict:
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


def _counts(progress, statuses) -> dict:
    return {status: progress.count(status) for status in [*statuses, "total"]}


def _counted(rows, unit: Organization) -> tuple[list, int]:
    counted = [list(row) for row in rows]
    return counted, sum(1 for row in counted if row[0] != unit.pk)


def registrations(campaign: Campaign, unit: Organization, *, today: dt.date) -> Snapshot:
    """The consolidated registrations of ``unit``'s branch: units per status, the themes chosen
    with their targets summed, the works for a plaque, each branch directly below, and the
    units whose approved registration is counted (the unit's own among them)."""
    consolidated = summary(campaign, unit, scope="approved", today=today)
    rows = (
        subtree_registrations(campaign, unit, COUNTED)
        .order_by("organization__path")
        .values_list("organization_id", "organization__code", "organization__name")
    )
    counted, below = _counted(rows, unit)
    works = consolidated.key_works
    data = {
        "kind": "registrations",
        "taken_on": today.isoformat(),
        "unit": _unit(unit),
        "progress": _counts(consolidated.progress, REGISTRATION_STATUSES),
        "themes": [
            {
                "number": total.theme.number,
                "title": total.theme.title,
                "units": total.units,
                "targets": [
                    {
                        "name": target.name,
                        "unit": target.unit,
                        "value": _text(target.value),
                        "units": target.units,
                        "rate": target.is_rate,
                    }
                    for target in total.targets
                ],
            }
            for total in consolidated.themes
        ],
        "key_works": {
            "count": works["count"] or 0,
            "value": _text(works["value"]),
            "units": works["units"] or 0,
        },
        "branches": [
            {**_unit(row.unit), "self": row.is_self, **_counts(row.progress, REGISTRATION_STATUSES)}
            for row in consolidated.branches
        ],
        "counted": counted,
    }
    return Snapshot(data, below)


def report(campaign: Campaign, phase: Phase, unit: Organization, *, today: dt.date) -> Snapshot:
    """The summary of the reports of ``unit``'s branch on ``phase``: reports per status, each
    common indicator summed, each branch directly below with its sums, the registered targets
    with what was achieved, and the units whose accepted report is counted."""
    rolled = rollup(campaign, phase, unit, scope="approved", today=today)
    rows = (
        in_subtree(
            PhaseReport.objects.filter(
                phase=phase, status__in=COUNTED, organization__is_active=True
            ),
            unit.path,
            "organization__",
        )
        .order_by("organization__path")
        .values_list("organization_id", "organization__code", "organization__name")
    )
    counted, below = _counted(rows, unit)
    data = {
        "kind": "report",
        "taken_on": today.isoformat(),
        "unit": _unit(unit),
        "phase": {"id": phase.pk, "name": phase.name},
        "progress": _counts(rolled.report, REPORT_STATUSES),
        "indicators": [
            {
                "name": indicator.name,
                "unit": indicator.unit,
                "total": _text(rolled.totals.get(indicator.pk) or 0),
            }
            for indicator in rolled.indicators
        ],
        "branches": [
            {
                **_unit(row.unit),
                "self": row.is_self,
                **_counts(row.report, REPORT_STATUSES),
                "values": [_text(value) for value in row.values],
            }
            for row in rolled.rows
        ],
        "themes": [
            {
                "number": total.theme.number,
                "title": total.theme.title,
                "reports": total.units,
                "targets": [
                    {
                        "name": target.name,
                        "unit": target.unit,
                        "registered": _text(target.target_value),
                        "achieved": _text(target.achieved_value)
                        if target.achieved is not None
                        else None,
                        "percent": target.percent if target.achieved is not None else None,
                        "units": target.units,
                        "rate": target.is_rate,
                    }
                    for target in total.targets
                ],
            }
            for total in rolled.themes
        ],
        "counted": counted,
    }
    return Snapshot(data, below)


def take(campaign: Campaign, unit: Organization, phase: Phase | None, *, today: dt.date):
    """The snapshot of the consolidation of ``unit`` (of its reports on ``phase`` when given)."""
    if phase is None:
        return registrations(campaign, unit, today=today)
    return report(campaign, phase, unit, today=today)
