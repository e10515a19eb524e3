from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "federation"
    verbose_name = _("Union hierarchy")

    def ready(self):
        from django.db.models.signals import post_delete

        from emulation.audit import register_actions, register_change_labels, register_value_labels
        from emulation.rollups import register_rebuild
        from federation import rollups
        from federation.models import Organization, OrganizationKind, Role

        post_delete.connect(rollups.deleted, sender=Organization, dispatch_uid="unit_counts")
        register_rebuild("units", rollups.rebuild)

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
        register_change_labels(
            {
                "code": _("Code"),
                "name": _("Name"),
                "short_name": _("Short name"),
                "kind": _("Kind"),
                "member_count": _("Members"),
                "email": _("Email"),
                "parent": _("Parent unit"),
                "from": _("From"),
                "to": _("To"),
                "into": _("Into"),
                "children": _("Units moved"),
                "memberships": _("Roles moved"),
                "created": _("Units created"),
                "file": _("File"),
                "user": _("Person"),
                "role": _("Role"),
                "comment": _("Comment"),
            }
        )
        register_value_labels({**dict(Role.choices), **dict(OrganizationKind.choices)})
