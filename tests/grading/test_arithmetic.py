"""The arithmetic of a score sheet, as pure functions: totals, bonus and penalty, grades by
score, knock-outs and the cap on the top grade."""

from decimal import Decimal as D

from grading.arithmetic import (
    CriterionSpec,
    GradeSpec,
    GroupSpec,
    KnockOutSpec,
    SheetSpec,
    grade_of,
    top_grade_allowed,
)

GROUPS = (
    GroupSpec(1, "regular", D(40)),
    GroupSpec(2, "regular", D(40)),
    GroupSpec(3, "regular", D(15)),
    GroupSpec(4, "bonus", D(5)),
    GroupSpec(5, "penalty", D(4)),
)
CRITERIA = (
    CriterionSpec(11, 1, D(20)),
    CriterionSpec(12, 1, D(20)),
    CriterionSpec(21, 2, D(40)),
    CriterionSpec(31, 3, D(15)),
    CriterionSpec(41, 4, D(3)),
    CriterionSpec(42, 4, D(3)),
    CriterionSpec(51, 5, D(4)),
)
GRADES = (
    GradeSpec(101, 1, D(85), "excellent"),
    GradeSpec(102, 2, D(70), "good"),
    GradeSpec(103, 3, D(50), "completed"),
    GradeSpec(104, 4, D(0), "not completed"),
)
KNOCKOUTS = (
    KnockOutSpec(201, caps_at=103, group_id=1, min_share=50),
    KnockOutSpec(202, caps_at=102),  # an event that excludes the top grade
)
SPEC = SheetSpec(D(100), GROUPS, CRITERIA, GRADES, KNOCKOUTS, top_grade_cap=20)


def points(**values):
    return {int(k[1:]): D(v) for k, v in values.items()}


def test_total_grade_and_group_totals():
    result = grade_of(SPEC, points(c11=20, c12=15, c21=30, c31=10))
    assert result.total == D(75)
    assert result.groups[1] == D(35) and result.groups[2] == D(30) and result.groups[3] == D(10)
    assert result.grade.name == "good" and not result.knocked


def test_thresholds_are_inclusive_and_missing_points_count_zero():
    assert grade_of(SPEC, points(c11=20, c12=20, c21=30, c31=15)).grade.name == "excellent"
    assert grade_of(SPEC, points(c11=20, c12=20, c21=29.99, c31=15)).grade.name == "good"
    assert grade_of(SPEC, {}).grade.name == "not completed"
    assert grade_of(SPEC, {11: None}).total == 0


def test_bonus_is_capped_at_its_maximum_and_penalty_subtracts():
    result = grade_of(SPEC, points(c11=20, c12=20, c21=40, c31=15, c41=3, c42=3))
    assert result.groups[4] == D(5) and result.total == D(100)
    result = grade_of(SPEC, points(c11=20, c12=20, c21=40, c31=15, c51=4))
    assert result.total == D(91)
    assert grade_of(SPEC, points(c51=4)).total == 0  # never below zero


def test_a_group_under_half_its_maximum_caps_the_grade():
    # 19 of 40 in group 1 (under 50 %), 79 points in all: "good" by score, capped.
    result = grade_of(SPEC, points(c11=19, c12=0, c21=40, c31=15, c41=3, c42=3))
    assert result.total == D(79) and result.by_score.name == "good"
    assert result.grade.name == "completed"
    assert [k.id for k in result.knocked] == [201]
    # Exactly half is not under half.
    assert not grade_of(SPEC, points(c11=20, c21=40, c31=15)).knocked


def test_a_cap_never_raises_a_grade_and_the_worst_cap_wins():
    low = grade_of(SPEC, points(c11=10, c21=10), declared={202})
    assert low.grade.name == "not completed"  # 20 points: the cap of "good" does not lift it
    both = grade_of(SPEC, points(c11=0, c12=19, c21=40, c31=15, c41=5), declared={202})
    assert both.grade.name == "completed"


def test_a_declared_event_excludes_the_top_grade():
    full = points(c11=20, c12=20, c21=40, c31=15)
    assert grade_of(SPEC, full).grade.name == "excellent"
    assert grade_of(SPEC, full, declared={202}).grade.name == "good"
    assert grade_of(SPEC, full, declared={201}).grade.name == "excellent"  # not an event


def test_top_grade_allowed_rounds_down():
    assert top_grade_allowed(20, 9) == 1
    assert top_grade_allowed(20, 10) == 2
    assert top_grade_allowed(20, 4) == 0
    assert top_grade_allowed(None, 4) is None
