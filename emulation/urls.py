from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from emulation import views

urlpatterns = [
    path("", include("desk.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("jobs/<int:pk>/", views.JobView.as_view(), name="job"),
    path("jobs/<int:pk>/download/", views.JobDownloadView.as_view(), name="job-download"),
    path("accounts/", include("accounts.urls")),
    path("units/", include("federation.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("registrations/", include("registrations.urls")),
    path("reports/", include("reports.urls")),
    path("consolidations/", include("consolidations.urls")),
    path("grading/", include("grading.urls")),
    path("clusters/", include("clusters.urls")),
    path("awards/", include("awards.urls")),
    path("reminders/", include("reminders.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.BENCHMARK:
    urlpatterns.append(path("_floor/", views.FloorView.as_view(), name="floor"))
