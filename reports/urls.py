from django.urls import path

from reports import views

app_name = "reports"

# Under ``c/<campaign_id>/``, ``pk`` is a unit (an indicator under ``indicators/``); under
# ``r/`` it is a report.
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("c/<int:campaign_id>/inbox/", views.InboxView.as_view(), name="inbox"),
    path(
        "c/<int:campaign_id>/dashboard/<int:pk>/", views.DashboardView.as_view(), name="dashboard"
    ),
    path(
        "c/<int:campaign_id>/dashboard/<int:pk>.xlsx",
        views.DashboardXlsxView.as_view(),
        name="dashboard-xlsx",
    ),
    path("c/<int:campaign_id>/indicators/", views.IndicatorsView.as_view(), name="indicators"),
    path(
        "c/<int:campaign_id>/indicators/defaults/",
        views.IndicatorDefaultsView.as_view(),
        name="indicator-defaults",
    ),
    path(
        "c/<int:campaign_id>/indicators/<int:pk>/edit/",
        views.IndicatorEditView.as_view(),
        name="indicator-edit",
    ),
    path(
        "c/<int:campaign_id>/indicators/<int:pk>/delete/",
        views.IndicatorDeleteView.as_view(),
        name="indicator-delete",
    ),
    path(
        "c/<int:campaign_id>/p/<int:phase_id>/opening/",
        views.OpeningView.as_view(),
        name="opening",
    ),
    path(
        "c/<int:campaign_id>/p/<int:phase_id>/u/<int:pk>/",
        views.UnitReportView.as_view(),
        name="unit",
    ),
    path(
        "c/<int:campaign_id>/p/<int:phase_id>/u/<int:pk>/edit/",
        views.ReportFormView.as_view(),
        name="form",
    ),
    path(
        "c/<int:campaign_id>/p/<int:phase_id>/u/<int:pk>/extend/",
        views.ExtendView.as_view(),
        name="extend",
    ),
    path(
        "c/<int:campaign_id>/p/<int:phase_id>/review/<int:pk>/",
        views.QueueView.as_view(),
        name="queue",
    ),
    path(
        "c/<int:campaign_id>/p/<int:phase_id>/results/<int:pk>/",
        views.RollupView.as_view(),
        name="rollup",
    ),
    path(
        "c/<int:campaign_id>/p/<int:phase_id>/results/<int:pk>.pdf",
        views.SummaryPdfView.as_view(),
        name="summary-pdf",
    ),
    path("r/<int:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("r/<int:pk>/approve/", views.ApproveView.as_view(), name="approve"),
    path("r/<int:pk>/return/", views.ReturnView.as_view(), name="return"),
    path("r/<int:pk>/receive/", views.ReceiveView.as_view(), name="receive"),
    path("r/<int:pk>/history/", views.HistoryView.as_view(), name="history"),
    path("r/<int:pk>/files/<int:file_id>/", views.AttachmentView.as_view(), name="attachment"),
]
