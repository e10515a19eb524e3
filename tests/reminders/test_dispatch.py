"""Dispatch on the small world: default rules, audiences, exactly once, outbox and opt-out."""

import datetime as dt

import pytest
from django.core import mail

from registrations.models import Registration
from reminders.models import (
    Audience,
    Delivery,
    Notification,
    OutboxMessage,
    OutboxStatus,
    ReminderRule,
)
from reminders.services.dispatch import dispatch
from reminders.services.notifications import preference_set
from reminders.services.outbox import outbox_send

D = dt.date
pytestmark = pytest.mark.django_db


def test_a_new_campaign_gets_the_default_rules(campaign):
    rules = list(campaign.reminder_rules.values_list("event", "offset_days", "audience"))
    assert len(rules) == 10
    assert ("registration_deadline", -7, "not_submitted") in rules
    assert ("registration_deadline", 1, "department") in rules
    assert ("report_deadline", 1, "reviewers") in rules


def test_seven_days_before_reaches_units_that_have_not_submitted(world, campaign):
    Registration.objects.create(campaign=campaign, organization=world.unit_a, status="submitted")
    result = dispatch(today=D(2030, 3, 24))
    recipients = set(Delivery.objects.values_list("organization__code", flat=True))
    # Every unit strictly below the issuer but A, which submitted.
    assert recipients == {"NB-P", "NB-P-B", "NB-Q", "NB-Q-C"}
    assert result.created == 4
    note = Notification.objects.get(user=world.officer_b)
    assert "Còn 7 ngày" in note.subject and "31/03/2030" in note.subject
    assert not Notification.objects.filter(user=world.officer_a).exists()


def test_the_same_day_twice_sends_once(campaign):
    first = dispatch(today=D(2030, 3, 30))
    second = dispatch(today=D(2030, 3, 30))
    assert first.created > 0 and second.created == 0 and second.processed == 0
    assert Delivery.objects.count() == first.created
    assert OutboxMessage.objects.count() == first.emails


def test_overdue_day_reaches_units_reviewers_and_the_department(world, campaign):
    Registration.objects.create(campaign=campaign, organization=world.unit_a, status="approved")
    dispatch(today=D(2030, 4, 1))
    by_audience = {}
    for audience, recipient in Delivery.objects.values_list("rule__audience", "recipient"):
        by_audience.setdefault(audience, set()).add(recipient)
    assert by_audience[Audience.REVIEWERS] == {
        f"user:{world.leader.pk}",  # above B
        f"user:{world.staff.pk}",  # the province, above the districts
    }
    assert by_audience[Audience.DEPARTMENT] == {f"dept:{world.department.pk}"}
    digest = OutboxMessage.objects.get(recipient="cspl@example.vn")
    assert "Liên đoàn Lao động huyện Phượng" in digest.text
    assert "Công đoàn cơ sở Bêta Nam Việt" in digest.text
    assert "Alpha" not in digest.text
    leader_note = Notification.objects.get(
        user=world.leader, delivery__rule__audience=Audience.REVIEWERS
    )
    assert "Bêta Nam Việt" in leader_note.body


def test_invalid_unit_email_is_recorded_as_a_failure(world, campaign):
    world.unit_b.email = "not an address"
    world.unit_b.save()
    dispatch(today=D(2030, 3, 24))
    failed = OutboxMessage.objects.get(recipient="not an address")
    assert failed.status == OutboxStatus.FAILED
    assert failed.last_error == "Địa chỉ email “not an address” không hợp lệ."


def test_sending_goes_through_the_outbox(world, campaign, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.unit_b.email = "b@example.vn"
    world.unit_b.save()
    dispatch(today=D(2030, 3, 24))
    message = OutboxMessage.objects.get(recipient="b@example.vn")
    assert outbox_send(message.pk) == OutboxStatus.SENT
    assert outbox_send(message.pk) == OutboxStatus.SENT  # a retried task sends nothing
    assert len(mail.outbox) == 1
    assert mail.outbox[0].alternatives


def test_a_user_can_turn_reminder_emails_off(world, campaign):
    world.leader.email = "leader@example.vn"
    world.leader.save()
    preference_set(user=world.leader, email_enabled=False)
    dispatch(today=D(2030, 4, 1))
    assert not OutboxMessage.objects.filter(recipient="leader@example.vn").exists()
    assert Notification.objects.filter(user=world.leader).exists()


def test_an_inactive_rule_sends_nothing(campaign):
    ReminderRule.objects.update(is_active=False)
    assert dispatch(today=D(2030, 3, 24)).due == 0
