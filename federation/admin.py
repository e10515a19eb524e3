from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import MoveNodeForm, movenodeform_factory

from federation import kinds
from federation.models import AllowedChildKind, Department, Membership, Organization


class PlaceInTreeForm(MoveNodeForm):
    """treebeard's form, its "Position" named as a place in the tree (our catalogue's
    "Position" is a person's position)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["treebeard_position"].label = _("Place in the tree")

    def clean(self):
        """The admin places units too: the kinds its parent allows, and its children allow,
        hold here as on the unit pages (federation.kinds)."""
        data = super().clean()
        kind = data.get("kind")
        if not kind or "treebeard_position" not in data:
            return data
        reference = data.get("treebeard_ref_node")
        if reference is None:
            parent = None
        elif data["treebeard_position"] in ("first-child", "sorted-child"):
            parent = reference
        else:
            parent = reference.get_parent()
        problem = kinds.placement_problem(kind, parent.kind if parent else None)
        if not problem and self.instance.pk:
            children = Organization.objects.children_of(self.instance).values_list(
                "kind", flat=True
            )
            problem = kinds.children_problem(kind, set(children))
        if problem:
            self.add_error("kind", problem)
        return data


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin):
    form = movenodeform_factory(
        Organization, form=PlaceInTreeForm, exclude=("created_at", "updated_at")
    )
    list_display = ("name", "code", "kind", "member_count", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code", "short_name")
    raw_id_fields = ("merged_into",)


@admin.register(AllowedChildKind)
class AllowedChildKindAdmin(admin.ModelAdmin):
    list_display = ("parent_kind", "child_kind")
    list_filter = ("parent_kind",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "email")
    search_fields = ("name", "organization__name")
    raw_id_fields = ("organization",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "department")
    list_filter = ("role",)
    search_fields = (
        "user__full_name",
        "user__username",
        "organization__name",
        "organization__code",
    )
    raw_id_fields = ("user", "organization", "department")
