from django.contrib import admin, messages

from grading.models import Criterion, CriterionGroup, Grade, GradingProfile, KnockOut, ScoreSheet
from grading.services.sheets import sheet_problems


class GroupInline(admin.TabularInline):
    model = CriterionGroup
    extra = 0


class GradeInline(admin.TabularInline):
    model = Grade
    extra = 0


class KnockOutInline(admin.TabularInline):
    model = KnockOut
    extra = 0


@admin.register(ScoreSheet)
class ScoreSheetAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "unit_type", "total", "deadline", "top_grade_cap"]
    list_filter = ["year", "unit_type"]
    inlines = [GroupInline, GradeInline, KnockOutInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for problem in sheet_problems(form.instance):
            messages.warning(request, problem)


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "max_points", "justification_required"]
    list_filter = ["group__sheet"]


@admin.register(GradingProfile)
class GradingProfileAdmin(admin.ModelAdmin):
    list_display = ["organization", "unit_type"]
    list_filter = ["unit_type"]
    autocomplete_fields = ["organization"]
