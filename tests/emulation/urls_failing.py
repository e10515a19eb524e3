"""The project's addresses and one page that fails, to see the server-error page."""

from django.urls import path

from emulation.urls import urlpatterns as project_urlpatterns


def failing(request):
    raise RuntimeError("a page that fails")


urlpatterns = [*project_urlpatterns, path("failing/", failing)]
