from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Emulation campaigns")

    def ready(self):
        from campaigns import receivers  # noqa: F401  (units_changed)
        from emulation.audit import register_actions, register_change_labels

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
        register_change_labels(
            {
                "year": _("Year"),
                "title": pgettext_lazy("campaign", "Title"),
                "number": _("Number"),
                "symbol": _("Symbol"),
                "place": _("Place"),
                "issue_date": _("Date of issue"),
                "header_parent": _("Parent body in the header"),
                "header_issuer": _("Issuer in the header"),
                "implements": _("Implements"),
                "preamble": _("Opening paragraphs"),
                "purposes": _("Purposes and requirements"),
                "organisation": _("Organisation of implementation"),
                "closing": _("Closing paragraphs"),
                "distribution": _("Recipients"),
                "signing_authority": _("Signing authority"),
                "signer_title": _("Signer's title"),
                "signer_name": _("Signer's name"),
                "min_themes": _("Themes to register"),
                "registration_deadline": _("Registration deadline"),
                "receiving_department": _("Receiving department"),
                "deadline_note": _("Note on the deadlines"),
                "theme": _("Theme"),
                "text": _("Full text"),
                "phase": _("Phase"),
                "start": _("First day"),
                "end": _("Last day"),
                "report_deadline": _("Report deadline"),
                "goal": _("Aim of the phase"),
                "conclusion": _("Words after the milestones"),
                "added": _("Added"),
                "removed": _("Removed"),
                "skipped": _("Left out"),
                "day": _("Day"),
                "month": _("Month"),
                "origin_year": _("Year of the event"),
                "end_day": _("Last day"),
                "end_month": _("Month of the last day"),
                "scope_unit": _("Only for the branch of"),
                "wording": _("Wording in the plan"),
            }
        )
