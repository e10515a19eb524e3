from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("c/<int:campaign_id>/rules/", views.RuleListView.as_view(), name="rules"),
    path("c/<int:campaign_id>/rules/add/", views.RuleEditView.as_view(), name="rule-add"),
    path("rules/<int:pk>/", views.RuleEditView.as_view(), name="rule-edit"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("notifications/badge/", views.badge, name="badge"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("preferences/", views.preferences, name="preferences"),
    path("outbox/", views.OutboxView.as_view(), name="outbox"),
    path("outbox/<int:pk>/resend/", views.outbox_resend, name="outbox-resend"),
    path("outbox/digests/", views.DigestListView.as_view(), name="digests"),
    path("outbox/digests/<int:pk>/", views.DigestView.as_view(), name="digest"),
    path(
        "outbox/c/<int:campaign_id>/digest/",
        views.DigestPreviewView.as_view(),
        name="digest-preview",
    ),
    path("outbox/c/<int:campaign_id>/digest/send/", views.digest_send, name="digest-send"),
]
