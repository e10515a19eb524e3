from django.urls import path

from grading import sheet_views, views

app_name = "grading"

# ``pk`` is a unit under ``<year>/`` and a grading under ``a/``.
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("sheets/<int:sheet_id>/", views.SheetView.as_view(), name="sheet"),
    path("sheets/new/", sheet_views.SheetEditView.as_view(), name="sheet-new"),
    path("sheets/import/", sheet_views.SheetImportView.as_view(), name="sheet-import"),
    path("sheets/<int:sheet_id>/edit/", sheet_views.SheetEditView.as_view(), name="sheet-edit"),
    path("sheets/<int:sheet_id>/xlsx/", sheet_views.SheetXlsxView.as_view(), name="sheet-xlsx"),
    path(
        "sheets/<int:sheet_id>/<slug:part>/new/",
        sheet_views.SheetItemView.as_view(),
        name="sheet-item-new",
    ),
    path(
        "sheets/<int:sheet_id>/<slug:part>/<int:item_id>/",
        sheet_views.SheetItemView.as_view(),
        name="sheet-item",
    ),
    path(
        "sheets/<int:sheet_id>/<slug:part>/<int:item_id>/delete/",
        sheet_views.SheetItemDeleteView.as_view(),
        name="sheet-item-delete",
    ),
    path("<int:year>/u/<int:pk>/", views.UnitView.as_view(), name="unit"),
    path("<int:year>/b/<int:pk>/", views.BranchView.as_view(), name="branch"),
    path("<int:year>/b/<int:pk>/xlsx/", views.BranchXlsxView.as_view(), name="branch-xlsx"),
    path("<int:year>/b/<int:pk>/pdf/", views.BranchPdfView.as_view(), name="branch-pdf"),
    path("<int:year>/b/<int:pk>/publish/", views.PublishView.as_view(), name="publish"),
    path("a/<int:pk>/", views.AssessmentView.as_view(), name="assessment"),
    path("a/<int:pk>/verify/", views.VerifyView.as_view(), name="verify"),
    path("a/<int:pk>/return/", views.ReturnView.as_view(), name="return"),
    path("a/<int:pk>/reopen/", views.ReopenView.as_view(), name="reopen"),
    path("a/<int:pk>/history/", views.HistoryView.as_view(), name="history"),
    path("a/<int:pk>/pdf/", views.PdfView.as_view(), name="pdf"),
    path("a/<int:pk>/files/<int:file_id>/", views.EvidenceView.as_view(), name="evidence"),
]
