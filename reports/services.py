"""Every change to a phase report, an indicator or a reporting date goes through one of these
functions.

Each one checks the permission, runs in one transaction, locks the row it changes
(``select_for_update``), validates, writes, records the change in the audit log, and leaves
notifications to the workflow's signal, sent once the transaction has committed. A refusal is a
``ValidationError`` with a translatable message (keyed by the report form's field names where a
field is at fault) and nothing changed: no row, and no file left on disk.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign, CampaignStatus, Phase
from emulation import workflow
from emulation.audit import audit_record
from emulation.review.extensions import Extensions, dmy
from emulation.text import search_key
from emulation.uploads import check_upload
from federation.models import Organization
from registrations.content import CONTENT_PREFETCH as REGISTRATION_PREFETCH
from registrations.content import content_of as registration_content_of
from registrations.content import parse_number
from registrations.models import Registration
from registrations.selectors import takes_part
from reports import rollups
from reports.content import (
    CONTENT_PREFETCH,
    FILES,
    NARRATIVE,
    ReportContent,
    achieved_field,
    content_of,
    done_field,
    indicator_field,
    skeleton,
)
from reports.models import (
    MAX_ATTACHMENTS,
    VALUE_DECIMALS,
    VALUE_DIGITS,
    Attachment,
    Indicator,
    IndicatorValue,
    PhaseReport,
    ReportExtension,
    ReportingWindow,
    TargetResult,
    ThemeResult,
    opening_day,
)

MAX_TEXT = 10_000
MAX_NARRATIVE = 20_000
MAX_VALUE = Decimal(10) ** (VALUE_DIGITS - VALUE_DECIMALS)
MAX_EXTENSION = dt.timedelta(days=90)

# The indicators most campaigns count (Kế hoạch 13/KH-LĐLĐ asks for initiatives, the value they
# gained, advanced models found, members taking part and works completed): name, unit of measure.
DEFAULT_INDICATORS = [
    ("Sáng kiến, cải tiến kỹ thuật", "sáng kiến"),
    ("Giá trị làm lợi", "đồng"),
    ("Điển hình tiên tiến được phát hiện", "điển hình"),
    ("Đoàn viên tham gia", "người"),
    ("Công trình, sản phẩm hoàn thành", "công trình"),
]


# ---------------------------------------------------------------------------------------------
# Helpers.


def _require(user, perm: str, obj) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _paragraphs(value) -> str:
    lines = [" ".join(line.split()) for line in str(value or "").splitlines()]
    return "\n".join(line for line in lines if line)


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


def _number(raw, key: str, errors: dict, *, whole: bool) -> Decimal | None:
    """A non-negative number typed in a field, or None when the field is empty."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        number = parse_number(raw)
    except ValueError:
        errors.setdefault(key, []).append(_("Enter a number, for example 5 or 2,5."))
        return None
    if number < 0:
        errors.setdefault(key, []).append(_("The value cannot be negative."))
        return None
    if number >= MAX_VALUE:
        errors.setdefault(key, []).append(_("This number is too large."))
        return None
    if whole and number != number.to_integral_value():
        errors.setdefault(key, []).append(_("Enter a whole number."))
        return None
    if -number.as_tuple().exponent > VALUE_DECIMALS:
        errors.setdefault(key, []).append(_("Use at most two decimals."))
        return None
    return number


def _get(mapping, key):
    """``mapping[key]`` whether the form gave the key as a number or as text."""
    if not isinstance(mapping, dict):
        return None
    value = mapping.get(key)
    return mapping.get(str(key)) if value is None else value


# ---------------------------------------------------------------------------------------------
# Reading and checking what the officer typed.


