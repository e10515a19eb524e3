from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from emulation.audit import action_label
from emulation.models import AuditEntry

# The admin's own titles, instead of Django's ("Trang quản trị cho Django").
admin.site.site_header = _("Emulation and commendation: administration")
admin.site.site_title = _("Emulation and commendation")
admin.site.index_title = _("Site administration")


class ReadOnly:
    """Shown, never changed here: every change goes through the pages and their services, which
    check permissions, lock rows, keep the counters per branch and write the audit log."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their parent, never added, changed or deleted."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnly, admin.ModelAdmin):
    """The audit log, append-only: read here, never added, changed or deleted, even by a
    superuser (on PostgreSQL a trigger refuses it to anyone who goes around the admin)."""

    list_display = ("created_at", "who", "what", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor_name", "actor__full_name")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    actions = None

    @admin.display(description=_("action"), ordering="action")
    def what(self, entry):
        return action_label(entry.action)

    @admin.display(description=_("actor"), ordering="actor_name")
    def who(self, entry):
        return entry.actor_name or _("System")
