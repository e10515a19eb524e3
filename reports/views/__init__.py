"""Pages of the phase reports, by topic:

- ``base``: what every page loads and checks (campaign, unit, phase, report);
- ``report``: the start page and one unit's report (form, review buttons, history, files,
  deadline extension);
- ``figures``: the upper units' queue, roll-up, summary PDF, dashboard and inbox;
- ``config``: indicators and reporting dates.
"""

from reports.views.base import CampaignMixin, PhaseUnitMixin, ReportMixin, UnitMixin, unit_url
from reports.views.config import (
    IndicatorDefaultsView,
    IndicatorDeleteView,
    IndicatorEditView,
    IndicatorsView,
    OpeningView,
)
from reports.views.figures import (
    DashboardView,
    DashboardXlsxView,
    InboxView,
    QueueView,
    RollupView,
    SummaryPdfView,
)
from reports.views.report import (
    ApproveView,
    AttachmentView,
    ExtendView,
    HistoryView,
    IndexView,
    ReceiveView,
    ReportFormView,
    ReturnView,
    SubmitView,
    UnitReportView,
)

__all__ = [
    "ApproveView",
    "AttachmentView",
    "CampaignMixin",
    "DashboardView",
    "DashboardXlsxView",
    "ExtendView",
    "HistoryView",
    "InboxView",
    "IndexView",
    "IndicatorDefaultsView",
    "IndicatorDeleteView",
    "IndicatorEditView",
    "IndicatorsView",
    "OpeningView",
    "PhaseUnitMixin",
    "QueueView",
    "ReceiveView",
    "ReportFormView",
    "ReportMixin",
    "ReturnView",
    "RollupView",
    "SubmitView",
    "SummaryPdfView",
    "UnitMixin",
    "UnitReportView",
    "unit_url",
]
