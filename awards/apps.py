from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Commendation")

    def ready(self):
        from awards.models import NomineeKind, Occasion
        from emulation.audit import register_actions, register_change_labels, register_value_labels

        register_actions(
            {
                "nomination-create": _("Nomination created"),
                "nomination-update": _("Nomination edited"),
                "nomination-delete": _("Nomination deleted"),
                "dossier-add": _("Dossier file added"),
                "dossier-remove": _("Dossier file removed"),
                "endorse": _("Endorsed and forwarded up"),
                "session-open": _("Council session opened"),
                "session-add": _("Put on a council session's agenda"),
                "ballot": _("Voted (secret ballot)"),
                "session-close": _("Council session closed"),
                "decision-issue": _("Decision issued"),
                "award": _("Awarded by decision"),
                "model-propose": _("Advanced model proposed"),
                "model-publish": _("Advanced model published"),
                "model-withdraw": _("Advanced model withdrawn"),
                "plaque-grant": _("Plaque granted"),
                "plaque-attach": _("Plaque attached"),
            }
        )
        register_change_labels(
            {
                "award": _("Award"),
                "nominee": _("Nominee"),
                "campaign": _("Campaign"),
                "occasion": _("Occasion"),
                "nominee_unit": _("Unit of the nominee"),
                "person_name": _("Full name"),
                "gender": _("Gender"),
                "birth_year": _("Year of birth"),
                "position": _("Position"),
                "achievement": _("Summary of achievements"),
                "document": _("Document"),
                "sent_to": _("Sent to"),
                "at": _("At"),
                "session": _("Council session"),
                "nominations": _("Nominations"),
                "members": _("Council members"),
                "votes": _("Votes"),
                "approved": _("Approved"),
                "rejected": _("Rejected"),
                "council_result": _("Council's result"),
                "decision": _("Decision"),
                "awardees": _("Awardees"),
                "key_work": _("Work or product"),
                "attached_on": _("Attached on"),
                "note": _("Note"),
            }
        )
        # Not the council's results: "approved" is the workflow's word for every app.
        register_value_labels({**dict(NomineeKind.choices), **dict(Occasion.choices)})
        from awards import work  # noqa: F401  (the home page's items)
