"""A unit's registration (đăng ký thi đua) for a campaign: the themes it chooses, with its own
commitment and measurable targets under each, and the works or products it proposes to bear a
commemorative plaque. The unit above reviews it through the shared workflow
(``emulation/workflow.py``); an approved registration can be reopened, and each revision closed
that way is kept, frozen, in ``RegistrationRevision``.
"""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Campaign, Theme
from emulation.models import limited_text, user_key
from emulation.review import models as review
from emulation.text import SHORT_TEXT_LIMIT, search_key
from federation.models import Organization

# What the pages show for a unit that has no registration yet.
NOT_REGISTERED = "none"
NOT_REGISTERED_LABEL = pgettext_lazy("review status", "Not registered")

VALUE_DIGITS = 16
VALUE_DECIMALS = 2


class Registration(review.Prepared):
    """One unit's registration for one campaign."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )

    class Meta(review.Prepared.Meta):
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"], name="registration_one_per_unit"
            )
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return f"{self.organization} - {self.campaign.year}"


class RegisteredTheme(models.Model):
    """A theme of the campaign chosen by the unit, with what the unit commits to under it."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="themes",
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="registrations"
    )
    commitment = limited_text(limit=SHORT_TEXT_LIMIT, verbose_name=_("commitment"), blank=True)

    class Meta:
        verbose_name = _("registered theme")
        verbose_name_plural = _("registered themes")
        ordering = ["registration_id", "theme_id"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "theme"], name="registered_theme_once")
        ]

    def __str__(self) -> str:
        return str(self.theme)


def target_key(name: str, unit: str) -> str:
    """What makes two units' targets the same target when they are summed: the name and the
    unit of measure, accents, case and spacing ignored."""
    return f"{search_key(name)}|{search_key(unit)}"[:250]


class Target(models.Model):
    """A measurable target (chỉ tiêu) under a chosen theme: "sáng kiến, cải tiến kỹ thuật: 5"."""

    registered_theme = models.ForeignKey(
        RegisteredTheme,
        verbose_name=_("registered theme"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)
    name = models.CharField(_("target"), max_length=200)
    unit = models.CharField(_("unit of measure"), max_length=50, blank=True)
    value = models.DecimalField(
        _("target value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_DECIMALS
    )
    # The name and unit folded, so that the consolidation sums alike targets in the database.
    key = models.CharField(max_length=250, editable=False, db_index=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["registered_theme_id", "position", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.value} {self.unit}".strip()

    def save(self, *args, **kwargs):
        self.key = target_key(self.name, self.unit)
        super().save(*args, **kwargs)


class KeyWork(models.Model):
    """A work or product the unit registers to bear a commemorative plaque (công trình, sản phẩm
    gắn biển)."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="key_works",
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)
    name = models.CharField(_("name"), max_length=300)
    description = limited_text(limit=SHORT_TEXT_LIMIT, verbose_name=_("description"), blank=True)
    estimated_value = models.DecimalField(
        _("estimated value (million VND)"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_DECIMALS,
        null=True,
        blank=True,
    )
    expected_completion = models.DateField(_("expected completion"), null=True, blank=True)

    class Meta:
        verbose_name = _("work or product")
        verbose_name_plural = _("works and products")
        ordering = ["registration_id", "position", "id"]

    def __str__(self) -> str:
        return self.name


class RegistrationRevision(models.Model):
    """An approved revision of a registration, frozen when it was reopened: what was approved,
    by whom and when, and why it was reopened."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    number = models.PositiveIntegerField(_("revision"))
    content = models.JSONField(_("content"), default=dict)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by_name = models.CharField(_("submitted by"), max_length=150, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by_name = models.CharField(_("reviewed by"), max_length=150, blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), auto_now_add=True)
    reopened_by = user_key(_("reopened by"))
    reason = models.TextField(_("reason for reopening"), blank=True)

    class Meta:
        verbose_name = _("earlier revision")
        verbose_name_plural = _("earlier revisions")
        ordering = ["registration_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "number"], name="revision_once")
        ]

    def __str__(self) -> str:
        return f"{self.registration} #{self.number}"


class DeadlineExtension(review.DeadlineExtension):
    """A later registration deadline granted to one unit by its reviewer."""

    campaign = review.scope_key(Campaign, _("campaign"))
    organization = review.unit_key("registration_extensions")

    class Meta(review.DeadlineExtension.Meta):
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"], name="deadline_extension_once"
            )
        ]


def effective_deadline(campaign: Campaign, extended_until: dt.date | None) -> dt.date | None:
    """The day after which a unit may no longer submit: the campaign's deadline, or the later
    day its reviewer granted."""
    return review.effective_deadline(campaign.registration_deadline, extended_until)


# ---------------------------------------------------------------------------------------------
# Counters per branch of the tree (``registrations/rollups/`` keeps them): for every unit that
# has registrations in its subtree, the totals of that subtree, so that the queue and the
# consolidation read a few rows instead of grouping thousands of registrations. Each key starts
# with the branch: a page reads the rows of a unit and of its children, by branch.


class Level(models.IntegerChoices):
    """Where the counted unit stands from the branch."""

    SELF = 0, _("the branch itself")
    CHILD = 1, _("a unit directly below")
    DEEPER = 2, _("further below")


class RegistrationCount(models.Model):
    """Units of a branch whose registration is in ``status``, by the counted units' ``kind``
    and ``level``; for registrations awaiting review or approved, their works and products."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    branch = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    kind = models.CharField(max_length=16)
    status = models.CharField(max_length=16)
    units = models.IntegerField(db_default=0)
    key_works = models.IntegerField(db_default=0)
    key_works_value = models.DecimalField(
        max_digits=VALUE_DIGITS + 6, decimal_places=VALUE_DECIMALS, db_default=0
    )
    units_with_key_works = models.IntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "campaign", "level", "kind", "status"],
                name="registration_count_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.level} {self.kind} {self.status}: {self.units}"


class ThemeChoiceCount(models.Model):
    """Units of a branch that chose ``theme`` in a registration awaiting review or approved."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    branch = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)
    status = models.CharField(max_length=16)
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    units = models.IntegerField(db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "campaign", "kind", "status", "theme"],
                name="theme_choice_count_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.kind} {self.status} {self.theme_id}: {self.units}"


class TargetSum(models.Model):
    """Alike targets (``Target.key``) under a theme in a branch's registrations awaiting review
    or approved: how many units set one, how many targets, and their sum."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    branch = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)
    status = models.CharField(max_length=16)
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=250)
    units = models.IntegerField(db_default=0)
    targets = models.IntegerField(db_default=0)
    total = models.DecimalField(
        max_digits=VALUE_DIGITS + 6, decimal_places=VALUE_DECIMALS, db_default=0
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "campaign", "kind", "status", "theme", "key"],
                name="target_sum_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.theme_id} {self.key}: {self.total}"


class TargetLabel(models.Model):
    """How a target key of a campaign is shown: the smallest of the names and units of measure
    typed for it (as ``MIN()`` would pick them)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=250)
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=50, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "key"], name="target_label_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.name}"
