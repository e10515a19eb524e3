"""Who a reminder reaches by email: each officer and leader of the unit at their own address
(their opt-out respected), the unit's mailbox when it has one, and a failed row that says why
when nobody can be reached; the department's people and mailbox; the reviewer in person."""

import datetime as dt

import pytest

from federation.models import Membership, Role
from reminders.models import (
    Audience,
    Channel,
    Delivery,
    Notification,
    OutboxMessage,
    OutboxStatus,
    ReminderRule,
)
from reminders.services.dispatch import dispatch
from reminders.services.notifications import preference_set
from tests.factories import make_member

D = dt.date
SEVEN_DAYS_BEFORE = D(2030, 3, 24)
OVERDUE = D(2030, 4, 1)
pytestmark = pytest.mark.django_db


def emails_of(unit):
    """(address, person, status, error) of the unit reminders' emails, in the order written."""
    return [
        (m.recipient, m.user, m.status, m.last_error)
        for m in OutboxMessage.objects.filter(
            delivery__organization=unit, delivery__user__isnull=True
        ).order_by("pk")
    ]


@pytest.fixture
def unit_b(world):
    """Unit B with a mailbox, its officer, a leader, a council member (no reminders: not an
    officer or leader) and a former officer whose account is deactivated."""
    world.unit_b.email = "cdcs-b@example.vn"
    world.unit_b.save()
    leader_b = make_member(world.unit_b, Role.LEADER, "leader_b")
    make_member(world.unit_b, Role.COUNCIL, "council_b")
    gone = make_member(world.unit_b, Role.OFFICER, "gone_b")
    gone.is_active = False
    gone.save()
    world.leader_b = leader_b
    return world.unit_b


def test_a_units_reminder_goes_to_each_officer_and_leader_and_to_its_mailbox(
    world, campaign, unit_b
):
    dispatch(today=SEVEN_DAYS_BEFORE)
    assert emails_of(unit_b) == [
        ("officer_b@example.vn", world.officer_b, OutboxStatus.QUEUED, ""),
        ("leader_b@example.vn", world.leader_b, OutboxStatus.QUEUED, ""),
        ("cdcs-b@example.vn", None, OutboxStatus.QUEUED, ""),
    ]
    # One delivery for the unit, every email filed under it; the same text for each.
    delivery = Delivery.objects.get(organization=unit_b)
    emails = OutboxMessage.objects.filter(delivery=delivery)
    assert set(emails.values_list("organization", flat=True)) == {unit_b.pk}
    assert len(set(emails.values_list("subject", "text", "html"))) == 1
    assert "Còn 7 ngày đến hạn đăng ký thi đua" in emails[0].subject
    # The officers and leaders see it in the app too.
    assert set(Notification.objects.filter(delivery=delivery).values_list("user", flat=True)) == {
        world.officer_b.pk,
        world.leader_b.pk,
    }


def test_an_officer_who_opted_out_gets_no_email_but_the_notice(world, campaign, unit_b):
    preference_set(user=world.officer_b, email_enabled=False)
    dispatch(today=SEVEN_DAYS_BEFORE)
    assert [row[0] for row in emails_of(unit_b)] == ["leader_b@example.vn", "cdcs-b@example.vn"]
    assert Notification.objects.filter(user=world.officer_b).exists()


def test_an_address_shared_by_the_unit_and_its_officer_is_written_once(world, campaign, unit_b):
    unit_b.email = "OFFICER_B@example.vn"
    unit_b.save()
    dispatch(today=SEVEN_DAYS_BEFORE)
    assert [(row[0], row[1]) for row in emails_of(unit_b)] == [
        ("officer_b@example.vn", world.officer_b),
        ("leader_b@example.vn", world.leader_b),
    ]


def test_a_person_without_an_address_has_a_failed_row_that_says_so(world, campaign):
    world.officer_a.email = ""
    world.officer_a.save()
    dispatch(today=SEVEN_DAYS_BEFORE)
    assert emails_of(world.unit_a) == [
        ("", world.officer_a, OutboxStatus.FAILED, "Chưa có địa chỉ email.")
    ]


