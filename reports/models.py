"""A unit's report on a phase (báo cáo sơ kết, tổng kết): what it did under each theme it
registered, the achieved value of each registered target, the campaign's common indicators, a
general assessment and attached files. The unit above reviews it through the shared workflow
(``emulation/workflow.py``); the receiving department of the issuing unit marks the reports that
reach it as received before accepting or returning them.

Each unit reports its *own* results: the figures of the units below it are added up by the
roll-ups (over the tree path), so nothing is counted twice.

What was registered is copied into the report (theme commitment, target name, unit of measure
and value) when the report is saved: a registration reopened later changes neither the report
nor the roll-ups of phases already reported.
"""

import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Campaign, Phase, Theme
from emulation.models import StoredFile, limited_text, user_key
from emulation.review import models as review
from emulation.text import LONG_TEXT_LIMIT
from federation.models import Organization

# What the pages show for a unit that has no report on a phase yet.
NOT_REPORTED = "none"
NOT_REPORTED_LABEL = pgettext_lazy("review status", "Not reported")

VALUE_DIGITS = 18
VALUE_DECIMALS = 2
MAX_ATTACHMENTS = 10


class Indicator(models.Model):
    """A figure every unit reports in every phase of a campaign, with its unit of measure:
    "Sáng kiến, cải tiến kỹ thuật (sáng kiến)", "Giá trị làm lợi (đồng)"."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="report_indicators",
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit of measure"), max_length=50)
    whole_numbers = models.BooleanField(
        _("whole numbers only"),
        default=True,
        help_text=_("Counts of people, initiatives or works, and amounts in đồng, are whole."),
    )

    class Meta:
        verbose_name = _("report indicator")
        verbose_name_plural = _("report indicators")
        ordering = ["campaign_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="indicator_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})" if self.unit else self.name


class ReportingWindow(models.Model):
    """The day reporting on a phase opens, when the issuing unit wants it later than the
    phase's first day (the default)."""

    phase = models.OneToOneField(
        Phase, verbose_name=_("phase"), on_delete=models.CASCADE, related_name="reporting"
    )
    opens_on = models.DateField(_("reporting opens on"))

    class Meta:
        verbose_name = _("reporting window")
        verbose_name_plural = _("reporting windows")

    def __str__(self) -> str:
        return f"{self.phase}: {self.opens_on:%d/%m/%Y}"


