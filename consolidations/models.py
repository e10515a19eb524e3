"""A consolidation sent up (tổng hợp gửi lên): an upper unit sends the unit above, as one act,
its consolidated registrations for a campaign, or its summary report on one phase, and the unit
above reviews it through the shared workflow (``emulation/workflow.py``).

What is sent is a snapshot: the consolidated figures at the moment of sending, stored as JSON
with the list of the units counted, so that what happens below afterwards never changes what
was sent. Sending again (after a return, or after an approval was reopened) replaces the
snapshot; each sending is recorded in the audit log with its figures.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Phase
from emulation.workflow import Reviewable
from federation.models import Organization


class Kind(models.TextChoices):
    REGISTRATIONS = "registrations", _("Consolidated registrations")
    REPORT = "report", _("Summary report of a phase")


class Consolidation(Reviewable):
    """One upper unit's consolidation of a campaign's registrations (``phase`` empty) or of its
    reports on one phase, sent to the unit above."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="consolidations",
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("phase"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consolidations",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="consolidations",
    )
    # The figures as they were when sent (see consolidations.snapshots), the number of units
    # below whose approved registration or accepted report they count, and how many times it
    # was sent.
    snapshot = models.JSONField(_("figures sent"), default=dict, blank=True)
    counted_units = models.PositiveIntegerField(_("units counted"), default=0)
    sendings = models.PositiveIntegerField(_("times sent"), default=0)
    sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consolidation sent up")
        verbose_name_plural = _("consolidations sent up")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"],
                condition=Q(phase__isnull=True),
                name="consolidation_registrations_once",
            ),
            models.UniqueConstraint(
                fields=["phase", "organization"],
                condition=Q(phase__isnull=False),
                name="consolidation_report_once",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        what = self.phase.name if self.phase_id else _("registrations")
        return f"{self.organization} - {what} {self.campaign.year}"

    def get_absolute_url(self) -> str:
        return reverse("consolidations:detail", args=[self.pk])

    @property
    def kind(self) -> str:
        return Kind.REPORT if self.phase_id else Kind.REGISTRATIONS

    @property
    def is_report(self) -> bool:
        return self.phase_id is not None
