"""Commendation (khen thưởng): the catalogue of awards, nominations sent up the union tree, the
council's secret ballot, award decisions and their certificates, advanced models published for
the public, and the plaques given to registered key works.

A nomination goes through the shared review workflow (``emulation/workflow.py``): it is prepared
as a draft by the nominating unit, submitted to the unit above, endorsed (forwarded) level by
level until it stands at the unit that grants the award, where the council votes on it. The
workflow's states say where it is in the hands of people (draft, submitted, returned, approved);
``current_level`` says which unit holds it and ``council_result`` what the council decided.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Campaign, Phase
from emulation.models import limited_text
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


class DossierFile(models.Model):
    """A file of a nomination's dossier (tờ trình, báo cáo thành tích, biên bản ...)."""

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="files"
    )
    document = models.CharField(_("document"), max_length=200)
    file = models.FileField(_("file"), upload_to=dossier_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(_("size"))
    token = models.CharField(max_length=32, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

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


class Council(models.Model):
    """The emulation and commendation council of a granting unit for one term, with its members
    and its quorum."""

    granting_unit = models.ForeignKey(
        Organization,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="councils",
    )
    name = models.CharField(_("name"), max_length=255)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    quorum_numerator = models.PositiveSmallIntegerField(
        _("quorum: members (numerator)"), default=DEFAULT_QUORUM[0]
    )
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quorum: out of (denominator)"),
        default=DEFAULT_QUORUM[1],
        validators=[MinValueValidator(1)],
        help_text=_(
            "The session decides only when this share of the members attend or give a written "
            "opinion: 2 out of 3 by default."
        ),
    )

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["granting_unit__path", "-term_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_denominator__gte=1)
                & Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="council_quorum_is_a_share",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    """A person on the council for its term (chủ tịch, phó chủ tịch, ủy viên, ủy viên thư ký)."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="council_seats",
    )
    position = models.CharField(_("position on the council"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["council_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="council_member_once")
        ]

    def __str__(self) -> str:
        return str(self.user)


class SessionStatus(models.TextChoices):
    OPEN = "open", _("Open for voting")
    CLOSED = "closed", _("Closed")


class CouncilSession(models.Model):
    """A meeting of the emulation and commendation council of the granting unit, with the
    nominations it votes on."""

    granting_unit = models.ForeignKey(
        Organization,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="council_sessions",
    )
    title = models.CharField(pgettext_lazy("council session", "title"), max_length=255)
    meeting_date = models.DateField(_("meeting date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    member_count = models.PositiveSmallIntegerField(_("council members"), default=0)
    council = models.ForeignKey(
        Council,
        verbose_name=_("council"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    quorum_numerator = models.PositiveSmallIntegerField(default=DEFAULT_QUORUM[0])
    quorum_denominator = models.PositiveSmallIntegerField(default=DEFAULT_QUORUM[1])
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("council session")
        verbose_name_plural = _("council sessions")
        ordering = ["-meeting_date", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("awards:session-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == SessionStatus.OPEN

    @property
    def quorum_needed(self) -> int:
        """The members who must attend or give a written opinion (rounded up)."""
        return -(-self.member_count * self.quorum_numerator // self.quorum_denominator)


class SessionMember(models.Model):
    """A council member as the session counts them: the whole membership when the session
    opened, who attended, and (through the votes marked written) who gave a written opinion."""

    session = models.ForeignKey(
        CouncilSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position on the council"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)
    attended = models.BooleanField(_("attended"), default=False)
    written_opinion = models.BooleanField(_("gave a written opinion"), default=False)

    class Meta:
        verbose_name = _("session member")
        verbose_name_plural = _("session members")
        ordering = ["session_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="session_member_once"),
            models.CheckConstraint(
                condition=~(Q(attended=True) & Q(written_opinion=True)),
                name="session_member_attended_or_written",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def counts_for_quorum(self) -> bool:
        return self.attended or self.written_opinion


class SessionItem(models.Model):
    """A nomination on a session's agenda, with the counts of its ballot once closed."""

    session = models.ForeignKey(
        CouncilSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="items"
    )
    nomination = models.ForeignKey(
        Nomination,
        verbose_name=_("nomination"),
        on_delete=models.PROTECT,
        related_name="session_items",
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)
    approve_count = models.PositiveSmallIntegerField(_("approve"), default=0)
    reject_count = models.PositiveSmallIntegerField(_("reject"), default=0)
    abstain_count = models.PositiveSmallIntegerField(_("abstain"), default=0)
    threshold = models.PositiveSmallIntegerField(_("threshold (%)"), default=DEFAULT_THRESHOLD)
    result = models.CharField(
        _("result"), max_length=10, choices=CouncilResult.choices, default="", blank=True
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "nomination"], name="session_item_once")
        ]

    def __str__(self) -> str:
        return str(self.nomination)

    @property
    def cast(self) -> int:
        return self.approve_count + self.reject_count + self.abstain_count

    def percent_of_members(self, count: int) -> float | None:
        members = self.session.member_count
        return round(100 * count / members, 1) if members else None

    @property
    def approve_percent(self) -> float | None:
        """Approving votes as a share of all the council's members (Decree 91/2017, 45.8)."""
        return self.percent_of_members(self.approve_count)

    @property
    def reject_percent(self) -> float | None:
        return self.percent_of_members(self.reject_count)

    @property
    def abstain_percent(self) -> float | None:
        return self.percent_of_members(self.abstain_count)


