"""The campaign plan: a campaign with its themes, dated phases and commemorative milestones, and
the catalogue of commemorative days the milestones are chosen from.

The dates and the arithmetic of the plan (anniversaries, which phase a day falls in, round
anniversaries) live in ``campaigns/dates.py`` as plain functions; the rules that keep the plan
consistent live in ``campaigns/services/``.
"""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns import dates
from emulation.models import limited_text
from emulation.text import LONG_TEXT_LIMIT, SHORT_TEXT_LIMIT
from federation.models import Department, Organization

# The bounds of what a plan holds: the years of campaigns, the themes a unit must register
# (a plan has a handful), the day and month of a commemorative day.
YEAR_MIN, YEAR_MAX = 2000, 2100
MAX_THEMES = 50
DAY_OF_MONTH = [MinValueValidator(1), MaxValueValidator(31)]
MONTH = [MinValueValidator(1), MaxValueValidator(12)]


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Campaign(models.Model):
    """An emulation campaign (phong trào thi đua) as its plan (kế hoạch) states it."""

    issuer = models.ForeignKey(
        Organization,
        verbose_name=_("issuing unit"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    title = models.CharField(pgettext_lazy("campaign", "title"), max_length=500)
    slug = models.SlugField(_("short name for links"), max_length=80)
    status = models.CharField(
        _("status"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )

    # The document: "Số: 13/KH-LĐLĐ", "Ninh Bình, ngày 23 tháng 02 năm 2017".
    number = models.PositiveIntegerField(
        _("document number"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    symbol = models.CharField(_("document symbol"), max_length=40, default="KH-LĐLĐ")
    place = models.CharField(_("place of issue"), max_length=100, blank=True)
    issue_date = models.DateField(_("date of issue"), null=True, blank=True)
    header_parent = models.CharField(
        _("parent body in the header"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to use the short name of the unit above the issuer."),
    )
    header_issuer = models.CharField(
        _("issuer in the header"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to use the name of the issuing unit."),
    )
    implements = models.CharField(
        _("higher document it implements"),
        max_length=500,
        blank=True,
        help_text=_("For example: Kế hoạch số 02/KH-TLĐ ngày 10/02/2017 của Đoàn Chủ tịch…"),
    )
    preamble = limited_text(
        limit=LONG_TEXT_LIMIT,
        verbose_name=_("opening paragraphs"),
        blank=True,
        help_text=_("The paragraphs before section I. Leave a blank line between paragraphs."),
    )
    purposes = limited_text(
        limit=LONG_TEXT_LIMIT,
        verbose_name=_("I. Purposes and requirements"),
        blank=True,
        help_text=_("One item per paragraph; the plan numbers them."),
    )
    organisation = limited_text(
        limit=LONG_TEXT_LIMIT,
        verbose_name=_("III. Organisation of implementation"),
        blank=True,
        help_text=_(
            "One item per paragraph; the plan numbers them, and the phases follow as the next item."
        ),
    )
    closing = limited_text(
        limit=LONG_TEXT_LIMIT,
        verbose_name=_("closing paragraphs"),
        blank=True,
        help_text=_("The paragraphs after the phases, before the list of recipients."),
    )
    distribution = limited_text(
        limit=SHORT_TEXT_LIMIT,
        verbose_name=_("recipients (Nơi nhận)"),
        blank=True,
        help_text=_("One recipient per line; end with the filing line, e.g. Lưu: VT, Ban CSPL."),
    )
    signing_authority = models.CharField(
        _("signing authority"),
        max_length=100,
        blank=True,
        help_text=_("For example: TM. BAN THƯỜNG VỤ"),
    )
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)

    # What the units must do, and where it goes.
    min_themes = models.PositiveSmallIntegerField(
        _("minimum number of themes to register"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_THEMES)],
    )
    registration_deadline = models.DateField(_("registration deadline"), null=True, blank=True)
    receiving_department = models.ForeignKey(
        Department,
        verbose_name=_("receiving department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
        help_text=_("The department of the issuing unit that receives registrations and reports."),
    )
    deadline_note = models.CharField(
        _("note on the deadlines"),
        max_length=300,
        blank=True,
        help_text=_("Shown next to the deadlines, e.g. when they are not in the plan itself."),
    )

    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Counted up by :meth:`figures_changed` in the transaction of every change to what the
    # campaign's dashboards show (the counters of its registrations and reports, its plan, its
    # indicators and reporting dates, the extensions of its deadlines): the dashboards' cached
    # bodies are kept under it, so a change is seen by the next reader in every process.
    figures_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "issuer__path", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "number"],
                condition=Q(number__isnull=False),
                name="campaign_unique_number",
            ),
            models.UniqueConstraint(fields=["issuer", "slug"], name="campaign_unique_slug"),
        ]
        indexes = [models.Index(fields=["status", "year"])]

    def __str__(self) -> str:
        number = self.document_number or _("Draft plan")
        return f"{number} ({self.year}): {self.title}"

    def save(self, *args, **kwargs):
        """A campaign read earlier and saved whole never writes back the
        :attr:`figures_version` it was read with: only :meth:`figures_changed` moves it, so it
        never goes back to a version whose cached figures are older than the data."""
        if (
            self.pk is not None
            and not self._state.adding
            and not args
            and not kwargs.get("force_insert")
            and kwargs.get("update_fields") is None
        ):
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "figures_version"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", kwargs={"pk": self.pk})

    @staticmethod
    def figures_changed(campaigns) -> None:
        """Count up the :attr:`figures_version` of ``campaigns`` (ids, or a queryset of
        campaigns): one UPDATE, to call in the transaction of the change, which it commits or
        rolls back with (the row stays locked until then, so two changes never share a
        version)."""
        if not isinstance(campaigns, models.QuerySet):
            campaigns = {pk for pk in campaigns if pk is not None}
            if not campaigns:
                return
        Campaign.objects.filter(pk__in=campaigns).update(figures_version=F("figures_version") + 1)

    @property
    def is_draft(self) -> bool:
        return self.status == CampaignStatus.DRAFT

    @property
    def is_active(self) -> bool:
        return self.status == CampaignStatus.ACTIVE

    @property
    def is_closed(self) -> bool:
        return self.status == CampaignStatus.CLOSED

    @property
    def document_number(self) -> str:
        """ "13/KH-LĐLĐ"; numbers below 10 take a leading zero (Decree 30)."""
        if self.number is None:
            return ""
        return f"{self.number:02d}/{self.symbol}"

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def year_end(self) -> dt.date:
        return dt.date(self.year, 12, 31)


class Theme(models.Model):
    """One emulation content (nội dung thi đua) of the plan, numbered in its order."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="themes"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(
        _("short title"),
        max_length=200,
        help_text=_("A few words that name the theme in lists and registrations."),
    )
    text = limited_text(
        limit=LONG_TEXT_LIMIT,
        verbose_name=_("full text"),
        help_text=_("The text as the plan states it."),
    )

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["campaign_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="theme_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Phase(models.Model):
    """A dated phase (đợt thi đua); its report deadline is for the review that closes it: an
    interim review (sơ kết) after every phase but the last, the final review (tổng kết) after the
    last one."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="phases"
    )
    name = models.CharField(_("name"), max_length=100)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    report_deadline = models.DateField(_("report deadline"), null=True, blank=True)
    goal = limited_text(
        limit=SHORT_TEXT_LIMIT,
        verbose_name=_("aim of the phase"),
        blank=True,
        help_text=_(
            "The words before the list of milestones, e.g. “Thi đua lập thành tích chào mừng”."
        ),
    )
    conclusion = limited_text(
        limit=SHORT_TEXT_LIMIT,
        verbose_name=_("words after the milestones"),
        blank=True,
        help_text=_("Optional; ends the paragraph of the phase in the plan."),
    )

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["campaign_id", "start"]

    def __str__(self) -> str:
        return self.name


class HolidayQuerySet(models.QuerySet):
    def for_issuer(self, issuer: Organization):
        """National days, and the days of a unit whose branch holds the issuer."""
        step = issuer.steplen
        prefixes = [issuer.path[:i] for i in range(step, len(issuer.path) + 1, step)]
        return self.filter(Q(scope_unit__isnull=True) | Q(scope_unit__path__in=prefixes))

    def visible_to(self, user):
        """The catalogue a person sees: national days and those of the units they may see."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            Q(scope_unit__isnull=True)
            | Q(scope_unit__in=Organization.objects.visible_to(user).values("pk"))
        )


class Holiday(models.Model):
    """A commemorative day (ngày lễ, ngày kỷ niệm) of the catalogue kept by administrators; it may
    span a period (Tháng Công nhân: the whole of May) and belong to one unit's branch only
    (the re-establishment of Ninh Bình province)."""

    name = models.CharField(
        _("name"),
        max_length=255,
        help_text=_(
            "As the plan writes it after “kỷ niệm N năm”, e.g. “Ngày thành lập Công đoàn Việt Nam”."
        ),
    )
    day = models.PositiveSmallIntegerField(_("day"), validators=DAY_OF_MONTH)
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH)
    origin_year = models.PositiveSmallIntegerField(
        _("year of the event"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1000), MaxValueValidator(YEAR_MAX)],
        help_text=_("The anniversary is counted from it. Leave empty for a day without one."),
    )
    end_day = models.PositiveSmallIntegerField(
        _("last day"), null=True, blank=True, validators=DAY_OF_MONTH
    )
    end_month = models.PositiveSmallIntegerField(
        _("month of the last day"), null=True, blank=True, validators=MONTH
    )
    scope_unit = models.ForeignKey(
        Organization,
        verbose_name=_("only for the branch of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="holidays",
        help_text=_("Empty: a national day, proposed to every campaign."),
    )
    wording = models.CharField(
        _("wording in the plan"),
        max_length=300,
        blank=True,
        help_text=_(
            "Optional. How the plan words it; {n} is the anniversary, {origin} the first date, "
            "{date} the date in the campaign year and {end} the last day of a period."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HolidayQuerySet.as_manager()

    class Meta:
        verbose_name = _("commemorative day")
        verbose_name_plural = _("commemorative days")
        ordering = ["month", "day", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "day", "month"],
                condition=Q(scope_unit__isnull=True),
                name="holiday_unique_national",
            ),
            models.UniqueConstraint(
                fields=["name", "day", "month", "scope_unit"], name="holiday_unique_in_scope"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:02d}/{self.month:02d} {self.name}"

    @property
    def is_period(self) -> bool:
        return self.end_day is not None and self.end_month is not None

    def date_in(self, year: int) -> dt.date:
        """The day in ``year``; ``ValueError`` when it does not exist (29/02)."""
        return dates.date_in_year(year, self.month, self.day)

    def end_in(self, year: int) -> dt.date | None:
        if not self.is_period:
            return None
        return dates.date_in_year(year, self.end_month, self.end_day)

    def anniversary_in(self, year: int) -> int | None:
        return dates.anniversary(year, self.origin_year)


class Milestone(models.Model):
    """A commemorative day chosen for a campaign: its date in the campaign year, its anniversary
    and the phase it falls in, computed when it is chosen and again when the phases change."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="milestones"
    )
    holiday = models.ForeignKey(
        Holiday,
        verbose_name=_("commemorative day"),
        on_delete=models.PROTECT,
        related_name="milestones",
    )
    date = models.DateField(_("date"))
    end_date = models.DateField(_("last day"), null=True, blank=True)
    anniversary = models.PositiveSmallIntegerField(_("anniversary"), null=True, blank=True)
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("phase"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["campaign_id", "date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "holiday"], name="milestone_unique_holiday")
        ]

    def __str__(self) -> str:
        return self.wording

    @property
    def is_round(self) -> bool:
        return dates.is_round(self.anniversary)

    @property
    def wording(self) -> str:
        """The milestone as the plan words it, e.g. "kỷ niệm 87 năm Ngày thành lập Đảng Cộng sản
        Việt Nam (03/02/1930 - 03/02/2017)"."""
        return dates.milestone_wording(
            name=self.holiday.name,
            template=self.holiday.wording,
            day=self.date,
            end=self.end_date,
            origin_year=self.holiday.origin_year if self.anniversary else None,
            anniversary=self.anniversary,
        )


class CalendarToken(models.Model):
    """The secret in a person's calendar address, so a phone calendar can fetch the feed
    without a session. Resetting it makes the old address stop working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="campaign_calendar_token",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self) -> str:
        return str(self.user)
