"""Verification (thẩm định) by the unit directly above, through the shared review workflow: the
reviewer sets a verified score where it differs from the unit's (with a comment, required when
different), then approves (the grade is final for the year) or returns the grading. An approved
grading is reopened only with a reason; the audit log keeps the history."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from emulation import workflow
from grading import rollups
from grading.arithmetic import spec_of
from grading.models import Assessment
from grading.services.assessments import check_points, points_field
from grading.services.common import full_sheet, lock, require, totals


@dataclass
class Verified:
    points: Decimal | None = None  # None: as the unit scored it
    comment: str = ""


def comment_field(criterion_id: int) -> str:
    return f"comment_{criterion_id}"


def assessment_verify(
    assessment: Assessment,
    *,
    by,
    verified: dict[int, Verified],
    approve: bool = False,
    expected_version: int | None = None,
) -> Assessment:
    """Save the verified scores of a grading awaiting review and, with ``approve``, approve it:
    its verified total and grade are then final for the year. Refused: a score above the
    maximum or negative, a score different from the unit's without a comment, a grading not
    awaiting review."""
    require(by, "grading.review_assessment", assessment.organization)
    with transaction.atomic():
        locked = lock(assessment)
        if not locked.is_submitted:
            if locked.status == workflow.ReviewStatus.DRAFT:
                raise workflow.not_submitted(locked)
            raise workflow.already_handled(locked)
        workflow.check_version(locked, expected_version)
        sheet = full_sheet(locked.sheet_id)
        criteria = {c.pk: c for g in sheet.groups.all() for c in g.criteria.all()}
        scores = {s.criterion_id: s for s in locked.scores.all()}
        errors: dict[str, str] = {}
        for criterion_id, entry in verified.items():
            criterion = criteria.get(criterion_id)
            if criterion is None:
                continue
            check_points(criterion, entry.points, points_field(criterion_id), errors)
            own = scores.get(criterion_id)
            own_points = own.self_points if own else None
            differs = entry.points is not None and entry.points != (own_points or 0)
            if differs and not entry.comment.strip() and points_field(criterion_id) not in errors:
                errors[comment_field(criterion_id)] = _(
                    "Say why the verified score differs from the unit's."
                )
        if errors:
            raise ValidationError(errors, code="invalid_verification")
        changed = 0
        for criterion_id, entry in verified.items():
            if criterion_id not in criteria:
                continue
            score = scores.get(criterion_id)
            if score is None:
                score = locked.scores.create(criterion_id=criterion_id)
                scores[criterion_id] = score
            own_points = score.self_points or 0
            points = None if entry.points is None or entry.points == own_points else entry.points
            comment = entry.comment.strip() if points is not None else ""
            if (score.verified_points, score.verifier_comment) != (points, comment):
                score.verified_points, score.verifier_comment = points, comment
                score.save(update_fields=["verified_points", "verifier_comment"])
                changed += 1
        locked._prefetched_objects_cache = {}
        result = totals(locked, spec_of(sheet), verified=True)
        locked.verified_total = result.total
        changes = {
            "verified_total": str(result.total),
            "changed_criteria": changed,
            "grade": result.grade.name if result.grade else "",
        }
        if approve:
            locked.grade_id = result.grade.id if result.grade else None
            workflow.apply_transition(locked, "approve", by=by, changes=changes)
        else:
            workflow.record_edit(locked, by=by, action="grading_verify", changes=changes)
    return locked


def assessment_return(
    assessment: Assessment, *, by, comment: str, expected_version: int | None = None
) -> Assessment:
    """Send the grading back to the unit with what it must fix; it may submit again."""
    require(by, "grading.review_assessment", assessment.organization)
    with transaction.atomic():
        locked = lock(assessment)
        workflow.apply_transition(
            locked, "return", by=by, comment=comment, expected_version=expected_version
        )
    return locked


def assessment_reopen(
    assessment: Assessment, *, by, reason: str, expected_version: int | None = None
) -> Assessment:
    """Reopen an approved grading with the reason (a new revision, a draft again): its grade
    is no longer final, and a published grade leaves the counters until published again."""
    require(by, "grading.review_assessment", assessment.organization)
    with transaction.atomic():
        locked = lock(assessment)
        grade = locked.grade.name if locked.grade_id else ""
        was_published = locked.is_published
        if was_published:
            rollups.count([locked], -1)
        workflow.apply_transition(
            locked,
            "reopen",
            by=by,
            comment=reason,
            expected_version=expected_version,
            changes={"grade": [grade, ""], "published": was_published},
        )
        locked.grade = None
        locked.verified_total = None
        locked.published_at = None
        locked.published_by = None
        locked.save(update_fields=["grade", "verified_total", "published_at", "published_by"])
    return locked
