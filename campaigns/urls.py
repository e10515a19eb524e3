from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="list"),
    path("new/", views.CampaignCreateView.as_view(), name="create"),
    path("holidays/", views.HolidayListView.as_view(), name="holidays"),
    path("holidays/add/", views.HolidayCreateView.as_view(), name="holiday-add"),
    path("holidays/<int:pk>/edit/", views.HolidayEditView.as_view(), name="holiday-edit"),
    path("holidays/<int:pk>/delete/", views.HolidayDeleteView.as_view(), name="holiday-delete"),
    path("calendar/", views.CalendarSubscribeView.as_view(), name="calendar-subscribe"),
    path("calendar/<str:token>.ics", views.CalendarFeedView.as_view(), name="calendar-feed"),
    path("<int:pk>/", views.CampaignDetailView.as_view(), name="detail"),
    path("<int:pk>/plan.pdf", views.PlanPdfView.as_view(), name="plan-pdf"),
    path("<int:pk>/calendar.ics", views.CalendarView.as_view(), name="calendar"),
    path("<int:pk>/history/", views.CampaignHistoryView.as_view(), name="history"),
    path("<int:pk>/edit/", views.CampaignEditView.as_view(), name="edit"),
    path("<int:pk>/activate/", views.CampaignActivateView.as_view(), name="activate"),
    path("<int:pk>/close/", views.CampaignCloseView.as_view(), name="close"),
    path("<int:pk>/copy/", views.CampaignCopyView.as_view(), name="copy"),
    path("<int:pk>/themes/", views.ThemesView.as_view(), name="themes"),
    path("<int:pk>/themes/<int:theme_id>/edit/", views.ThemeEditView.as_view(), name="theme-edit"),
    path(
        "<int:pk>/themes/<int:theme_id>/delete/",
        views.ThemeDeleteView.as_view(),
        name="theme-delete",
    ),
    path("<int:pk>/themes/<int:theme_id>/move/", views.ThemeMoveView.as_view(), name="theme-move"),
    path("<int:pk>/phases/", views.PhasesView.as_view(), name="phases"),
    path("<int:pk>/phases/<int:phase_id>/edit/", views.PhaseEditView.as_view(), name="phase-edit"),
    path(
        "<int:pk>/phases/<int:phase_id>/delete/",
        views.PhaseDeleteView.as_view(),
        name="phase-delete",
    ),
    path("<int:pk>/milestones/", views.MilestonesView.as_view(), name="milestones"),
]
