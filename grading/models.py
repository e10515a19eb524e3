"""The annual grading of grassroots unions (đánh giá, xếp loại chất lượng hoạt động CĐCS).

A score sheet is data, one per year and type of grassroots union: groups of criteria with their
maximum points (the bonus group among them, penalty items apart), the grades with their minimum
score, the knock-out conditions (a group scored under a share of its maximum caps the grade)
and the cap on the share of the top grade among the units one upper unit grades.

Each grassroots union scores itself on its sheet (an :class:`Assessment`, reviewed through the
shared workflow by the unit directly above, who sets the verified scores); the upper unit then
publishes its units' grades together, and the per-branch counters (:class:`GradeCount`) count
the published grades of each branch.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from emulation.models import StoredFile, user_key
from emulation.workflow import Reviewable
from federation.models import Organization


class UnitType(models.TextChoices):
    STATE = "state", _("State agencies and public service units")
    ENTERPRISE = "enterprise", _("Enterprises")


class GroupKind(models.TextChoices):
    REGULAR = "regular", _("Group of criteria")
    BONUS = "bonus", _("Bonus points")
    PENALTY = "penalty", _("Penalty points")


class GradingProfile(models.Model):
    """The type of a grassroots union for grading (which sheet it scores itself on)."""

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="grading_profile",
    )
    unit_type = models.CharField(_("type of grassroots union"), max_length=16, choices=UnitType)

    class Meta:
        verbose_name = _("grading profile")
        verbose_name_plural = _("grading profiles")

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_unit_type_display()}"


class ScoreSheet(models.Model):
    """The score sheet of one year for one type of grassroots union, with its grading period."""

    year = models.PositiveIntegerField(_("year"))
    unit_type = models.CharField(_("type of grassroots union"), max_length=16, choices=UnitType)
    title = models.CharField(_("title"), max_length=255)
    basis = models.CharField(_("basis (guidance)"), max_length=255, blank=True)
    total = models.PositiveIntegerField(_("total points"), default=100)
    opens_on = models.DateField(_("self-assessment opens on"), null=True, blank=True)
    deadline = models.DateField(_("self-assessment deadline"), null=True, blank=True)
    top_grade_cap = models.PositiveSmallIntegerField(
        _("cap on the top grade (% of the units one upper unit grades)"), null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["-year", "unit_type"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit_type"], name="score_sheet_once")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("grading:sheet", args=[self.pk])


class CriterionGroup(models.Model):
    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="groups"
    )
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=8, choices=GroupKind, default=GroupKind.REGULAR)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("group of criteria")
        verbose_name_plural = _("groups of criteria")
        ordering = ["sheet_id", "number", "id"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Criterion(models.Model):
    group = models.ForeignKey(
        CriterionGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="criteria"
    )
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    title = models.CharField(_("criterion"), max_length=500)
    guidance = models.TextField(_("guidance"), blank=True)
    evidence = models.CharField(_("evidence asked"), max_length=500, blank=True)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)
    justification_required = models.BooleanField(_("justification required"), default=False)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["group_id", "number", "id"]

    def __str__(self) -> str:
        return f"{self.group.number}.{self.number} {self.title}"


class Grade(models.Model):
    """A grade and its minimum score; ``rank`` 1 is the top grade."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="grades"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=255)
    min_score = models.DecimalField(_("minimum score"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["sheet_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "rank"], name="grade_rank_once"),
            models.UniqueConstraint(fields=["sheet", "code"], name="grade_code_once"),
        ]

    def __str__(self) -> str:
        return self.name


class KnockOut(models.Model):
    """A condition that caps the grade: a group scored under ``min_share`` % of its maximum
    (``group`` set), or an event the unit declares (no group: e.g. a strike not handled under
    the law), caps the grade at ``caps_at`` whatever the score."""

    sheet = models.ForeignKey(
        ScoreSheet,
        verbose_name=_("score sheet"),
        on_delete=models.CASCADE,
        related_name="knockouts",
    )
    description = models.CharField(_("description"), max_length=500)
    group = models.ForeignKey(
        CriterionGroup,
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="knockouts",
    )
    min_share = models.PositiveSmallIntegerField(_("minimum share of the maximum (%)"), default=50)
    caps_at = models.ForeignKey(
        Grade, verbose_name=_("caps the grade at"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("knock-out condition")
        verbose_name_plural = _("knock-out conditions")
        ordering = ["sheet_id", "id"]

    def __str__(self) -> str:
        return self.description


class Assessment(Reviewable):
    """One grassroots union's grading of one year: its self-scores, the verified scores of the
    unit above, the grade they give, and when the upper unit published it."""

    sheet = models.ForeignKey(
        ScoreSheet,
        verbose_name=_("score sheet"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    self_total = models.DecimalField(
        _("self-assessed score"), max_digits=6, decimal_places=2, default=0
    )
    self_grade = models.ForeignKey(
        Grade,
        verbose_name=_("self-assessed grade"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The events of the knock-outs without a group that the unit declares.
    declared_knockouts = models.ManyToManyField(
        KnockOut, verbose_name=_("events declared"), blank=True, related_name="+"
    )
    verified_total = models.DecimalField(
        _("verified score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    grade = models.ForeignKey(
        Grade,
        verbose_name=_("grade"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = user_key(_("published by"))
    created_by = user_key(_("created by"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("grading of a unit")
        verbose_name_plural = _("gradings of units")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "organization"], name="assessment_once")
        ]
        indexes = [models.Index(fields=["sheet", "status"])]

    def __str__(self) -> str:
        return f"{self.organization} · {self.sheet.year}"

    def get_absolute_url(self) -> str:
        return reverse("grading:assessment", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Score(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("grading"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    self_points = models.DecimalField(
        _("self-assessed points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    justification = models.TextField(_("justification"), blank=True)
    verified_points = models.DecimalField(
        _("verified points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    verifier_comment = models.TextField(_("verifier's comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["assessment_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.self_points}"


def evidence_path(instance, filename: str) -> str:
    # Never the uploaded name: files go out only through a view that checks permission.
    return f"grading/{instance.assessment_id}/{instance.token}{instance.extension}"


class Evidence(StoredFile):
    """A file proving a criterion's score, checked by its content (emulation.uploads)."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("grading"), on_delete=models.CASCADE, related_name="evidence"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["assessment_id", "criterion_id", "id"]

    def __str__(self) -> str:
        return self.original_name


class GradeCount(models.Model):
    """How many units of a branch (the branch itself included) have a published grade of one
    code in one year and type, and the sum of their scores (kept by ``grading.rollups``)."""

    year = models.PositiveIntegerField()
    unit_type = models.CharField(max_length=16, choices=UnitType)
    branch = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    grade = models.SlugField(max_length=32)
    units = models.IntegerField(db_default=0)
    points = models.DecimalField(max_digits=14, decimal_places=2, db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit_type", "branch", "grade"], name="grade_count_key"
            )
        ]
        indexes = [models.Index(fields=["branch", "year"])]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.year} {self.grade}: {self.units}"
