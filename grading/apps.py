from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradingConfig(AppConfig):
    name = "grading"
    verbose_name = _("Grading of grassroots unions")

    def ready(self):
        from emulation.audit import register_actions, register_change_labels
        from emulation.eligibility import GRADE_HISTORY, PUBLISHED_GRADE, register_fact
        from emulation.rollups import register_rebuild
        from grading import rollups, rules  # noqa: F401  (the rules register themselves)

        register_rebuild("grading", rollups.rebuild)
        from grading.selectors import grade_history_fact, published_grade_fact

        register_fact(PUBLISHED_GRADE, published_grade_fact)
        register_fact(GRADE_HISTORY, grade_history_fact)
        register_actions(
            {
                "grading_save": _("Grading saved"),
                "grading_verify": _("Verified scores saved"),
                "grading_publish": _("Grade published"),
                "sheet_copy": _("Score sheet copied to another year"),
                "sheet_create": _("Score sheet created"),
                "sheet_change": _("Score sheet changed"),
                "sheet_import": _("Score sheet imported"),
            }
        )
        from grading import work  # noqa: F401  (the items of the home page)

        register_change_labels(
            {
                "self_total": _("Self-assessed score"),
                "verified_total": _("Verified score"),
                "grade": _("Grade"),
                "changed_criteria": _("Criteria changed"),
                "year": _("Year"),
                "from_sheet": _("Copied from"),
            }
        )
