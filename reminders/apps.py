from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        from reminders import signals  # noqa: F401
        from reminders import links  # noqa: F401  (the reminder links of the campaign page)