def test_an_invalid_personal_address_fails_with_its_reason(world, campaign):
    world.officer_a.email = "officer a at example"
    world.officer_a.save()
    dispatch(today=SEVEN_DAYS_BEFORE)
    [(address, person, status, error)] = emails_of(world.unit_a)
    assert (person, status) == (world.officer_a, OutboxStatus.FAILED)
    assert error == "Địa chỉ email “officer a at example” không hợp lệ."


def test_a_unit_nobody_can_be_reached_at_has_one_failed_row_saying_why(world, campaign):
    # C has no mailbox and nobody: one row, for the unit, that says so.
    dispatch(today=SEVEN_DAYS_BEFORE)
    assert emails_of(world.unit_c) == [
        (
            "",
            None,
            OutboxStatus.FAILED,
            "Đơn vị chưa có địa chỉ email và chưa có cán bộ hay lãnh đạo nào có tài khoản "
            "thuộc đơn vị.",
        )
    ]
    row = OutboxMessage.objects.get(delivery__organization=world.unit_c)
    assert row.organization == world.unit_c


def test_a_unit_whose_people_all_opted_out_says_so(world, campaign):
    preference_set(user=world.officer_a, email_enabled=False)
    dispatch(today=SEVEN_DAYS_BEFORE)
    assert emails_of(world.unit_a) == [
        (
            "",
            None,
            OutboxStatus.FAILED,
            "Đơn vị chưa có địa chỉ email và cán bộ, lãnh đạo của đơn vị đã tắt nhận email "
            "nhắc nhở.",
        )
    ]


def test_the_mailbox_alone_when_the_unit_has_no_people(world, campaign):
    world.unit_c.email = "gamma@example.vn"
    world.unit_c.save()
    dispatch(today=SEVEN_DAYS_BEFORE)
    assert emails_of(world.unit_c) == [("gamma@example.vn", None, OutboxStatus.QUEUED, "")]


def test_the_department_reaches_its_people_and_its_mailbox(world, campaign):
    Membership.objects.filter(user=world.staff).update(department=world.department)
    dispatch(today=OVERDUE)
    digest = Delivery.objects.get(rule__audience=Audience.DEPARTMENT)
    rows = list(
        OutboxMessage.objects.filter(delivery=digest)
        .order_by("pk")
        .values_list("recipient", "user", "department", "organization")
    )
    assert rows == [
        ("staff@example.vn", world.staff.pk, world.department.pk, world.province.pk),
        ("cspl@example.vn", None, world.department.pk, world.province.pk),
    ]


def test_a_department_without_mailbox_or_people_says_why(world, campaign):
    world.department.email = ""
    world.department.save()
    dispatch(today=OVERDUE)
    row = OutboxMessage.objects.get(delivery__rule__audience=Audience.DEPARTMENT)
    assert (row.status, row.recipient, row.department) == (
        OutboxStatus.FAILED,
        "",
        world.department,
    )
    assert row.last_error == "Ban chưa có hộp thư và chưa có ai thuộc ban."


def test_a_reviewer_is_reached_in_person_and_filed_under_their_unit(world, campaign):
    dispatch(today=OVERDUE)
    row = OutboxMessage.objects.get(delivery__rule__audience=Audience.REVIEWERS, user=world.leader)
    assert (row.recipient, row.organization) == ("leader@example.vn", world.district)


def test_the_same_day_again_writes_no_email(world, campaign, unit_b):
    first = dispatch(today=OVERDUE)
    count = OutboxMessage.objects.count()
    again = dispatch(today=OVERDUE)
    assert first.emails == count > 0
    assert (again.created, again.emails, again.notifications) == (0, 0, 0)
    assert OutboxMessage.objects.count() == count


@pytest.mark.parametrize(
    "channel, emails, notes", [(Channel.EMAIL, True, False), (Channel.IN_APP, False, True)]
)
def test_the_rule_channel_decides_email_and_notice(world, campaign, unit_b, channel, emails, notes):
    ReminderRule.objects.filter(campaign=campaign).exclude(offset_days=-7).update(is_active=False)
    ReminderRule.objects.filter(campaign=campaign, offset_days=-7).update(channel=channel)
    dispatch(today=SEVEN_DAYS_BEFORE)
    assert bool(emails_of(unit_b)) is emails
    assert Notification.objects.filter(user=world.officer_b).exists() is notes