def clean_content(*, base: ReportContent, indicators: list[Indicator], data: dict) -> ReportContent:
    """Check ``data`` against the themes and targets of the registration (``base``) and the
    campaign's indicators, and return the report's content.

    ``data`` is ``{"narrative": str, "themes": {theme_id: {"done": str, "targets": {position:
    value}}}, "indicators": {indicator_id: value}}``. Empty values are allowed in a draft;
    a value that is not a number, is negative, is too large or has too many decimals is refused
    under the name of its field, and so is a fraction for an indicator counted in whole numbers.
    Themes and targets that are not in the registration are ignored.
    """
    errors: dict[str, list] = {}
    narrative = _paragraphs(data.get("narrative"))
    if len(narrative) > MAX_NARRATIVE:
        errors.setdefault(NARRATIVE, []).append(
            _("Keep this text under %(count)s characters.") % {"count": MAX_NARRATIVE}
        )
    base.narrative = narrative
    themes = data.get("themes") or {}
    for line in base.themes:
        item = _get(themes, line.theme_id) or {}
        line.done = _paragraphs(item.get("done"))
        if len(line.done) > MAX_TEXT:
            errors.setdefault(done_field(line.theme_id), []).append(
                _("Keep this text under %(count)s characters.") % {"count": MAX_TEXT}
            )
        targets = item.get("targets") or {}
        for target in line.targets:
            target.achieved = _number(
                _get(targets, target.position),
                achieved_field(line.theme_id, target.position),
                errors,
                whole=False,
            )
    values = {}
    raw_values = data.get("indicators") or {}
    for indicator in indicators:
        value = _number(
            _get(raw_values, indicator.pk),
            indicator_field(indicator.pk),
            errors,
            whole=indicator.whole_numbers,
        )
        if value is not None:
            values[indicator.pk] = value
    base.indicators = values
    if errors:
        raise ValidationError(errors)
    return base


def _same_shape(content: ReportContent, base: ReportContent) -> bool:
    """Whether a saved report still follows the registration: the same themes and targets."""

    def shape(c):
        return [(t.theme_id, [(x.position, x.key, x.target) for x in t.targets]) for t in c.themes]

    return shape(content) == shape(base)


def submission_problems(
    report: PhaseReport,
    content: ReportContent,
    *,
    indicators: list[Indicator],
    registration: Registration,
    today: dt.date,
) -> list[str]:
    """What keeps a report from being submitted now (empty when it may be): an empty
    assessment, a theme without what was done, a target or indicator without its figure, a
    registration changed since the report was saved, a passed deadline."""
    problems = []
    if not content.narrative.strip():
        problems.append(_("Write the general assessment of the phase."))
    if not _same_shape(content, skeleton(registration_content_of(registration))):
        problems.append(
            _(
                "The unit's registration changed after this report was saved: open the form, "
                "check the targets and save it again."
            )
        )
    for line in content.themes:
        if not line.done.strip():
            problems.append(
                _("Say what the unit did under theme %(number)s (%(title)s).")
                % {"number": line.number, "title": line.title}
            )
        for target in line.targets:
            if target.achieved is None:
                problems.append(
                    _(
                        "Enter the achieved value of “%(target)s” under theme %(number)s "
                        "(0 if nothing was achieved)."
                    )
                    % {"target": target.name, "number": line.number}
                )
    for indicator in indicators:
        if indicator.pk not in content.indicators:
            problems.append(
                _("Enter the figure of “%(indicator)s” (0 if none).")
                % {"indicator": indicator.name}
            )
    deadline = EXTENSIONS.deadline_for(report.phase, report.organization)
    if deadline and today > deadline:
        problems.append(
            _("The report deadline (%(day)s) has passed: ask the unit above for an extension.")
            % {"day": dmy(deadline)}
        )
    return problems


# ---------------------------------------------------------------------------------------------
# Saving a draft.


def _write_content(report: PhaseReport, content: ReportContent) -> None:
    report.themes.all().delete()
    report.indicator_values.all().delete()
    report.narrative = content.narrative
    results = ThemeResult.objects.bulk_create(
        [
            ThemeResult(
                report=report, theme_id=line.theme_id, commitment=line.commitment, done=line.done
            )
            for line in content.themes
        ]
    )
    TargetResult.objects.bulk_create(
        [
            TargetResult(
                theme_result=result,
                position=target.position,
                name=target.name,
                unit=target.unit,
                key=target.key,
                target=target.target,
                achieved=target.achieved,
            )
            for result, line in zip(results, content.themes, strict=True)
            for target in line.targets
        ]
    )
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(report=report, indicator_id=indicator_id, value=value)
            for indicator_id, value in content.indicators.items()
        ]
    )


