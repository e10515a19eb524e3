"""Saving a draft: what the officer typed, with the files to attach and those to remove."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Phase
from emulation import workflow
from emulation.params import to_int
from emulation.uploads import check_upload
from federation.models import Organization
from registrations.content import content_of as registration_content_of
from reports import rollups
from reports.content import CONTENT_PREFETCH, FILES, ReportContent, content_of, skeleton
from reports.models import (
    MAX_ATTACHMENTS,
    Attachment,
    Indicator,
    IndicatorValue,
    PhaseReport,
    TargetResult,
    ThemeResult,
)
from reports.services.checks import clean_content
from reports.services.common import (
    _check_campaign_active,
    _check_participant,
    _require,
    approved_registration,
    check_open,
)


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
    # Every problem of what was typed and sent is gathered and shown at once: a wrong file
    # does not hide a wrong figure, nor a wrong figure a wrong file.
    errors: dict[str, list] = {}
    checked = []
    for upload in uploads:
        try:
            checked.append(check_upload(upload, field=FILES))
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                errors.setdefault(FILES, []).extend(messages)
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
            try:
                content = clean_content(
                    base=skeleton(registration_content_of(registration)),
                    indicators=indicators,
                    data=data,
                )
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    errors.setdefault(key, []).extend(messages)
            # A report created here is rolled back with everything else if anything is refused.
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
            files = {a.pk: a for a in report.attachments.all()}
            removing = [files[pk] for pk in {to_int(v) for v in remove} - {None} if pk in files]
            if len(files) - len(removing) + len(checked) > MAX_ATTACHMENTS:
                errors.setdefault(FILES, []).append(
                    _("A report takes at most %(count)s files.") % {"count": MAX_ATTACHMENTS}
                )
            if errors:
                raise ValidationError(errors)
            before = content_of(
                PhaseReport.objects.prefetch_related(*CONTENT_PREFETCH).get(pk=report.pk)
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
