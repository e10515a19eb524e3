from django.contrib import admin

from emulation.admin import ReadOnly
from reports.models import (
    Attachment,
    Indicator,
    IndicatorValue,
    PhaseReport,
    ReportExtension,
    ReportingWindow,
    TargetResult,
    ThemeResult,
)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "whole_numbers", "campaign", "position")
    list_filter = ("campaign",)
    search_fields = ("name",)


@admin.register(ReportingWindow)
class ReportingWindowAdmin(admin.ModelAdmin):
    list_display = ("phase", "opens_on")
    raw_id_fields = ("phase",)


class ThemeResultInline(ReadOnly, admin.StackedInline):
    model = ThemeResult
    extra = 0
    raw_id_fields = ("theme",)


class IndicatorValueInline(ReadOnly, admin.TabularInline):
    model = IndicatorValue
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ("original_name", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields


@admin.register(PhaseReport)
class PhaseReportAdmin(ReadOnly, admin.ModelAdmin):
    """Read in the admin; every change goes through the pages and their services."""

    list_display = ("organization", "campaign", "phase", "status", "submitted_at", "received_at")
    list_filter = ("status", "campaign", "phase")
    search_fields = ("organization__name", "organization__code")
    raw_id_fields = ("organization", "campaign", "phase")
    readonly_fields = (
        "status",
        "revision",
        "version",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
        "received_at",
        "received_by",
        "created_by",
    )
    inlines = [ThemeResultInline, IndicatorValueInline, AttachmentInline]


@admin.register(TargetResult)
class TargetResultAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("name", "target", "achieved", "unit", "theme_result")
    raw_id_fields = ("theme_result",)
    exclude = ("key",)  # the matching key the counters use, not a reader's field


@admin.register(ReportExtension)
class ReportExtensionAdmin(admin.ModelAdmin):
    list_display = ("organization", "phase", "until", "granted_by")
    raw_id_fields = ("organization", "phase")
