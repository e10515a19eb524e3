"""Deadline extensions: a later report deadline on one phase for one unit."""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign, Phase
from emulation.review.extensions import Extensions, dmy
from reports.models import PhaseReport, ReportExtension
from reports.services.common import _check_campaign_active, _check_participant

MAX_EXTENSION = dt.timedelta(days=90)


class _Extensions(Extensions):
    """A later report deadline on one phase, granted in an active campaign to a unit taking
    part, at most :data:`MAX_EXTENSION` after the phase's deadline; the dashboards count the
    units overdue again."""

    model = ReportExtension
    reviewed = PhaseReport
    scope = "phase"
    permission = "reports.review_report"
    action = "report-extend"
    no_deadline = gettext_lazy("This phase has no report deadline to extend.")
    already_sent = gettext_lazy(
        "This unit has already submitted its report: it needs no extension."
    )
    not_after = gettext_lazy("The new deadline must be after the phase's deadline (%(day)s).")

    def deadline(self, phase):
        return phase.report_deadline

    def latest(self, phase, deadline):
        latest = deadline + MAX_EXTENSION
        refusal = _("The new deadline can be at most 90 days after the phase's deadline (%(day)s).")
        return latest, refusal % {"day": dmy(latest)}

    def checked(self, phase, organization):
        phase = Phase.objects.select_related("campaign", "campaign__issuer").get(pk=phase.pk)
        _check_campaign_active(phase.campaign)
        _check_participant(phase.campaign, organization)
        return phase

    def audit_changes(self, phase):
        return {"phase": phase.name}

    def on_grant(self, phase):
        Campaign.figures_changed([phase.campaign_id])  # the units overdue


EXTENSIONS = _Extensions()