def _describe(before: ReportContent, after: ReportContent, indicators, added, removed) -> dict:
    changes: dict = {}
    if before.narrative != after.narrative:
        changes["narrative"] = _("edited")
    done = sum(1 for t in after.themes if t.done)
    changes["themes_reported"] = f"{done}/{len(after.themes)}"
    changes["targets_filled"] = f"{after.targets_filled}/{after.target_count}"
    changes["indicators_filled"] = f"{len(after.indicators)}/{len(indicators)}"
    if added:
        changes["files_added"] = added
    if removed:
        changes["files_removed"] = removed
    return changes


def _report_for_update(campaign, phase, organization, by) -> tuple[PhaseReport, bool]:
    """The unit's report on the phase, locked; created when there is none (``True``)."""
    report = (
        PhaseReport.objects.select_for_update()
        .filter(phase=phase, organization=organization)
        .first()
    )
    if report is not None:
        return report, False
    try:
        with transaction.atomic():
            report = PhaseReport.objects.create(
                campaign=campaign,
                phase=phase,
                organization=organization,
                created_by=by if by.is_authenticated else None,
            )
    except IntegrityError:
        # Someone created it at the same moment: work on theirs, locked.
        return PhaseReport.objects.select_for_update().get(
            phase=phase, organization=organization
        ), False
    return report, True


