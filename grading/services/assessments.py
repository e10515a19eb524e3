"""The self-assessment of a grassroots union: save the scores as a draft at any time, submit
them to the unit above before the grading deadline.

Every function checks the permission, runs in one transaction with the grading's row locked,
validates everything before writing anything (a refusal is a ``ValidationError`` naming the
field, and nothing is saved), records the change in the audit log and leaves notifications to
the workflow's signal.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from emulation import workflow
from emulation.uploads import check_upload
from grading.arithmetic import spec_of
from grading.models import Assessment, Evidence, GroupKind, Score
from grading.services.common import (
    check_open,
    full_sheet,
    lock,
    no_sheet,
    require,
    sheet_for,
    totals,
)
from grading.services.sheets import sheet_check


@dataclass
class Entry:
    """What the unit typed for one criterion."""

    points: Decimal | None = None
    justification: str = ""
    files: list = field(default_factory=list)


def points_field(criterion_id: int) -> str:
    return f"points_{criterion_id}"


def justification_field(criterion_id: int) -> str:
    return f"justification_{criterion_id}"


def files_field(criterion_id: int) -> str:
    return f"files_{criterion_id}"


def _fmt(value) -> str:
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def check_points(criterion, points, field_name: str, errors: dict) -> None:
    """A score above the criterion's maximum or negative, as an error on ``field_name``."""
    if points is None:
        return
    if points < 0:
        errors[field_name] = _("A score cannot be negative.")
    elif points > criterion.max_points:
        errors[field_name] = _("At most %(max)s points for this criterion.") % {
            "max": _fmt(criterion.max_points)
        }


def _locked_or_new(sheet, organization, by) -> Assessment:
    rows = Assessment.objects.select_for_update(of=("self",)).filter(
        sheet=sheet, organization=organization
    )
    row = rows.first()
    if row is None:
        try:
            with transaction.atomic():
                row = Assessment.objects.create(
                    sheet=sheet,
                    organization=organization,
                    created_by=by if by.is_authenticated else None,
                )
        except IntegrityError:
            row = rows.get()
    return row


def assessment_save(
    *,
    organization,
    year: int,
    by,
    entries: dict[int, Entry],
    declared: set[int] | None = None,
    today: dt.date,
    expected_version: int | None = None,
) -> Assessment:
    """Save the unit's scores, justifications, new evidence files and declared events as a
    draft, with the running total and the grade they would give. Refused: a score above the
    criterion's maximum or negative, a file the upload checks refuse, a grading already sent
    or approved, a sheet that cannot be used, a period not open yet."""
    require(by, "grading.change_assessment", organization)
    sheet = sheet_for(organization, year)
    if sheet is None:
        raise no_sheet(organization, year)
    sheet = full_sheet(sheet.pk)
    sheet_check(sheet)
    if sheet.opens_on and today < sheet.opens_on:
        check_open(sheet, today)
    criteria = {c.pk: c for g in sheet.groups.all() for c in g.criteria.all()}
    errors: dict[str, str] = {}
    checked: dict[int, list] = {}
    for criterion_id, entry in entries.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            continue
        check_points(criterion, entry.points, points_field(criterion_id), errors)
        for upload in entry.files:
            try:
                checked.setdefault(criterion_id, []).append(
                    check_upload(upload, field=files_field(criterion_id))
                )
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    errors.setdefault(key, messages[0])
    if errors:
        raise ValidationError(errors, code="invalid_scores")
    knockouts = {k.pk for k in sheet.knockouts.all() if k.group_id is None}
    written: list[str] = []
    try:
        with transaction.atomic():
            assessment = _locked_or_new(sheet, organization, by)
            if not assessment.is_editable:
                raise ValidationError(
                    _("This grading is “%(status)s”: it can no longer be changed.")
                    % {"status": assessment.get_status_display()},
                    code="not_editable",
                )
            workflow.check_version(assessment, expected_version)
            existing = {s.criterion_id: s for s in assessment.scores.all()}
            changed = []
            for criterion_id, entry in entries.items():
                if criterion_id not in criteria:
                    continue
                score = existing.get(criterion_id) or Score(
                    assessment=assessment, criterion_id=criterion_id
                )
                justification = (entry.justification or "").strip()
                if score.pk and (score.self_points, score.justification) == (
                    entry.points,
                    justification,
                ):
                    continue
                score.self_points, score.justification = entry.points, justification
                score.save()
                existing[criterion_id] = score
                changed.append(criterion_id)
            for criterion_id, files in checked.items():
                for item in files:
                    evidence = Evidence(
                        assessment=assessment,
                        criterion_id=criterion_id,
                        original_name=item.name,
                        content_type=item.kind.content_type,
                        extension=item.kind.extension,
                        size=item.size,
                        token=item.token,
                        uploaded_by=by if by.is_authenticated else None,
                    )
                    evidence.file.save(item.token, ContentFile(item.data), save=False)
                    written.append(evidence.file.name)
                    evidence.save()
            if declared is not None:
                assessment.declared_knockouts.set(sorted(set(declared) & knockouts))
            result = totals(assessment, spec_of(sheet), verified=False)
            before = assessment.self_total
            assessment.self_total = result.total
            assessment.self_grade_id = result.grade.id if result.grade else None
            workflow.record_edit(
                assessment,
                by=by,
                action="grading_save",
                changes={
                    "self_total": [str(before), str(result.total)],
                    "changed_criteria": len(changed),
                    "files": sum(len(f) for f in checked.values()),
                },
            )
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise
    return assessment


def missing(assessment: Assessment, sheet) -> dict[str, str]:
    """What must be filled before submitting, per field: a criterion not scored (penalty items
    may stay empty), a justification the sheet demands."""
    scores = {s.criterion_id: s for s in assessment.scores.all()}
    errors = {}
    for group in sheet.groups.all():
        for criterion in group.criteria.all():
            score = scores.get(criterion.pk)
            if group.kind != GroupKind.PENALTY and (score is None or score.self_points is None):
                errors[points_field(criterion.pk)] = _("Score this criterion.")
            if criterion.justification_required and not (score and score.justification.strip()):
                errors[justification_field(criterion.pk)] = _(
                    "This criterion needs a short justification."
                )
    return errors


def assessment_submit(
    assessment: Assessment, *, by, today: dt.date, expected_version: int | None = None
) -> Assessment:
    """Send the self-assessment to the unit above. Refused after the grading deadline (or
    before the period opens), with a criterion not scored or a justification missing where
    the sheet demands one."""
    require(by, "grading.change_assessment", assessment.organization)
    with transaction.atomic():
        locked = lock(assessment)
        if not locked.is_editable:
            raise workflow.already_handled(locked)
        sheet = full_sheet(locked.sheet_id)
        check_open(sheet, today)
        sheet_check(sheet)
        errors = missing(locked, sheet)
        if errors:
            raise ValidationError(errors, code="incomplete")
        workflow.apply_transition(
            locked,
            "submit",
            by=by,
            expected_version=expected_version,
            changes={"self_total": str(locked.self_total)},
        )
    return locked
