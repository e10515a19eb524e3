from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "federation"
    verbose_name = _("Union hierarchy")

    def ready(self):
        from emulation.audit import register_actions

        register_actions(
            {
                "create": _("Unit created"),
                "update": _("Details edited"),
                "import": _("Units imported"),
                "move": _("Moved"),
                "merge": _("Merged into another unit"),
                "absorb": _("Absorbed a merged unit"),
                "delete": _("Deleted"),
                "membership-add": _("Role given"),
                "membership-remove": _("Role removed"),
                "department-add": _("Department added"),
            }
        )
