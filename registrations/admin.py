"""Read-only views for administrators: every change goes through the registration pages, whose
services check permissions, lock rows and write the audit log."""

from django.contrib import admin

from emulation.admin import ReadOnlyAdmin, ReadOnlyInline
from registrations.models import (
    DeadlineExtension,
    KeyWork,
    RegisteredTheme,
    Registration,
    RegistrationRevision,
)


class RegisteredThemeInline(ReadOnlyInline):
    model = RegisteredTheme
    fields = ("theme", "commitment")


class KeyWorkInline(ReadOnlyInline):
    model = KeyWork
    fields = ("name", "estimated_value", "expected_completion")


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ("organization", "campaign", "status", "revision", "submitted_at", "reviewed_at")
    list_filter = ("status", "campaign")
    search_fields = ("organization__name", "organization__code")
    list_select_related = ("organization", "campaign")
    inlines = [RegisteredThemeInline, KeyWorkInline]


@admin.register(RegistrationRevision)
class RegistrationRevisionAdmin(ReadOnlyAdmin):
    list_display = ("registration", "number", "reviewed_at", "reopened_at")
    list_select_related = ("registration__organization", "registration__campaign")


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(ReadOnlyAdmin):
    list_display = ("organization", "campaign", "until", "granted_by", "granted_at")
    list_select_related = ("organization", "campaign", "granted_by")
