"""What the report services check before anything else: the permission, the report's lock, an
active campaign, a unit taking part, reporting open on the phase (from its opening day) and the
unit's approved registration."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignStatus, Phase
from emulation import workflow
from emulation.review.extensions import dmy
from federation.models import Organization
from registrations.content import CONTENT_PREFETCH as REGISTRATION_PREFETCH
from registrations.models import Registration
from registrations.selectors.common import takes_part
from reports.models import PhaseReport, ReportingWindow, opening_day


def _require(user, perm: str, obj) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _lock(report: PhaseReport) -> PhaseReport:
    return workflow.lock(
        report,
        PhaseReport.objects.select_related("campaign", "campaign__issuer", "phase", "organization"),
    )


def _check_campaign_active(campaign: Campaign) -> None:
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(
            _("This campaign is closed: its reports are kept as history and cannot change."),
            code="closed",
        )
    if campaign.status != CampaignStatus.ACTIVE:
        raise ValidationError(_("This campaign is not active yet."), code="not_active")


def _check_participant(campaign: Campaign, organization: Organization) -> None:
    if not takes_part(campaign, organization):
        raise ValidationError(_("This unit does not take part in this campaign."))


def window_of(phase: Phase) -> ReportingWindow | None:
    return ReportingWindow.objects.filter(phase=phase).first()


def opening_of(phase: Phase) -> dt.date:
    return opening_day(phase, window_of(phase))


def check_open(phase: Phase, today: dt.date) -> None:
    """Refuse a report on a phase whose reporting has not opened yet."""
    opens = opening_of(phase)
    if today < opens:
        raise ValidationError(
            _("Reporting on %(phase)s opens on %(day)s: nothing can be reported on it yet.")
            % {"phase": phase.name, "day": dmy(opens)},
            code="not_open",
        )


def approved_registration(campaign: Campaign, organization: Organization) -> Registration:
    """The unit's registration, with its themes and targets; refused unless approved."""
    registration = (
        Registration.objects.filter(campaign=campaign, organization=organization)
        .prefetch_related(*REGISTRATION_PREFETCH)
        .first()
    )
    if registration is None:
        raise ValidationError(
            _(
                "This unit has not registered for the campaign: it reports on the themes it "
                "registered, once its registration is approved."
            ),
            code="no_registration",
        )
    if not registration.is_approved:
        raise ValidationError(
            _(
                "The unit's registration is “%(status)s”: it can report once the unit above has "
                "approved it."
            )
            % {"status": registration.get_status_display()},
            code="registration_not_approved",
        )
    return registration
