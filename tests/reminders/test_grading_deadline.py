"""The grading deadline reminds the grassroots unions that have not submitted their
self-assessment, a week and a day before it, through the real tasks (dispatch, then the
processing of the deliveries), each reminder once whatever the number of runs."""

import datetime as dt

import pytest

from emulation.workflow import ReviewStatus
from grading.models import Assessment
from reminders import tasks
from reminders.models import Delivery, Notification, OutboxMessage
from tests.grading.conftest import DEADLINE, make_grading

pytestmark = pytest.mark.django_db


def run(day: dt.date) -> dict:
    return tasks.dispatch_due(day.isoformat())


def grading_notes(user):
    return Notification.objects.filter(user=user, delivery__occurrence__startswith="grading:")


def test_units_that_have_not_submitted_are_reminded_once_per_step(world, eager_tasks):
    grading = make_grading(world)
    Assessment.objects.create(
        sheet=grading.state, organization=world.unit_b, status=ReviewStatus.SUBMITTED
    )
    week_before = DEADLINE - dt.timedelta(days=7)
    assert run(week_before - dt.timedelta(days=1))["created"] == 0
    run(week_before)
    run(week_before)
    run(week_before + dt.timedelta(days=2))  # the same step: nothing new
    (note,) = grading_notes(world.officer_a)
    assert "15/12/2026" in note.subject and "Alpha" in note.subject
    assert note.link.endswith(f"/grading/2026/u/{world.unit_a.pk}/")
    assert not grading_notes(world.officer_b).exists()  # unit B submitted
    email = OutboxMessage.objects.get(
        user=world.officer_a, delivery__occurrence__startswith="grading:"
    )
    assert "7 ngày" in email.text and email.organization == world.unit_a
    # Unit C (an enterprise) is reminded on its own sheet; the province's staff are not.
    assert Delivery.objects.filter(occurrence__startswith="grading:").count() == 2
    assert not grading_notes(world.staff).exists()
    run(DEADLINE - dt.timedelta(days=1))
    assert grading_notes(world.officer_a).count() == 2
    run(DEADLINE + dt.timedelta(days=1))  # past the deadline: nothing
    assert grading_notes(world.officer_a).count() == 2


def test_a_returned_grading_is_reminded_and_a_moved_deadline_reminds_again(world, eager_tasks):
    grading = make_grading(world)
    Assessment.objects.create(
        sheet=grading.state, organization=world.unit_a, status=ReviewStatus.RETURNED
    )
    run(DEADLINE - dt.timedelta(days=1))
    assert grading_notes(world.officer_a).count() == 1
    grading.state.deadline = DEADLINE + dt.timedelta(days=10)
    grading.state.save()
    run(DEADLINE + dt.timedelta(days=9))
    assert grading_notes(world.officer_a).count() == 2
