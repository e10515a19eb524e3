"""One unit's report on one phase: what it says, and what the person may do on it now and, when
nothing, why not."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignStatus, Phase
from emulation.workflow import SENT
from federation.models import Organization
from reports.content import CONTENT_PREFETCH, ReportContent, content_of
from reports.models import NOT_REPORTED, PhaseReport, ReportExtension
from reports.selectors.common import PhaseInfo, indicators_of, status_label
from reports.services.checks import submission_problems
from reports.services.common import approved_registration, check_open
from reports.services.extensions import EXTENSIONS


def report_for(phase: Phase, organization: Organization) -> PhaseReport | None:
    """The report of a unit on a phase with everything its page shows (five queries)."""
    return (
        PhaseReport.objects.filter(phase=phase, organization=organization)
        .select_related("submitted_by", "reviewed_by", "received_by")
        .prefetch_related(*CONTENT_PREFETCH, "attachments")
        .first()
    )


def extension_of(phase: Phase, organization: Organization) -> ReportExtension | None:
    return EXTENSIONS.of(phase, organization)


@dataclass
class ReportPage:
    """What the page of a unit's report shows and the buttons it offers."""

    info: PhaseInfo
    report: PhaseReport | None
    content: ReportContent
    indicators: list  # (indicator, value)
    status: str
    registration: object
    extension: ReportExtension | None
    deadline: dt.date | None
    overdue: bool = False
    can_edit: bool = False
    can_submit: bool = False
    why_not: str = ""
    problems: list = field(default_factory=list)
    can_review: bool = False
    can_extend: bool = False
    can_receive: bool = False
    can_subtree: bool = False

    @property
    def status_label(self):
        return status_label(self.status)


def report_page(
    campaign: Campaign,
    phase: Phase,
    unit: Organization,
    info: PhaseInfo,
    *,
    user,
    today: dt.date,
) -> ReportPage:
    """The report of ``unit`` on ``phase`` with its status, content, files, extension and
    deadline, and the rules of the page: whether ``user`` may edit it, submit it (and what is
    missing), review it, extend its deadline or mark it received now, and why the unit cannot
    report yet."""
    report = report_for(phase, unit)
    if report is not None:
        report.campaign, report.phase, report.organization = campaign, phase, unit
    registration = unit.registrations.filter(campaign=campaign).only("status", "id").first()
    content = content_of(report) if report else ReportContent()
    indicators = indicators_of(campaign)
    status = report.status if report else NOT_REPORTED
    active = campaign.status == CampaignStatus.ACTIVE
    can_prepare = active and user.has_perm("reports.change_report", unit)
    can_review = active and user.has_perm("reports.review_report", unit)
    editable = report is None or report.is_editable
    deadline = EXTENSIONS.deadline_for(phase, unit)
    approved = registration is not None and registration.is_approved
    problems = []
    if report is not None and report.is_editable and can_prepare and approved:
        problems = submission_problems(
            report,
            content,
            indicators=indicators,
            registration=approved_registration(campaign, unit),
            today=today,
        )
    why_not = ""
    if can_prepare and editable:
        if not info.is_open(today):
            why_not = _("Reporting on %(phase)s opens on %(day)s.") % {
                "phase": phase.name,
                "day": info.opens_on.strftime("%d/%m/%Y"),
            }
        elif not approved:
            why_not = _(
                "The unit reports on the themes of its registration once the unit above has "
                "approved it."
            )
    return ReportPage(
        info=info,
        report=report,
        content=content,
        indicators=[(i, content.indicators.get(i.pk)) for i in indicators],
        status=status,
        registration=registration,
        extension=extension_of(phase, unit),
        deadline=deadline,
        overdue=bool(active and deadline and today > deadline and status not in SENT),
        can_edit=can_prepare and not why_not and editable,
        can_submit=can_prepare and not why_not and report is not None and report.is_editable,
        why_not=why_not,
        problems=problems,
        can_review=can_review and report is not None and report.is_submitted,
        can_extend=can_review and phase.report_deadline is not None and status not in SENT,
        can_receive=report is not None
        and report.is_submitted
        and report.received_at is None
        and active
        and user.has_perm("reports.receive_report", report),
        can_subtree=user.has_perm("reports.view_subtree", unit) and not unit.is_grassroots,
    )


def form_refusal(campaign: Campaign, phase: Phase, unit: Organization, today: dt.date):
    """(the unit's approved registration, None) when the unit may report on ``phase`` now;
    (None, why not: the messages the form's page shows) otherwise."""
    try:
        check_open(phase, today)
        return approved_registration(campaign, unit), None
    except ValidationError as exc:
        return None, exc.messages