def report_save_draft(
    *,
    campaign: Campaign,
    phase: Phase,
    organization: Organization,
    by,
    data: dict,
    uploads=(),
    remove=(),
    expected_version: int | None = None,
    registration_version: int | None = None,
    today: dt.date | None = None,
) -> PhaseReport:
    """Save what the officer typed, with the files to attach and those to remove, at any time
    before submitting; creates the report on its first save.

    Refused, with nothing saved: a phase whose reporting has not opened, a unit whose
    registration is not approved, a report already sent, a value that is not a non-negative
    number, a file of another kind than PDF, DOCX, XLSX, JPEG or PNG (by its content), a file
    whose name says another kind than its content, a file over 10 MB, too many files, and a
    form made from an older version of the report or of the registration. The same form posted
    twice changes nothing."""
    _require(by, "reports.change_report", organization)
    errors: dict[str, list] = {}
    checked = []
    for upload in uploads:
        try:
            checked.append(check_upload(upload, field=FILES))
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                errors.setdefault(FILES, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    today = today or timezone.localdate()
    written: list[str] = []
    try:
        with transaction.atomic():
            campaign = Campaign.objects.select_related("issuer").get(pk=campaign.pk)
            phase = Phase.objects.filter(pk=phase.pk, campaign=campaign).first()
            if phase is None:
                raise ValidationError(_("This phase is not part of the campaign."))
            _check_campaign_active(campaign)
            _check_participant(campaign, organization)
            check_open(phase, today)
            registration = approved_registration(campaign, organization)
            if registration_version is not None and int(registration_version) != (
                registration.version
            ):
                raise ValidationError(
                    _(
                        "The unit's registration changed since you opened the page. Nothing was "
                        "saved: look at the report again."
                    ),
                    code="stale_registration",
                )
            indicators = list(Indicator.objects.filter(campaign=campaign))
            content = clean_content(
                base=skeleton(registration_content_of(registration)),
                indicators=indicators,
                data=data,
            )
            report, created = _report_for_update(campaign, phase, organization, by)
            if created:
                expected_version = None  # a new report has nothing to be stale against
                report.campaign, report.organization = campaign, organization
                rollups.report_changed(report, None, report.status)
                Campaign.figures_changed([campaign.pk])
            if not report.is_editable:
                raise ValidationError(
                    _("This report is “%(status)s”: it can no longer be edited. Nothing was saved.")
                    % {"status": report.get_status_display()},
                    code="not_editable",
                )
            before = content_of(
                PhaseReport.objects.prefetch_related(*CONTENT_PREFETCH).get(pk=report.pk)
            )
            files = {a.pk: a for a in report.attachments.all()}
            removing = [
                files[pk] for pk in {int(v) for v in remove if str(v).isdigit()} if pk in files
            ]
            if len(files) - len(removing) + len(checked) > MAX_ATTACHMENTS:
                raise ValidationError(
                    {
                        FILES: _("A report takes at most %(count)s files.")
                        % {"count": MAX_ATTACHMENTS}
                    }
                )
            if before.comparable() == content.comparable() and not checked and not removing:
                return report
            workflow.check_version(report, expected_version)
            _write_content(report, content)
            for item in checked:
                attachment = Attachment(
                    report=report,
                    original_name=item.name,
                    content_type=item.kind.content_type,
                    extension=item.kind.extension,
                    size=item.size,
                    token=item.token,
                    uploaded_by=by if by.is_authenticated else None,
                )
                attachment.file.save(item.token, ContentFile(item.data), save=False)
                written.append(attachment.file.name)
                attachment.save()
            gone = [a.file.name for a in removing]
            Attachment.objects.filter(pk__in=[a.pk for a in removing]).delete()
            transaction.on_commit(lambda: [default_storage.delete(n) for n in gone if n])
            workflow.record_edit(
                report,
                by=by,
                action="report-save",
                changes={
                    "phase": phase.name,
                    **_describe(
                        before,
                        content,
                        indicators,
                        [c.name for c in checked],
                        [a.original_name for a in removing],
                    ),
                },
            )
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return report


# ---------------------------------------------------------------------------------------------
# The transitions.


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


# ---------------------------------------------------------------------------------------------
# Deadline extensions.


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


def report_deadline_extend(
    *,
    phase: Phase,
    organization: Organization,
    by,
    until: dt.date | None,
    reason: str = "",
    today: dt.date | None = None,
) -> ReportExtension:
    """Let one unit submit its report on ``phase`` until ``until`` (granted by the unit's
    reviewer, at most 90 days after the phase's deadline). Granting again replaces it."""
    return EXTENSIONS.grant(
        scope=phase, organization=organization, by=by, until=until, reason=reason, today=today
    )


# ---------------------------------------------------------------------------------------------
# Configuration: indicators and reporting dates (staff of the issuing unit).


def _lock_campaign(campaign: Campaign, by) -> Campaign:
    _require(by, "reports.configure", campaign)
    # The campaign's row alone: its issuing unit is read, not locked.
    locked = (
        Campaign.objects.select_for_update(of=("self",))
        .select_related("issuer")
        .get(pk=campaign.pk)
    )
    if locked.is_closed:
        raise ValidationError(
            _("This campaign is closed and can no longer be changed; copy it to plan a new year.")
        )
    Campaign.figures_changed([locked.pk])  # the dashboards show them
    locked.figures_version += 1  # as the UPDATE left the locked row
    return locked


@dataclass
class IndicatorData:
    name: str
    unit: str
    whole_numbers: bool = True


def _clean_indicator(campaign: Campaign, data: dict, exclude_pk=None) -> IndicatorData:
    name = " ".join(str(data.get("name") or "").split())[:200]
    unit = " ".join(str(data.get("unit") or "").split())[:50]
    errors = {}
    if not name:
        errors["name"] = _("Name the indicator, for example “Sáng kiến, cải tiến kỹ thuật”.")
    if not unit:
        errors["unit"] = _("Give its unit of measure, for example “sáng kiến”, “đồng”, “người”.")
    if name:
        key = search_key(name)
        others = Indicator.objects.filter(campaign=campaign).exclude(pk=exclude_pk)
        if any(search_key(other) == key for other in others.values_list("name", flat=True)):
            errors["name"] = _("This campaign already has an indicator “%(name)s”.") % {
                "name": name
            }
    if errors:
        raise ValidationError(errors)
    return IndicatorData(name, unit, bool(data.get("whole_numbers", True)))


def indicator_add(*, campaign: Campaign, by, data: dict) -> Indicator:
    with transaction.atomic():
        locked = _lock_campaign(campaign, by)
        values = _clean_indicator(locked, data)
        last = Indicator.objects.filter(campaign=locked).aggregate(last=Max("position"))["last"]
        indicator = Indicator.objects.create(
            campaign=locked,
            position=(last or 0) + 1,
            name=values.name,
            unit=values.unit,
            whole_numbers=values.whole_numbers,
        )
        audit_record(
            actor=by,
            action="indicator-add",
            obj=locked,
            changes={"indicator": indicator.name, "measure": indicator.unit},
        )
    return indicator


def indicator_update(*, indicator: Indicator, by, data: dict) -> Indicator:
    with transaction.atomic():
        locked = _lock_campaign(indicator.campaign, by)
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk, campaign=locked)
        values = _clean_indicator(locked, data, exclude_pk=indicator.pk)
        changes = {}
        for field, new, key in (
            ("name", values.name, "indicator"),
            ("unit", values.unit, "measure"),
            ("whole_numbers", values.whole_numbers, "whole_numbers"),
        ):
            old = getattr(indicator, field)
            if old != new:
                changes[key] = [old, new]
                setattr(indicator, field, new)
        if changes:
            indicator.save()
            audit_record(
                actor=by,
                action="indicator-update",
                obj=locked,
                changes={"indicator": indicator.name, **changes},
            )
    return indicator


