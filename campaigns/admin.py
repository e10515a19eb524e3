"""Read-only views for administrators: every change goes through the campaign pages, whose
services keep the plan consistent (phases, numbers, milestones) and write the audit log."""

from django.contrib import admin

from campaigns.models import CalendarToken, Campaign, Holiday, Milestone, Phase, Theme
from emulation.admin import ReadOnlyAdmin, ReadOnlyInline


class ThemeInline(ReadOnlyInline):
    model = Theme
    fields = ("number", "title")


class PhaseInline(ReadOnlyInline):
    model = Phase
    fields = ("name", "start", "end", "report_deadline")


class MilestoneInline(ReadOnlyInline):
    model = Milestone
    fields = ("holiday", "date", "anniversary", "phase")


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("title", "issuer", "year", "number", "symbol", "status")
    list_filter = ("status", "year")
    search_fields = ("title", "issuer__name", "issuer__code")
    inlines = [ThemeInline, PhaseInline, MilestoneInline]


@admin.register(Holiday)
class HolidayAdmin(ReadOnlyAdmin):
    list_display = ("name", "day", "month", "origin_year", "scope_unit")
    search_fields = ("name",)


@admin.register(CalendarToken)
class CalendarTokenAdmin(ReadOnlyAdmin):
    list_display = ("user", "created_at")
    fields = ("user", "created_at")
    readonly_fields = ("user", "created_at")
