"""The workflow's signal: reviewers hear of a registration sent to them, the unit of its return."""

import pytest

from registrations import services
from reminders.models import Notification
from tests.registrations.conftest import registration_data

pytestmark = pytest.mark.django_db(transaction=True)


def test_submit_tells_the_reviewer_and_return_tells_the_unit(world, campaign):
    registration = services.registration_save_draft(
        campaign=campaign,
        organization=world.unit_a,
        by=world.officer_a,
        data=registration_data(campaign),
    )
    services.registration_submit(registration, by=world.officer_a)
    note = Notification.objects.get(user=world.leader)
    assert "Công đoàn cơ sở Alpha Đông Á" in note.subject and "gửi duyệt" in note.subject
    assert note.link == f"/registrations/c/{campaign.pk}/u/{world.unit_a.pk}/"
    registration.refresh_from_db()
    services.registration_return(registration, by=world.leader, comment="Bổ sung chỉ tiêu.")
    note = Notification.objects.get(user=world.officer_a)
    assert "trả lại" in note.subject and note.body == "Bổ sung chỉ tiêu."
    assert not Notification.objects.filter(user=world.leader, body="Bổ sung chỉ tiêu.").exists()
