from django.urls import path

from consolidations import views

app_name = "consolidations"

# ``pk`` is a unit under ``c/<campaign_id>/`` and a consolidation elsewhere.
urlpatterns = [
    path("c/<int:campaign_id>/u/<int:pk>/", views.UnitView.as_view(), name="unit"),
    path("c/<int:campaign_id>/u/<int:pk>/send/", views.SendView.as_view(), name="send"),
    path("c/<int:campaign_id>/review/<int:pk>/", views.QueueView.as_view(), name="queue"),
    path("<int:pk>/", views.DetailView.as_view(), name="detail"),
    path("<int:pk>/approve/", views.ApproveView.as_view(), name="approve"),
    path("<int:pk>/return/", views.ReturnView.as_view(), name="return"),
    path("<int:pk>/reopen/", views.ReopenView.as_view(), name="reopen"),
    path("<int:pk>/history/", views.HistoryView.as_view(), name="history"),
]
