"""Council members are told when a session opens for their vote and the day before it closes
(its meeting date), in the app and by email, each once whatever the number of runs."""

import datetime as dt

import pytest

from awards.models import CouncilSession, SessionStatus
from federation.models import Role
from reminders.models import Delivery, Notification, OutboxMessage, OutboxStatus
from reminders.services.dispatch import dispatch
from reminders.services.notifications import preference_set
from tests.factories import make_member

D = dt.date
MEETING = D(2030, 11, 20)
pytestmark = pytest.mark.django_db


@pytest.fixture
def council(world):
    members = [make_member(world.province, Role.COUNCIL, f"hoidong{i}") for i in (1, 2, 3)]
    session = CouncilSession.objects.create(
        granting_unit=world.province,
        title="Xét khen thưởng tổng kết năm 2030",
        meeting_date=MEETING,
        place="Hội trường LĐLĐ tỉnh",
        member_count=3,
    )
    return session, members


def notices(user, kind):
    return Notification.objects.filter(user=user, delivery__occurrence__contains=kind)


def test_the_members_are_told_when_a_session_opens(world, council):
    session, members = council
    result = dispatch(today=D(2030, 11, 10))
    assert result.created == 3
    for member in members:
        note = notices(member, ":open").get()
        assert (
            note.subject == "Phiên họp Hội đồng mở để bỏ phiếu: Xét khen thưởng tổng kết năm 2030"
        )
        assert note.link.endswith(session.get_absolute_url())
        email = OutboxMessage.objects.get(user=member)
        assert (email.recipient, email.status) == (member.email, OutboxStatus.QUEUED)
        assert email.organization == world.province
        assert "20/11/2030" in email.text and "Hội trường LĐLĐ tỉnh" in email.text
        assert '<html lang="vi">' in email.html and "<title>Phiên họp Hội đồng" in email.html
    # Nobody else: the province's staff and the officers are not council members.
    assert not Notification.objects.exclude(user__in=members).exists()
    assert Delivery.objects.filter(campaign__isnull=True).count() == 3


def test_the_opening_notice_goes_once_whatever_the_runs(world, council):
    dispatch(today=D(2030, 11, 10))
    again = dispatch(today=D(2030, 11, 10))
    next_day = dispatch(today=D(2030, 11, 11))
    assert (again.created, next_day.created) == (0, 0)
    assert OutboxMessage.objects.count() == Notification.objects.count() == 3


def test_a_member_who_joins_later_is_told_at_the_next_run(world, council):
    dispatch(today=D(2030, 11, 10))
    late = make_member(world.province, Role.COUNCIL, "hoidong4")
    result = dispatch(today=D(2030, 11, 12))
    assert result.created == 1
    assert notices(late, ":open").count() == 1


def test_the_day_before_it_closes_each_member_is_reminded_once(world, council):
    session, members = council
    dispatch(today=D(2030, 11, 10))
    two_days_before = dispatch(today=D(2030, 11, 18))
    assert two_days_before.created == 0
    eve = dispatch(today=D(2030, 11, 19))
    assert eve.created == 3
    assert dispatch(today=D(2030, 11, 19)).created == 0  # the same day again
    for member in members:
        note = notices(member, ":eve:").get()
        assert note.subject == (
            "Phiên họp Hội đồng kết thúc vào ngày mai (20/11/2030): "
            "Xét khen thưởng tổng kết năm 2030"
        )
        assert OutboxMessage.objects.filter(user=member).count() == 2
    assert dispatch(today=MEETING).created == 0


def test_a_meeting_moved_to_another_day_gets_its_own_eve_notice(world, council):
    session, members = council
    dispatch(today=D(2030, 11, 19))
    session.meeting_date = D(2030, 11, 25)
    session.save()
    assert dispatch(today=D(2030, 11, 24)).created == 3


def test_a_closed_session_tells_nobody(world, council):
    session, _members = council
    session.status = SessionStatus.CLOSED
    session.save()
    assert dispatch(today=D(2030, 11, 19)).created == 0


def test_a_member_who_opted_out_gets_the_notice_but_no_email(world, council):
    _session, members = council
    preference_set(user=members[0], email_enabled=False)
    dispatch(today=D(2030, 11, 10))
    assert notices(members[0], ":open").exists()
    assert not OutboxMessage.objects.filter(user=members[0]).exists()
    assert OutboxMessage.objects.filter(user__in=members[1:]).count() == 2


def test_a_dispatch_limited_to_campaigns_leaves_the_council_out(world, council, campaign):
    assert dispatch(today=D(2030, 11, 10), campaign_ids=[campaign.pk]).created == 0
    assert not Delivery.objects.filter(campaign__isnull=True).exists()
