"""The award catalogue, nominations sent up the union tree with their dossiers and
endorsements (see the package's docstring)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Campaign, Phase
from emulation.models import StoredFile, limited_text
from emulation.review import models as review
from emulation.text import LONG_TEXT_LIMIT, SHORT_TEXT_LIMIT, search_key
from emulation.workflow import ReviewStatus
from federation.models import Organization

DEFAULT_THRESHOLD = 70
# The highest individual titles (Chiến sĩ thi đua ...) take 90 % of the council's members: an
# award type marked as one gets 90 % unless its threshold was set to another value than 70 %.
HIGHEST_TITLE_THRESHOLD = 90
# Quorum: two thirds of the members attend or give a written opinion, unless the council says.
DEFAULT_QUORUM = (2, 3)


class AwardCategory(models.TextChoices):
    # The law keeps emulation titles and forms of commendation apart.
    TITLE = "title", _("Emulation title")
    FORM = "form", _("Form of commendation")


class NomineeKind(models.TextChoices):
    COLLECTIVE = "collective", _("Collective")
    INDIVIDUAL = "individual", _("Individual")


class AwardScope(models.TextChoices):
    # The same-level rule: at one granting level in one year, a unit or person is not given both
    # a comprehensive (toàn diện) and a thematic (chuyên đề) award.
    COMPREHENSIVE = "comprehensive", _("Comprehensive (toàn diện)")
    THEMATIC = "thematic", _("Thematic (chuyên đề)")


class AwardType(models.Model):
    """An award of the catalogue kept by administrators: "Bằng khen của Ban Chấp hành LĐLĐ
    tỉnh", "Cờ thi đua", "Đoàn viên công đoàn xuất sắc" ..."""

    name = models.CharField(_("name"), max_length=255)
    certificate_title = models.CharField(
        _("title on the certificate"),
        max_length=100,
        help_text=_("In capitals, as printed: BẰNG KHEN, GIẤY KHEN, GIẤY CHỨNG NHẬN ..."),
    )
    category = models.CharField(_("category"), max_length=8, choices=AwardCategory.choices)
    nominee_kind = models.CharField(_("awarded to"), max_length=12, choices=NomineeKind.choices)
    granting_unit = models.ForeignKey(
        Organization,
        verbose_name=_("granting unit"),
        on_delete=models.PROTECT,
        related_name="award_types",
        help_text=_("The unit whose council reviews the nominations and which signs the decision."),
    )
    criteria = limited_text(limit=LONG_TEXT_LIMIT, verbose_name=_("criteria"), blank=True)
    required_documents = limited_text(
        limit=LONG_TEXT_LIMIT,
        verbose_name=_("required dossier documents"),
        blank=True,
        help_text=_("One document per line, e.g. Tờ trình, Báo cáo thành tích."),
    )
    requires_registration = models.BooleanField(
        _("requires an approved registration"),
        default=False,
        help_text=_("The nominee's unit must hold an approved registration for the campaign."),
    )
    approval_threshold = models.PositiveSmallIntegerField(
        _("approval threshold (per cent of all council members)"),
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Approving votes as a share of the total number of council members, not of the "
            "votes cast (Decree 91/2017, art. 45.8): usually 70, 90 for the highest individual "
            "titles."
        ),
    )
    highest_title = models.BooleanField(
        _("highest individual title"),
        default=False,
        help_text=_(
            "A highest individual title such as “Chiến sĩ thi đua”: its approval threshold is "
            "90 per cent unless set to another value than 70."
        ),
    )
    decision_symbol = models.CharField(_("decision symbol"), max_length=40, default="QĐ-LĐLĐ")
    individual_multiple = models.DecimalField(
        _("reward for a person (× base salary)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    collective_multiple = models.DecimalField(
        _("reward for a collective (× base salary)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    scope = models.CharField(
        _("scope"),
        max_length=16,
        choices=AwardScope.choices,
        default=AwardScope.COMPREHENSIVE,
        help_text=_("For the rule of one award per level and year."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)

    class Meta:
        verbose_name = _("award type")
        verbose_name_plural = _("award types")
        ordering = ["granting_unit__path", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["granting_unit", "name"], name="award_type_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The highest individual titles default to 90 %: the common default of 70 % is raised,
        # any other threshold the administrator chose is kept.
        if self.highest_title and self.approval_threshold == DEFAULT_THRESHOLD:
            self.approval_threshold = HIGHEST_TITLE_THRESHOLD
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "approval_threshold"}
        super().save(*args, **kwargs)

    @property
    def documents(self) -> list[str]:
        """The required dossier documents, one per non-empty line."""
        return [
            " ".join(line.split()) for line in self.required_documents.splitlines() if line.strip()
        ]


class Occasion(models.TextChoices):
    PHASE = "phase", _("Phase review (sơ kết)")
    YEAR_END = "year_end", _("Year-end review (tổng kết)")
    AD_HOC = "ad_hoc", _("Ad-hoc achievement")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class CouncilResult(models.TextChoices):
    NONE = "", _("Not voted yet")
    APPROVED = "approved", _("Approved by the council")
    REJECTED = "rejected", _("Rejected by the council")


class Stage(models.TextChoices):
    """Where a nomination stands, as lists and exports show it (computed, never stored)."""

    DRAFT = "draft", pgettext_lazy("nomination stage", "Draft")
    RETURNED = "returned", pgettext_lazy("nomination stage", "Returned")
    IN_REVIEW = "in_review", pgettext_lazy("nomination stage", "Under review")
    AT_COUNCIL = "at_council", pgettext_lazy("nomination stage", "Awaiting the council")
    APPROVED = "approved", pgettext_lazy("nomination stage", "Approved by the council")
    REJECTED = "rejected", pgettext_lazy("nomination stage", "Rejected by the council")
    AWARDED = "awarded", pgettext_lazy("nomination stage", "Awarded")


class Nomination(review.Prepared):
    """A unit's proposal (đề nghị khen thưởng) of a collective or a person for an award."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="nominations"
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award"), on_delete=models.PROTECT, related_name="nominations"
    )
    nominating_unit = models.ForeignKey(
        Organization,
        verbose_name=_("nominating unit"),
        on_delete=models.PROTECT,
        related_name="nominations_made",
    )
    occasion = models.CharField(_("occasion"), max_length=10, choices=Occasion.choices)
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("phase"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    nominee_kind = models.CharField(_("nominee"), max_length=12, choices=NomineeKind.choices)
    # The collective itself, or the unit the person works in.
    nominee_unit = models.ForeignKey(
        Organization,
        verbose_name=_("unit of the nominee"),
        on_delete=models.PROTECT,
        related_name="nominations_received",
    )
    person_name = models.CharField(_("full name"), max_length=150, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    achievement = limited_text(limit=LONG_TEXT_LIMIT, verbose_name=_("summary of achievements"))
    # The unit that holds the nomination now: the nominating unit while it prepares it, then
    # each unit above in turn, up to the granting unit.
    current_level = models.ForeignKey(
        Organization,
        verbose_name=_("now at"),
        on_delete=models.PROTECT,
        related_name="nominations_held",
    )
    # How many times it was submitted: a unit endorses once per submission.
    submission_round = models.PositiveSmallIntegerField(_("submission"), default=0)
    council_result = models.CharField(
        _("council's result"),
        max_length=10,
        choices=CouncilResult.choices,
        default=CouncilResult.NONE,
        blank=True,
    )
    decision = models.ForeignKey(
        "Decision",
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    # The nominee's name and unit without accents, for the award history's search.
    search_key = models.CharField(max_length=500, blank=True, editable=False)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["current_level", "status"]),
        ]
        constraints = [
            # One nomination per collective, award and campaign...
            models.UniqueConstraint(
                fields=["campaign", "award_type", "nominee_unit"],
                condition=Q(nominee_kind="collective"),
                name="nomination_one_per_collective",
            ),
            # ... and per person (the same name in the same unit), award and campaign.
            models.UniqueConstraint(
                fields=["campaign", "award_type", "nominee_unit", "search_key"],
                condition=Q(nominee_kind="individual"),
                name="nomination_one_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nominee_name} - {self.award_type}"

    def save(self, *args, **kwargs):
        self.search_key = nominee_search_key(self.person_name, self.nominee_unit)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("awards:nomination-detail", kwargs={"pk": self.pk})

    @property
    def is_individual(self) -> bool:
        return self.nominee_kind == NomineeKind.INDIVIDUAL

    @property
    def nominee_name(self) -> str:
        return self.person_name if self.is_individual else self.nominee_unit.name

    @property
    def is_editable(self) -> bool:
        return self.status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED) and (
            self.council_result != CouncilResult.REJECTED
        )

    @property
    def at_granting_level(self) -> bool:
        return self.current_level_id == self.award_type.granting_unit_id

    @property
    def stage(self) -> str:
        if self.decision_id:
            return Stage.AWARDED
        if self.council_result == CouncilResult.APPROVED:
            return Stage.APPROVED
        if self.council_result == CouncilResult.REJECTED:
            return Stage.REJECTED
        if self.status == ReviewStatus.SUBMITTED:
            return Stage.AT_COUNCIL if self.at_granting_level else Stage.IN_REVIEW
        if self.status == ReviewStatus.RETURNED:
            return Stage.RETURNED
        return Stage.DRAFT

    def get_stage_display(self) -> str:
        return Stage(self.stage).label


def nominee_search_key(person_name: str, unit: Organization | None) -> str:
    unit_name = unit.name if unit is not None else ""
    return search_key(f"{person_name} | {unit_name}")[:500]


def dossier_path(instance, filename: str) -> str:
    # The stored name is never the uploaded one: the view serves files under their own name.
    return f"awards/dossiers/{instance.nomination_id}/{instance.token}{instance.extension}"


class DossierFile(StoredFile):
    """A file of a nomination's dossier (tờ trình, báo cáo thành tích, biên bản ...)."""

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="files"
    )
    document = models.CharField(_("document"), max_length=200)
    file = models.FileField(_("file"), upload_to=dossier_path, max_length=300)

    class Meta:
        verbose_name = _("dossier file")
        verbose_name_plural = _("dossier files")
        ordering = ["nomination_id", "id"]

    def __str__(self) -> str:
        return f"{self.document}: {self.original_name}"


class Endorsement(models.Model):
    """A unit on the way up forwarded the nomination to the unit above it."""

    nomination = models.ForeignKey(
        Nomination,
        verbose_name=_("nomination"),
        on_delete=models.CASCADE,
        related_name="endorsements",
    )
    level = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    forwarded_to = models.ForeignKey(
        Organization, verbose_name=_("forwarded to"), on_delete=models.PROTECT, related_name="+"
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    comment = limited_text(limit=SHORT_TEXT_LIMIT, verbose_name=_("comment"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["nomination_id", "at", "id"]
        constraints = [
            # A unit forwards a nomination once per submission round.
            models.UniqueConstraint(
                fields=["nomination", "level", "round"], name="endorsement_once_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level} → {self.forwarded_to}"
