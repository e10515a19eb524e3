"""The home page's grading items: the unit's own grading with its deadline and state, and the
reviewer's count of gradings awaiting verification."""

from campaigns.work import context_for
from emulation.work import REVIEW, TO_DO, UNIT, WAITING, work_items
from grading.services.assessments import assessment_save, assessment_submit
from tests.grading.conftest import DAY, DEADLINE, YEAR, full_marks


def grading_items(user, section):
    return [i for i in work_items(section, context_for(user, DAY)) if i.kind.startswith("grading")]


def test_the_unit_and_its_reviewer_see_what_to_do(grading):
    world = grading.world
    (item,) = grading_items(world.officer_a, UNIT)
    assert item.state == TO_DO and item.deadline == DEADLINE
    assert item.url == f"/grading/{YEAR}/u/{world.unit_a.pk}/"
    assert grading_items(world.leader, REVIEW) == []
    assessment = assessment_save(
        organization=world.unit_a,
        year=YEAR,
        by=world.officer_a,
        entries=full_marks(grading.state),
        today=DAY,
    )
    assessment_submit(assessment, by=world.officer_a, today=DAY)
    (item,) = grading_items(world.officer_a, UNIT)
    assert item.state == WAITING
    (review,) = grading_items(world.leader, REVIEW)
    assert review.count == 1 and review.url == f"/grading/{YEAR}/b/{world.district.pk}/"
    assert grading_items(world.officer_b, REVIEW) == []
