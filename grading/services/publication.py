"""Publication: the upper unit makes its units' approved grades public together, once the cap
on the share of the top grade is met; the per-branch counters count the published grades."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emulation.audit import audit_record
from emulation.workflow import ReviewStatus
from federation.models import Organization, children_q
from grading import rollups
from grading.arithmetic import top_grade_allowed
from grading.models import Assessment, ScoreSheet
from grading.services.common import require


@dataclass
class SheetCheck:
    """The cap on the top grade for the units of one sheet graded by the upper unit."""

    sheet: ScoreSheet
    approved: int = 0  # approved gradings (published or not)
    to_publish: int = 0
    top: int = 0  # of the approved, how many have the top grade
    top_name: str = ""
    allowed: int | None = None  # None: no cap

    @property
    def exceeded(self) -> bool:
        return self.allowed is not None and self.top > self.allowed

    @property
    def share(self) -> int:
        return round(self.top * 100 / self.approved) if self.approved else 0


@dataclass
class Preview:
    sheets: list[SheetCheck] = field(default_factory=list)

    @property
    def to_publish(self) -> int:
        return sum(s.to_publish for s in self.sheets)

    @property
    def exceeded(self) -> list[SheetCheck]:
        return [s for s in self.sheets if s.exceeded]


def _below(upper: Organization, year: int):
    """The approved gradings of ``year`` of the units directly below ``upper``."""
    return Assessment.objects.filter(
        children_q(upper, "organization__"),
        sheet__year=year,
        status=ReviewStatus.APPROVED,
    )


def publication_preview(*, upper: Organization, year: int) -> Preview:
    """Per sheet, the approved gradings below ``upper``, how many wait to be published, and the
    top grade's count against its cap (two queries)."""
    rows = (
        _below(upper, year)
        .select_related("grade")
        .values_list("sheet_id", "published_at", "grade__rank", "grade__name")
    )
    sheets = {s.pk: SheetCheck(sheet=s) for s in ScoreSheet.objects.filter(year=year)}
    for sheet_id, published_at, rank, name in rows:
        check = sheets[sheet_id]
        check.approved += 1
        check.to_publish += published_at is None
        if rank == 1:
            check.top += 1
            check.top_name = name
    for check in sheets.values():
        check.allowed = top_grade_allowed(check.sheet.top_grade_cap, check.approved)
    return Preview(sheets=[c for c in sheets.values() if c.approved])


def grades_publish(*, upper: Organization, year: int, by, today) -> int:
    """Publish together the approved, unpublished grades of ``year`` of the units directly
    below ``upper``, adding them to the counters of their branches. Refused when nothing waits
    to be published, and when the share of the top grade among the units ``upper`` grades on a
    sheet is above the sheet's cap (nothing published)."""
    require(by, "grading.publish", upper)
    with transaction.atomic():
        pending = list(
            _below(upper, year)
            .filter(published_at__isnull=True)
            .select_related("sheet", "organization", "grade")
            .select_for_update(of=("self",))
            .order_by("pk")
        )
        if not pending:
            raise ValidationError(
                _("No approved grade waits to be published."), code="nothing_to_publish"
            )
        preview = publication_preview(upper=upper, year=year)
        for check in preview.exceeded:
            raise ValidationError(
                _(
                    "%(top)s of the %(count)s units graded on “%(sheet)s” have the grade "
                    "“%(grade)s”: at most %(allowed)s may (%(cap)s %%). Nothing was published: "
                    "review the gradings again."
                )
                % {
                    "top": check.top,
                    "count": check.approved,
                    "sheet": check.sheet.title,
                    "grade": check.top_name,
                    "allowed": check.allowed,
                    "cap": check.sheet.top_grade_cap,
                },
                code="cap_exceeded",
            )
        now = timezone.now()
        Assessment.objects.filter(pk__in=[a.pk for a in pending]).update(
            published_at=now, published_by=by if by.is_authenticated else None
        )
        for assessment in pending:
            audit_record(
                actor=by,
                action="grading_publish",
                obj=assessment,
                changes={
                    "grade": assessment.grade.name,
                    "verified_total": str(assessment.verified_total),
                },
            )
        rollups.count(pending, 1)
    return len(pending)
