"""The council (its members and sessions, secret ballots) and the award decisions."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from awards.models.core import (
    DEFAULT_QUORUM,
    DEFAULT_THRESHOLD,
    AwardType,
    CouncilResult,
    Nomination,
)
from emulation.models import limited_text
from emulation.text import LONG_TEXT_LIMIT, SHORT_TEXT_LIMIT
from federation.models import Organization


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
