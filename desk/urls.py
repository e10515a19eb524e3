from django.urls import path

from desk import views

# The home page keeps the name every template and the login redirect use.
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
]
