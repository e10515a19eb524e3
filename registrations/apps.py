from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Emulation registrations")

    def ready(self):
        from emulation.audit import register_actions, register_change_labels

        register_actions(
            {
                "registration-save": _("Draft saved"),
                "deadline-extend": _("Deadline extended"),
            }
        )
        register_change_labels(
            {
                "revision": _("Revision"),
                "themes": _("Themes"),
                "themes_added": _("Themes added"),
                "themes_removed": _("Themes removed"),
                "commitments_changed": _("Commitments edited"),
                "targets": _("Targets"),
                "key_works": _("Works and products"),
                "until": _("Until"),
                "reason": _("Reason"),
                "unit": _("Unit"),
            }
        )
        # links: the campaign page's links; work: the home page's items.
        from emulation.rollups import register_rebuild
        from registrations import links, work  # noqa: F401
        from registrations.rollups import tree  # noqa: F401  (connects the tree_changed receiver)
        from registrations.rollups.rebuilding import rebuild_all

        register_rebuild("registrations", rebuild_all)
