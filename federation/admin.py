from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import MoveNodeForm, movenodeform_factory

from federation.models import Department, Membership, Organization


class PlaceInTreeForm(MoveNodeForm):
    """treebeard's form, its "Position" named as a place in the tree (our catalogue's
    "Position" is a person's position)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["treebeard_position"].label = _("Place in the tree")


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin):
    form = movenodeform_factory(
        Organization, form=PlaceInTreeForm, exclude=("created_at", "updated_at")
    )
    list_display = ("name", "code", "kind", "member_count", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code", "short_name")
    raw_id_fields = ("merged_into",)


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