class VoteChoice(models.TextChoices):
    APPROVE = "approve", pgettext_lazy("vote", "Approve")
    REJECT = "reject", pgettext_lazy("vote", "Reject")
    ABSTAIN = "abstain", pgettext_lazy("vote", "Abstain")


class Vote(models.Model):
    """One council member's ballot on one agenda item. Secret: pages show only counts, and a
    member's own ballots to that member."""

    item = models.ForeignKey(
        SessionItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="votes"
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    choice = models.CharField(_("vote"), max_length=8, choices=VoteChoice.choices)
    # An absent member's written opinion, entered by the secretary as that member's ballot.
    written = models.BooleanField(_("written opinion"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["item", "voter"], name="vote_once")]

    def __str__(self) -> str:
        return f"#{self.pk}"


class Decision(models.Model):
    """An award decision (quyết định khen thưởng) over nominations the council approved."""

    issuer = models.ForeignKey(
        Organization, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="decisions"
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award"), on_delete=models.PROTECT, related_name="decisions"
    )
    number = models.PositiveIntegerField(_("number"))
    symbol = models.CharField(_("symbol"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    date = models.DateField(_("date"))
    place = models.CharField(_("place of issue"), max_length=100, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    grounds = limited_text(
        limit=LONG_TEXT_LIMIT,
        verbose_name=_("grounds (Căn cứ)"),
        blank=True,
        help_text=_("One ground per line."),
    )
    signing_authority = models.CharField(_("signing authority"), max_length=100, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=100)
    distribution = limited_text(
        limit=SHORT_TEXT_LIMIT, verbose_name=_("recipients (Nơi nhận)"), blank=True
    )
    session = models.ForeignKey(
        CouncilSession,
        verbose_name=_("council session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-date", "-number"]
        constraints = [
            # Numbered per issuer, symbol and year: 12/QĐ-LĐLĐ of 2026 is one decision, and
            # 12/QĐ-LĐLĐ of 2027 or 12/QĐ-BTV of 2026 another.
            models.UniqueConstraint(
                fields=["issuer", "symbol", "year", "number"],
                name="decision_unique_number_per_symbol",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_number} ({self.date:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        self.year = self.date.year
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("awards:decision-detail", kwargs={"pk": self.pk})

    @property
    def document_number(self) -> str:
        return f"{self.number:02d}/{self.symbol}"


class ModelStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def photo_path(instance, filename: str) -> str:
    return f"awards/models/{instance.token}{instance.photo_extension}"


class ExemplaryModel(models.Model):
    """An advanced model (điển hình tiên tiến, gương người tốt việc tốt) proposed by a unit and,
    once provincial staff publish it, shown on the public page and in the Atom feed."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("proposing unit"),
        on_delete=models.PROTECT,
        related_name="exemplary_models",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exemplary_models",
    )
    title = models.CharField(_("title"), max_length=255)
    subject = models.CharField(
        _("person or collective"), max_length=255, help_text=_("Whose story it is.")
    )
    story = limited_text(limit=LONG_TEXT_LIMIT, verbose_name=_("story"))
    photo = models.FileField(_("photo"), upload_to=photo_path, blank=True, max_length=300)
    photo_extension = models.CharField(max_length=8, blank=True)
    photo_content_type = models.CharField(max_length=100, blank=True)
    token = models.CharField(max_length=32, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ModelStatus.choices, default=ModelStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("advanced model")
        verbose_name_plural = _("advanced models")
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("awards:model-detail", kwargs={"pk": self.pk})

    def get_public_url(self) -> str:
        return reverse("awards:gallery-detail", kwargs={"model_id": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == ModelStatus.PUBLISHED


class Plaque(models.Model):
    """A commemorative plaque the provincial federation decided to attach to a key work a unit
    registered (công trình, sản phẩm gắn biển chào mừng Đại hội Công đoàn các cấp)."""

    key_work = models.OneToOneField(
        "registrations.KeyWork",
        verbose_name=_("work or product"),
        on_delete=models.PROTECT,
        related_name="plaque",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    attached_on = models.DateField(_("attached on"), null=True, blank=True)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attachment recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("plaque")
        verbose_name_plural = _("plaques")
        ordering = ["-granted_at", "-id"]

    def __str__(self) -> str:
        return str(self.key_work)


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


class InitiativeFile(models.Model):
    """A document of an initiative: the recognition decision, the description, the benefit's
    calculation."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="files"
    )
    document = models.CharField(_("document"), max_length=200)
    file = models.FileField(_("file"), upload_to=initiative_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(_("size"))
    token = models.CharField(max_length=32, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

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
