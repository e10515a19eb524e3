from django.contrib import admin

from consolidations.models import Consolidation
from emulation.admin import ReadOnlyAdmin


@admin.register(Consolidation)
class ConsolidationAdmin(ReadOnlyAdmin):
    list_display = ("organization", "campaign", "phase", "status", "sendings", "sent_at")
    list_filter = ("status", "campaign")
    search_fields = ("organization__name", "organization__code")
    list_select_related = ("organization", "campaign", "phase")
    exclude = ("snapshot",)
