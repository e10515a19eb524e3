from django.contrib import admin, messages

from grading.models import Criterion, CriterionGroup, Grade, GradingProfile, KnockOut, ScoreSheet
from grading.services.sheets import sheet_problems


def _in_use(sheet) -> bool:
    return sheet is not None and sheet.pk is not None and sheet.assessments.exists()


class _SheetInUseReadOnly:
    """A sheet units have scored on is read-only here too (the builder of the sheet's page
    keeps its wording and dates editable, and refuses the rest with the reason)."""

    def _sheet(self, obj):
        if isinstance(obj, Criterion):
            return obj.group.sheet
        return obj

    def has_change_permission(self, request, obj=None):
        if _in_use(self._sheet(obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if _in_use(obj):
            return False
        if isinstance(self, admin.ModelAdmin):
            return super().has_add_permission(request)
        return super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if _in_use(self._sheet(obj)):
            return False
        return super().has_delete_permission(request, obj)


class GroupInline(_SheetInUseReadOnly, admin.TabularInline):
    model = CriterionGroup
    extra = 0


class GradeInline(_SheetInUseReadOnly, admin.TabularInline):
    model = Grade
    extra = 0


class KnockOutInline(_SheetInUseReadOnly, admin.TabularInline):
    model = KnockOut
    extra = 0


@admin.register(ScoreSheet)
class ScoreSheetAdmin(_SheetInUseReadOnly, admin.ModelAdmin):
    list_display = ["title", "year", "unit_type", "total", "deadline", "top_grade_cap"]
    list_filter = ["year", "unit_type"]
    inlines = [GroupInline, GradeInline, KnockOutInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for problem in sheet_problems(form.instance):
            messages.warning(request, problem)


@admin.register(Criterion)
class CriterionAdmin(_SheetInUseReadOnly, admin.ModelAdmin):
    list_display = ["__str__", "max_points", "justification_required"]
    list_filter = ["group__sheet"]


@admin.register(GradingProfile)
class GradingProfileAdmin(admin.ModelAdmin):
    list_display = ["organization", "unit_type"]
    list_filter = ["unit_type"]
    autocomplete_fields = ["organization"]
