"""What the grading pages read, each in a fixed number of queries whatever the number of units.

- :func:`sheet_rows`: a sheet's groups and criteria with a grading's scores and evidence;
- :func:`branch_page`: an upper unit's dashboard: per unit directly below, the distribution of
  its branch's published grades (from the counters) and how many grassroots unions are not
  graded yet; the gradings of the grassroots unions directly below (the verification queue);
  the check of the cap before publishing.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator

from emulation.eligibility import PublishedGrade
from emulation.workflow import ReviewStatus
from federation.models import BranchUnitCount, Organization, OrganizationKind, children_q
from grading.arithmetic import spec_of
from grading.models import Assessment, Grade, GradeCount, ScoreSheet, UnitType
from grading.services.common import totals
from grading.services.publication import publication_preview

NOT_STARTED = "none"


@dataclass
class CriterionRow:
    criterion: object
    score: object = None
    files: list = field(default_factory=list)

    @property
    def differs(self) -> bool:
        return self.score is not None and self.score.verified_points is not None

    @property
    def final_points(self):
        if self.score is None:
            return None
        if self.score.verified_points is not None:
            return self.score.verified_points
        return self.score.self_points


@dataclass
class GroupRow:
    group: object
    criteria: list
    self_total: Decimal = Decimal(0)
    verified_total: Decimal = Decimal(0)


def sheet_rows(sheet: ScoreSheet, assessment: Assessment | None):
    """The groups of ``sheet`` (read with :func:`full_sheet`) with ``assessment``'s scores and
    evidence files, and the results of its self-scores and of its verified scores."""
    scores = {}
    files: dict[int, list] = {}
    self_result = verified_result = None
    if assessment is not None and assessment.pk:
        scores = {s.criterion_id: s for s in assessment.scores.all()}
        for evidence in assessment.evidence.all():
            files.setdefault(evidence.criterion_id, []).append(evidence)
        spec = spec_of(sheet)
        self_result = totals(assessment, spec, verified=False)
        verified_result = totals(assessment, spec, verified=True)
    rows = []
    for group in sheet.groups.all():
        row = GroupRow(
            group=group,
            criteria=[
                CriterionRow(c, scores.get(c.pk), files.get(c.pk, [])) for c in group.criteria.all()
            ],
        )
        if self_result:
            row.self_total = self_result.groups[group.pk]
            row.verified_total = verified_result.groups[group.pk]
        rows.append(row)
    return rows, self_result, verified_result


def read_assessment(pk_or_none, *, sheet=None, organization=None):
    """A grading with what its pages read (scores, evidence, declared events)."""
    queryset = Assessment.objects.select_related(
        "sheet", "organization", "grade", "self_grade", "submitted_by", "reviewed_by"
    ).prefetch_related("scores", "evidence", "declared_knockouts")
    if pk_or_none is not None:
        return queryset.filter(pk=pk_or_none).first()
    return queryset.filter(sheet=sheet, organization=organization).first()


@dataclass
class BranchRow:
    unit: Organization
    counts: dict  # grade code -> units
    grassroots: int = 0
    graded: int = 0
    points: Decimal = Decimal(0)

    cells: list = field(default_factory=list)  # (code, name, units, % of the graded) per grade

    def fill(self, grades) -> "BranchRow":
        self.cells = [
            (code, name, n := self.counts.get(code, 0), n * 100 / self.graded if self.graded else 0)
            for code, name in grades
        ]
        return self

    @property
    def not_graded(self) -> int:
        return max(self.grassroots - self.graded, 0)

    @property
    def average(self):
        return self.points / self.graded if self.graded else None


@dataclass
class QueueRow:
    unit: Organization
    assessment: Assessment | None

    @property
    def status(self) -> str:
        return self.assessment.status if self.assessment else NOT_STARTED


@dataclass
class BranchPage:
    year: int
    grades: list  # (code, name) from the best
    total: BranchRow
    rows: list[BranchRow]
    by_type: list  # (label, BranchRow)
    queue: list[QueueRow]
    preview: object
    waiting: int = 0
    page: object = None  # the page of the units directly below


def year_grades(year: int) -> list[tuple[str, str]]:
    """The grades of ``year``'s sheets, (code, name) from the best (one query)."""
    seen: dict[str, tuple[int, str]] = {}
    for code, name, rank in (
        Grade.objects.filter(sheet__year=year).order_by("rank").values_list("code", "name", "rank")
    ):
        seen.setdefault(code, (rank, name))
    return [(code, name) for code, (rank, name) in sorted(seen.items(), key=lambda i: i[1][0])]


def _row(unit, counters, grassroots) -> BranchRow:
    row = BranchRow(unit=unit, counts={}, grassroots=grassroots)
    for counter in counters:
        row.counts[counter.grade] = row.counts.get(counter.grade, 0) + counter.units
        row.graded += counter.units
        row.points += counter.points
    return row


