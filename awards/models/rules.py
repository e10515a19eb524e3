"""The rules of commendation: eligibility rules, the award history kept outside decisions,
declarations, quotas, the initiatives register and the base salary of reward money."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from awards.models.core import AwardType, Nomination, NomineeKind, nominee_search_key
from emulation.models import StoredFile
from federation.models import Organization


class InitiativeLevel(models.TextChoices):
    GRASSROOTS = "grassroots", _("Grassroots level")
    PROVINCE = "province", _("Provincial level")
    NATIONAL = "national", _("National level")


LEVEL_RANK = {
    InitiativeLevel.GRASSROOTS: 1,
    InitiativeLevel.PROVINCE: 2,
    InitiativeLevel.NATIONAL: 3,
}


class RuleKind(models.TextChoices):
    REGISTRATION = "registration", _("Registered for the campaign")
    HISTORY = "history", _("Award history")
    INITIATIVES = "initiatives", _("Initiatives recognised")
    DECLARATION = "declaration", _("Declared by the nominating unit")
    SAME_LEVEL = "same_level", _("Not both a comprehensive and a thematic award")
    GRADE = "grade", _("Grade published in the annual grading")


class RuleSeverity(models.TextChoices):
    WARN = "warn", _("Warn")
    BLOCK = "block", _("Block")


class EligibilityRule(models.Model):
    """A condition of an award (tiêu chuẩn, điều kiện), checked when the nomination is sent up
    and shown to every endorser: the campaign's registration, a chain of earlier awards read from
    the award history, an exclusion the nominating unit declares, or the same-level rule. A rule
    warns or blocks."""

    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award"), on_delete=models.CASCADE, related_name="rules"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RuleKind.choices)
    label = models.CharField(
        _("condition"),
        max_length=300,
        help_text=_(
            "As the nomination page states it, e.g. “Không bị kỷ luật từ khiển trách trở lên”."
        ),
    )
    severity = models.CharField(
        _("when not met"), max_length=8, choices=RuleSeverity.choices, default=RuleSeverity.BLOCK
    )
    prior_awards = models.ManyToManyField(
        AwardType,
        verbose_name=_("earlier awards (any of)"),
        blank=True,
        related_name="+",
        help_text=_("Award history: one of these awards in each of the years before."),
    )
    years = models.PositiveSmallIntegerField(
        _("years in a row"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("Award history: how many years in a row before the campaign's year."),
    )
    initiative_count = models.PositiveSmallIntegerField(
        _("initiatives (at least)"),
        default=1,
        help_text=_(
            "Initiatives: how many, recognised in the campaign's year and the years "
            "before it counted by “years in a row”."
        ),
    )
    initiative_level = models.CharField(
        _("recognised at least at"),
        max_length=12,
        choices=InitiativeLevel.choices,
        default=InitiativeLevel.GRASSROOTS,
    )
    grade_rank = models.PositiveSmallIntegerField(
        _("grade required (rank)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_(
            "Grade: the grade required or a better one, by its rank on the score sheet: 1 is "
            "the top grade (“hoàn thành xuất sắc nhiệm vụ”)."
        ),
    )
    grade_of_year_before = models.BooleanField(
        _("grade of the year before"),
        default=False,
        help_text=_("Grade: the grade of the year before the campaign's year, not of its year."),
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ["award_type_id", "position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def blocks(self) -> bool:
        return self.severity == RuleSeverity.BLOCK


class PriorAward(models.Model):
    """An award given outside this system's decisions (before it was used, or by another body),
    recorded in the award history with its decision's reference so that rules can read it."""

    nominee_kind = models.CharField(_("awarded to"), max_length=12, choices=NomineeKind.choices)
    nominee_unit = models.ForeignKey(
        Organization,
        verbose_name=_("unit of the awardee"),
        on_delete=models.PROTECT,
        related_name="prior_awards",
    )
    person_name = models.CharField(_("full name"), max_length=150, blank=True)
    search_key = models.CharField(max_length=500, blank=True, editable=False)
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award"), on_delete=models.PROTECT, related_name="prior_records"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    reference = models.CharField(
        _("decision"), max_length=200, help_text=_("Number and date, e.g. 45/QĐ-LĐLĐ 28/12/2016.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("earlier award")
        verbose_name_plural = _("earlier awards")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nominee_unit", "search_key", "award_type", "year"],
                name="prior_award_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.award_type} {self.year}"

    def save(self, *args, **kwargs):
        self.search_key = nominee_search_key(self.person_name, self.nominee_unit)
        super().save(*args, **kwargs)


class Declaration(models.Model):
    """The nominating unit declares that the nominee meets a declared condition (no discipline,
    not under inspection ...)."""

    nomination = models.ForeignKey(
        Nomination,
        verbose_name=_("nomination"),
        on_delete=models.CASCADE,
        related_name="declarations",
    )
    rule = models.ForeignKey(
        EligibilityRule, verbose_name=_("condition"), on_delete=models.CASCADE, related_name="+"
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "rule"], name="declaration_once")
        ]

    def __str__(self) -> str:
        return str(self.rule)


