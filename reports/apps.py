from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Phase reports")

    def ready(self):
        from emulation.audit import register_actions, register_change_labels

        register_actions(
            {
                "report-save": _("Report draft saved"),
                "report-receive": _("Marked received by the department"),
                "report-extend": _("Report deadline extended"),
                "indicator-add": _("Indicator added"),
                "indicator-update": _("Indicator edited"),
                "indicator-delete": _("Indicator deleted"),
                "indicators-defaults": _("Usual indicators added"),
                "reporting-opens": _("Reporting opening date set"),
            }
        )
        register_change_labels(
            {
                "phase": _("Phase"),
                "narrative": _("General assessment"),
                "themes_reported": _("Themes reported"),
                "targets_filled": _("Targets with a result"),
                "indicators_filled": _("Indicators filled"),
                "files_added": _("Files attached"),
                "files_removed": _("Files removed"),
                "indicator": _("Indicator"),
                "measure": _("Unit of measure"),
                "whole_numbers": _("Whole numbers only"),
                "opens_on": _("Reporting opens on"),
                "added_indicators": _("Indicators added"),
            }
        )
        # links: the campaign page's links; receivers: copies the indicators with a campaign;
        # rollups: recomputes the report counters when the tree changes; work: the home page's
        # items.
        from emulation.rollups import register_rebuild
        from reports import links, receivers, rollups, work  # noqa: F401

        register_rebuild("reports", rollups.rebuild_all)
