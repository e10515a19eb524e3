from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        from emulation.audit import register_actions
        from reminders import links, signals  # noqa: F401  (campaign page links; receivers)

        register_actions({"digest-send": _("Digest sent to the receiving department")})
