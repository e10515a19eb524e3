from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Emulation campaigns")

    def ready(self):
        from emulation.audit import register_actions

        register_actions(
            {
                "campaign-create": _("Campaign created"),
                "campaign-update": _("Plan edited"),
                "campaign-activate": _("Campaign activated"),
                "campaign-close": _("Campaign closed"),
                "campaign-copy": _("Copied from an earlier year"),
                "campaign-copied": _("Copied to a later year"),
                "theme-add": _("Theme added"),
                "theme-update": _("Theme edited"),
                "theme-delete": _("Theme deleted"),
                "theme-move": _("Themes reordered"),
                "phase-add": _("Phase added"),
                "phase-update": _("Phase edited"),
                "phase-delete": _("Phase deleted"),
                "milestones-set": _("Milestones chosen"),
                "holiday-create": _("Commemorative day added"),
                "holiday-update": _("Commemorative day edited"),
                "holiday-delete": _("Commemorative day deleted"),
                "calendar-token-create": _("Calendar address created"),
                "calendar-token-reset": _("Calendar address reset"),
            }
        )