def indicator_delete(*, indicator: Indicator, by) -> None:
    with transaction.atomic():
        locked = _lock_campaign(indicator.campaign, by)
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk, campaign=locked)
        if indicator.values.exists():
            raise ValidationError(
                _("Units have already reported “%(name)s”: it can no longer be deleted.")
                % {"name": indicator.name}
            )
        audit_record(
            actor=by, action="indicator-delete", obj=locked, changes={"indicator": indicator.name}
        )
        indicator.delete()


def indicators_add_defaults(*, campaign: Campaign, by) -> list[Indicator]:
    """Add the usual indicators the campaign does not have yet (same name, accents and case
    ignored)."""
    with transaction.atomic():
        locked = _lock_campaign(campaign, by)
        existing = {
            search_key(name)
            for name in Indicator.objects.filter(campaign=locked).values_list("name", flat=True)
        }
        last = Indicator.objects.filter(campaign=locked).aggregate(last=Max("position"))["last"]
        position = last or 0
        added = []
        for name, unit in DEFAULT_INDICATORS:
            if search_key(name) in existing:
                continue
            position += 1
            added.append(
                Indicator.objects.create(
                    campaign=locked, position=position, name=name, unit=unit, whole_numbers=True
                )
            )
        if added:
            audit_record(
                actor=by,
                action="indicators-defaults",
                obj=locked,
                changes={"added_indicators": [i.name for i in added]},
            )
    return added


def reporting_opens_set(*, phase: Phase, by, opens_on: dt.date | None) -> ReportingWindow | None:
    """Set the day reporting on ``phase`` opens; empty: the phase's first day."""
    with transaction.atomic():
        campaign = _lock_campaign(phase.campaign, by)
        phase = Phase.objects.get(pk=phase.pk, campaign=campaign)
        window = ReportingWindow.objects.select_for_update().filter(phase=phase).first()
        previous = window.opens_on if window else None
        if opens_on is not None:
            if opens_on < phase.start:
                raise ValidationError(
                    {
                        "opens_on": _("Reporting cannot open before the phase starts (%(day)s).")
                        % {"day": dmy(phase.start)}
                    }
                )
            if phase.report_deadline and opens_on > phase.report_deadline:
                raise ValidationError(
                    {
                        "opens_on": _("Reporting must open before the report deadline (%(day)s).")
                        % {"day": dmy(phase.report_deadline)}
                    }
                )
        if opens_on == previous or (opens_on is None and window is None):
            return window
        if opens_on is None or opens_on == phase.start:
            if window is not None:
                window.delete()
            window = None
        else:
            window = window or ReportingWindow(phase=phase)
            window.opens_on = opens_on
            window.save()
        audit_record(
            actor=by,
            action="reporting-opens",
            obj=campaign,
            changes={
                "phase": phase.name,
                "opens_on": [dmy(previous or phase.start), dmy(opens_on or phase.start)],
            },
        )
    return window
