from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        from emulation.audit import register_actions

        # The campaign page's links, the transitions' receivers, the home page's items.
        from reminders import links, signals, work  # noqa: F401

        register_actions({"digest-send": _("Digest sent to the receiving department")})
