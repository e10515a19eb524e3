from django.urls import path

from registrations import views

app_name = "registrations"

# ``pk`` is a unit under ``c/<campaign_id>/`` and a registration elsewhere.
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("c/<int:campaign_id>/u/<int:pk>/", views.UnitRegistrationView.as_view(), name="unit"),
    path(
        "c/<int:campaign_id>/u/<int:pk>/edit/",
        views.RegistrationFormView.as_view(),
        name="form",
    ),
    path("c/<int:campaign_id>/u/<int:pk>/extend/", views.ExtendView.as_view(), name="extend"),
    path("c/<int:campaign_id>/review/<int:pk>/", views.QueueView.as_view(), name="queue"),
    path(
        "c/<int:campaign_id>/review/<int:pk>/approve/",
        views.BulkApproveView.as_view(),
        name="bulk-approve",
    ),
    path("c/<int:campaign_id>/summary/<int:pk>/", views.SummaryView.as_view(), name="summary"),
    path(
        "c/<int:campaign_id>/summary/<int:pk>.xlsx",
        views.SummaryXlsxView.as_view(),
        name="summary-xlsx",
    ),
    path(
        "c/<int:campaign_id>/summary/<int:pk>.pdf",
        views.SummaryPdfView.as_view(),
        name="summary-pdf",
    ),
    path("<int:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("<int:pk>/approve/", views.ApproveView.as_view(), name="approve"),
    path("<int:pk>/return/", views.ReturnView.as_view(), name="return"),
    path("<int:pk>/reopen/", views.ReopenView.as_view(), name="reopen"),
    path("<int:pk>/pdf/", views.RegistrationPdfView.as_view(), name="pdf"),
    path("<int:pk>/history/", views.HistoryView.as_view(), name="history"),
    path("<int:pk>/revisions/<int:number>/", views.RevisionView.as_view(), name="revision"),
]
