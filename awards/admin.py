"""The award catalogue is kept here by administrators; everything else is read-only, since its
changes go through the services (workflow, audit log)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from awards.models import (
    AwardType,
    BaseSalary,
    Council,
    CouncilMember,
    CouncilSession,
    Decision,
    EligibilityRule,
    ExemplaryModel,
    Initiative,
    Nomination,
    PriorAward,
    Quota,
)
from emulation.admin import ReadOnlyAdmin


class EligibilityRuleInline(admin.StackedInline):
    model = EligibilityRule
    fk_name = "award_type"
    extra = 0
    filter_horizontal = ("prior_awards",)


class QuotaInline(admin.TabularInline):
    model = Quota
    extra = 0
    raw_id_fields = ("unit",)


@admin.register(AwardType)
class AwardTypeAdmin(admin.ModelAdmin):
    inlines = [EligibilityRuleInline, QuotaInline]
    list_display = (
        "name",
        "category",
        "nominee_kind",
        "granting_unit",
        "approval_threshold",
        "individual_multiple",
        "collective_multiple",
        "scope",
        "decision_symbol",
        "requires_registration",
        "is_active",
    )
    list_filter = (
        "category",
        "nominee_kind",
        "highest_title",
        "is_active",
        "requires_registration",
    )
    search_fields = ("name", "granting_unit__name")
    raw_id_fields = ("granting_unit",)


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 1
    raw_id_fields = ("user",)


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    """The council of a granting unit for a term: its members and its quorum."""

    list_display = ("name", "granting_unit", "term_start", "term_end", "quorum")
    search_fields = ("name", "granting_unit__name")
    raw_id_fields = ("granting_unit",)
    inlines = [CouncilMemberInline]

    @admin.display(description=_("Quorum"))
    def quorum(self, council):
        return f"{council.quorum_numerator}/{council.quorum_denominator}"


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "nominating_unit", "status", "council_result", "decision")
    list_filter = ("status", "council_result", "nominee_kind")
    search_fields = ("person_name", "nominee_unit__name", "nominating_unit__name")


@admin.register(CouncilSession)
class CouncilSessionAdmin(ReadOnlyAdmin):
    list_display = ("title", "granting_unit", "meeting_date", "status")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("number_and_symbol", "issuer", "date", "signer_name")

    @admin.display(description=_("Number and symbol"), ordering="number")
    def number_and_symbol(self, decision):
        return decision.document_number


@admin.register(ExemplaryModel)
class ExemplaryModelAdmin(ReadOnlyAdmin):
    list_display = ("title", "organization", "status", "published_at")
    exclude = ("photo_extension", "photo_content_type", "token")  # how the photo is stored


@admin.register(PriorAward)
class PriorAwardAdmin(admin.ModelAdmin):
    """Earlier awards recorded in the award history (decisions outside this system)."""

    list_display = ("award_type", "year", "person_name", "nominee_unit", "reference")
    list_filter = ("year",)
    search_fields = ("person_name", "nominee_unit__name", "reference")
    raw_id_fields = ("nominee_unit",)
    exclude = ("recorded_by",)


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    """The initiatives register (sáng kiến): of people and units, with their recognition."""

    list_display = ("title", "person_name", "nominee_unit", "level", "recognised_on", "benefit")
    list_filter = ("level",)
    search_fields = ("title", "person_name", "nominee_unit__name", "recognised_by")
    raw_id_fields = ("nominee_unit",)
    exclude = ("recorded_by",)


@admin.register(BaseSalary)
class BaseSalaryAdmin(admin.ModelAdmin):
    """The base salary (lương cơ sở) by date, by which reward money is set."""

    list_display = ("effective_from", "amount", "reference")
