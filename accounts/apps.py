import axes.apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")


class LoginThrottlingConfig(axes.apps.AppConfig):
    """django-axes (login throttling) under a Vietnamese name in the admin, where it would
    show as "Axes"; its models' and fields' names are in our catalogue."""

    default = False  # "accounts" keeps AccountsConfig
    verbose_name = _("Login attempts")
