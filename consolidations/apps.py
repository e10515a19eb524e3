from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsolidationsConfig(AppConfig):
    name = "consolidations"
    verbose_name = _("Consolidations sent up")

    def ready(self):
        from emulation.audit import register_change_labels

        register_change_labels(
            {
                "sending": _("Sending number"),
                "counted": _("Units below counted"),
                "branch_units": _("Units in the branch"),
                "consolidation_revision": _("Revision of the consolidation"),
            }
        )
        from consolidations import links  # noqa: F401  (the links on other apps' pages)
