"""Reads that the report pages share, by topic, each a fixed number of queries whatever the
number of units (figures over a subtree come from the counters per branch):

- ``common``: the campaign and unit of an address and the units above it, statuses and their
  labels, counts per status, the phases with their reporting dates, units with their report;
- ``progress``: progress and indicator totals per branch, targets summed, the roll-up;
- ``overdue``: the units late with their report;
- ``dashboard``: its filters, what it shows and the key its body is cached under;
- ``queue``: the reviewer's queue; ``inbox``: the receiving department's inbox;
- ``report``: one unit's report and what the person may do on it now;
- ``start``: the start page.
"""

from reports.selectors.common import (
    KINDS,
    PLAN,
    REGISTRATION_ORDER,
    SCOPES,
    STATUS_ORDER,
    UNIT_DEFER,
    PhaseInfo,
    Progress,
    breadcrumb,
    campaign_by_pk,
    campaign_with_plan,
    counted_units,
    default_phase,
    indicators_in_use,
    indicators_of,
    infos_of,
    is_late,
    load_plan,
    overdue_q,
    phase_infos,
    report_q,
    scope_statuses,
    status_label,
    unit_by_pk,
    with_report,
)
from reports.selectors.dashboard import (
    OVERDUE_ROWS,
    Dashboard,
    Event,
    Filters,
    IndicatorRow,
    asked_phase,
    cache_key,
    can_open_inbox,
    dashboard,
    next_events,
    theme_choices,
)
from reports.selectors.inbox import INBOX_MARKS, Inbox, inbox
from reports.selectors.overdue import OverdueUnit, first_overdue, overdue_rows, overdue_units
from reports.selectors.progress import (
    BranchRow,
    Rollup,
    TargetTotal,
    ThemeTotal,
    branch_progress,
    phase_sums,
    rollup,
    target_totals,
)
from reports.selectors.queue import Queue, QueueFilters, review_queue
from reports.selectors.report import (
    ReportPage,
    extension_of,
    form_refusal,
    report_for,
    report_page,
)
from reports.selectors.start import CampaignCard, start_page

__all__ = [
    "INBOX_MARKS",
    "KINDS",
    "OVERDUE_ROWS",
    "PLAN",
    "REGISTRATION_ORDER",
    "SCOPES",
    "STATUS_ORDER",
    "UNIT_DEFER",
    "BranchRow",
    "CampaignCard",
    "Dashboard",
    "Event",
    "Filters",
    "Inbox",
    "IndicatorRow",
    "OverdueUnit",
    "PhaseInfo",
    "Progress",
    "Queue",
    "QueueFilters",
    "ReportPage",
    "Rollup",
    "TargetTotal",
    "ThemeTotal",
    "asked_phase",
    "branch_progress",
    "breadcrumb",
    "cache_key",
    "campaign_by_pk",
    "campaign_with_plan",
    "can_open_inbox",
    "counted_units",
    "dashboard",
    "default_phase",
    "extension_of",
    "first_overdue",
    "form_refusal",
    "inbox",
    "indicators_in_use",
    "indicators_of",
    "infos_of",
    "is_late",
    "load_plan",
    "next_events",
    "overdue_q",
    "overdue_rows",
    "overdue_units",
    "phase_infos",
    "phase_sums",
    "report_for",
    "report_page",
    "report_q",
    "review_queue",
    "rollup",
    "scope_statuses",
    "start_page",
    "status_label",
    "target_totals",
    "theme_choices",
    "unit_by_pk",
    "with_report",
]