PER_PAGE = 50


def branch_page(
    upper: Organization, year: int, page_number=None, *, per_page: int | None = PER_PAGE
) -> BranchPage:
    """The dashboard of ``upper`` for ``year``, one page of the units directly below it (ten
    queries, whatever the number of units); every unit below with ``per_page=None`` (the
    XLSX)."""
    children_qs = Organization.objects.children_of(upper).active().order_by("code")
    paginator = Paginator(children_qs, per_page or max(children_qs.count(), 1))
    units_page = paginator.get_page(page_number)
    children = list(units_page.object_list)
    branches = [upper.pk, *(c.pk for c in children)]
    counters: dict[int, list] = {}
    for counter in GradeCount.objects.filter(year=year, branch_id__in=branches):
        counters.setdefault(counter.branch_id, []).append(counter)
    grassroots = dict(
        BranchUnitCount.objects.filter(
            branch_id__in=branches, kind=OrganizationKind.GRASSROOTS
        ).values_list("branch_id", "units")
    )
    total = _row(upper, counters.get(upper.pk, []), grassroots.get(upper.pk, 0))
    rows = [_row(c, counters.get(c.pk, []), grassroots.get(c.pk, 0)) for c in children]
    by_type = []
    for value, label in UnitType.choices:
        own = [c for c in counters.get(upper.pk, []) if c.unit_type == value]
        if own:
            by_type.append((label, _row(upper, own, 0)))
    assessments = {
        a.organization_id: a
        for a in Assessment.objects.filter(
            organization__in=[c.pk for c in children], sheet__year=year
        )
        .select_related("grade", "self_grade", "sheet")
        .order_by()
    }
    queue = [
        QueueRow(c, assessments.get(c.pk))
        for c in children
        if c.kind == OrganizationKind.GRASSROOTS
    ]
    order = {ReviewStatus.SUBMITTED: 0, ReviewStatus.APPROVED: 1, ReviewStatus.RETURNED: 2}
    queue.sort(key=lambda r: (order.get(r.status, 3), r.unit.code))
    grades = year_grades(year)
    for row in [total, *rows, *(r for _label, r in by_type)]:
        row.fill(grades)
    return BranchPage(
        year=year,
        grades=grades,
        total=total,
        rows=rows,
        by_type=by_type,
        queue=queue,
        preview=publication_preview(upper=upper, year=year),
        waiting=Assessment.objects.filter(
            children_q(upper, "organization__"), sheet__year=year, status=ReviewStatus.SUBMITTED
        ).count(),
        page=units_page,
    )


def past_grades(organization, *, before: int | None = None) -> list[Assessment]:
    """The unit's approved gradings of every year (before ``before`` when given), the latest
    first, with their grade (one query): its history of grades."""
    rows = Assessment.objects.filter(
        organization=organization, status=ReviewStatus.APPROVED
    ).select_related("grade", "sheet")
    if before is not None:
        rows = rows.filter(sheet__year__lt=before)
    return list(rows.order_by("-sheet__year"))


def published_grade(organization, year: int) -> Grade | None:
    """The grade of ``organization`` published for ``year``, or None: what an award type that
    requires a grade (e.g. "Công đoàn cơ sở vững mạnh" requires "hoàn thành xuất sắc nhiệm vụ"
    this year) checks with its other eligibility rules."""
    assessment = (
        Assessment.objects.filter(
            organization=organization, sheet__year=year, published_at__isnull=False
        )
        .select_related("grade")
        .first()
    )
    return assessment.grade if assessment else None


def published_grade_fact(*, organization, year: int) -> PublishedGrade | None:
    """:func:`published_grade` as the fact the eligibility rules of awards read through
    ``emulation.eligibility`` (registered in ``GradingConfig.ready``)."""
    assessment = (
        Assessment.objects.filter(
            organization=organization, sheet__year=year, published_at__isnull=False
        )
        .select_related("grade")
        .first()
    )
    if assessment is None or assessment.grade is None:
        return None
    grade = assessment.grade
    return PublishedGrade(
        year=year, rank=grade.rank, name=grade.name, score=assessment.verified_total
    )


def grade_history_fact(*, organization) -> list[PublishedGrade]:
    """The unit's published grades of every year, the latest first (one query): what its
    award history shows, read through ``emulation.eligibility`` (registered in
    ``GradingConfig.ready``)."""
    rows = (
        Assessment.objects.filter(
            organization=organization, published_at__isnull=False, grade__isnull=False
        )
        .order_by("-sheet__year")
        .values_list("sheet__year", "grade__rank", "grade__name", "verified_total")
    )
    return [
        PublishedGrade(year=year, rank=rank, name=name, score=score)
        for year, rank, name, score in rows
    ]
