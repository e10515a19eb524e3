"""The transitions of a report: submit, approve, return, and the receiving department's step
(received)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from emulation import workflow
from emulation.review.extensions import dmy
from reports import rollups
from reports.content import CONTENT_PREFETCH, content_of
from reports.models import Indicator, PhaseReport
from reports.services.checks import submission_problems
from reports.services.common import (
    _check_campaign_active,
    _lock,
    _require,
    approved_registration,
    check_open,
)


def report_submit(
    report: PhaseReport, *, by, expected_version: int | None = None, today: dt.date | None = None
) -> PhaseReport:
    """Send the report to the unit above. Refused when it was already sent, when reporting on
    the phase is not open, when the registration is no longer approved, when something is
    missing (see :func:`submission_problems`) or the deadline has passed (unless the unit above
    extended it for this unit)."""
    _require(by, "reports.change_report", report.organization)
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _lock(report)
        _check_campaign_active(locked.campaign)
        if locked.status == workflow.ReviewStatus.SUBMITTED:
            raise ValidationError(
                _(
                    "This report was already submitted on %(day)s and is awaiting review: it "
                    "cannot be submitted twice."
                )
                % {"day": dmy(locked.submitted_at)},
                code="already_submitted",
            )
        if locked.status == workflow.ReviewStatus.APPROVED:
            raise ValidationError(
                _("This report was already approved: it cannot be submitted again."),
                code="already_approved",
            )
        workflow.check_version(locked, expected_version)
        check_open(locked.phase, today)
        registration = approved_registration(locked.campaign, locked.organization)
        content = content_of(
            PhaseReport.objects.prefetch_related(*CONTENT_PREFETCH).get(pk=locked.pk)
        )
        problems = submission_problems(
            locked,
            content,
            indicators=list(Indicator.objects.filter(campaign=locked.campaign)),
            registration=registration,
            today=today,
        )
        if problems:
            raise ValidationError(problems, code="incomplete")
        locked.received_at = None
        locked.received_by = None
        before = locked.status
        workflow.apply_transition(locked, "submit", by=by, changes={"phase": locked.phase.name})
        rollups.report_changed(locked, before, locked.status)
        Campaign.figures_changed([locked.campaign_id])
    return locked


def _reached_issuer(report: PhaseReport) -> bool:
    issuer = report.campaign.issuer
    unit = report.organization
    return unit.depth == issuer.depth + 1 and unit.path.startswith(issuer.path)


def _review(report, name: str, *, by, comment: str = "", expected_version=None):
    _require(by, "reports.review_report", report.organization)
    with transaction.atomic():
        locked = _lock(report)
        _check_campaign_active(locked.campaign)
        if (
            locked.status == workflow.ReviewStatus.SUBMITTED
            and locked.received_at is None
            and _reached_issuer(locked)
        ):
            # Accepting or returning a report that reached the issuer receives it too.
            locked.received_at, locked.received_by = timezone.now(), by
        before = locked.status
        workflow.apply_transition(
            locked,
            name,
            by=by,
            comment=comment,
            expected_version=expected_version,
            changes={"phase": locked.phase.name},
        )
        rollups.report_changed(locked, before, locked.status)
        Campaign.figures_changed([locked.campaign_id])
    return locked


def report_approve(
    report: PhaseReport, *, by, comment: str = "", expected_version: int | None = None
) -> PhaseReport:
    """Approve (accept) a report awaiting review: leader or staff of the unit above, or
    provincial staff."""
    return _review(report, "approve", by=by, comment=comment, expected_version=expected_version)


def report_return(
    report: PhaseReport, *, by, comment: str, expected_version: int | None = None
) -> PhaseReport:
    """Send a report back to the unit with a comment saying what to fix."""
    return _review(report, "return", by=by, comment=comment, expected_version=expected_version)


# The receiving department's step of the shared workflow: a report that reached the issuing unit
# is marked received, its state staying "submitted" (versioned, audited and signalled like every
# transition; the audit entry keeps its name).
RECEIVE = workflow.Transition(
    "receive", (workflow.ReviewStatus.SUBMITTED,), None, action="report-receive"
)


def report_receive(report: PhaseReport, *, by, expected_version: int | None = None) -> PhaseReport:
    """The receiving department marks a report that reached the issuing unit as received,
    before accepting or returning it."""
    with transaction.atomic():
        locked = _lock(report)
        _require(by, "reports.receive_report", locked)
        _check_campaign_active(locked.campaign)
        if locked.can_transition(RECEIVE) and locked.received_at is not None:
            raise ValidationError(
                _("This report was already marked received on %(day)s by %(who)s.")
                % {"day": dmy(locked.received_at), "who": locked.received_by or "—"},
                code="already_received",
            )
        locked.received_at, locked.received_by = timezone.now(), by
        workflow.apply_transition(
            locked,
            RECEIVE,
            by=by,
            expected_version=expected_version,
            changes={"phase": locked.phase.name, "unit": locked.organization.name},
        )
    return locked
