"""What the grading services share: the permission check, the sheet of a unit, reading and
locking a grading, and its totals."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from emulation import workflow
from emulation.review.extensions import dmy
from grading.arithmetic import grade_of
from grading.models import Assessment, GradingProfile, ScoreSheet


def require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def sheet_for(organization, year: int) -> ScoreSheet | None:
    """The score sheet of ``year`` for the type of ``organization`` (None without one)."""
    profile = GradingProfile.objects.filter(organization=organization).first()
    if profile is None:
        return None
    return ScoreSheet.objects.filter(year=year, unit_type=profile.unit_type).first()


def no_sheet(organization, year: int) -> ValidationError:
    if not GradingProfile.objects.filter(organization=organization).exists():
        return ValidationError(
            _(
                "The type of %(unit)s for grading is not set (state agencies and public service "
                "units, or enterprises): ask the staff above to set it."
            )
            % {"unit": organization.display_name},
            code="no_type",
        )
    return ValidationError(
        _("There is no score sheet for %(year)s for this type of grassroots union yet.")
        % {"year": year},
        code="no_sheet",
    )


def check_open(sheet: ScoreSheet, today) -> None:
    """Refuse a self-assessment before the period opens or a submission after its deadline."""
    if sheet.opens_on and today < sheet.opens_on:
        raise ValidationError(
            _("Self-assessment for %(year)s opens on %(day)s.")
            % {"year": sheet.year, "day": dmy(sheet.opens_on)},
            code="not_open",
        )
    if sheet.deadline and today > sheet.deadline:
        raise ValidationError(
            _(
                "The grading deadline was %(day)s: the self-assessment can no longer be "
                "submitted. Ask the unit above."
            )
            % {"day": dmy(sheet.deadline)},
            code="past_deadline",
        )


def full_sheet(sheet_id: int) -> ScoreSheet:
    """The sheet with its groups, criteria, grades and knock-outs read (four queries)."""
    return ScoreSheet.objects.prefetch_related("groups__criteria", "grades", "knockouts").get(
        pk=sheet_id
    )


def lock(assessment: Assessment) -> Assessment:
    return workflow.lock(
        assessment, Assessment.objects.select_related("sheet", "organization", "grade")
    )


def totals(assessment: Assessment, spec, *, verified: bool):
    """The result (:func:`grading.arithmetic.grade_of`) of the self-scores, or of the verified
    scores (a criterion the reviewer left as it was counts its self-score)."""
    points = {}
    for score in assessment.scores.all():
        if verified and score.verified_points is not None:
            points[score.criterion_id] = score.verified_points
        else:
            points[score.criterion_id] = score.self_points
    declared = {k.pk for k in assessment.declared_knockouts.all()}
    return grade_of(spec, points, declared)
