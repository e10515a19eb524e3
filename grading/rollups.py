"""Per-branch counters of published grades (:class:`~grading.models.GradeCount`).

Publishing a unit's grade adds one unit and its score to the counters of the unit and of each
unit above it, in the publication's transaction (:func:`emulation.rollups.add`); reopening a
published grading takes them away. :func:`rebuild` recomputes every counter from the published
gradings with one ``GROUP BY`` per level of the path prefix: the reference the tests compare the
running counters to.
"""

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Substr

from emulation import rollups
from federation.models import Organization


def _model():
    from grading.models import GradeCount

    return GradeCount


def count(assessments, sign: int = 1) -> int:
    """Add (``sign`` 1) or take away (-1) the published grades of ``assessments`` (with their
    sheet, unit and grade read) to the counters of each unit's branch."""
    deltas: dict[tuple, list] = {}
    for assessment in assessments:
        key_of = (assessment.sheet.year, assessment.sheet.unit_type, assessment.grade.code)
        for path in rollups.branch_paths(assessment.organization.path, Organization.steplen):
            delta = deltas.setdefault((*key_of, path), [0, 0])
            delta[0] += sign
            delta[1] += sign * (assessment.verified_total or 0)
    if not deltas:
        return 0
    paths = sorted({key[3] for key in deltas})
    ids = dict(Organization.objects.filter(path__in=paths).order_by().values_list("path", "id"))
    rows = [
        {
            "year": year,
            "unit_type": unit_type,
            "grade": grade,
            "branch": ids[path],
            "units": units,
            "points": points,
        }
        for (year, unit_type, grade, path), (units, points) in deltas.items()
        if path in ids
    ]
    return rollups.add(
        _model(), rows, keys=("year", "unit_type", "branch", "grade"), sums=("units", "points")
    )


def rebuild() -> int:
    """Recompute every counter from the published gradings."""
    from grading.models import Assessment, GradeCount

    steplen = Organization.steplen
    deepest = Organization.objects.order_by("-depth").values_list("depth", flat=True).first() or 0
    with transaction.atomic():
        GradeCount.objects.all().delete()
        written = 0
        for depth in range(1, deepest + 1):
            grouped = (
                Assessment.objects.filter(
                    published_at__isnull=False, organization__depth__gte=depth
                )
                .annotate(prefix=Substr("organization__path", 1, depth * steplen))
                .values("sheet__year", "sheet__unit_type", "grade__code", "prefix")
                .annotate(units=Count("id"), points=Sum("verified_total"))
                .order_by()
            )
            groups = list(grouped)
            ids = dict(
                Organization.objects.filter(path__in={g["prefix"] for g in groups})
                .order_by()
                .values_list("path", "id")
            )
            rows = [
                {
                    "year": g["sheet__year"],
                    "unit_type": g["sheet__unit_type"],
                    "grade": g["grade__code"],
                    "branch": ids[g["prefix"]],
                    "units": g["units"],
                    "points": g["points"] or 0,
                }
                for g in groups
                if g["prefix"] in ids
            ]
            written += rollups.add(
                GradeCount,
                rows,
                keys=("year", "unit_type", "branch", "grade"),
                sums=("units", "points"),
            )
    return written
