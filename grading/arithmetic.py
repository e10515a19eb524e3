"""The arithmetic of a score sheet, as pure functions over plain data (no database).

:func:`spec_of` reads a sheet once into a :class:`SheetSpec`; :func:`grade_of` gives the totals
per group, the total and the grade that points give on it:

- a regular group counts the points of its criteria; the bonus group at most its maximum; the
  penalty items are subtracted; the total is never below zero;
- the grade is the best one whose minimum score the total reaches (the lowest grade otherwise);
- each knock-out whose condition holds (a group under its share of the maximum, or an event
  declared) caps the grade: the grade is never better than the one it names.

The cap on the share of the top grade among the units one upper unit grades is
:func:`top_grade_allowed`.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0")


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    group_id: int
    max_points: Decimal
    justification_required: bool = False


@dataclass(frozen=True)
class GroupSpec:
    id: int
    kind: str  # "regular", "bonus", "penalty"
    max_points: Decimal
    title: str = ""


@dataclass(frozen=True)
class GradeSpec:
    id: int
    rank: int  # 1: the top grade
    min_score: Decimal
    name: str = ""
    code: str = ""


@dataclass(frozen=True)
class KnockOutSpec:
    id: int
    caps_at: int  # the id of a grade
    group_id: int | None = None
    min_share: int = 50  # % of the group's maximum
    description: str = ""


@dataclass(frozen=True)
class SheetSpec:
    total: Decimal
    groups: tuple[GroupSpec, ...]
    criteria: tuple[CriterionSpec, ...]
    grades: tuple[GradeSpec, ...]
    knockouts: tuple[KnockOutSpec, ...] = ()
    top_grade_cap: int | None = None

    def grade(self, grade_id: int) -> GradeSpec:
        return next(g for g in self.grades if g.id == grade_id)


@dataclass
class Result:
    total: Decimal
    groups: dict[int, Decimal]
    grade: GradeSpec | None
    by_score: GradeSpec | None
    knocked: list[KnockOutSpec] = field(default_factory=list)


def spec_of(sheet) -> SheetSpec:
    """The sheet (with its groups, criteria, grades and knock-outs) as plain data."""
    groups = list(sheet.groups.all())
    return SheetSpec(
        total=Decimal(sheet.total),
        groups=tuple(GroupSpec(g.id, g.kind, g.max_points, g.title) for g in groups),
        criteria=tuple(
            CriterionSpec(c.id, g.id, c.max_points, c.justification_required)
            for g in groups
            for c in g.criteria.all()
        ),
        grades=tuple(
            GradeSpec(g.id, g.rank, g.min_score, g.name, g.code)
            for g in sorted(sheet.grades.all(), key=lambda g: g.rank)
        ),
        knockouts=tuple(
            KnockOutSpec(k.id, k.caps_at_id, k.group_id, k.min_share, k.description)
            for k in sheet.knockouts.all()
        ),
        top_grade_cap=sheet.top_grade_cap,
    )


def grade_of(
    spec: SheetSpec, points: dict[int, Decimal | None], declared: frozenset[int] | set = frozenset()
) -> Result:
    """The totals and the grade of ``points`` (per criterion id; missing or None: 0) on
    ``spec``, with the events ``declared`` (ids of knock-outs without a group)."""
    sums: dict[int, Decimal] = {g.id: ZERO for g in spec.groups}
    for criterion in spec.criteria:
        sums[criterion.group_id] += Decimal(points.get(criterion.id) or 0)
    total = ZERO
    for group in spec.groups:
        if group.kind == "bonus":
            sums[group.id] = min(sums[group.id], group.max_points)
        if group.kind == "penalty":
            total -= sums[group.id]
        else:
            total += sums[group.id]
    total = max(total, ZERO)
    ordered = sorted(spec.grades, key=lambda g: g.rank)
    by_score = next((g for g in ordered if total >= g.min_score), ordered[-1] if ordered else None)
    grade = by_score
    knocked = []
    for knockout in spec.knockouts:
        if knockout.group_id is None:
            holds = knockout.id in declared
        else:
            group = next((g for g in spec.groups if g.id == knockout.group_id), None)
            holds = (
                group is not None and sums[group.id] * 100 < group.max_points * knockout.min_share
            )
        if not holds:
            continue
        knocked.append(knockout)
        cap = spec.grade(knockout.caps_at)
        if grade is not None and grade.rank < cap.rank:
            grade = cap
    return Result(total=total, groups=sums, grade=grade, by_score=by_score, knocked=knocked)


def top_grade_allowed(cap: int | None, graded: int) -> int | None:
    """How many of ``graded`` units may have the top grade under a cap of ``cap`` % (None: no
    cap). Rounded down: a cap of 20 % over 9 units allows 1."""
    if cap is None:
        return None
    return math.floor(graded * cap / 100)
