from django.urls import path

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

app_name = "reports"

# Under ``c/<campaign_id>/``, ``pk`` is a unit (an indicator under ``indicators/``); under
# ``r/`` it is a report.
urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("c/<int:campaign_id>/inbox/", InboxView.as_view(), name="inbox"),
    path("c/<int:campaign_id>/dashboard/<int:pk>/", DashboardView.as_view(), name="dashboard"),
    path(
        "c/<int:campaign_id>/dashboard/<int:pk>.xlsx",
        DashboardXlsxView.as_view(),
        name="dashboard-xlsx",
    ),
    path("c/<int:campaign_id>/indicators/", IndicatorsView.as_view(), name="indicators"),
    path(
        "c/<int:campaign_id>/indicators/defaults/",
        IndicatorDefaultsView.as_view(),
        name="indicator-defaults",
    ),
    path(
        "c/<int:campaign_id>/indicators/<int:pk>/edit/",
        IndicatorEditView.as_view(),
        name="indicator-edit",
    ),
    path(
        "c/<int:campaign_id>/indicators/<int:pk>/delete/",
        IndicatorDeleteView.as_view(),
        name="indicator-delete",
    ),
    path(
        "c/<int:campaign_id>/p/<int:phase_id>/opening/",
        OpeningView.as_view(),
        name="opening",
    ),
    path(
        "c/<int:campaign_id>/p/<int:phase_id>/u/<int:pk>/",
        UnitReportView.as_view(),
        name="unit",
    ),
    path(
        "c/<int:campaign_id>/p/<int:phase_id>/u/<int:pk>/edit/",
        ReportFormView.as_view(),
        name="form",
    ),
    path(
        "c/<int:campaign_id>/p/<int:phase_id>/u/<int:pk>/extend/",
        ExtendView.as_view(),
        name="extend",
    ),
    path(
        "c/<int:campaign_id>/p/<int:phase_id>/review/<int:pk>/",
        QueueView.as_view(),
        name="queue",
    ),
    path(
        "c/<int:campaign_id>/p/<int:phase_id>/results/<int:pk>/",
        RollupView.as_view(),
        name="rollup",
    ),
    path(
        "c/<int:campaign_id>/p/<int:phase_id>/results/<int:pk>.pdf",
        SummaryPdfView.as_view(),
        name="summary-pdf",
    ),
    path("r/<int:pk>/submit/", SubmitView.as_view(), name="submit"),
    path("r/<int:pk>/approve/", ApproveView.as_view(), name="approve"),
    path("r/<int:pk>/return/", ReturnView.as_view(), name="return"),
    path("r/<int:pk>/receive/", ReceiveView.as_view(), name="receive"),
    path("r/<int:pk>/history/", HistoryView.as_view(), name="history"),
    path("r/<int:pk>/files/<int:file_id>/", AttachmentView.as_view(), name="attachment"),
]
