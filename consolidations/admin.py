"""Read-only views for administrators: every change goes through the consolidation pages, whose
services check permissions, lock rows and write the audit log."""

from django.contrib import admin

from consolidations.models import Consolidation


@admin.register(Consolidation)
class ConsolidationAdmin(admin.ModelAdmin):
    list_display = ("organization", "campaign", "phase", "status", "sendings", "sent_at")
    list_filter = ("status", "campaign")
    search_fields = ("organization__name", "organization__code")
    list_select_related = ("organization", "campaign", "phase")
    exclude = ("snapshot",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