class PhaseReport(review.Prepared):
    """One unit's report on one phase of a campaign."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="phase_reports"
    )
    phase = models.ForeignKey(
        Phase, verbose_name=_("phase"), on_delete=models.PROTECT, related_name="reports"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="phase_reports",
    )
    narrative = limited_text(
        limit=LONG_TEXT_LIMIT, verbose_name=_("general assessment"), blank=True
    )
    # The receiving department's mark: the report reached it (before it is accepted or
    # returned). Cleared when the report is sent again.
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = user_key(_("received by"))

    class Meta(review.Prepared.Meta):
        verbose_name = _("phase report")
        verbose_name_plural = _("phase reports")
        constraints = [
            models.UniqueConstraint(fields=["phase", "organization"], name="phase_report_once")
        ]
        indexes = [models.Index(fields=["campaign", "phase", "status"])]

    def __str__(self) -> str:
        return f"{self.organization} - {self.phase} {self.campaign.year}"

    def get_absolute_url(self) -> str:
        return reverse("reports:unit", args=[self.campaign_id, self.phase_id, self.organization_id])


class ThemeResult(models.Model):
    """What the unit did under one theme it registered."""

    report = models.ForeignKey(
        PhaseReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="themes"
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="report_results"
    )
    commitment = models.TextField(_("commitment as registered"), blank=True)
    done = limited_text(limit=LONG_TEXT_LIMIT, verbose_name=_("what was done"), blank=True)

    class Meta:
        verbose_name = _("theme result")
        verbose_name_plural = _("theme results")
        ordering = ["report_id", "theme_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "theme"], name="theme_result_once")
        ]

    def __str__(self) -> str:
        return str(self.theme)


class TargetResult(models.Model):
    """A registered target (copied as it was registered) and the value achieved."""

    theme_result = models.ForeignKey(
        ThemeResult,
        verbose_name=_("theme result"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)
    name = models.CharField(_("target"), max_length=200)
    unit = models.CharField(_("unit of measure"), max_length=50, blank=True)
    # registrations.models.target_key: what makes alike targets of several units add up.
    key = models.CharField(max_length=250, db_index=True)
    target = models.DecimalField(
        _("registered value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_DECIMALS
    )
    achieved = models.DecimalField(
        _("achieved value"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_DECIMALS,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("target result")
        verbose_name_plural = _("target results")
        ordering = ["theme_result_id", "position", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.achieved}/{self.target} {self.unit}".strip()


class IndicatorValue(models.Model):
    report = models.ForeignKey(
        PhaseReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="indicator_values",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    value = models.DecimalField(_("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_DECIMALS)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["report_id", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="indicator_value_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


def attachment_path(instance, filename: str) -> str:
    # Never the uploaded name: files go out only through a view that checks permission.
    return f"reports/{instance.report_id}/{instance.token}{instance.extension}"


class Attachment(StoredFile):
    """A file sent with a report (minutes, photos, tables), checked by its content."""

    report = models.ForeignKey(
        PhaseReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["report_id", "id"]

    def __str__(self) -> str:
        return self.original_name


class ReportExtension(review.DeadlineExtension):
    """A later report deadline for one unit on one phase, granted by its reviewer."""

    phase = review.scope_key(Phase, _("phase"))
    organization = review.unit_key("report_extensions")

    class Meta(review.DeadlineExtension.Meta):
        verbose_name = _("report deadline extension")
        verbose_name_plural = _("report deadline extensions")
        constraints = [
            models.UniqueConstraint(fields=["phase", "organization"], name="report_extension_once")
        ]


def opening_day(phase: Phase, window: ReportingWindow | None = None) -> dt.date:
    """The first day a unit may report on ``phase``."""
    if window is not None and window.opens_on:
        return window.opens_on
    return phase.start


def effective_deadline(phase: Phase, extended_until: dt.date | None) -> dt.date | None:
    return review.effective_deadline(phase.report_deadline, extended_until)


# ---------------------------------------------------------------------------------------------
# Counters per branch (reports.rollups): for every unit, the totals of the reports of its whole
# subtree (itself included), kept by the services so that a dashboard reads the rows of a
# unit's children instead of grouping its subtree. ``kind`` is the kind of the counted unit and
# ``status`` the report's; indicators, themes and targets are counted for sent reports only
# (submitted or approved: what the dashboard's scope chooses from). Each table's unique key
# starts with the branch, so that reading the rows of a unit and of its children walks it.


class BranchCounter(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="+")
    branch = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)
    status = models.CharField(max_length=16)

    class Meta:
        abstract = True


class BranchReportCount(BranchCounter):
    """How many units of the branch have a report in each status."""

    units = models.IntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "campaign", "phase", "kind", "status"],
                name="branch_report_count_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.kind} {self.status}: {self.units}"


class BranchIndicatorSum(BranchCounter):
    """The sum of an indicator over the sent reports of the branch, and how many values."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    total = models.DecimalField(max_digits=28, decimal_places=VALUE_DECIMALS, db_default=0)
    values = models.IntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "campaign", "phase", "kind", "status", "indicator"],
                name="branch_indicator_sum_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.indicator_id}: {self.total}"


class BranchThemeCount(BranchCounter):
    """How many sent reports of the branch speak of a theme."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    reports = models.IntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "campaign", "phase", "kind", "status", "theme"],
                name="branch_theme_count_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.theme_id}: {self.reports}"


class BranchTargetSum(BranchCounter):
    """Alike targets (``key``) of the sent reports of the branch, per name and unit of measure
    as typed (the dashboard shows the first name): registered and achieved values summed, with
    the counts their averages need."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=250)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=50)
    reports = models.IntegerField(db_default=0)
    targets = models.IntegerField(db_default=0)
    target_total = models.DecimalField(max_digits=28, decimal_places=VALUE_DECIMALS, db_default=0)
    achieved_total = models.DecimalField(max_digits=28, decimal_places=VALUE_DECIMALS, db_default=0)
    achieved_count = models.IntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "branch",
                    "campaign",
                    "phase",
                    "kind",
                    "status",
                    "theme",
                    "key",
                    "name",
                    "unit",
                ],
                name="branch_target_sum_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.key}: {self.achieved_total}/{self.target_total}"
