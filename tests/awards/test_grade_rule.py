"""The eligibility rule that requires a published grade of the annual grading (e.g. “Công đoàn cơ
sở vững mạnh” requires “hoàn thành xuất sắc nhiệm vụ”): the awards app reads it through the
registry of emulation.eligibility, which the grading app fills; met, not met, a grade below the
one required, the year before, and a grade approved but not yet published."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from awards.eligibility import Status, eligibility_check
from awards.models import EligibilityRule, RuleKind, RuleSeverity
from awards.services.review import nomination_submit
from emulation.eligibility import PUBLISHED_GRADE, fact, provides
from emulation.workflow import ReviewStatus
from grading.demo import build_sheet
from grading.models import GradingProfile, ScoreSheet, UnitType
from grading.services.assessments import assessment_save, assessment_submit
from grading.services.publication import grades_publish
from grading.services.verification import assessment_verify
from tests.grading.conftest import full_marks

pytestmark = pytest.mark.django_db

DAY = dt.date(2017, 6, 1)
LABEL = "Xếp loại “Hoàn thành xuất sắc nhiệm vụ”"


def grade(world, year, *, publish=True, unit=None, **overrides):
    """Unit A (or ``unit`` of the district) graded for ``year`` (full marks: the top grade,
    unless ``overrides`` lower criteria), approved by the district and, with ``publish``,
    published."""
    unit = unit or world.unit_a
    sheet = ScoreSheet.objects.filter(year=year, unit_type=UnitType.STATE).first() or build_sheet(
        year,
        UnitType.STATE,
        opens_on=dt.date(year, 1, 1),
        deadline=dt.date(year, 12, 15),
        top_grade_cap=None,
    )
    GradingProfile.objects.get_or_create(organization=unit, defaults={"unit_type": UnitType.STATE})
    day = DAY.replace(year=year)
    assessment = assessment_save(
        organization=unit,
        year=year,
        by=world.admin,
        entries=full_marks(sheet, **overrides),
        today=day,
    )
    assessment_submit(assessment, by=world.admin, today=day)
    assessment_verify(assessment, by=world.leader, verified={}, approve=True)
    if publish:
        grades_publish(upper=world.district, year=year, by=world.leader, today=day)


def check(nomination):
    nomination.refresh_from_db()
    return {c.rule.label: (c.status, " ".join(c.evidence)) for c in eligibility_check(nomination)}


def test_grading_provides_the_published_grade_to_the_registry(world):
    assert provides(PUBLISHED_GRADE)
    assert fact(PUBLISHED_GRADE, organization=world.unit_a, year=2017) is None
    assert fact("no such fact", organization=world.unit_a, year=2017) is None
    grade(world, 2017)
    published = fact(PUBLISHED_GRADE, organization=world.unit_a, year=2017)
    assert (published.rank, published.name, published.year) == (
        1,
        "Hoàn thành xuất sắc nhiệm vụ",
        2017,
    )


def test_the_top_grade_of_the_year_is_required_met_and_not_met(world, nominate, awards):
    EligibilityRule.objects.create(
        award_type=awards["collective"], kind=RuleKind.GRADE, label=LABEL, grade_rank=1
    )
    n = nominate(award="collective", dossier=True)
    state, evidence = check(n)[LABEL]
    assert state == Status.NOT_MET and world.unit_a.name in evidence and "2017" in evidence
    with pytest.raises(ValidationError, match=LABEL):
        nomination_submit(nomination=n, by=world.officer_a)
    # Approved by the district but not yet published: not a grade yet.
    grade(world, 2017, publish=False)
    assert check(n)[LABEL][0] == Status.NOT_MET
    grades_publish(upper=world.district, year=2017, by=world.leader, today=DAY)
    state, evidence = check(n)[LABEL]
    assert state == Status.MET and "Hoàn thành xuất sắc nhiệm vụ" in evidence
    assert nomination_submit(nomination=n, by=world.officer_a).status == ReviewStatus.SUBMITTED


def test_a_lower_grade_does_not_meet_the_rule_unless_the_rule_accepts_it(world, nominate, awards):
    top = EligibilityRule.objects.create(
        award_type=awards["collective"], kind=RuleKind.GRADE, label=LABEL, grade_rank=1
    )
    EligibilityRule.objects.create(
        award_type=awards["collective"],
        kind=RuleKind.GRADE,
        label="Xếp loại từ “Hoàn thành tốt nhiệm vụ”",
        grade_rank=2,
        severity=RuleSeverity.WARN,
    )
    grade(world, 2017, **{"2.1": 0, "2.2": 0})  # 80 points: completed tasks well
    n = nominate(award="collective", dossier=True)
    states = check(n)
    assert states[LABEL][0] == Status.NOT_MET
    assert "Hoàn thành tốt nhiệm vụ" in states[LABEL][1]
    assert states["Xếp loại từ “Hoàn thành tốt nhiệm vụ”"][0] == Status.MET
    with pytest.raises(ValidationError, match=LABEL):
        nomination_submit(nomination=n, by=world.officer_a)
    top.delete()
    assert nomination_submit(nomination=n, by=world.officer_a).status == ReviewStatus.SUBMITTED


def test_the_grade_of_the_year_before(world, nominate, awards):
    EligibilityRule.objects.create(
        award_type=awards["collective"],
        kind=RuleKind.GRADE,
        label=LABEL,
        grade_of_year_before=True,
    )
    n = nominate(award="collective", dossier=True)
    grade(world, 2017)  # the campaign's year does not count
    state, evidence = check(n)[LABEL]
    assert state == Status.NOT_MET and "2016" in evidence
    grade(world, 2016)
    assert check(n)[LABEL][0] == Status.MET


def test_a_unit_formed_by_a_merger_is_judged_on_the_grades_of_the_units_merged_into_it(
    world, nominate, awards
):
    """Unit A, graded at the top for 2016, is merged into unit B, which was not graded: B's
    nomination counts A's grade; once B's own lower grade is published, B's own counts."""
    from federation.services.units import organization_merge

    EligibilityRule.objects.create(
        award_type=awards["collective"],
        kind=RuleKind.GRADE,
        label=LABEL,
        grade_of_year_before=True,
    )
    grade(world, 2016)
    organization_merge(source=world.unit_a, target=world.unit_b, by=world.admin)
    n = nominate(award="collective", unit=world.unit_b, by=world.officer_b)
    state, evidence = check(n)[LABEL]
    assert state == Status.MET
    assert f"{world.unit_a.name} (sáp nhập vào {world.unit_b.name})" in evidence
    grade(world, 2016, unit=world.unit_b, **{"2.1": 0, "2.2": 0})
    state, evidence = check(n)[LABEL]
    assert state == Status.NOT_MET and world.unit_a.name not in evidence


def test_the_awards_app_does_not_import_the_grading_app():
    root = Path(settings.BASE_DIR) / "awards"
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "grading" for n in names), path