class QuotaScope(models.TextChoices):
    EACH_UNIT = "each_unit", _("Each unit sending nominations up")
    ONE_UNIT = "one_unit", _("One unit")
    TOTAL = "total", _("All units together")


class RatioBase(models.TextChoices):
    MEMBERS = "members", _("of the union members of the unit's branch")
    NOMINATED = "nominated", _("of the nominations made in the unit's branch")


class Quota(models.Model):
    """How many nominations for an award a unit may send up in a year (tỷ lệ, số lượng khen
    thưởng): a number, or a share of its members or of the nominations made below it. Checked
    when a nomination is submitted or endorsed upward."""

    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award"), on_delete=models.CASCADE, related_name="quotas"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    scope = models.CharField(
        _("applies to"), max_length=10, choices=QuotaScope.choices, default=QuotaScope.EACH_UNIT
    )
    unit = models.ForeignKey(
        Organization,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="award_quotas",
        help_text=_("Only for a quota of one unit."),
    )
    max_count = models.PositiveIntegerField(_("at most (number)"), null=True, blank=True)
    ratio_percent = models.DecimalField(
        _("at most (per cent)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    ratio_base = models.CharField(
        _("per cent of"), max_length=10, choices=RatioBase.choices, blank=True
    )

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["award_type_id", "-year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_count__isnull=False)
                | (Q(ratio_percent__isnull=False) & ~Q(ratio_base="")),
                name="quota_has_a_limit",
            ),
            models.CheckConstraint(
                condition=Q(scope="one_unit", unit__isnull=False)
                | (~Q(scope="one_unit") & Q(unit__isnull=True)),
                name="quota_unit_only_for_one_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_type} {self.year}"


class Initiative(models.Model):
    """An initiative (sáng kiến, cải tiến kỹ thuật) of a person or a unit, recognised at a level
    by a body, with the benefit it brought; counted by the eligibility rules."""

    nominee_kind = models.CharField(_("authored by"), max_length=12, choices=NomineeKind.choices)
    nominee_unit = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="initiatives"
    )
    person_name = models.CharField(_("full name"), max_length=150, blank=True)
    search_key = models.CharField(max_length=500, blank=True, editable=False)
    title = models.CharField(_("initiative"), max_length=500)
    level = models.CharField(_("recognised at"), max_length=12, choices=InitiativeLevel.choices)
    recognised_on = models.DateField(_("recognised on"))
    recognised_by = models.CharField(_("recognised by"), max_length=255)
    benefit = models.PositiveBigIntegerField(_("benefit (VND)"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-recognised_on", "id"]
        indexes = [models.Index(fields=["nominee_unit", "search_key"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_key = nominee_search_key(self.person_name, self.nominee_unit)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("awards:initiative", args=[self.pk])


def initiative_file_path(instance, filename: str) -> str:
    # The stored name is never the uploaded one: the view serves files under their own name.
    return f"awards/initiatives/{instance.initiative_id}/{instance.token}{instance.extension}"


class InitiativeFile(StoredFile):
    """A document of an initiative: the recognition decision, the description, the benefit's
    calculation."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="files"
    )
    document = models.CharField(_("document"), max_length=200)
    file = models.FileField(_("file"), upload_to=initiative_file_path, max_length=300)

    class Meta:
        verbose_name = _("initiative document")
        verbose_name_plural = _("initiative documents")
        ordering = ["initiative_id", "id"]

    def __str__(self) -> str:
        return f"{self.document}: {self.original_name}"


class BaseSalary(models.Model):
    """The base salary (lương cơ sở) in force from a day, by which reward money is set."""

    effective_from = models.DateField(_("in force from"), unique=True)
    amount = models.PositiveBigIntegerField(_("amount (VND a month)"))
    reference = models.CharField(_("set by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.amount} ({self.effective_from:%d/%m/%Y})"
